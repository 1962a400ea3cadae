// decontaminate per core against an index of 10,000,000 benchmark n-grams (issue 21 asks >=
// 100 MB/s of text): the index loaded from a datatrove-format *.index.hashes file of random
// hashes written here (80 MB; its load time is reported), then every document of the real
// text (the datatrove reference documents, when ../shared is present) and of the generated
// corpus decided. Nothing matches, so every n-gram of every document is looked up: the
// stage's whole cost.
//   BM_DecontaminateReal / BM_DecontaminateGenerated   MB/s of text, documents/s
//   BM_DecontaminateRealOwnIndex                       the same against an index winnow built
//                                                      from 26,500 generated benchmark texts
//   BM_NGramHashes/0, /1                               the normalisation and hashing alone,
//                                                      with XXH64 and with XXH3
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "corpus_fixture.h"
#include "winnow/core/json_writer.h"
#include "winnow/filter/decontaminate.h"

namespace winnow::filter {
namespace {

struct Fixture {
  std::unique_ptr<Decontaminate> stage;
  std::string error;
  double load_seconds = 0;
};

// The index built by winnow from benchmark texts (XXH3 n-grams): the generated corpus's first
// 26,500 documents as benchmark records, about 10 M n-grams.
Fixture* BuildFromTexts() {
  auto f = std::make_unique<Fixture>();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("winnow-decont-" + std::to_string(getpid()) + ".jsonl"))
                               .string();
  {
    FILE* out = std::fopen(path.c_str(), "wb");
    std::string line;
    for (const std::string& t : bench::CorpusTexts(26500)) {
      line = "{\"text\":";
      AppendJsonString(line, t);
      line += "}\n";
      std::fwrite(line.data(), 1, line.size(), out);
    }
    std::fclose(out);
  }
  OptionMap given;
  given["benchmarks"].scalar = path;
  Result<Options> o = Options::Make(Decontaminate::Spec(), given);
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Decontaminate>> made =
      o.ok() ? Decontaminate::Create(*o) : Result<std::unique_ptr<Decontaminate>>(o.status());
  f->load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::remove(path);
  if (made.ok()) {
    f->stage = std::move(made).value();
  } else {
    f->error = made.status().ToString();
  }
  return f.release();
}

Fixture* Build() {
  auto f = std::make_unique<Fixture>();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("winnow-decont-" + std::to_string(getpid()) + ".index.hashes"))
                               .string();
  {
    std::mt19937_64 rng(5);
    std::vector<uint64_t> hashes(10000000);
    for (uint64_t& h : hashes) h = rng();
    FILE* out = std::fopen(path.c_str(), "wb");
    std::fwrite(hashes.data(), 8, hashes.size(), out);
    std::fclose(out);
  }
  OptionMap given;
  given["indexes"].scalar = path;
  Result<Options> o = Options::Make(Decontaminate::Spec(), given);
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Decontaminate>> made =
      o.ok() ? Decontaminate::Create(*o) : Result<std::unique_ptr<Decontaminate>>(o.status());
  f->load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::remove(path);
  if (made.ok()) {
    f->stage = std::move(made).value();
  } else {
    f->error = made.status().ToString();
  }
  return f.release();
}

Fixture& Get() {
  static Fixture* f = Build();
  return *f;
}

void Run(benchmark::State& state, const std::vector<std::string>& texts, Fixture& f = Get()) {
  if (!f.stage) return state.SkipWithError(f.error.c_str());
  if (texts.empty()) return state.SkipWithError("../shared/reference/datatrove absent");
  std::unique_ptr<FilterState> s = f.stage->NewState();
  int64_t bytes = 0, removed = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      Document d;
      d.text = t;
      removed += f.stage->Decide(d, *s).keep ? 0 : 1;
      bytes += static_cast<int64_t>(t.size());
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(texts.size()));
  state.counters["index_ngrams"] = static_cast<double>(f.stage->index().size());
  state.counters["index_MB"] = static_cast<double>(f.stage->index().memory_bytes()) / 1e6;
  state.counters["load_s"] = f.load_seconds;
  state.counters["removed"] = static_cast<double>(removed);
}

void BM_DecontaminateReal(benchmark::State& state) { Run(state, bench::RealTexts()); }
BENCHMARK(BM_DecontaminateReal)->Unit(benchmark::kMillisecond);

void BM_DecontaminateGenerated(benchmark::State& state) { Run(state, bench::CorpusTexts(5000)); }
BENCHMARK(BM_DecontaminateGenerated)->Unit(benchmark::kMillisecond);

// The index winnow builds from benchmark texts (XXH3), against the real text.
void BM_DecontaminateRealOwnIndex(benchmark::State& state) {
  static Fixture* f = BuildFromTexts();
  Run(state, bench::RealTexts(), *f);
}
BENCHMARK(BM_DecontaminateRealOwnIndex)->Unit(benchmark::kMillisecond);

// Arg 0: XXH64 (datatrove's index files), 1: rolled word hashes (indexes winnow builds).
void BM_NGramHashes(benchmark::State& state) {
  const std::vector<std::string>& texts = bench::RealTexts();
  if (texts.empty()) return state.SkipWithError("../shared/reference/datatrove absent");
  const NGramHash kind = state.range(0) == 0 ? NGramHash::kXxh64 : NGramHash::kWords;
  NGramScratch scratch;
  std::vector<uint64_t> hashes;
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      NGramHashes(t, 13, scratch, &hashes, false, kind);
      bytes += static_cast<int64_t>(t.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_NGramHashes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow::filter
