// Resumed runs: a run that failed part way (a stage threw, in either pass) and was resumed
// writes exactly what an uninterrupted run writes, with the same accounting; resume refuses a
// changed configuration or input, and reports a damaged checkpoint. The SIGKILL harness is
// tests/cli/kill_test.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "pipeline/output_reader.h"
#include "testing/test_util.h"
#include "winnow/dedup/register.h"
#include "winnow/filter/register.h"
#include "winnow/gen/generator.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"

namespace winnow::pipeline {
namespace {

using ::testing::HasSubstr;
using winnow::testing::OutputFiles;
using winnow::testing::ReadRaw;
using winnow::testing::SplitLines;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;

// The traps: stages that throw on the first document of shard N while armed (N >= 0), the
// way a buggy stage or a failing library call would. trap_early runs in the first pass,
// trap_late after dedup, in the last.
std::atomic<int> g_early{-1}, g_late{-1};

class TrapStage final : public Stage {
 public:
  TrapStage(std::string name, const std::atomic<int>* armed)
      : name_(std::move(name)), armed_(armed) {}
  std::string_view name() const override { return name_; }
  Mode mode() const override { return Mode::kParallel; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext&) const override {
    class Worker final : public StageWorker {
     public:
      Worker(std::string_view name, const std::atomic<int>* armed) : name_(name), armed_(armed) {}
      Status Process(Batch& batch) override {
        const int shard = armed_->load();
        for (const Document& d : batch.docs) {
          if (shard >= 0 && d.where.shard == static_cast<uint32_t>(shard)) {
            throw std::runtime_error(std::string(name_) + " sprung");
          }
        }
        return Status::OK();
      }

     private:
      std::string_view name_;
      const std::atomic<int>* armed_;
    };
    return std::unique_ptr<StageWorker>(new Worker(name_, armed_));
  }

 private:
  std::string name_;
  const std::atomic<int>* armed_;
};

const StageRegistry& Registry() {
  static const StageRegistry* r = [] {
    auto* reg = new StageRegistry();
    filter::RegisterStages(*reg);
    dedup::RegisterStages(*reg);
    for (auto trap : {std::pair<std::string_view, std::atomic<int>*>{"trap_early", &g_early},
                      {"trap_late", &g_late}}) {
      std::string_view name = trap.first;
      std::atomic<int>* armed = trap.second;
      reg->Register(StageSpec{name, "throws while armed (tests)", {}},
                    [name, armed](const Options&) -> Result<std::unique_ptr<Stage>> {
                      return std::unique_ptr<Stage>(new TrapStage(std::string(name), armed));
                    });
    }
    return reg;
  }();
  return *r;
}

// A generated corpus cut into `shards` files.
std::vector<std::string> ShardedCorpus(const TempDir& dir, uint64_t docs, int shards) {
  gen::GenOptions o;
  o.docs = docs;
  o.seed = 11;
  o.output = dir / "corpus.jsonl";
  EXPECT_TRUE(gen::GenerateCorpus(o).ok());
  std::vector<std::string> lines = SplitLines(ReadRaw(o.output));
  std::filesystem::create_directories(dir / "in");
  std::vector<std::string> paths;
  for (int s = 0; s < shards; ++s) {
    std::string part;
    for (size_t i = static_cast<size_t>(s); i < lines.size(); i += static_cast<size_t>(shards)) {
      part += lines[i] + "\n";
    }
    paths.push_back(dir / ("in/part-" + std::to_string(s) + ".jsonl"));
    WriteFile(paths.back(), part);
  }
  return paths;
}

// The default clean pipeline with a trap in the first pass and one after dedup (last pass).
RunConfig TrappedConfig(std::vector<std::string> inputs, std::string out) {
  RunConfig cfg = DefaultCleanConfig(BuiltinStages());
  cfg.stages.insert(cfg.stages.begin() + 1, StageConfig{"trap_early", {}, {}});
  cfg.stages.push_back(StageConfig{"trap_late", {}, {}});
  cfg.inputs = std::move(inputs);
  cfg.output = std::move(out);
  cfg.threads = 2;
  cfg.reader.batch_bytes = 64 << 10;
  return cfg;
}

// The accounting that must not change across attempts.
std::string Accounting(const RunStats& s) {
  std::string a = std::to_string(s.input_records) + " " + std::to_string(s.kept.docs) + " " +
                  std::to_string(s.kept.bytes) + " " + std::to_string(s.removed.docs) + " " +
                  std::to_string(s.rejected);
  for (const auto& [reason, t] : s.removed_by_reason) {
    a += " " + reason + "=" + std::to_string(t.docs);
  }
  for (const StageStats& st : s.stages) {
    a += " " + st.name + ":" + std::to_string(st.in.docs) + ">" + std::to_string(st.out.docs);
  }
  for (const auto& [name, v] : s.counters) a += " " + name + "=" + std::to_string(v);
  return a;
}

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_early = g_late = -1;
    inputs_ = ShardedCorpus(dir_, 3000, 6);
    RunConfig cfg = TrappedConfig(inputs_, dir_ / "reference");
    Result<RunStats> s = RunPipeline(cfg, Registry(), "clean");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_EQ(s->passes, 2);
    reference_ = OutputFiles(dir_ / "reference");
    reference_accounting_ = Accounting(*s);
    reference_report_ = s->report_json;
  }
  void TearDown() override { g_early = g_late = -1; }

  TempDir dir_;
  std::vector<std::string> inputs_;
  std::map<std::string, std::string> reference_;
  std::string reference_accounting_, reference_report_;
};

TEST_F(ResumeTest, AStageThrowingFailsTheRunAndResumingGivesTheSameOutput) {
  for (std::atomic<int>* trap : {&g_early, &g_late}) {
    const std::string name = trap == &g_early ? "trap_early" : "trap_late";
    SCOPED_TRACE(name);
    const std::string out = dir_ / name;
    RunConfig cfg = TrappedConfig(inputs_, out);
    *trap = 3;
    Result<RunStats> failed = RunPipeline(cfg, Registry(), "clean");
    *trap = -1;
    ASSERT_FALSE(failed.ok());
    EXPECT_THAT(failed.status().ToString(),
                HasSubstr(name + ": threw an exception: " + name + " sprung"));
    // Nothing unfinished looks finished: no stats, no temporary part left behind, and no part
    // of the failing shard or after it (the writer commits shards in order).
    EXPECT_FALSE(std::filesystem::exists(out + "/stats.json"));
    for (const auto& e : std::filesystem::recursive_directory_iterator(out)) {
      EXPECT_NE(e.path().extension(), ".tmp") << e.path();
    }
    for (int shard = 3; shard < 6; ++shard) {
      EXPECT_FALSE(
          std::filesystem::exists(out + "/kept/part-0000" + std::to_string(shard) + ".jsonl.zst"));
    }

    cfg.resume = true;
    cfg.threads = 1;  // threads may differ between attempts
    Result<RunStats> resumed = RunPipeline(cfg, Registry(), "clean");
    ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
    EXPECT_EQ(resumed->attempts, 2);
    EXPECT_EQ(Accounting(*resumed), reference_accounting_);
    EXPECT_EQ(resumed->report_json, reference_report_);
    EXPECT_TRUE(OutputFiles(out) == reference_) << "resumed output differs";

    // Resuming a finished run does nothing and changes nothing.
    Result<RunStats> again = RunPipeline(cfg, Registry(), "clean");
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->kept.docs, resumed->kept.docs);
    EXPECT_TRUE(OutputFiles(out) == reference_);
  }
}

TEST_F(ResumeTest, ResumeRefusesAChangedConfigurationOrInput) {
  const std::string out = dir_ / "changed";
  RunConfig cfg = TrappedConfig(inputs_, out);
  g_early = 4;
  ASSERT_FALSE(RunPipeline(cfg, Registry(), "clean").ok());
  g_early = -1;
  cfg.resume = true;

  RunConfig other = cfg;
  other.stages[2].options["languages"].is_list = true;
  other.stages[2].options["languages"].list = {"en", "de"};
  Result<RunStats> r = RunPipeline(other, Registry(), "clean");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("configuration"));

  RunConfig level = cfg;
  level.compression_level = 5;
  EXPECT_FALSE(RunPipeline(level, Registry(), "clean").ok());

  std::string saved = ReadRaw(inputs_[5]);
  WriteFile(inputs_[5], saved + saved.substr(0, saved.find('\n') + 1));
  r = RunPipeline(cfg, Registry(), "clean");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr("input files"));
  WriteFile(inputs_[5], saved);  // same bytes, but a new modification time: still refused
  EXPECT_FALSE(RunPipeline(cfg, Registry(), "clean").ok());
}

TEST_F(ResumeTest, ADamagedCheckpointIsReported) {
  const std::string out = dir_ / "damaged";
  RunConfig cfg = TrappedConfig(inputs_, out);
  g_late = 2;
  ASSERT_FALSE(RunPipeline(cfg, Registry(), "clean").ok());
  g_late = -1;
  std::string bytes = ReadRaw(out + "/.winnow-checkpoint");
  ASSERT_GT(bytes.size(), 40u);
  bytes[bytes.size() / 2] ^= 0x20;
  WriteFile(out + "/.winnow-checkpoint", bytes);
  cfg.resume = true;
  Result<RunStats> r = RunPipeline(cfg, Registry(), "clean");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().ToString(), HasSubstr(".winnow-checkpoint: damaged"));
  EXPECT_THAT(r.status().ToString(), HasSubstr("--overwrite"));
}

}  // namespace
}  // namespace winnow::pipeline
