// Whitespace normalisation, word counting and code-point counting: the length filter and the
// exact-dedup key.
#include <benchmark/benchmark.h>

#include "corpus_fixture.h"
#include "winnow/text/normalize.h"
#include "winnow/text/utf8.h"

namespace winnow {
namespace {

size_t TotalBytes(const std::vector<std::string>& texts) {
  size_t n = 0;
  for (const std::string& t : texts) n += t.size();
  return n;
}

template <typename F>
void Run(benchmark::State& state, F f) {
  const std::vector<std::string>& texts = bench::CorpusTexts();
  for (auto _ : state) {
    for (const std::string& t : texts) f(t);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(texts)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}

void BM_NormalizeWhitespace(benchmark::State& state) {
  std::string out;
  Run(state, [&](const std::string& t) {
    text::NormalizeWhitespace(t, &out);
    benchmark::DoNotOptimize(out.data());
  });
}
BENCHMARK(BM_NormalizeWhitespace)->Unit(benchmark::kMillisecond);

void BM_CountWhitespaceWords(benchmark::State& state) {
  Run(state, [](const std::string& t) { benchmark::DoNotOptimize(text::CountWhitespaceWords(t)); });
}
BENCHMARK(BM_CountWhitespaceWords)->Unit(benchmark::kMillisecond);

void BM_CountCodePoints(benchmark::State& state) {
  Run(state, [](const std::string& t) { benchmark::DoNotOptimize(text::CountCodePoints(t)); });
}
BENCHMARK(BM_CountCodePoints)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
