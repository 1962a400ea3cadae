// The tokenizer against datatrove's own words and sentences on 1,649 real documents
// (../shared/reference/datatrove/tokens.jsonl.zst). Acceptance: identical words on at least
// 99.9% of documents.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "testing/test_util.h"
#include "text/reference_data.h"
#include "winnow/text/simplify.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::text {
namespace {

using winnow::testing::DatatroveReferenceDir;
using winnow::testing::ReadDecoded;
using winnow::testing::SplitLines;

std::string Show(const std::vector<std::string_view>& a, size_t at) {
  std::string s;
  size_t from = at > 3 ? at - 3 : 0;
  for (size_t i = from; i < a.size() && i < at + 4; ++i) {
    s += '[';
    s += a[i];
    s += "] ";
  }
  return s;
}

TEST(SpacyTokenizerReferenceTest, WordsAndSentencesMatchDatatrove) {
  std::string dir = DatatroveReferenceDir();
  if (dir.empty())
    GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
  std::vector<winnow::testing::ReferenceDoc> inputs = winnow::testing::LoadReferenceInputs();
  std::vector<std::string> expected = SplitLines(ReadDecoded(dir + "/tokens.jsonl.zst"));
  ASSERT_EQ(inputs.size(), expected.size());

  const SpacyTokenizer& tok = SpacyTokenizer::English();
  TokenizerScratch scratch;
  simdjson::dom::parser parser;
  size_t word_mismatch = 0, sent_mismatch = 0;
  std::vector<std::string_view> words, sents;
  for (size_t d = 0; d < inputs.size(); ++d) {
    simdjson::dom::element e = parser.parse(expected[d]);
    ASSERT_EQ(std::string_view(e["id"]), inputs[d].id);
    std::vector<std::string_view> want_words, want_sents;
    for (simdjson::dom::element w : e["words"].get_array()) want_words.push_back(w.get_string());
    for (simdjson::dom::element s : e["sent_tokenize"].get_array())
      want_sents.push_back(s.get_string());
    tok.Words(inputs[d].text, scratch, &words);
    if (words != want_words) {
      ++word_mismatch;
      size_t at = 0;
      while (at < words.size() && at < want_words.size() && words[at] == want_words[at]) ++at;
      ADD_FAILURE() << inputs[d].id << ": words differ at " << at << "\n  got:  " << Show(words, at)
                    << "\n  want: " << Show(want_words, at);
    }
    tok.Sentences(inputs[d].text, scratch, &sents);
    EXPECT_EQ(tok.CountSentences(inputs[d].text, scratch), sents.size()) << inputs[d].id;
    if (sents != want_sents) {
      ++sent_mismatch;
      size_t at = 0;
      while (at < sents.size() && at < want_sents.size() && sents[at] == want_sents[at]) ++at;
      ADD_FAILURE() << inputs[d].id << ": sentences differ at " << at << " (got " << sents.size()
                    << ", want " << want_sents.size() << ")\n  got:  "
                    << (at < sents.size() ? std::string(sents[at]).substr(0, 200) : "<none>")
                    << "\n  want: "
                    << (at < want_sents.size() ? std::string(want_sents[at]).substr(0, 200)
                                               : "<none>");
    }
  }
  std::printf(
      "tokenizer vs datatrove: %zu/%zu documents with different words, %zu with different "
      "sentences\n",
      word_mismatch, inputs.size(), sent_mismatch);
}

// PlainWords() gives Words()' tokens wherever it accepts the text: on the simplified form of
// every reference document (what decontaminate tokenizes), on the raw texts (mostly refused),
// and on words that are special cases ("dont", "cannot", "gonna") or mix letters and digits.
TEST(SpacyTokenizerReferenceTest, PlainWordsEqualWordsWhereTheyApply) {
  std::string dir = DatatroveReferenceDir();
  if (dir.empty())
    GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
  const SpacyTokenizer& tok = SpacyTokenizer::English();
  TokenizerScratch scratch;
  std::vector<std::string_view> plain, full;
  std::string simplified;
  size_t accepted = 0, tried = 0;
  auto check = [&](std::string_view text, std::string_view what) {
    ++tried;
    if (!tok.PlainWords(text, scratch, &plain)) return;
    ++accepted;
    std::vector<std::string> got(plain.begin(), plain.end());
    tok.Words(text, scratch, &full);
    std::vector<std::string> want(full.begin(), full.end());
    EXPECT_EQ(got, want) << what;
  };
  for (const winnow::testing::ReferenceDoc& d : winnow::testing::LoadReferenceInputs()) {
    SimplifyText(d.text, &simplified);
    check(simplified, d.id);
    check(d.text, d.id + " (raw)");
  }
  for (std::string_view t : {"dont stop cant wont im youre gonna cannot", "covid19 0s 0km 4x4 mp3",
                             "a b c", "", "x", "ab  cd", " ab", "ab ", "caf\xC3\xA9 bar"}) {
    check(t, t);
  }
  std::printf("PlainWords accepted %zu of %zu texts\n", accepted, tried);
  EXPECT_GT(accepted, tried / 3);  // most simplified texts take the fast path
}

// The "word," and "(word" fast paths (ProbeMarks) give the rule engine's tokens: every
// document of the reference set and of ../shared/data/text, tokenized by English() and by the same
// rules without the fast paths, and special cases beside each mark ("cannot,", "Mr.", "(dont").
TEST(SpacyTokenizerReferenceTest, ClosingMarkFastPathEqualsTheRules) {
  const SpacyTokenizer& fast = SpacyTokenizer::English();
  Result<std::unique_ptr<SpacyTokenizer>> rules =
      SpacyTokenizer::FromRulesJson(SpacyTokenizer::EnglishRulesJson(), /*mark_fast_paths=*/false);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  TokenizerScratch fast_scratch, rules_scratch;
  std::vector<Token> got, want;
  size_t texts = 0;
  auto check = [&](std::string_view text, std::string_view what) {
    ++texts;
    fast.Tokenize(text, fast_scratch, &got);
    (*rules)->Tokenize(text, rules_scratch, &want);
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].In(text), want[i].In(text)) << what << " token " << i;
      ASSERT_EQ(got[i].space_after, want[i].space_after) << what << " token " << i;
    }
  };
  std::string probes;
  for (std::string_view word : {"cannot", "dont", "Mr", "etc", "a", "A", "USA", "It", "gonna", "wo",
                                "Jan", "vs", "St", "ca", "Ph", "x", "xY", "Xy", "ab"}) {
    for (char mark : {',', ';', ':', '!', '?', '.', ')', ']', '"'}) {
      probes += std::string(word) + mark + ' ';
    }
    for (char mark : {'(', '[', '"'}) probes += mark + std::string(word) + ' ';
  }
  check(probes, "special cases and marks");
  if (!DatatroveReferenceDir().empty()) {
    for (const winnow::testing::ReferenceDoc& d : winnow::testing::LoadReferenceInputs()) {
      check(d.text, d.id);
    }
  }
  const std::string shared = winnow::testing::SharedDataDir();
  simdjson::dom::parser parser;
  if (!shared.empty() && std::filesystem::is_directory(shared + "/text")) {
    for (const auto& f : std::filesystem::directory_iterator(shared + "/text")) {
      if (!f.path().string().ends_with(".jsonl.zst")) continue;
      for (const std::string& line : SplitLines(ReadDecoded(f.path().string()))) {
        std::string_view text;
        if (parser.parse(line)["text"].get(text) == simdjson::SUCCESS) {
          check(text, f.path().filename().string());
        }
      }
    }
  }
  std::printf("the closing-mark fast path and the rules agree on %zu texts\n", texts);
  if (texts == 1) GTEST_SKIP() << "../shared absent: only the probes were compared";
}

}  // namespace
}  // namespace winnow::text
