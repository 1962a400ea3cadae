// sentence_dedup on small texts: which spans are duplicates (case, punctuation and numbers
// ignored), how the text is rebuilt, the too-short rule, and saved decisions. The decisions on
// real text, against the real datatrove, are tests/dedup/sentence_dedup_datatrove_test.sh.
#include "winnow/dedup/sentence_dedup.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace winnow::dedup {
namespace {

using winnow::testing::TempDir;

class Directory final : public DocDirectory {
 public:
  Status ForEach(const std::function<Status(DocRef, std::string_view)>&) const override {
    return Status::OK();
  }
  const std::vector<uint64_t>& shard_records() const override { return records_; }

 private:
  std::vector<uint64_t> records_{4};
};

Batch Docs(const std::vector<std::string>& texts) {
  Batch b;
  for (size_t i = 0; i < texts.size(); ++i) {
    Document d;
    d.id = std::to_string(i);
    d.text = texts[i];
    d.where = Provenance{0, i};
    b.docs.push_back(std::move(d));
  }
  return b;
}

// Maps `texts`, groups, and applies the decisions (and the decisions saved and loaded back)
// to fresh copies; both must agree.
Batch RunStage(std::map<std::string, OptionValue> given, const std::vector<std::string>& texts) {
  Result<Options> o = Options::Make(SentenceDedup::Spec(), std::move(given));
  EXPECT_TRUE(o.ok());
  auto stage = SentenceDedup::Create(*o);
  EXPECT_TRUE(stage.ok());
  TempDir work;
  EXPECT_TRUE((*stage)->Begin(GlobalContext{work.path(), 1 << 20, 1}).ok());
  auto mapper = (*stage)->NewMapper(WorkerContext{});
  Batch b = Docs(texts);
  EXPECT_TRUE((*mapper)->Map(b).ok());
  EXPECT_TRUE((*mapper)->Finish().ok());
  Directory dir;
  auto decisions = (*stage)->Group(dir, {}, nullptr);
  EXPECT_TRUE(decisions.ok());
  Batch out = Docs(texts);
  EXPECT_TRUE((*decisions)->Apply(out).ok());
  std::string saved;
  (*decisions)->Save(&saved);
  auto loaded = (*stage)->LoadDecisions(saved);
  EXPECT_TRUE(loaded.ok());
  Batch again = Docs(texts);
  EXPECT_TRUE((*loaded)->Apply(again).ok());
  for (size_t i = 0; i < out.docs.size(); ++i) {
    EXPECT_EQ(out.docs[i].text, again.docs[i].text);
    EXPECT_EQ(out.docs[i].reason, again.docs[i].reason);
  }
  EXPECT_FALSE((*stage)->LoadDecisions(saved + "x").ok());
  return out;
}

std::map<std::string, OptionValue> NoMinimums() {
  std::map<std::string, OptionValue> o;
  o["min_doc_words"].scalar = "0";
  o["min_num_sentences"].scalar = "0";
  return o;
}

TEST(SentenceDedupTest, RemovesLaterCopiesOfThreeSentenceSpans) {
  const std::string a =
      "The cat sat on the mat. The dog ran far away. Birds sang in the trees. Rain fell.";
  const std::string b =
      "Intro words here. The cat sat on the mat. The dog ran far away. Birds sang in the trees. "
      "Outro sentence.";
  // Other case, punctuation and numbers: the same span once simplified.
  const std::string c = "THE CAT SAT ON THE MAT! The dog ran far away. Birds sang in the trees!";
  const std::string d = "One. Two. Three. One. Two. Three.";  // a repeat within one document
  Batch out = RunStage(NoMinimums(), {a, b, c, d});
  EXPECT_EQ(out.docs[0].text, a);  // the first occurrence stays
  EXPECT_FALSE(out.docs[0].removed());
  EXPECT_EQ(out.docs[1].text, "Intro words here. Outro sentence.");
  EXPECT_EQ(out.docs[2].reason, "sentence_dedup:too_short");  // nothing left
  EXPECT_EQ(out.docs[3].text, "One. Two. Three.");
}

TEST(SentenceDedupTest, EditedDocumentsNeedEnoughWordsAndSentences) {
  std::string words;
  for (int i = 0; i < 60; ++i) words += "word" + std::to_string(i % 7) + " ";
  const std::string a = "Alpha one. Beta two. Gamma three.";
  const std::string longer = "Alpha one. Beta two. Gamma three. " + words + ". Second. Third.";
  const std::string shorter = "Alpha one. Beta two. Gamma three. Just this. And that. Done.";
  Batch out = RunStage({}, {a, longer, shorter, "Alpha one. Beta two."});
  EXPECT_FALSE(out.docs[0].removed());                        // unchanged: no minimums apply
  EXPECT_FALSE(out.docs[1].removed());                        // 60 words and 3 sentences left
  EXPECT_EQ(out.docs[2].reason, "sentence_dedup:too_short");  // 6 words left
  EXPECT_EQ(out.docs[3].text, "Alpha one. Beta two.");        // fewer than 3 sentences: no span
  EXPECT_EQ(out.docs[1].signals.back().name, "duplicate_sentences_removed");
  EXPECT_EQ(out.docs[1].signals.back().value, 3);
}

TEST(SentenceDedupTest, SpanHashesAreOfSimplifiedSentences) {
  std::vector<std::pair<uint64_t, uint32_t>> h, other;
  SentenceSpanHashes("One. Two.", 3, &h);
  EXPECT_TRUE(h.empty());  // fewer sentences than a span
  SentenceSpanHashes("One. Two. Three. Four.", 3, &h);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].second, 0u);
  EXPECT_EQ(h[1].second, 1u);
  // Case, punctuation and numbers do not count (simplify_text); words do.
  SentenceSpanHashes("Room 12 is open. Two. Three.", 3, &h);
  SentenceSpanHashes("ROOM 99 IS OPEN! two? three.", 3, &other);
  ASSERT_EQ(h.size(), 1u);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(h[0].first, other[0].first);
  SentenceSpanHashes("Room 12 is shut. Two. Three.", 3, &other);
  EXPECT_NE(h[0].first, other[0].first);
}

}  // namespace
}  // namespace winnow::dedup
