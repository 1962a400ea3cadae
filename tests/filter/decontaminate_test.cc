// decontaminate's index and its errors. Its decisions on real text, against the real
// datatrove and the definition, are tests/filter/decontaminate_datatrove_test.sh.
#include "winnow/filter/decontaminate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "testing/test_util.h"

namespace winnow::filter {
namespace {

TEST(NGramIndexTest, KeepsTheFirstSourceThroughGrowth) {
  NGramIndex index;
  for (uint64_t h = 1; h <= 100000; ++h) index.Add(h * 0x9E3779B97F4A7C15ULL, h % 7);
  index.Add(0, 3);  // the empty-slot marker is a hash like any other
  index.Add(0, 4);
  index.Add(0x9E3779B97F4A7C15ULL, 6);  // again: the first source stays
  EXPECT_EQ(index.size(), 100000u);
  EXPECT_EQ(index.Find(0x9E3779B97F4A7C15ULL), 1);
  EXPECT_EQ(index.Find(77 * 0x9E3779B97F4A7C15ULL), 0);
  EXPECT_EQ(index.Find(0), 3);
  EXPECT_EQ(index.Find(100001 * 0x9E3779B97F4A7C15ULL), -1);
  // The Bloom filter in front answers the same.
  index.Seal();
  for (uint64_t h = 1; h <= 100000; ++h) {
    ASSERT_EQ(index.Find(h * 0x9E3779B97F4A7C15ULL), static_cast<int64_t>(h % 7));
  }
  EXPECT_EQ(index.Find(0), 3);
  int found = 0;
  for (uint64_t h = 100001; h <= 200000; ++h) found += index.Find(h * 0x9E3779B97F4A7C15ULL) >= 0;
  EXPECT_EQ(found, 0);
}

TEST(NGramIndexTest, NGramsAreOfNormalisedWords) {
  NGramScratch scratch;
  std::vector<uint64_t> a, b, c;
  NGramHashes("The 3 cats sat, quietly!", 3, scratch, &a);
  NGramHashes("the 7 CATS sat quietly", 3, scratch, &b);
  NGramHashes("the 7 dogs sat quietly", 3, scratch, &c);
  ASSERT_EQ(a.size(), 3u);  // the 0 cats sat quietly: 5 words
  EXPECT_EQ(a, b);
  for (uint64_t h : c) {  // every 3-gram has "cats" or "dogs" in it
    EXPECT_EQ(std::find(a.begin(), a.end(), h), a.end());
  }
  NGramHashes("two words", 3, scratch, &a);
  EXPECT_TRUE(a.empty());
}

// The rolled word hashes (winnow's own indexes) give each n-gram the hash it has alone, so
// equal runs of words match wherever they stand; a permutation of the words is another n-gram.
TEST(NGramIndexTest, RolledHashesAreEachNGramsOwn) {
  NGramScratch scratch;
  std::vector<uint64_t> all, one;
  const std::vector<std::string> words = {"alpha", "beta",  "gamma",   "delta", "alpha",
                                          "beta",  "gamma", "epsilon", "zeta"};
  std::string text;
  for (const auto& w : words) text += w + " ";
  NGramHashes(text, 3, scratch, &all, false, NGramHash::kWords);
  ASSERT_EQ(all.size(), words.size() - 2);
  for (size_t i = 0; i + 3 <= words.size(); ++i) {
    NGramHashes(words[i] + " " + words[i + 1] + " " + words[i + 2], 3, scratch, &one, false,
                NGramHash::kWords);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(all[i], one[0]) << i;
  }
  EXPECT_EQ(all[0], all[4]);  // "alpha beta gamma" twice
  NGramHashes("beta alpha gamma", 3, scratch, &one, false, NGramHash::kWords);
  EXPECT_NE(one[0], all[0]);
  EXPECT_EQ(std::set<uint64_t>(all.begin(), all.end()).size(), all.size() - 1);
}

OptionValue Scalar(std::string s) {
  OptionValue v;
  v.scalar = std::move(s);
  return v;
}

Result<std::unique_ptr<Decontaminate>> Make(OptionMap given) {
  WINNOW_ASSIGN_OR_RETURN(Options o, Options::Make(Decontaminate::Spec(), std::move(given)));
  return Decontaminate::Create(o);
}

TEST(DecontaminateTest, FindsBenchmarkRunsAndSaysWhich) {
  testing::TempDir dir;
  testing::WriteFile(
      dir.path() + "/qa.jsonl",
      "{\"id\": \"q1\", \"question\": \"What is the boiling point of water at sea level?\"}\n"
      "{\"id\": \"q2\", \"question\": \"Short one.\"}\n");
  auto f = Make({{"benchmarks", Scalar(dir.path() + "/qa.jsonl")},
                 {"field", Scalar("question")},
                 {"n", Scalar("5")}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Document hit, miss;
  hit.text = "Students asked: what is the BOILING point of water, again?";
  miss.text = "What is the melting point of ice at high altitude?";  // 3 words in common
  const Decision d = (*f)->Check(hit);
  EXPECT_EQ(d.reason, "decontaminate:benchmark_ngram");
  ASSERT_EQ(hit.fields.size(), 2u);
  EXPECT_EQ(hit.fields[0].second, "qa:q1");
  EXPECT_EQ(hit.fields[1].second, "what is the boiling point");
  EXPECT_TRUE((*f)->Check(miss).keep);
}

TEST(DecontaminateTest, RemoveNgramsCutsTheMatchingText) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() + "/qa.jsonl",
                     "{\"id\": \"q1\", \"text\": \"What is the boiling point of water at sea "
                     "level?\"}\n"
                     "{\"id\": \"q2\", \"text\": \"It cost 1,234.5 dollars in caf\u00e9 "
                     "M\u00fcller today\"}\n");
  auto f = Make({{"benchmarks", Scalar(dir.path() + "/qa.jsonl")},
                 {"n", Scalar("5")},
                 {"mode", Scalar("remove_ngrams")}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Document doc;
  doc.text = "Intro text. What is the BOILING point of water, again? Outro text.";
  EXPECT_TRUE((*f)->Check(doc).keep);
  EXPECT_EQ(doc.text, "Intro text. , again? Outro text.");
  EXPECT_EQ(doc.signals.back().name, "contaminated_ngrams");
  EXPECT_EQ(doc.signals.back().value, 3);  // three overlapping 5-grams, one cut
  // Numbers (one "0" for "9,999.0") and accents (dropped by simplify_text) map back whole.
  Document other;
  other.text = "Prices: it COST 9,999.0 dollars in Cafe\u0301 Muller today! Next.";
  EXPECT_TRUE((*f)->Check(other).keep);
  EXPECT_EQ(other.text, "Prices: ! Next.");
  // Nothing left but punctuation: removed.
  Document all;
  all.text = "what is the boiling point of water?";
  EXPECT_EQ((*f)->Check(all).reason, "decontaminate:benchmark_ngram");
  // annotate reports without editing.
  Document seen;
  seen.text = doc.text = "Intro text. What is the BOILING point of water, again? Outro text.";
  std::unique_ptr<FilterState> state = (*f)->NewState();
  EXPECT_TRUE((*f)->Annotate(seen, *state).keep);
  EXPECT_EQ(seen.text, doc.text);
}

TEST(DecontaminateTest, BadSourcesAreErrorsNamingThem) {
  testing::TempDir dir;
  EXPECT_FALSE(Make({}).ok());  // nothing to decontaminate against
  testing::WriteFile(dir.path() + "/bad.index.hashes", std::string(12, 'x'));
  auto odd = Make({{"indexes", Scalar(dir.path() + "/bad.index.hashes")}});
  ASSERT_FALSE(odd.ok());
  EXPECT_NE(odd.status().message().find("bad.index.hashes"), std::string::npos);
  testing::WriteFile(dir.path() + "/broken.jsonl", "{\"text\": \"fine words here\"}\n{not json\n");
  auto broken = Make({{"benchmarks", Scalar(dir.path() + "/broken.jsonl")}});
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("broken.jsonl:2"), std::string::npos)
      << broken.status().ToString();
}

}  // namespace
}  // namespace winnow::filter
