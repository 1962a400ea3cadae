// The spaCy-compatible tokenizer: words and sentence counts, on generated documents and, when
// ../shared is present, on the real texts of the datatrove reference set (a fresh scratch per
// iteration there, so the span memo starts cold, as at the start of a run).
#include <benchmark/benchmark.h>

#include "corpus_fixture.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow {
namespace {

size_t TotalBytes(const std::vector<std::string>& texts) {
  size_t n = 0;
  for (const std::string& t : texts) n += t.size();
  return n;
}

void BM_WordsGenerated(benchmark::State& state) {
  const auto& texts = bench::CorpusTexts();
  const auto& tok = text::SpacyTokenizer::English();
  text::TokenizerScratch scratch;
  std::vector<std::string_view> words;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      tok.Words(t, scratch, &words);
      benchmark::DoNotOptimize(words.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_WordsGenerated)->Unit(benchmark::kMillisecond);

void BM_WordsReal(benchmark::State& state) {
  const auto& texts = bench::RealTexts();
  if (texts.empty()) {
    state.SkipWithError("../shared/reference/datatrove absent");
    return;
  }
  const auto& tok = text::SpacyTokenizer::English();
  std::vector<std::string_view> words;
  for (auto _ : state) {
    text::TokenizerScratch scratch;  // cold memo
    for (const std::string& t : texts) {
      tok.Words(t, scratch, &words);
      benchmark::DoNotOptimize(words.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_WordsReal)->Unit(benchmark::kMillisecond);

void BM_CountSentencesReal(benchmark::State& state) {
  const auto& texts = bench::RealTexts();
  if (texts.empty()) {
    state.SkipWithError("../shared/reference/datatrove absent");
    return;
  }
  const auto& tok = text::SpacyTokenizer::English();
  text::TokenizerScratch scratch;
  for (auto _ : state) {
    for (const std::string& t : texts) benchmark::DoNotOptimize(tok.CountSentences(t, scratch));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_CountSentencesReal)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Fixed iteration counts, for instruction-count profiling (callgrind): the difference
// between 4 and 1 iterations is three warm passes.
void BM_WordsRealFixed(benchmark::State& state) {
  const auto& texts = bench::RealTexts();
  const auto& tok = text::SpacyTokenizer::English();
  text::TokenizerScratch scratch;
  std::vector<std::string_view> words;
  for (auto _ : state) {
    for (const std::string& t : texts) {
      tok.Words(t, scratch, &words);
      benchmark::DoNotOptimize(words.data());
    }
  }
}
BENCHMARK(BM_WordsRealFixed)->Iterations(1)->Name("BM_WordsRealFixed/1");
BENCHMARK(BM_WordsRealFixed)->Iterations(4)->Name("BM_WordsRealFixed/4");

}  // namespace
}  // namespace winnow
