// The four quality filters against datatrove 0.10's decisions on 1,649 real documents
// (../shared/reference/datatrove/filters.jsonl.zst). Acceptance: at least 99.5% exact
// decision and reason per filter; every disagreement is printed.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "testing/test_util.h"
#include "text/reference_data.h"
#include "winnow/core/registry.h"
#include "winnow/filter/c4_quality.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/filter/register.h"
#include "winnow/text/document_tokens.h"

namespace winnow::filter {
namespace {

using winnow::testing::DatatroveReferenceDir;
using winnow::testing::ReadDecoded;
using winnow::testing::SplitLines;

struct Expected {
  bool keep;
  std::string reason;
};

std::unique_ptr<FilterStage> Make(const StageRegistry& r, std::string_view name,
                                  std::map<std::string, OptionValue> options = {}) {
  Result<std::unique_ptr<Stage>> s = r.Create(name, std::move(options));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::unique_ptr<FilterStage>(static_cast<FilterStage*>(s->release()));
}

std::string ReasonOf(const Decision& d) {
  if (d.keep) return "";
  return std::string(d.reason.substr(d.reason.find(':') + 1));
}

class FilterReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = DatatroveReferenceDir();
    if (dir.empty())
      GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
    docs_ = winnow::testing::LoadReferenceInputs();
    expected_ = SplitLines(ReadDecoded(dir + "/filters.jsonl.zst"));
    ASSERT_EQ(docs_.size(), expected_.size());
    RegisterStages(registry_);
  }

  Expected ExpectedOf(size_t i, const char* filter) {
    simdjson::dom::element e = parser_.parse(expected_[i]);
    Expected x;
    x.keep = bool(e[filter]["keep"]);
    x.reason =
        e[filter]["reason"].is_null() ? "" : std::string(std::string_view(e[filter]["reason"]));
    return x;
  }

  // Runs `filter` alone on every document; returns the number of disagreements.
  size_t Compare(const char* filter) {
    auto stage = Make(registry_, filter);
    std::unique_ptr<FilterState> state = stage->NewState();
    size_t bad = 0;
    for (size_t i = 0; i < docs_.size(); ++i) {
      Document d;
      d.text = docs_[i].text;
      Decision got = stage->Decide(d, *state);
      Expected want = ExpectedOf(i, filter);
      if (got.keep != want.keep || ReasonOf(got) != want.reason) {
        ++bad;
        ADD_FAILURE() << filter << " " << docs_[i].id << ": got "
                      << (got.keep ? "keep" : ReasonOf(got)) << ", datatrove "
                      << (want.keep ? "keep" : want.reason);
      }
    }
    std::printf("%s: %zu/%zu disagreements with datatrove\n", filter, bad, docs_.size());
    return bad;
  }

  std::vector<winnow::testing::ReferenceDoc> docs_;
  std::vector<std::string> expected_;
  StageRegistry registry_;
  simdjson::dom::parser parser_;
};

TEST_F(FilterReferenceTest, GopherQuality) {
  EXPECT_LE(Compare("gopher_quality"), docs_.size() / 200);
}
TEST_F(FilterReferenceTest, GopherRepetition) {
  EXPECT_LE(Compare("gopher_repetition"), docs_.size() / 200);
}
TEST_F(FilterReferenceTest, C4Quality) { EXPECT_LE(Compare("c4_quality"), docs_.size() / 200); }
TEST_F(FilterReferenceTest, FineWebQuality) {
  EXPECT_LE(Compare("fineweb_quality"), docs_.size() / 200);
}

TEST_F(FilterReferenceTest, C4TextChangedAsDatatrove) {
  auto stage = Make(registry_, "c4_quality");
  auto* c4 = static_cast<C4QualityFilter*>(stage.get());
  std::unique_ptr<FilterState> state = c4->NewState();
  size_t bad = 0;
  for (size_t i = 0; i < docs_.size(); ++i) {
    Document d;
    d.text = docs_[i].text;
    std::string kept;
    Decision got = c4->Evaluate(d, *state, &kept);
    simdjson::dom::element e = parser_.parse(expected_[i]);
    bool want_changed = bool(e["c4_text_changed"]);
    // datatrove assigns the new text only to kept documents.
    bool changed = got.keep && kept != docs_[i].text;
    if (changed != want_changed) {
      ++bad;
      ADD_FAILURE() << docs_[i].id << ": text changed " << changed << ", datatrove "
                    << want_changed;
    }
  }
  EXPECT_LE(bad, docs_.size() / 200);
}

TEST_F(FilterReferenceTest, C4HandsOnTheTokensOfItsNewText) {
  // C4 builds the edited text's tokens from the kept lines' tokens; they must be exactly what
  // tokenizing the new text gives.
  auto stage = Make(registry_, "c4_quality",
                    {{"filter_no_terminal_punct", OptionValue{"false", {}, false}}});
  std::unique_ptr<FilterState> state = stage->NewState();
  text::TokenizerScratch tokenizer_scratch;
  const text::SpacyTokenizer& tok = text::SpacyTokenizer::English();
  text::TokenizerScratch fresh_scratch;
  size_t checked = 0;
  for (const auto& input : docs_) {
    Document d;
    d.text = input.text;
    if (!stage->Decide(d, *state).keep || d.text == input.text) continue;
    const std::vector<text::Token>& handed = text::DocumentTokens(d, tok, tokenizer_scratch);
    std::vector<text::Token> fresh;
    tok.Tokenize(d.text, fresh_scratch, &fresh);
    ASSERT_EQ(handed.size(), fresh.size()) << input.id;
    for (size_t i = 0; i < fresh.size(); ++i) {
      ASSERT_EQ(handed[i].begin, fresh[i].begin) << input.id << " token " << i;
      ASSERT_EQ(handed[i].end, fresh[i].end) << input.id << " token " << i;
      ASSERT_EQ(handed[i].is_space, fresh[i].is_space) << input.id << " token " << i;
    }
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

TEST_F(FilterReferenceTest, ChainInFineWebOrder) {
  // The chain as datatrove ran it: each filter with its defaults, in FineWeb's order, C4's
  // edited text flowing into FineWeb.
  std::vector<std::unique_ptr<FilterStage>> chain;
  for (const char* f : {"gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"}) {
    chain.push_back(Make(registry_, f));
  }
  std::vector<std::unique_ptr<FilterState>> states;
  for (auto& f : chain) states.push_back(f->NewState());
  size_t bad = 0;
  for (size_t i = 0; i < docs_.size(); ++i) {
    Document d;
    d.text = docs_[i].text;
    std::string dropped_by, reason;
    for (size_t k = 0; k < chain.size(); ++k) {
      auto& f = chain[k];
      Decision got = f->Decide(d, *states[k]);
      if (!got.keep) {
        dropped_by = std::string(f->name());
        reason = ReasonOf(got);
        break;
      }
    }
    simdjson::dom::element e = parser_.parse(expected_[i]);
    std::string want_by = e["chain"]["dropped_by"].is_null()
                              ? ""
                              : std::string(std::string_view(e["chain"]["dropped_by"]));
    std::string want_reason =
        e["chain"]["reason"].is_null() ? "" : std::string(std::string_view(e["chain"]["reason"]));
    if (dropped_by != want_by || reason != want_reason) {
      ++bad;
      ADD_FAILURE() << docs_[i].id << ": chain " << dropped_by << "/" << reason << ", datatrove "
                    << want_by << "/" << want_reason;
    }
  }
  std::printf("chain: %zu/%zu disagreements\n", bad, docs_.size());
  EXPECT_LE(bad, docs_.size() / 200);
}

}  // namespace
}  // namespace winnow::filter

// `winnow annotate` end to end (executor in annotate mode, parallel, output file) with
// datatrove's defaults, diffed against datatrove's own decisions.
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::filter {
namespace {

TEST_F(FilterReferenceTest, AnnotateWithDatatroveDefaultsMatchesDatatrove) {
  Result<pipeline::RunConfig> cfg =
      pipeline::LoadConfig(std::string(WINNOW_SOURCE_DIR) + "/configs/datatrove_defaults.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  winnow::testing::TempDir dir;
  cfg->inputs = {DatatroveReferenceDir() + "/input.jsonl.zst"};
  cfg->annotate = true;
  cfg->annotate_output = dir / "decisions.jsonl";
  cfg->compress = false;
  cfg->threads = 2;
  Result<pipeline::RunStats> stats =
      pipeline::RunPipeline(*cfg, pipeline::BuiltinStages(), "annotate");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  std::vector<std::string> lines = SplitLines(winnow::testing::ReadRaw(dir / "decisions.jsonl"));
  ASSERT_EQ(lines.size(), docs_.size());
  simdjson::dom::parser p;
  size_t bad = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::element got = p.parse(lines[i]);
    ASSERT_EQ(std::string_view(got["id"]), docs_[i].id);
    for (const char* f : {"gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality"}) {
      simdjson::dom::element g = got["winnow"]["filters"][f];
      Expected want = ExpectedOf(i, f);
      std::string reason = g["reason"].is_null() ? "" : std::string(std::string_view(g["reason"]));
      if (bool(g["keep"]) != want.keep || reason != want.reason) {
        ++bad;
        ADD_FAILURE() << docs_[i].id << " " << f << ": " << reason << " vs " << want.reason;
      }
    }
  }
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace winnow::filter
