#include "winnow/dedup/repeated_lines.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace winnow::dedup {
namespace {

using winnow::testing::TempDir;

std::vector<std::string> Units(std::string_view text, bool paragraphs) {
  std::vector<std::string_view> u;
  SplitUnits(text, paragraphs, &u);
  return std::vector<std::string>(u.begin(), u.end());
}

TEST(RepeatedLinesTest, UnitsAndKeys) {
  EXPECT_EQ(Units("a\n\nb\n", false), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_EQ(Units("a\nb\n\n\nc", true), (std::vector<std::string>{"a\nb", "c"}));
  EXPECT_EQ(Units("", false), (std::vector<std::string>{""}));
  std::string scratch;
  std::vector<std::string_view> tokens;
  uint64_t k1, k2, k3;
  ASSERT_TRUE(UnitKey("Posted on 3 May 2021 | Share", 0, &scratch, &tokens, &k1));
  ASSERT_TRUE(UnitKey("posted on 7 may 1999 - SHARE!", 0, &scratch, &tokens, &k2));
  ASSERT_TRUE(UnitKey("Posted in May | Share", 0, &scratch, &tokens, &k3));
  EXPECT_EQ(k1, k2);
  EXPECT_NE(k1, k3);
  EXPECT_FALSE(UnitKey("  ---  ", 0, &scratch, &tokens, &k1));  // nothing left: never removed
  EXPECT_FALSE(UnitKey("Reply", 6, &scratch, &tokens, &k1));    // shorter than min_chars
  EXPECT_TRUE(UnitKey("Reply now", 6, &scratch, &tokens, &k1));
}

class Directory final : public DocDirectory {
 public:
  Status ForEach(const std::function<Status(DocRef, std::string_view)>&) const override {
    return Status::OK();
  }
  const std::vector<uint64_t>& shard_records() const override { return records_; }

 private:
  std::vector<uint64_t> records_{3};
};

Batch Docs(std::vector<std::string> texts) {
  Batch b;
  for (size_t i = 0; i < texts.size(); ++i) {
    Document d;
    d.id = "d";  // appended: GCC 12 warns falsely (-Wrestrict) on "d" + std::string
    d.id += std::to_string(i);
    d.text = texts[i];
    d.where = Provenance{0, i};
    b.docs.push_back(std::move(d));
  }
  return b;
}

Batch RunStage(const std::map<std::string, OptionValue>& given,
               const std::vector<std::string>& texts) {
  Result<Options> o = Options::Make(RepeatedLines::Spec(), given);
  EXPECT_TRUE(o.ok());
  auto stage = RepeatedLines::Create(*o);
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
  return out;
}

TEST(RepeatedLinesTest, FirstPolicyKeepsTheFirstOccurrenceOnly) {
  Batch b = RunStage({}, {"Menu\nOne story.\nMenu", "Menu\nAnother story.", "menu!"});
  EXPECT_EQ(b.docs[0].text, "Menu\nOne story.");  // a repeat within the first document goes too
  EXPECT_EQ(b.docs[1].text, "Another story.");
  EXPECT_EQ(b.docs[2].reason, "repeated_lines:empty");
  EXPECT_EQ(b.docs[0].signals.size(), 2u);
}

TEST(RepeatedLinesTest, BoilerplatePolicyNeedsEnoughDocuments) {
  std::map<std::string, OptionValue> o;
  o["policy"].scalar = "boilerplate";
  o["min_docs"].scalar = "3";
  Batch b = RunStage(o, {"Subscribe now\nA\nB", "Subscribe now\nC\nB", "subscribe NOW\nD"});
  EXPECT_EQ(b.docs[0].text, "A\nB");  // in 3 documents: removed everywhere; B in 2: kept
  EXPECT_EQ(b.docs[1].text, "C\nB");
  EXPECT_EQ(b.docs[2].text, "D");
}

}  // namespace
}  // namespace winnow::dedup
