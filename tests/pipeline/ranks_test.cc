// The distributed executor without MPI: ranks as threads of one process, exchanging through
// ThreadWorld, so the code that runs under mpirun also runs under ASan, UBSan and TSan (which
// OpenMPI is not built for). tests/cli/mpi_test.sh runs the same through real mpirun ranks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/core/exchange.h"
#include "winnow/core/name_table.h"
#include "winnow/dedup/distributed.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using winnow::testing::OutputFiles;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;

// A rank that died (the test's stand-in for SIGKILL), or that abandoned the world.
struct RankDied {};

// What the ranks of one world share: a mailbox per (source, destination) and a barrier. A rank
// that dies wakes the others, whose collectives then fail (as mpirun would end them).
struct Hub {
  explicit Hub(int n) : size(n), boxes(static_cast<size_t>(n)) {}
  bool Barrier() {
    std::unique_lock<std::mutex> lock(mu);
    const uint64_t generation = generation_;
    if (++arrived_ == size) {
      arrived_ = 0;
      ++generation_;
      cv.notify_all();
      return true;
    }
    cv.wait(lock, [&] { return generation_ != generation || dead; });
    // A barrier everyone reached has completed, even when a rank died right after leaving it
    // (before this one woke): the death shows at the next collective, as under MPI.
    return generation_ != generation;
  }
  void Die() {
    std::lock_guard<std::mutex> lock(mu);
    dead = true;
    cv.notify_all();
  }
  const int size;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<std::string>> boxes;  // boxes[source][destination]
  int arrived_ = 0;
  uint64_t generation_ = 0;
  bool dead = false;
  // Asked as a rank enters each collective: true kills the rank there.
  std::function<bool(int rank)> dies_at;
};

class ThreadWorld final : public Exchange {
 public:
  ThreadWorld(Hub* hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return hub_->size; }

 protected:
  Result<std::vector<std::string>> Transfer(std::vector<std::string> out) override {
    if (hub_->dies_at && hub_->dies_at(rank_)) {
      hub_->Die();
      throw RankDied{};
    }
    {
      std::lock_guard<std::mutex> lock(hub_->mu);
      hub_->boxes[static_cast<size_t>(rank_)] = std::move(out);
    }
    const Status gone = Status::IOError("another rank died");
    if (!hub_->Barrier()) return gone;
    std::vector<std::string> in(static_cast<size_t>(size()));
    {
      std::lock_guard<std::mutex> lock(hub_->mu);
      for (size_t s = 0; s < in.size(); ++s) in[s] = hub_->boxes[s][static_cast<size_t>(rank_)];
    }
    if (!hub_->Barrier()) return gone;  // nobody refills a box before everyone read theirs
    return in;
  }

 public:
  [[noreturn]] void Abandon(const Status& status) override {
    std::fprintf(stderr, "rank %d abandoned the world: %s\n", rank_, status.ToString().c_str());
    hub_->Die();
    throw RankDied{};
  }

 private:
  Hub* hub_;
  int rank_;
};

// Runs `fn(exchange)` on `ranks` threads, one world; returns how many ranks died.
template <typename Fn>
int OnRanks(int ranks, Fn fn, std::function<bool(int)> dies_at = {}) {
  Hub hub(ranks);
  hub.dies_at = std::move(dies_at);
  std::atomic<int> died{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&hub, r, &fn, &died] {
      ThreadWorld world(&hub, r);
      try {
        fn(world);
      } catch (const RankDied&) {
        ++died;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return died.load();
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

// 3,000 generated documents in 5 shards, the last also holding copies of the first's.
std::vector<std::string> RankedCorpus(const TempDir& dir) {
  gen::GenOptions o;
  o.docs = 3000;
  o.seed = 3;
  o.output = dir / "corpus.jsonl";
  EXPECT_TRUE(gen::GenerateCorpus(o).ok());
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
  return inputs;
}

// Every global dedup stage; MinHash as datatrove (every band collision joins) or verified
// against a threshold.
RunConfig RankedConfig(const std::vector<std::string>& inputs, const std::string& out,
                       bool verify) {
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
}

// The whole pipeline over 1 process and over 2 and 3 ranks.
TEST(RanksTest, RanksWriteWhatOneProcessWrites) {
  TempDir dir;
  const std::vector<std::string> inputs = RankedCorpus(dir);
  auto config = [&](const std::string& out, bool verify) {
    return RankedConfig(inputs, out, verify);
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

// A rank killed between a group step and its next checkpoint leaves the ranks one collective
// step apart: rank 0 has saved "pass 2 next", rank 1 still says "pass 1, all shards mapped".
// --resume must bring rank 0 back to where rank 1 is (its .previous checkpoint), group again
// and finish with one process's output.
TEST(RanksTest, RanksOneCollectiveStepApartResumeTogether) {
  TempDir dir;
  const std::vector<std::string> inputs = RankedCorpus(dir);
  Result<RunStats> one =
      RunPipeline(RankedConfig(inputs, dir / "one", false), BuiltinStages(), "clean");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  const std::string out = dir / "killed";
  const std::string rank1 = out + "/.winnow-checkpoint.rank-1-of-2";
  auto pass_of = [](const std::string& path) -> int {
    if (!std::filesystem::exists(path)) return -1;
    NameTable names;
    Result<Checkpoint> c = DecodeCheckpoint(ReadRaw(path), names);
    return c.ok() ? static_cast<int>(c->pass) : -2;
  };
  auto run = [&](bool resume) {
    return [&, resume](Exchange& ex) {
      RunConfig cfg = RankedConfig(inputs, out, false);
      cfg.exchange = &ex;
      cfg.resume = resume;
      Result<RunStats> r = RunPipeline(cfg, BuiltinStages(), "clean");
      if (ex.rank() == 0) {
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_EQ(r->attempts, 2);
        EXPECT_EQ(r->kept.docs, one->kept.docs);
      }
    };
  };
  // Rank 1 dies entering the first collective after its checkpoint names pass 2 (the barrier
  // after the group step); putting back the checkpoint it saved before that step makes it as
  // if it had died just before saving.
  const int died =
      OnRanks(2, run(false), [&](int rank) { return rank == 1 && pass_of(rank1) == 1; });
  ASSERT_EQ(died, 2);  // rank 1, and rank 0 which abandoned the world
  ASSERT_EQ(pass_of(out + "/.winnow-checkpoint.rank-0-of-2"), 1);
  ASSERT_EQ(pass_of(rank1 + ".previous"), 0);
  std::filesystem::copy_file(rank1 + ".previous", rank1,
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(OnRanks(2, run(true)), 0);
  EXPECT_TRUE(OutputFiles(out) == OutputFiles(dir / "one")) << "resumed output differs";
}

}  // namespace
}  // namespace winnow::pipeline
