// The distributed executor without MPI: ranks as threads of one process, exchanging through
// ThreadWorld, so the code that runs under mpirun also runs under ASan, UBSan and TSan (which
// OpenMPI is not built for). tests/cli/mpi_test.sh runs the same through real mpirun ranks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/core/exchange.h"
#include "winnow/dedup/distributed.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputFiles;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;

// What the ranks of one world share: a mailbox per (source, destination) and a barrier.
struct Hub {
  explicit Hub(int n) : size(n), boxes(static_cast<size_t>(n)) {}
  void Barrier() {
    std::unique_lock<std::mutex> lock(mu);
    const uint64_t generation = generation_;
    if (++arrived_ == size) {
      arrived_ = 0;
      ++generation_;
      cv.notify_all();
    } else {
      cv.wait(lock, [&] { return generation_ != generation; });
    }
  }
  const int size;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<std::string>> boxes;  // boxes[source][destination]
  int arrived_ = 0;
  uint64_t generation_ = 0;
};

class ThreadWorld final : public Exchange {
 public:
  ThreadWorld(Hub* hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return hub_->size; }

 protected:
  Result<std::vector<std::string>> Transfer(std::vector<std::string> out) override {
    {
      std::lock_guard<std::mutex> lock(hub_->mu);
      hub_->boxes[static_cast<size_t>(rank_)] = std::move(out);
    }
    hub_->Barrier();
    std::vector<std::string> in(static_cast<size_t>(size()));
    {
      std::lock_guard<std::mutex> lock(hub_->mu);
      for (size_t s = 0; s < in.size(); ++s) in[s] = hub_->boxes[s][static_cast<size_t>(rank_)];
    }
    hub_->Barrier();  // nobody refills a box before everyone read theirs
    return in;
  }

 public:
  [[noreturn]] void Abandon(const Status& status) override {
    std::fprintf(stderr, "rank %d abandoned the world: %s\n", rank_, status.ToString().c_str());
    std::abort();
  }

 private:
  Hub* hub_;
  int rank_;
};

// Runs `fn(exchange)` on `ranks` threads, one world.
template <typename Fn>
void OnRanks(int ranks, Fn fn) {
  Hub hub(ranks);
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&hub, r, &fn] {
      ThreadWorld world(&hub, r);
      fn(world);
    });
  }
  for (std::thread& t : threads) t.join();
}

TEST(RanksTest, StarComponentsFindTheComponentsUnionFindFinds) {
  // Chains, stars and a cycle, over 40 vertices of 5 "shards", edges spread over the ranks.
  std::vector<std::pair<DocRef, DocRef>> edges;
  auto doc = [](uint32_t i) { return PackDoc(Provenance{i % 5, i / 5}); };
  for (uint32_t i = 0; i + 1 < 12; ++i) edges.emplace_back(doc(i + 1), doc(i));  // a chain
  for (uint32_t i = 13; i < 20; ++i) edges.emplace_back(doc(30), doc(i));        // a star
  for (uint32_t i = 21; i < 26; ++i) edges.emplace_back(doc(i), doc(i == 25 ? 21 : i + 1));
  edges.emplace_back(doc(39), doc(38));
  // The expected roots: the smallest DocRef of each component.
  std::map<DocRef, DocRef> parent;
  std::function<DocRef(DocRef)> find = [&](DocRef x) {
    if (!parent.count(x)) parent[x] = x;
    return parent[x] == x ? x : parent[x] = find(parent[x]);
  };
  for (auto [a, b] : edges) {
    DocRef ra = find(a), rb = find(b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::set<std::pair<DocRef, DocRef>> want;
  for (auto& [x, p] : parent) {
    if (find(x) != x) want.emplace(find(x), x);
  }
  for (int ranks : {1, 2, 3, 4}) {
    std::mutex mu;
    std::set<std::pair<DocRef, DocRef>> got;
    OnRanks(ranks, [&](Exchange& ex) {
      ex.SetShardOwners(CutShards({1, 1, 1, 1, 1}, ex.size()));
      std::vector<std::pair<DocRef, DocRef>> mine;
      for (size_t i = static_cast<size_t>(ex.rank()); i < edges.size();
           i += static_cast<size_t>(ex.size())) {
        mine.push_back(edges[i]);
      }
      Result<std::vector<std::pair<DocRef, DocRef>>> stars = dedup::StarComponents(mine, ex);
      ASSERT_TRUE(stars.ok()) << stars.status().ToString();
      std::lock_guard<std::mutex> lock(mu);
      for (auto [root, member] : *stars) {
        EXPECT_EQ(ex.OwnerOfShard(UnpackDoc(root).shard), ex.rank());  // at the root's owner
        got.emplace(root, member);
      }
    });
    EXPECT_EQ(got, want) << ranks << " ranks";
  }
}

TEST(RanksTest, CutShardsGivesContiguousRangesOfSimilarSize) {
  EXPECT_EQ(CutShards({10, 10, 10, 10}, 2), (std::vector<uint32_t>{0, 2, 4}));
  EXPECT_EQ(CutShards({100, 1, 1, 1}, 2), (std::vector<uint32_t>{0, 1, 4}));
  EXPECT_EQ(CutShards({5, 5}, 3).back(), 2u);  // a rank may get nothing
  EXPECT_EQ(CutShards({}, 2), (std::vector<uint32_t>{0, 0, 0}));
}

// The whole pipeline, every global dedup stage, over 1 process and over 2 and 3 ranks.
TEST(RanksTest, RanksWriteWhatOneProcessWrites) {
  TempDir dir;
  gen::GenOptions o;
  o.docs = 3000;
  o.seed = 3;
  o.output = dir / "corpus.jsonl";
  ASSERT_TRUE(gen::GenerateCorpus(o).ok());
  std::vector<std::string> lines = SplitLines(ReadRaw(o.output));
  std::filesystem::create_directories(dir / "in");
  std::vector<std::string> inputs;
  for (int s = 0; s < 5; ++s) {
    std::string part;
    for (size_t i = static_cast<size_t>(s); i < lines.size(); i += 5) part += lines[i] + "\n";
    if (s == 4) {  // exact copies of another shard's documents
      for (size_t i = 0; i < 200; i += 5) part += lines[i] + "\n";
    }
    inputs.push_back(dir / ("in/part-" + std::to_string(s) + ".jsonl"));
    WriteFile(inputs.back(), part);
  }
  // MinHash as datatrove (every band collision joins) or verified against a threshold.
  auto config = [&](const std::string& out, bool verify) {
    RunConfig cfg = DefaultCleanConfig(BuiltinStages());
    cfg.stages.clear();
    for (const char* name : {"gopher_repetition", "exact", "minhash", "repeated_lines"}) {
      cfg.stages.push_back(StageConfig{name, {}, {}});
    }
    if (verify) cfg.stages[2].options["threshold"].scalar = "0.75";
    cfg.inputs = inputs;
    cfg.output = out;
    cfg.threads = 1;
    cfg.reader.batch_bytes = 64 << 10;
    cfg.memory_budget = 1 << 20;  // the shuffles spill and go in several rounds
    return cfg;
  };
  for (bool verify : {false, true}) {
    SCOPED_TRACE(verify ? "minhash verified" : "minhash unverified");
    const std::string tag = verify ? "-verified" : "";
    Result<RunStats> one =
        RunPipeline(config(dir / ("one" + tag), verify), BuiltinStages(), "clean");
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    ASSERT_GT(one->removed_by_reason["exact:duplicate"].docs, 0u);
    ASSERT_GT(one->removed_by_reason["minhash:duplicate"].docs, 0u);
    if (verify) {
      ASSERT_GT(one->counters["minhash.rejected_pairs"], 0);
    }
    const auto reference = OutputFiles(dir / ("one" + tag));
    for (int ranks : {2, 3}) {
      SCOPED_TRACE(std::to_string(ranks) + " ranks");
      const std::string out = dir / ("ranks-" + std::to_string(ranks) + tag);
      std::vector<Result<RunStats>> results(static_cast<size_t>(ranks),
                                            Status::Internal("not run"));
      OnRanks(ranks, [&](Exchange& ex) {
        RunConfig cfg = config(out, verify);
        cfg.exchange = &ex;
        results[static_cast<size_t>(ex.rank())] = RunPipeline(cfg, BuiltinStages(), "clean");
      });
      for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.status().ToString();
      const RunStats& s = *results[0];
      EXPECT_EQ(s.ranks, ranks);
      EXPECT_EQ(s.input_records, one->input_records);
      EXPECT_EQ(s.kept.docs, one->kept.docs);
      EXPECT_EQ(s.kept.bytes, one->kept.bytes);
      for (const auto& [reason, t] : one->removed_by_reason) {
        EXPECT_EQ(s.removed_by_reason.at(reason).docs, t.docs) << reason;
      }
      EXPECT_EQ(s.report_json, one->report_json);
      for (const char* c :
           {"minhash.candidate_pairs", "minhash.rejected_pairs", "minhash.clusters"}) {
        EXPECT_EQ(s.counters.at(c), one->counters.at(c)) << c;
      }
      EXPECT_TRUE(OutputFiles(out) == reference) << "outputs differ from one process";
    }
  }
}

}  // namespace
}  // namespace winnow::pipeline
