#include "winnow/gen/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "testing/test_util.h"

namespace winnow::gen {
namespace {

using winnow::testing::ReadDecoded;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;

TEST(GeneratorTest, SameSeedSameBytesWhateverTheThreads) {
  TempDir dir;
  GenOptions o;
  o.docs = 3000;
  o.seed = 9;
  o.output = dir / "a.jsonl.zst";
  o.truth = dir / "a.truth.jsonl";
  o.threads = 1;
  ASSERT_TRUE(GenerateCorpus(o).ok());
  o.output = dir / "b.jsonl.zst";
  o.truth = dir / "b.truth.jsonl";
  o.threads = 2;
  ASSERT_TRUE(GenerateCorpus(o).ok());
  EXPECT_EQ(ReadRaw(dir / "a.jsonl.zst"), ReadRaw(dir / "b.jsonl.zst"));
  EXPECT_EQ(ReadRaw(dir / "a.truth.jsonl"), ReadRaw(dir / "b.truth.jsonl"));
  o.seed = 10;
  o.output = dir / "c.jsonl.zst";
  ASSERT_TRUE(GenerateCorpus(o).ok());
  EXPECT_NE(ReadDecoded(dir / "a.jsonl.zst"), ReadDecoded(dir / "c.jsonl.zst"));
}

TEST(GeneratorTest, PlantsTheMixItPromises) {
  TempDir dir;
  GenOptions o;
  o.docs = 5000;
  o.output = dir / "c.jsonl";
  o.truth = dir / "t.jsonl";
  Result<GenStats> s = GenerateCorpus(o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->docs, 5000u);
  for (const char* kind : {"article", "exact_dup", "exact_ws_dup", "near_dup", "foreign",
                           "junk_links", "junk_spam", "junk_short", "junk_table"}) {
    EXPECT_GT(s->kinds[kind], 20u) << kind;
  }
  std::vector<std::string> lines = SplitLines(ReadRaw(dir / "c.jsonl"));
  std::vector<std::string> truth = SplitLines(ReadRaw(dir / "t.jsonl"));
  ASSERT_EQ(lines.size(), 5000u);
  ASSERT_EQ(truth.size(), 5000u);
  // Bot threads and comment headers are planted, and duplicates point backwards.
  size_t templated = 0, dups = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i].find("\"templated\":[[") != std::string::npos) ++templated;
    size_t at = truth[i].find("\"dup_of\":\"doc-");
    if (at == std::string::npos) continue;
    ++dups;
    uint64_t src = std::stoull(truth[i].substr(at + 14, 9));
    EXPECT_LT(src, i);
  }
  EXPECT_GT(templated, 100u);
  EXPECT_GT(dups, 500u);
}

TEST(GeneratorTest, DocumentsArePureFunctionsOfSeedAndIndex) {
  GeneratedDoc a, b;
  GenerateDocument(1, 1234, &a);
  GenerateDocument(1, 1234, &b);
  EXPECT_EQ(a.line, b.line);
  EXPECT_EQ(a.truth, b.truth);
  GenerateDocument(2, 1234, &b);
  EXPECT_NE(a.line, b.line);
}

}  // namespace
}  // namespace winnow::gen
