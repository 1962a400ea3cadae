// Byte-level BPE (text/bpe.h) on real text, one thread: the tiktoken encodings' ids per second.
// The rank files are not in the repository: set WINNOW_TIKTOKEN_DIR to a directory holding
// cl100k_base.tiktoken and o200k_base.tiktoken (bench/e2e/tokenize.sh writes them from the npm
// tiktoken package); without them the benchmarks say so and skip.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "corpus_fixture.h"
#include "winnow/text/bpe.h"

namespace winnow {
namespace {

void BM_BpeEncode(benchmark::State& state, const char* encoding) {
  const char* dir = std::getenv("WINNOW_TIKTOKEN_DIR");
  if (dir == nullptr) {
    state.SkipWithError("set WINNOW_TIKTOKEN_DIR to a directory of .tiktoken files");
    return;
  }
  Result<std::unique_ptr<text::BytePairEncoder>> bpe =
      text::BytePairEncoder::Load(std::string(dir) + "/" + encoding + ".tiktoken", "");
  if (!bpe.ok()) {
    state.SkipWithError(bpe.status().ToString().c_str());
    return;
  }
  const std::vector<std::string>& texts = bench::RealTexts();
  text::BpeScratch scratch;
  std::vector<uint32_t> ids;
  size_t bytes = 0, tokens = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      ids.clear();
      (*bpe)->Encode(t, scratch, &ids);
      bytes += t.size();
      tokens += ids.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_BpeEncode, cl100k_base, "cl100k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, o200k_base, "o200k_base")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, gpt2, "gpt2")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
