#include "winnow/dedup/exact_dedup.h"

#include <gtest/gtest.h>

#include "winnow/dedup/key_table.h"

namespace winnow::dedup {
namespace {

Key128 Key(std::string_view s) {
  std::string scratch;
  return ExactKey(s, &scratch);
}

TEST(ExactKeyTest, WhitespaceDoesNotMatterButEverythingElseDoes) {
  EXPECT_EQ(Key("Hello  world.\nSecond line "), Key(" Hello world. Second\tline"));
  EXPECT_FALSE(Key("Hello world.") == Key("hello world."));
  EXPECT_FALSE(Key("Hello world.") == Key("Hello world!"));
  EXPECT_FALSE(Key("ab") == Key("a b"));
}

TEST(KeyTableTest, FirstIdWinsAndTheTableGrows) {
  KeyTable t;
  bool inserted = false;
  for (uint64_t i = 0; i < 100000; ++i) {
    std::string id = "doc-" + std::to_string(i);
    EXPECT_TRUE(t.FindOrInsert(Key128{i * 0x9E3779B97F4A7C15ULL, i}, id, &inserted).empty());
    ASSERT_TRUE(inserted);
  }
  EXPECT_EQ(t.size(), 100000u);
  std::string_view first = t.FindOrInsert(Key128{77 * 0x9E3779B97F4A7C15ULL, 77}, "later", &inserted);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(first, "doc-77");
  EXPECT_EQ(t.size(), 100000u);
}

TEST(ExactDedupTest, OrderedWorkerKeepsTheFirstCopy) {
  Result<Options> o = Options::Make(ExactDedup::Spec(), {});
  ASSERT_TRUE(o.ok());
  auto stage = ExactDedup::Create(*o);
  ASSERT_TRUE(stage.ok());
  EXPECT_EQ((*stage)->mode(), Stage::Mode::kOrdered);
  Counters counters;
  WorkerContext ctx;
  ctx.counters = &counters;
  auto worker = (*stage)->NewWorker(ctx);
  ASSERT_TRUE(worker.ok());
  Batch b;
  for (const char* t : {"a b", "c", "a  b", "c\n", "d"}) {
    Document d;
    d.id = "id" + std::to_string(b.docs.size());
    d.text = t;
    b.docs.push_back(std::move(d));
  }
  b.docs[4].reason = "length:too_few_words";  // already removed: ignored
  ASSERT_TRUE((*worker)->Prepare(b).ok());
  ASSERT_TRUE((*worker)->Process(b).ok());
  EXPECT_FALSE(b.docs[0].removed());
  EXPECT_FALSE(b.docs[1].removed());
  EXPECT_EQ(b.docs[2].reason, "exact:duplicate");
  EXPECT_EQ(b.docs[2].duplicate_of, "id0");
  EXPECT_EQ(b.docs[3].duplicate_of, "id1");
  EXPECT_EQ(b.docs[4].reason, "length:too_few_words");
  ASSERT_TRUE((*worker)->Finish().ok());
  EXPECT_EQ(counters.Get("exact.distinct_keys"), 2);
}

}  // namespace
}  // namespace winnow::dedup
