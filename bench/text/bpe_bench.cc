// Byte-level BPE (text/bpe.h) on real text, one thread: ids per second for the tiktoken
// encodings and for Hugging Face tokenizer.json files. The files are not in the repository: set
// WINNOW_TIKTOKEN_DIR to a directory holding cl100k_base.tiktoken, o200k_base.tiktoken and
// gpt2.tiktoken (tests/testing/tiktoken_ranks.sh writes them from the npm tiktoken package),
// and WINNOW_HF_TOKENIZER_DIR to one holding llama3.json and gpt2.json
// (tests/testing/hf_tokenizer_json.py builds them); without them the benchmarks say so and skip.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "corpus_fixture.h"
#include "winnow/text/token_encoder.h"

namespace winnow {
namespace {

void BM_BpeEncode(benchmark::State& state, const char* dir_variable, const char* file) {
  const char* dir = std::getenv(dir_variable);
  if (dir == nullptr) {
    state.SkipWithError((std::string("set ") + dir_variable + " (see the file's comment)").c_str());
    return;
  }
  Result<std::unique_ptr<text::TokenEncoder>> bpe =
      text::LoadTokenEncoder(std::string(dir) + "/" + file, "");
  if (!bpe.ok()) {
    state.SkipWithError(bpe.status().ToString().c_str());
    return;
  }
  const std::vector<std::string>& texts = bench::RealTexts();
  std::unique_ptr<text::EncodeScratch> scratch = (*bpe)->NewScratch();
  std::vector<uint32_t> ids;
  size_t bytes = 0, tokens = 0;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      ids.clear();
      (*bpe)->Encode(t, *scratch, &ids);
      bytes += t.size();
      tokens += ids.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
constexpr char kTiktoken[] = "WINNOW_TIKTOKEN_DIR";
constexpr char kHf[] = "WINNOW_HF_TOKENIZER_DIR";
BENCHMARK_CAPTURE(BM_BpeEncode, cl100k_base, kTiktoken, "cl100k_base.tiktoken")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, o200k_base, kTiktoken, "o200k_base.tiktoken")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, gpt2, kTiktoken, "gpt2.tiktoken")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, hf_llama3, kHf, "llama3.json")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BpeEncode, hf_gpt2, kHf, "gpt2.json")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
