// The spaCy-compatible tokenizer: words and sentence counts, on generated documents and, when
// ../shared is present, on the real texts of the datatrove reference set (a fresh scratch per
// iteration there, so the span memo starts cold, as at the start of a run).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "corpus_fixture.h"
#include "winnow/io/byte_source.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow {
namespace {

const std::vector<std::string>& RealTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::string path = std::string(WINNOW_SHARED_DIR) + "/reference/datatrove/input.jsonl.zst";
    Result<std::string> data = io::ReadFileFully(path);
    if (!data.ok()) return out;
    // Lines are {"id": ..., "text": ...}: decode the text value.
    size_t pos = 0;
    while (pos < data->size()) {
      size_t nl = data->find('\n', pos);
      if (nl == std::string::npos) nl = data->size();
      std::string_view line(data->data() + pos, nl - pos);
      size_t a = line.find("\"text\": \"");
      if (a != std::string_view::npos) {
        a += 9;
        std::string t;
        for (size_t i = a; i < line.size() && line[i] != '"'; ++i) {
          if (line[i] != '\\') {
            t += line[i];
            continue;
          }
          char e = line[++i];
          if (e == 'n') t += '\n';
          else if (e == 't') t += '\t';
          else if (e == 'u') { t += '?'; i += 4; }
          else t += e;
        }
        out.push_back(std::move(t));
      }
      pos = nl + 1;
    }
    return out;
  }();
  return texts;
}

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
  const auto& texts = RealTexts();
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
  const auto& texts = RealTexts();
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
