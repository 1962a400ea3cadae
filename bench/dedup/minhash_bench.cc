// MinHash signatures, shingling included: the native preset and --preset datatrove, on the
// datatrove reference documents (real text) and on generated documents; and the bare kernel.
#include <benchmark/benchmark.h>

#include <random>

#include "corpus_fixture.h"
#include "winnow/dedup/minhash.h"
#include "winnow/dedup/minhash_kernel.h"

namespace winnow::dedup {
namespace {

void Signatures(benchmark::State& state, const std::vector<std::string>& texts,
                MinHashPreset preset) {
  if (texts.empty()) {
    state.SkipWithError("../shared/reference/datatrove absent");
    return;
  }
  MinHashConfig config;
  config.preset = preset;
  auto hasher = MinHasher::Create(config);
  MinHashScratch scratch;
  std::vector<uint64_t> sig(config.permutations());
  size_t bytes = 0;
  for (const std::string& t : texts) bytes += t.size();
  for (auto _ : state) {
    for (const std::string& t : texts) {
      benchmark::DoNotOptimize((*hasher)->Signature(t, scratch, sig.data()));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}

void BM_NativeReal(benchmark::State& s) {
  Signatures(s, bench::RealTexts(), MinHashPreset::kNative);
}
void BM_DatatroveReal(benchmark::State& s) {
  Signatures(s, bench::RealTexts(), MinHashPreset::kDatatrove);
}
void BM_NativeGenerated(benchmark::State& s) {
  Signatures(s, bench::CorpusTexts(), MinHashPreset::kNative);
}
void BM_DatatroveGenerated(benchmark::State& s) {
  Signatures(s, bench::CorpusTexts(), MinHashPreset::kDatatrove);
}
BENCHMARK(BM_NativeReal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DatatroveReal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NativeGenerated)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DatatroveGenerated)->Unit(benchmark::kMillisecond);

// The kernel alone: 112 permutations of 1,000 shingles (items = shingles).
template <bool kMersenne>
void BM_Kernel(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> s(1000), a(112), b(112), out(112);
  for (auto& x : s) x = rng();
  for (auto& x : a) x = rng() | 1;
  for (auto& x : b) x = rng();
  for (auto _ : state) {
    if (kMersenne) {
      MinHashMersenne(s.data(), s.size(), a.data(), b.data(), 112, out.data());
    } else {
      MinHashMultiplyAdd(s.data(), s.size(), a.data(), b.data(), 112, out.data());
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.size()));
}
BENCHMARK(BM_Kernel<true>)->Name("BM_KernelMersenne");
BENCHMARK(BM_Kernel<false>)->Name("BM_KernelMultiplyAdd");

}  // namespace
}  // namespace winnow::dedup
