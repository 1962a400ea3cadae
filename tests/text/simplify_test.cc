// The MinHash normalisations: datatrove's simplify_text against its own output on 1,649 real
// documents (../shared/reference/datatrove/tokens.jsonl.zst: "simplified" and the words of it),
// and winnow's native folding against the near-duplicate benchmark's tricky-Unicode vectors
// (../shared/data/neardup_mini/shingle_test_vectors.jsonl).
#include "winnow/text/simplify.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>

#include "testing/test_util.h"
#include "text/reference_data.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::text {
namespace {

using winnow::testing::DatatroveReferenceDir;
using winnow::testing::ReadDecoded;
using winnow::testing::SplitLines;

std::string Simplify(std::string_view s) {
  std::string out;
  SimplifyText(s, &out);
  return out;
}

TEST(SimplifyTextTest, DatatroveSteps) {
  EXPECT_EQ(Simplify("  Hello,   World!\n\tIt's 3.14 or 1,000,000 and 42.  "),
            "hello world it s 0 or 0 0 and 0");
  EXPECT_EQ(Simplify("a1b2c"), "a0b0c");    // digits inside words are numbers too
  EXPECT_EQ(Simplify("x. 5. y"), "x 0 y");  // a separator needs a digit after it
  EXPECT_EQ(Simplify("Café naïve ÉCOLE"), "cafe naive ecole");  // NFD, marks dropped
  EXPECT_EQ(Simplify("İstanbul"), "istanbul");                  // U+0130 -> i + U+0307 -> i
  EXPECT_EQ(Simplify("ΟΔΟΣ ΣΑΣ Σ"), "οδος σας σ");              // final sigma after a cased letter
  EXPECT_EQ(Simplify("٣٤٥ and ٣٫٥"), "0 and 0");  // any script's digits, Arabic separator
  EXPECT_EQ(Simplify("“quoted” — dash… «guillemets»"), "quoted dash guillemets");
  EXPECT_EQ(Simplify("tab\there\u00A0nbsp\u2003em"), "tab here nbsp em");
  EXPECT_EQ(Simplify("\u0301 leading mark"), "leading mark");
  EXPECT_EQ(Simplify(""), "");
  EXPECT_EQ(Simplify(" ... !!! "), "");
}

TEST(SimplifyTextTest, MatchesDatatroveOnReferenceDocuments) {
  std::string dir = DatatroveReferenceDir();
  if (dir.empty())
    GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
  std::vector<winnow::testing::ReferenceDoc> inputs = winnow::testing::LoadReferenceInputs();
  std::vector<std::string> expected = SplitLines(ReadDecoded(dir + "/tokens.jsonl.zst"));
  ASSERT_EQ(inputs.size(), expected.size());
  const SpacyTokenizer& tok = SpacyTokenizer::English();
  TokenizerScratch scratch;
  simdjson::dom::parser parser;
  size_t text_mismatch = 0, word_mismatch = 0;
  std::string simplified;
  std::vector<std::string_view> words;
  for (size_t d = 0; d < inputs.size(); ++d) {
    simdjson::dom::element e = parser.parse(expected[d]);
    ASSERT_EQ(std::string_view(e["id"]), inputs[d].id);
    SimplifyText(inputs[d].text, &simplified);
    std::string_view want = e["simplified"];
    if (simplified != want) {
      ++text_mismatch;
      size_t at = 0;
      while (at < simplified.size() && at < want.size() && simplified[at] == want[at]) ++at;
      size_t from = at > 30 ? at - 30 : 0;
      ADD_FAILURE() << inputs[d].id << ": simplified text differs at byte " << at
                    << "\n  got:  " << simplified.substr(from, 80)
                    << "\n  want: " << want.substr(from, 80);
    }
    std::vector<std::string_view> want_words;
    for (simdjson::dom::element w : e["simplified_words"].get_array())
      want_words.push_back(w.get_string());
    tok.Words(simplified, scratch, &words);
    if (words != want_words) ++word_mismatch;
  }
  EXPECT_EQ(word_mismatch, 0u);
  std::printf("simplify_text vs datatrove: %zu/%zu documents differ (words: %zu)\n", text_mismatch,
              inputs.size(), word_mismatch);
}

// The 16-byte path for letters and single spaces (SSE2) writes what the byte-by-byte path
// does (SimplifyText with origins takes it): random strings of letters, spaces, punctuation,
// newlines, digits and a non-ASCII letter, whose runs straddle the 16-byte blocks.
TEST(SimplifyTextTest, BlockPathEqualsTheBytePath) {
  const std::string_view alphabet[] = {"a",     "b",     "Z",  " ", " ",        "  ",
                                       ",",     ".",     "\n", "7", "\xC3\xA9", "\xE2\x80\x99",
                                       "word ", "Word, "};
  uint64_t x = 88172645463325252ULL;  // xorshift64: the same strings on every run
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  std::string text, plain, mapped;
  std::vector<std::pair<uint32_t, uint32_t>> origins;
  for (int k = 0; k < 20000; ++k) {
    text.clear();
    const size_t pieces = next() % 40;
    for (size_t p = 0; p < pieces; ++p) text += alphabet[next() % std::size(alphabet)];
    SimplifyText(text, &plain);
    SimplifyText(text, &mapped, &origins);
    ASSERT_EQ(plain, mapped) << "input: [" << text << "]";
  }
  SimplifyText("  hello   world  again and again and again ", &plain);
  EXPECT_EQ(plain, "hello world again and again and again");
}

TEST(FoldTokensTest, NearDuplicateBenchmarkVectors) {
  std::string data = winnow::testing::SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data is absent: shingle vectors skipped";
  std::ifstream in(data + "/neardup_mini/shingle_test_vectors.jsonl");
  ASSERT_TRUE(in) << "missing neardup_mini/shingle_test_vectors.jsonl";
  simdjson::dom::parser parser;
  std::string line, folded;
  std::vector<std::string_view> tokens;
  size_t cases = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element e = parser.parse(line);
    if (e["text"].error()) continue;  // the file ends with pair Jaccard checks
    FoldTokens(std::string_view(e["text"]), &folded, &tokens);
    std::vector<std::string_view> want;
    for (simdjson::dom::element t : e["tokens"].get_array()) want.push_back(t.get_string());
    EXPECT_EQ(tokens, want) << std::string_view(e["text"]);
    ++cases;
  }
  EXPECT_GE(cases, 5u);
}

TEST(FoldTokensTest, FoldsAndSplits) {
  std::string folded;
  std::vector<std::string_view> tokens;
  FoldTokens("Straße—MASSE; x_y 3½ ﬁne", &folded, &tokens);
  EXPECT_EQ(tokens, (std::vector<std::string_view>{"strasse", "masse", "x", "y", "3½", "fine"}));
  FoldTokens("", &folded, &tokens);
  EXPECT_TRUE(tokens.empty());
  FoldTokens(" \t!!", &folded, &tokens);
  EXPECT_TRUE(tokens.empty());
}

}  // namespace
}  // namespace winnow::text
