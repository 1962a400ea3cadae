// sentence_dedup's per-document work on real text (the datatrove reference documents, when
// ../shared is present), one core, the tokenizer's span memo warm as in a long run:
//   BM_SentenceSpanHashes      the map step: sentences, simplify_text, span hashes
//   BM_RemoveDuplicateSentences the apply step on a document with duplicate spans (every
//                               third span marked), which only edited documents pay
#include <benchmark/benchmark.h>

#include "corpus_fixture.h"
#include "winnow/dedup/sentence_dedup.h"

namespace winnow::dedup {
namespace {

void BM_SentenceSpanHashes(benchmark::State& state) {
  const std::vector<std::string>& texts = bench::RealTexts();
  if (texts.empty()) return state.SkipWithError("../shared/reference/datatrove absent");
  std::vector<std::pair<uint64_t, uint32_t>> hashes;
  int64_t bytes = 0;
  for (const std::string& t : texts) SentenceSpanHashes(t, 3, &hashes);  // warm the memo
  for (auto _ : state) {
    for (const std::string& t : texts) {
      SentenceSpanHashes(t, 3, &hashes);
      bytes += static_cast<int64_t>(t.size());
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(texts.size()));
}
BENCHMARK(BM_SentenceSpanHashes)->Unit(benchmark::kMillisecond);

void BM_RemoveDuplicateSentences(benchmark::State& state) {
  const std::vector<std::string>& texts = bench::RealTexts();
  if (texts.empty()) return state.SkipWithError("../shared/reference/datatrove absent");
  const std::vector<uint32_t> duplicates = {0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30};
  int64_t bytes = 0;
  size_t removed = 0;
  bool keep = false;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      benchmark::DoNotOptimize(
          RemoveDuplicateSentences(t, duplicates, SentenceDedup::Settings{}, &keep, &removed));
      bytes += static_cast<int64_t>(t.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_RemoveDuplicateSentences)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow::dedup
