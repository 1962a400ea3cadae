#include "winnow/dedup/exact_dedup.h"

#include <gtest/gtest.h>

#include <random>

#include "testing/test_util.h"
#include "winnow/dedup/removal_set.h"
#include "winnow/dedup/sorted_runs.h"

namespace winnow::dedup {
namespace {

using winnow::testing::TempDir;

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

// The same records through any budget and any number of writers come out in one order.
TEST(SortedRunsTest, SpilledMergeEqualsInMemorySort) {
  std::mt19937_64 rng(3);
  std::vector<KeyRecord> records(200000);
  for (auto& r : records) r = KeyRecord{rng() % 1000, rng(), rng()};
  std::vector<KeyRecord> want = records;
  std::sort(want.begin(), want.end());
  for (uint64_t budget : {uint64_t{1} << 30, uint64_t{100000}}) {
    for (int writers : {1, 3}) {
      TempDir dir;
      SortedRuns runs(dir.path(), budget, writers);
      std::vector<std::unique_ptr<SortedRuns::Writer>> w;
      for (int i = 0; i < writers; ++i) w.push_back(runs.NewWriter());
      for (size_t i = 0; i < records.size(); ++i) w[i % w.size()]->Add(records[i]);
      for (auto& x : w) ASSERT_TRUE(x->Finish().ok());
      std::vector<KeyRecord> got;
      ASSERT_TRUE(runs.Merge([&](const KeyRecord& r) {
                        got.push_back(r);
                        return Status::OK();
                      })
                      .ok());
      EXPECT_EQ(got, want) << "budget " << budget << " writers " << writers;
      EXPECT_EQ(runs.records(), records.size());
      if (budget < 1000000) {
        EXPECT_GT(runs.spilled_bytes(), 0u);
      }
    }
  }
}

class FakeDirectory final : public DocDirectory {
 public:
  std::vector<std::pair<DocRef, std::string>> docs;
  std::vector<uint64_t> records;
  Status ForEach(const std::function<Status(DocRef, std::string_view)>& fn) const override {
    for (const auto& [d, id] : docs) WINNOW_RETURN_IF_ERROR(fn(d, id));
    return Status::OK();
  }
  const std::vector<uint64_t>& shard_records() const override { return records; }
};

TEST(ExactDedupTest, KeepsTheFirstCopyAcrossShardsWhateverTheMappingOrder) {
  Result<Options> o = Options::Make(ExactDedup::Spec(), {});
  ASSERT_TRUE(o.ok());
  // Two shards; shard 1 is mapped before shard 0 (as another thread or rank may do).
  Batch shard0, shard1;
  shard0.shard = 0;
  shard1.shard = 1;
  const char* texts0[] = {"a b", "c", "a  b", "d"};
  const char* texts1[] = {"c\n", "e", " a b"};
  FakeDirectory dir;
  for (uint32_t s = 0; s < 2; ++s) {
    Batch& b = s == 0 ? shard0 : shard1;
    size_t n = s == 0 ? 4 : 3;
    for (size_t i = 0; i < n; ++i) {
      Document d;
      d.id = "s" + std::to_string(s) + "-" + std::to_string(i);
      d.text = s == 0 ? texts0[i] : texts1[i];
      d.where = Provenance{s, i};
      b.docs.push_back(std::move(d));
      dir.docs.emplace_back(PackDoc(Provenance{s, i}), b.docs.back().id);
    }
  }
  shard0.docs[3].reason = "length:too_few_words";  // removed before: takes no part
  dir.records = {4, 3};
  for (bool reverse : {false, true}) {
    TempDir work;
    auto stage = ExactDedup::Create(*o);
    ASSERT_TRUE(stage.ok());
    EXPECT_EQ((*stage)->mode(), Stage::Mode::kGlobal);
    ASSERT_TRUE((*stage)->Begin(GlobalContext{work.path(), 1 << 20, 2}).ok());
    auto m1 = (*stage)->NewMapper(WorkerContext{});
    auto m2 = (*stage)->NewMapper(WorkerContext{});
    ASSERT_TRUE(m1.ok() && m2.ok());
    ASSERT_TRUE((*(reverse ? m2 : m1))->Map(shard1).ok());
    ASSERT_TRUE((*(reverse ? m1 : m2))->Map(shard0).ok());
    ASSERT_TRUE((*m1)->Finish().ok() && (*m2)->Finish().ok());
    Counters counters;
    auto decisions = (*stage)->Group(dir, {}, &counters);
    ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
    Batch a0 = shard0, a1 = shard1;
    ASSERT_TRUE((*decisions)->Apply(a0).ok());
    ASSERT_TRUE((*decisions)->Apply(a1).ok());
    EXPECT_FALSE(a0.docs[0].removed());
    EXPECT_FALSE(a0.docs[1].removed());
    EXPECT_EQ(a0.docs[2].reason, "exact:duplicate");
    EXPECT_EQ(a0.docs[2].duplicate_of, "s0-0");
    EXPECT_EQ(a0.docs[3].reason, "length:too_few_words");
    EXPECT_EQ(a1.docs[0].duplicate_of, "s0-1");
    EXPECT_FALSE(a1.docs[1].removed());
    EXPECT_EQ(a1.docs[2].duplicate_of, "s0-0");
    EXPECT_TRUE((*decisions)->Removes(PackDoc(Provenance{1, 2})));
    EXPECT_FALSE((*decisions)->Removes(PackDoc(Provenance{1, 1})));
    EXPECT_EQ(counters.Get("exact.distinct_keys"), 3);
  }
}

TEST(RemovalSetTest, AppliesRemovalsAndClusters) {
  RemovalSet set("minhash:duplicate");
  set.Add({PackDoc({0, 5}), PackDoc({0, 1}), 0, 3, true});
  set.Add({PackDoc({0, 1}), PackDoc({0, 1}), 0, 3, false});
  set.Add({PackDoc({1, 0}), PackDoc({0, 1}), 0, 3, true});
  FakeDirectory dir;
  dir.docs = {{PackDoc({0, 1}), "first"}, {PackDoc({0, 5}), "x"}, {PackDoc({1, 0}), "y"}};
  ASSERT_TRUE(set.Finish(dir).ok());
  EXPECT_EQ(set.removed(), 2u);
  Batch b;
  for (uint64_t ord : {1, 2, 5}) {
    Document d;
    d.where = Provenance{0, ord};
    b.docs.push_back(d);
  }
  ASSERT_TRUE(set.Apply(b).ok());
  EXPECT_FALSE(b.docs[0].removed());
  EXPECT_EQ(b.docs[0].cluster_id, 0);
  EXPECT_EQ(b.docs[0].cluster_size, 3u);
  EXPECT_EQ(b.docs[1].cluster_id, -1);
  EXPECT_EQ(b.docs[2].reason, "minhash:duplicate");
  EXPECT_EQ(b.docs[2].duplicate_of, "first");
}

}  // namespace
}  // namespace winnow::dedup
