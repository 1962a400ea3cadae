// Hashing for dedup: raw XXH3-128 and the exact-dedup key (normalise + hash).
#include <benchmark/benchmark.h>
#include <xxhash.h>

#include "corpus_fixture.h"
#include "winnow/dedup/exact_dedup.h"

namespace winnow {
namespace {

size_t TotalBytes(const std::vector<std::string>& texts) {
  size_t n = 0;
  for (const std::string& t : texts) n += t.size();
  return n;
}

void BM_Xxh3_128(benchmark::State& state) {
  const std::vector<std::string>& texts = bench::CorpusTexts();
  for (auto _ : state) {
    for (const std::string& t : texts) benchmark::DoNotOptimize(XXH3_128bits(t.data(), t.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_Xxh3_128)->Unit(benchmark::kMillisecond);

void BM_ExactKey(benchmark::State& state) {
  const std::vector<std::string>& texts = bench::CorpusTexts();
  std::string scratch;
  for (auto _ : state) {
    for (const std::string& t : texts) benchmark::DoNotOptimize(dedup::ExactKey(t, &scratch));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_ExactKey)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
