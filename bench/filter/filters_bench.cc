// The four datatrove-compatible filters, alone and chained in FineWeb's order, on real text
// (the datatrove reference documents, when ../shared is present) and on generated documents.
// Every iteration starts from fresh documents, so the tokenization of the first filter that
// needs words is included; the tokenizer's span memo stays warm across iterations, as it is
// in a long run.
#include <benchmark/benchmark.h>

#include "corpus_fixture.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/filter/register.h"

namespace winnow {
namespace {

const StageRegistry& Registry() {
  static const StageRegistry* r = [] {
    auto* reg = new StageRegistry();
    filter::RegisterStages(*reg);
    return reg;
  }();
  return *r;
}

std::unique_ptr<filter::FilterStage> MakeWith(std::string_view name,
                                              std::map<std::string, OptionValue> options) {
  auto s = Registry().Create(name, std::move(options));
  return std::unique_ptr<filter::FilterStage>(static_cast<filter::FilterStage*>(s->release()));
}

std::unique_ptr<filter::FilterStage> Make(std::string_view name) {
  std::map<std::string, OptionValue> options;
  if (name == "c4_quality") options["filter_no_terminal_punct"].scalar = "false";  // FineWeb's
  return MakeWith(name, std::move(options));
}

// Runs `chain` (a document stops at the first stage that drops it) over `texts`.
void RunStages(benchmark::State& state, const std::vector<std::string>& texts,
               const std::vector<const filter::FilterStage*>& chain) {
  if (texts.empty()) {
    state.SkipWithError("../shared/reference/datatrove absent");
    return;
  }
  std::vector<std::unique_ptr<filter::FilterState>> states;
  for (const filter::FilterStage* f : chain) states.push_back(f->NewState());
  size_t bytes = 0;
  for (const std::string& t : texts) bytes += t.size();
  // Documents go through in batches of about 4 MB, as in the pipeline: a batch's documents
  // (with their token memos) are built, judged and dropped before the next, so the working
  // set is one batch, not the whole corpus. Building them is not timed.
  constexpr size_t kBatchBytes = size_t{4} << 20;
  std::vector<Document> batch;
  for (auto _ : state) {
    size_t i = 0;
    while (i < texts.size()) {
      state.PauseTiming();
      batch.clear();
      size_t batch_bytes = 0;
      for (; i < texts.size() && batch_bytes < kBatchBytes; ++i) {
        batch.emplace_back();
        batch.back().text = texts[i];
        batch_bytes += texts[i].size();
      }
      state.ResumeTiming();
      for (Document& d : batch) {
        for (size_t k = 0; k < chain.size(); ++k) {
          if (!chain[k]->Decide(d, *states[k]).keep) break;
        }
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}

void Run(benchmark::State& state, const std::vector<std::string>& texts,
         const std::vector<std::string_view>& names) {
  std::vector<std::unique_ptr<filter::FilterStage>> stages;
  std::vector<const filter::FilterStage*> chain;
  for (std::string_view n : names) {
    stages.push_back(Make(n));
    chain.push_back(stages.back().get());
  }
  RunStages(state, texts, chain);
}

const std::vector<std::string_view> kChain = {"gopher_repetition", "gopher_quality", "c4_quality",
                                              "fineweb_quality"};

void BM_RealGopherRepetition(benchmark::State& s) {
  Run(s, bench::RealTexts(), {"gopher_repetition"});
}
void BM_RealGopherQuality(benchmark::State& s) { Run(s, bench::RealTexts(), {"gopher_quality"}); }
void BM_RealC4Quality(benchmark::State& s) { Run(s, bench::RealTexts(), {"c4_quality"}); }
void BM_RealFineWebQuality(benchmark::State& s) { Run(s, bench::RealTexts(), {"fineweb_quality"}); }
void BM_RealChain(benchmark::State& s) { Run(s, bench::RealTexts(), kChain); }
void BM_GeneratedChain(benchmark::State& s) { Run(s, bench::CorpusTexts(), kChain); }
BENCHMARK(BM_RealGopherRepetition)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealGopherQuality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealC4Quality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealFineWebQuality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealChain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedChain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Fixed iteration counts, for instruction-count profiling (callgrind).
void BM_RealChainFixed(benchmark::State& s) { Run(s, bench::RealTexts(), kChain); }
BENCHMARK(BM_RealChainFixed)->Iterations(1)->Name("BM_RealChainFixed/1");
BENCHMARK(BM_RealChainFixed)->Iterations(3)->Name("BM_RealChainFixed/3");

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

void BM_GeneratedChainFixed(benchmark::State& s) {
  static const std::vector<std::string> texts(bench::CorpusTexts().begin(),
                                              bench::CorpusTexts().begin() + 2000);
  Run(s, texts, kChain);
}
BENCHMARK(BM_GeneratedChainFixed)->Iterations(1)->Name("BM_GeneratedChainFixed/1");
BENCHMARK(BM_GeneratedChainFixed)->Iterations(3)->Name("BM_GeneratedChainFixed/3");

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Language ID and PII (issue 7's speed targets: 50 and 200 MB/s per core).
void RunOne(benchmark::State& state, const std::vector<std::string>& texts,
            const filter::FilterStage& stage) {
  RunStages(state, texts, {&stage});
}

// Generated documents with an e-mail address, an IP address and a phone number about every
// 600 bytes (several times what real web text has), some private and some in version strings.
const std::vector<std::string>& TextsWithPii() {
  static const std::vector<std::string> texts = [] {
    static constexpr std::string_view kPii[] = {" write to jane.doe@example.net today ",
                                                " from 93.184.216.34 ",
                                                " call +1 (415) 555-2671 now ",
                                                " on 10.0.0.7 inside ",
                                                " version 2.4.10.1 ",
                                                " at 2606:4700:4700::1111 ",
                                                " mail ops@mail.winnow-test.org ",
                                                " or 030 1234 5678 "};
    std::vector<std::string> out;
    size_t k = 0;
    for (const std::string& t : bench::CorpusTexts()) {
      std::string s;
      size_t at = 0;
      while (at < t.size()) {
        size_t cut = t.find(' ', std::min(t.size(), at + 600));
        if (cut == std::string::npos) {
          s.append(t, at);
          break;
        }
        s.append(t, at, cut - at);
        s.append(kPii[k++ % std::size(kPii)]);
        at = cut + 1;
      }
      out.push_back(std::move(s));
    }
    return out;
  }();
  return texts;
}

void BM_RealLanguageCld2(benchmark::State& s) {
  static auto stage = MakeWith("language", {});
  RunOne(s, bench::RealTexts(), *stage);
}
void BM_GeneratedLanguageCld2(benchmark::State& s) {
  static auto stage = MakeWith("language", {});
  RunOne(s, bench::CorpusTexts(), *stage);
}
void BM_GeneratedPii(benchmark::State& s) {
  static auto stage = MakeWith("pii", {});
  RunOne(s, bench::CorpusTexts(), *stage);
}
void BM_GeneratedPiiDense(benchmark::State& s) {
  static auto stage = MakeWith("pii", {});
  RunOne(s, TextsWithPii(), *stage);
}
void BM_GeneratedPiiDenseAllKinds(benchmark::State& s) {
  std::map<std::string, OptionValue> o;
  o["phones"].scalar = "true";
  o["skip_code"].scalar = "true";
  static auto stage = MakeWith("pii", o);
  RunOne(s, TextsWithPii(), *stage);
}
void BM_RealPii(benchmark::State& s) {
  static auto stage = MakeWith("pii", {});
  RunOne(s, bench::RealTexts(), *stage);
}
BENCHMARK(BM_RealLanguageCld2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedLanguageCld2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedPii)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedPiiDense)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedPiiDenseAllKinds)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealPii)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {
void BM_GeneratedPiiEmailsOnly(benchmark::State& s) {
  std::map<std::string, OptionValue> o;
  o["ips"].scalar = "false";
  static auto stage = MakeWith("pii", o);
  RunOne(s, TextsWithPii(), *stage);
}
void BM_GeneratedPiiIpsOnly(benchmark::State& s) {
  std::map<std::string, OptionValue> o;
  o["emails"].scalar = "false";
  static auto stage = MakeWith("pii", o);
  RunOne(s, TextsWithPii(), *stage);
}
BENCHMARK(BM_GeneratedPiiEmailsOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedPiiIpsOnly)->Unit(benchmark::kMillisecond);
}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Page anatomy (issue 6: at most 10% of the clean pipeline's time): the stage alone, and the
// clean pipeline's filter chain with and without it in front.
const std::vector<std::string_view> kCleanChain = {
    "language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"};
const std::vector<std::string_view> kAnatomyCleanChain = {
    "anatomy", "language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"};
void BM_RealAnatomy(benchmark::State& s) { Run(s, bench::RealTexts(), {"anatomy"}); }
void BM_GeneratedAnatomy(benchmark::State& s) { Run(s, bench::CorpusTexts(), {"anatomy"}); }
void BM_RealCleanChain(benchmark::State& s) { Run(s, bench::RealTexts(), kCleanChain); }
void BM_RealCleanChainWithAnatomy(benchmark::State& s) {
  Run(s, bench::RealTexts(), kAnatomyCleanChain);
}
void BM_GeneratedCleanChain(benchmark::State& s) { Run(s, bench::CorpusTexts(), kCleanChain); }
void BM_GeneratedCleanChainWithAnatomy(benchmark::State& s) {
  Run(s, bench::CorpusTexts(), kAnatomyCleanChain);
}
BENCHMARK(BM_RealAnatomy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedAnatomy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealCleanChain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RealCleanChainWithAnatomy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedCleanChain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeneratedCleanChainWithAnatomy)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Fixed iteration counts, for instruction counts (perf stat, callgrind).
void BM_RealAnatomyFixed(benchmark::State& s) { Run(s, bench::RealTexts(), {"anatomy"}); }
BENCHMARK(BM_RealAnatomyFixed)->Iterations(1)->Name("BM_RealAnatomyFixed/1");
BENCHMARK(BM_RealAnatomyFixed)->Iterations(21)->Name("BM_RealAnatomyFixed/21");
void BM_RealCleanChainFixed(benchmark::State& s) { Run(s, bench::RealTexts(), kCleanChain); }
void BM_RealCleanChainWithAnatomyFixed(benchmark::State& s) {
  Run(s, bench::RealTexts(), kAnatomyCleanChain);
}
BENCHMARK(BM_RealCleanChainFixed)->Iterations(3)->Name("BM_RealCleanChainFixed/3");
BENCHMARK(BM_RealCleanChainWithAnatomyFixed)
    ->Iterations(3)
    ->Name("BM_RealCleanChainWithAnatomyFixed/3");
// Generated documents (2,000 of them: comment threads, boilerplate, templated bots).
const std::vector<std::string>& Generated2k() {
  static const std::vector<std::string> texts(bench::CorpusTexts().begin(),
                                              bench::CorpusTexts().begin() + 2000);
  return texts;
}
void BM_GeneratedAnatomyFixed(benchmark::State& s) { Run(s, Generated2k(), {"anatomy"}); }
void BM_GeneratedCleanChainFixed(benchmark::State& s) { Run(s, Generated2k(), kCleanChain); }
void BM_GeneratedCleanChainWithAnatomyFixed(benchmark::State& s) {
  Run(s, Generated2k(), kAnatomyCleanChain);
}
BENCHMARK(BM_GeneratedAnatomyFixed)->Iterations(1)->Name("BM_GeneratedAnatomyFixed/1");
BENCHMARK(BM_GeneratedAnatomyFixed)->Iterations(3)->Name("BM_GeneratedAnatomyFixed/3");
BENCHMARK(BM_GeneratedCleanChainFixed)->Iterations(3)->Name("BM_GeneratedCleanChainFixed/3");
BENCHMARK(BM_GeneratedCleanChainWithAnatomyFixed)
    ->Iterations(3)
    ->Name("BM_GeneratedCleanChainWithAnatomyFixed/3");

}  // namespace
}  // namespace winnow
