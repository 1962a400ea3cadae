// The executor: a run from start to end. It plans the passes, prepares the output directory
// (alone, or agreed over MPI ranks), resumes from a checkpoint, runs each pass (PassRunner)
// with its record sink, lets the global stages group between passes (GlobalRounds), and
// publishes stats.json and report.html. Each piece it drives owns one thing:
//
//   pass_plan.h     stages -> passes and segments      output_dir.h   OUT: lock, layout, publish
//   checkpoint.h    resume state and its checks        ranks.h        the ranks' agreements
//   pass_runner.h   the oneTBB loop of one pass        record_sink.h  formats and files written
//   global_rounds.h map, group and apply of dedup      report_data.h  what report.html shows
#include "winnow/pipeline/executor.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "winnow/core/global_stage.h"
#include "winnow/core/wire.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/global_rounds.h"
#include "winnow/pipeline/output_dir.h"
#include "winnow/pipeline/parquet_sink.h"
#include "winnow/pipeline/pass_plan.h"
#include "winnow/pipeline/pass_runner.h"
#include "winnow/pipeline/ranks.h"
#include "winnow/pipeline/record_sink.h"
#include "winnow/pipeline/report.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {
namespace {

namespace fs = std::filesystem;

// The writer saves a checkpoint when a shard is complete, at most this often: inputs of many
// small files (one page per .html file) would otherwise pay a synced write per document.
// Shards committed after the last checkpoint are simply redone, to the same bytes.
constexpr std::chrono::milliseconds kCheckpointEvery{1000};

// Dedup examples per stage in the report.
constexpr size_t kExamplesPerStage = 3;

class Executor {
 public:
  Executor(const RunConfig& config, std::vector<std::unique_ptr<Stage>> stages,
           io::InputList inputs, std::string_view command, const ProgressFn& progress)
      : config_(config),
        stages_(std::move(stages)),
        inputs_(std::move(inputs)),
        command_(command),
        progress_(progress) {}

  Result<RunStats> Run();

 private:
  bool distributed() const { return ranks_ != nullptr; }
  Status Plan();
  Status PrepareOutput();
  Status LoadCheckpoint(const std::string& path, bool* found);
  Status AgreeOnResume(Status loaded);
  Status SaveCheckpoint(uint32_t pass, uint64_t shards_done);
  Status StartPasses();
  Status RunPass(size_t index, uint64_t first_shard);
  Status StartReport(uint64_t first_shard);
  Status AfterMapPass(size_t index);
  Status Reduce(double wall, double cpu);
  Status Publish(const RunStats& stats);
  EvidenceFn Evidence() const;
  RunStats BuildStats(double wall, double cpu);
  void Notice(std::string message);

  const RunConfig& config_;
  std::vector<std::unique_ptr<Stage>> stages_;
  io::InputList inputs_;
  std::string command_;
  const ProgressFn& progress_;
  int threads_ = 1;

  // Over MPI: the ranks, and this rank's shards [my_first_, my_end_); alone: all shards.
  std::unique_ptr<RankCoordinator> ranks_;
  Exchange* exchange_ = nullptr;
  uint64_t my_first_ = 0, my_end_ = 0;
  std::unique_ptr<OutputDirectory> dir_;
  std::vector<PassPlan> passes_;
  NameTable names_;  // names read back from spills and checkpoints
  // The writer's state: batches add their tallies to it in input order (checkpoint.h).
  RunState state_;
  std::unique_ptr<Checkpointer> checkpoints_;
  std::unique_ptr<PassRunner> runner_;
  std::unique_ptr<GlobalRounds> globals_;
  std::unique_ptr<RecordSink> sink_;         // the running pass's
  std::unique_ptr<ReportCollector> report_;  // the last pass's observations
  std::vector<ReportCollector::StageThreshold> report_thresholds_;
  std::map<DocRef, DocRef> report_sample_;  // dedup examples: removed document -> kept
  uint64_t peak_rss_ = 0;                   // over MPI: the largest of the ranks
  std::vector<StepMemory> memory_;          // this process's steps (stats.json "memory")

  // Resume.
  bool has_checkpoint_ = false;  // this rank loaded a checkpoint
  size_t resume_pass_ = 0;       // where a resumed run starts
  uint64_t resume_shard_ = 0;
  std::string resume_report_;  // the last pass's report state at the checkpoint
  bool complete_ = false;      // the checkpoint says the run had finished
  Clock::time_point start_{}, last_checkpoint_{};
  double cpu_start_ = 0;
};

void Executor::Notice(std::string message) {
  if (!progress_) return;
  Progress p;
  p.pass = static_cast<int>(resume_pass_) + 1;
  p.passes = static_cast<int>(passes_.size());
  p.notice = std::move(message);
  progress_(p);
}

// The checks every rank makes alike, the rank's shards and the passes.
Status Executor::Plan() {
  threads_ = config_.threads > 0
                 ? config_.threads
                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  my_end_ = inputs_.shards.size();
  if (config_.exchange != nullptr && config_.exchange->size() > 1) {
    // The same checks on every rank, from the same configuration: they fail together.
    if (config_.annotate)
      return Status::InvalidArgument("annotate runs in one process, not over MPI ranks");
    for (const auto& stage : stages_) {
      if (stage->mode() == Stage::Mode::kOrdered) {
        return Status::InvalidArgument(
            "stage " + std::string(stage->name()) +
            " runs in input order on one worker (bloom: the first copy seen wins; "
            "tokenize with shards: ids appended in input order) and cannot run over several "
            "ranks; use exact for dedup, and winnow tokenize on the run's output for shards");
      }
    }
    for (const io::Shard& shard : inputs_.shards) {
      if (shard.path == "-")
        return Status::InvalidArgument("standard input cannot be read by several ranks");
    }
    exchange_ = config_.exchange;
    ranks_ = std::make_unique<RankCoordinator>(exchange_);
    std::vector<uint64_t> sizes;
    for (const io::Shard& shard : inputs_.shards) sizes.push_back(shard.size);
    exchange_->SetShardOwners(CutShards(sizes, exchange_->size()));
    my_first_ = exchange_->first_shard(exchange_->rank());
    my_end_ = exchange_->first_shard(exchange_->rank() + 1);
  }
  if (config_.annotate) {
    // Annotate judges documents one by one: global stages (dedup) take no part, and every
    // stage that annotates runs in one pass.
    std::vector<std::unique_ptr<Stage>> per_document;
    for (auto& stage : stages_) {
      if (stage->mode() != Stage::Mode::kGlobal) per_document.push_back(std::move(stage));
    }
    stages_ = std::move(per_document);
    dir_ = std::make_unique<OutputDirectory>(config_.output);  // nothing is written there
    passes_.assign(1, PassPlan{});
    for (size_t s = 0; s < stages_.size(); ++s) {
      if (stages_[s]->annotates()) passes_[0].stages.push_back(s);
    }
  } else {
    passes_ = PlanPasses(stages_);
    if (config_.resume) {
      for (const io::Shard& shard : inputs_.shards) {
        if (shard.path == "-") {
          return Status::InvalidArgument(
              "--resume: a run that reads standard input cannot be "
              "resumed");
        }
      }
    }
  }
  state_.tally.Clear(stages_.size());
  state_.shard_records.assign(inputs_.shards.size(), 0);
  return Status::OK();
}

// Loads the checkpoint at `path` into the run's state; *found false when there is none.
Status Executor::LoadCheckpoint(const std::string& path, bool* found) {
  WINNOW_ASSIGN_OR_RETURN(
      std::optional<Checkpoint> loaded,
      checkpoints_->Load(path, names_,
                         RunShape{passes_.size(), inputs_.shards.size(), stages_.size()}));
  *found = loaded.has_value();
  if (!loaded) return Status::OK();
  Checkpoint& c = *loaded;
  state_ = std::move(c.state);
  state_.attempts += 1;
  resume_pass_ = c.pass;
  resume_shard_ = c.shards_done;
  resume_report_ = std::move(c.report);
  complete_ = c.pass == passes_.size();
  if (resume_pass_ == 0) {
    // The first pass counts records as it reads: shards it had not finished start again.
    for (size_t i = resume_shard_; i < state_.shard_records.size(); ++i)
      state_.shard_records[i] = 0;
  }
  return Status::OK();
}

Status Executor::SaveCheckpoint(uint32_t pass, uint64_t shards_done) {
  last_checkpoint_ = Clock::now();
  Checkpoint c;
  c.pass = pass;
  c.shards_done = shards_done;
  c.state = state_;
  c.state.wall_seconds += SecondsSince(start_);
  c.state.cpu_seconds += CpuSeconds() - cpu_start_;
  if (report_ && shards_done > 0 && pass + 1 == passes_.size()) {
    WireWriter w;
    report_->Save(w);
    c.report = std::move(w.bytes());
  }
  return checkpoints_->Save(std::move(c));
}

// Alone: OUT is locked and prepared here. Over MPI, rank 0 checks and prepares OUT (and holds
// its lock), tells every rank its verdict, then each rank loads its own checkpoint and the
// ranks agree where to start.
Status Executor::PrepareOutput() {
  const int world = distributed() ? ranks_->size() : 1;
  dir_ =
      std::make_unique<OutputDirectory>(config_.output, distributed() ? ranks_->rank() : 0, world);
  checkpoints_ = std::make_unique<Checkpointer>(dir_->CheckpointPath(), config_.output,
                                                ConfigDigest(config_), InputsDigest(inputs_));
  auto prepare = [&]() -> Result<bool> {
    WINNOW_RETURN_IF_ERROR(dir_->Lock());
    if (!config_.resume) {
      WINNOW_RETURN_IF_ERROR(dir_->StartAfresh(config_.overwrite));
      return false;
    }
    WINNOW_RETURN_IF_ERROR(dir_->CheckResumeWorld(world));
    bool found = dir_->HasCheckpoint();
    if (!distributed() && found)
      WINNOW_RETURN_IF_ERROR(LoadCheckpoint(dir_->CheckpointPath(), &found));
    // No checkpoint: no shard was finished (or the run never started). Start afresh.
    WINNOW_RETURN_IF_ERROR(found ? dir_->RemoveTemporaryParts() : dir_->Clear());
    return found;
  };
  if (!distributed()) return prepare().status();
  WINNOW_ASSIGN_OR_RETURN(bool resuming, ranks_->FromRankZero(prepare));
  Status loaded =
      resuming ? LoadCheckpoint(dir_->CheckpointPath(), &has_checkpoint_) : Status::OK();
  return AgreeOnResume(loaded);
}

// Every rank's checkpoint names a pass; the ranks start together at the earliest. A rank that
// got one collective step further (it saved its checkpoint after a group step that another
// rank did not live to save) goes back to the checkpoint it kept before that step. Any rank's
// error ends them all with the first such error.
Status Executor::AgreeOnResume(Status loaded) {
  WINNOW_ASSIGN_OR_RETURN(
      size_t pass,
      ranks_->EarliestPass(loaded, has_checkpoint_ ? resume_pass_ : 0, passes_.size()));
  if (has_checkpoint_ && resume_pass_ > pass) {
    const std::string previous = checkpoints_->previous_path();
    bool found = false;
    Status st = LoadCheckpoint(previous, &found);
    if (st.ok() && (!found || resume_pass_ != pass)) {
      st = Status::Corrupt(previous + ": this rank's checkpoints do not reach back to pass " +
                           std::to_string(pass + 1) +
                           " where another rank stopped; start the "
                           "run again with --overwrite");
    }
    loaded = st;
  }
  WINNOW_RETURN_IF_ERROR(ranks_->AllOk(loaded, "cannot resume the run in " + config_.output +
                                                   ": another rank's checkpoint cannot be used "
                                                   "(its rank says why)"));
  complete_ = pass == passes_.size();
  return Status::OK();
}

// What stage `reason` came from says which parts of the text made it decide.
EvidenceFn Executor::Evidence() const {
  return [this](Document& doc, std::string_view reason) -> TextSpans {
    const std::string_view stage = reason.substr(0, reason.find(':'));
    for (const auto& s : stages_) {
      if (s->name() == stage) return s->Evidence(doc, reason);
    }
    return {};
  };
}

// The last pass observes what it writes for the report; a resumed one goes on from the
// observations its checkpoint saved.
Status Executor::StartReport(uint64_t first_shard) {
  report_thresholds_.clear();
  for (const auto& stage : stages_) {
    for (const Threshold& t : stage->Thresholds()) {
      report_thresholds_.push_back({std::string(stage->name()), t});
    }
  }
  std::vector<std::vector<std::pair<DocRef, DocRef>>> pairs =
      globals_->ExamplePairs(kExamplesPerStage);
  if (distributed()) {
    WINNOW_ASSIGN_OR_RETURN(report_sample_,
                            ranks_->GatherExamples(std::move(pairs), kExamplesPerStage));
  } else {
    report_sample_.clear();
    for (const auto& list : pairs) report_sample_.insert(list.begin(), list.end());
  }
  report_ = std::make_unique<ReportCollector>(report_thresholds_, report_sample_, Evidence());
  if (first_shard > 0 && !resume_report_.empty()) {
    WireReader r(resume_report_);
    if (!report_->Load(r) || !r.at_end()) {
      return Status::Corrupt(checkpoints_->path() +
                             ": the report's state does not decode; start "
                             "the run again with --overwrite");
    }
  }
  return Status::OK();
}

Status Executor::RunPass(size_t index, uint64_t first_shard) {
  const PassPlan& plan = passes_[index];
  PassSpec spec;
  spec.index = index;
  spec.plan = &plan;
  spec.segments = CutSegments(stages_, plan);
  // A pass with an ordered stage (first seen wins) cannot restart in the middle: that stage's
  // memory of the earlier shards would be gone. It checkpoints at its end only.
  bool checkpoint_shards = !config_.annotate;
  for (size_t s : plan.stages) checkpoint_shards &= stages_[s]->mode() != Stage::Mode::kOrdered;
  spec.first_shard = checkpoint_shards ? first_shard : 0;
  if (checkpoint_shards) {
    spec.on_shard_done = [this, index](uint64_t shards_done) {
      if (Clock::now() - last_checkpoint_ < kCheckpointEvery) return Status::OK();
      return SaveCheckpoint(static_cast<uint32_t>(index), shards_done);
    };
  }
  PartFormat format;
  format.compress = config_.compress;
  format.level = config_.compression_level;
  format.parquet = config_.output_format == OutputFormat::kParquet;
  format.parquet_codec = config_.compression;
  format.row_group_bytes = config_.row_group_bytes;
  format.page_index = config_.page_index;
  if (config_.annotate) {
    WINNOW_ASSIGN_OR_RETURN(
        sink_, NewAnnotateSink(config_.annotate_output, format, config_.annotate_writer));
  } else if (plan.final()) {
    WINNOW_RETURN_IF_ERROR(StartReport(spec.first_shard));
    spec.report = report_.get();
    sink_ = format.parquet ? NewParquetSink(*dir_, format, plan.from_input, inputs_, config_.reader)
                           : NewOutputSink(*dir_, format, plan.from_input);
  } else {
    std::error_code ec;
    fs::create_directories(dir_->PassDir(index), ec);
    if (ec) return Status::IOError("cannot create " + dir_->PassDir(index) + ": " + ec.message());
    WINNOW_RETURN_IF_ERROR(globals_->Begin(plan, *runner_));
    sink_ = NewSpillSink(*dir_, index, format, plan.from_input);
  }
  spec.sink = sink_.get();
  ResetPeakRss();
  const uint64_t spilled = state_.spilled_bytes;
  WINNOW_RETURN_IF_ERROR(runner_->Run(spec, progress_, start_, static_cast<int>(passes_.size())));
  WINNOW_RETURN_IF_ERROR(runner_->FinishWorkers(plan));
  memory_.push_back(StepMemory{.pass = static_cast<int>(index) + 1,
                               .step = "pass",
                               .peak_rss_bytes = StepPeakRssBytes(),
                               .spilled_bytes = state_.spilled_bytes - spilled});
  return plan.final() || config_.annotate ? Status::OK() : AfterMapPass(index);
}

// After a map pass: the global stages group and decide, a checkpoint names the next pass,
// and the spill this pass read goes.
Status Executor::AfterMapPass(size_t index) {
  if (distributed()) {
    // A rank killed between here and its next checkpoint makes every rank go back to this
    // point (AgreeOnResume): keep it beside the newer checkpoints.
    WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(index), my_end_));
    WINNOW_RETURN_IF_ERROR(checkpoints_->KeepAsPrevious());
  }
  WINNOW_RETURN_IF_ERROR(globals_->Group(passes_[index], index, *runner_, state_, &memory_));
  runner_->DrainLocalCounters();  // what the mappers counted when they finished
  WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(index + 1), 0));
  bool remove_input = index > 0;
  if (distributed()) {  // every rank has saved its checkpoint: none will read it again
    WINNOW_RETURN_IF_ERROR(ranks_->Barrier());
    remove_input &= ranks_->rank() == 0;
  }
  if (remove_input) {  // the spill this pass read is no longer needed
    std::error_code ec;
    fs::remove_all(dir_->PassDir(index - 1), ec);
  }
  return Status::OK();
}

// Before the first pass to run: scratch, the decisions a resumed run saved, one notice.
Status Executor::StartPasses() {
  Status status;
  if (!config_.annotate) {
    std::error_code ec;
    fs::create_directories(dir_->work_dir(), ec);
    if (ec) {
      status = Status::IOError("cannot create " + dir_->work_dir() + ": " + ec.message());
    } else {
      // Spills of passes before the one to resume are no longer needed.
      for (size_t q = 0; q + 1 < resume_pass_; ++q) fs::remove_all(dir_->PassDir(q), ec);
      status = globals_->Load(passes_, resume_pass_, *runner_);
    }
  }
  // From here on the ranks meet in collectives: one failing alone must end them all.
  if (!status.ok() && distributed()) exchange_->Abandon(status);
  WINNOW_RETURN_IF_ERROR(status);
  if (distributed()) {  // the ranks resume together: say it once
    WINNOW_ASSIGN_OR_RETURN(uint64_t attempts, ranks_->Sum(has_checkpoint_ ? 1 : 0));
    if (attempts > 0 && ranks_->rank() == 0) {
      Notice("resuming " + config_.output + " over " + std::to_string(ranks_->size()) +
             " ranks at pass " + std::to_string(resume_pass_ + 1) + "/" +
             std::to_string(passes_.size()) + " (" + std::to_string(attempts) +
             " ranks had checkpoints; attempt " + std::to_string(state_.attempts) + " of rank 0)");
    }
  } else if (state_.attempts > 1) {
    Notice("resuming " + config_.output + " at pass " + std::to_string(resume_pass_ + 1) + "/" +
           std::to_string(passes_.size()) + " with " + std::to_string(resume_shard_) + "/" +
           std::to_string(inputs_.shards.size()) + " shards done (attempt " +
           std::to_string(state_.attempts) + ")");
  }
  return Status::OK();
}

// Every rank's state, report observations and peak memory, added up on rank 0. Collective.
Status Executor::Reduce(double wall, double cpu) {
  RunState mine = state_;
  mine.wall_seconds += wall;
  mine.cpu_seconds += cpu;
  auto make_report = [this] {
    return std::make_unique<ReportCollector>(report_thresholds_, report_sample_);
  };
  return ranks_->Reduce(mine, report_.get(), make_report, names_, &state_, &peak_rss_);
}

// stats.json and report.html (rank 0), the complete checkpoint, and the scratch removed.
Status Executor::Publish(const RunStats& stats) {
  if (!distributed() || ranks_->rank() == 0) {
    const std::string json = stats.ToJson();
    WINNOW_RETURN_IF_ERROR(dir_->Publish("stats.json", json));
    WINNOW_ASSIGN_OR_RETURN(std::string html, RenderReport(json));
    WINNOW_RETURN_IF_ERROR(dir_->Publish("report.html", html));
  }
  // The run is complete: a --resume now has nothing to do.
  WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(passes_.size()), 0));
  bool remove_work = true;
  std::error_code ec;
  if (distributed()) {  // every rank is complete before the scratch goes
    WINNOW_RETURN_IF_ERROR(ranks_->Barrier());
    remove_work = ranks_->rank() == 0;
    fs::remove(checkpoints_->previous_path(), ec);  // no rank will come back to it
  }
  if (remove_work) fs::remove_all(dir_->work_dir(), ec);
  return Status::OK();
}

Result<RunStats> Executor::Run() {
  WINNOW_RETURN_IF_ERROR(Plan());
  if (!config_.annotate) WINNOW_RETURN_IF_ERROR(PrepareOutput());
  runner_ = std::make_unique<PassRunner>(config_, stages_, inputs_, *dir_, names_, state_, threads_,
                                         my_first_, my_end_);
  globals_ = std::make_unique<GlobalRounds>(stages_, *dir_, inputs_, names_, exchange_,
                                            config_.memory_budget, my_first_, my_end_);
  WINNOW_RETURN_IF_ERROR(runner_->CreateWorkers(config_.annotate));

  start_ = Clock::now();
  cpu_start_ = CpuSeconds();
  if (complete_) {  // resumed a run that had finished: nothing to do
    Notice("the run in " + config_.output + " is complete; nothing to resume");
    // A kill after the complete checkpoint and before Publish() removed the scratch leaves
    // it behind: finish that step.
    if (!config_.annotate && (!distributed() || ranks_->rank() == 0)) {
      std::error_code ec;
      fs::remove_all(dir_->work_dir(), ec);
    }
    if (distributed()) {
      Status st = Reduce(0, 0);
      if (!st.ok()) exchange_->Abandon(st);
    }
    return BuildStats(0, 0);
  }
  Status status = StartPasses();
  for (size_t p = resume_pass_; p < passes_.size() && status.ok(); ++p) {
    status = RunPass(p, p == resume_pass_ ? resume_shard_ : 0);
  }
  if (distributed() && status.ok()) {
    // What the reduce needs, kept for a rank that must come back to it (AgreeOnResume).
    status = SaveCheckpoint(static_cast<uint32_t>(passes_.size() - 1), my_end_);
    if (status.ok()) status = checkpoints_->KeepAsPrevious();
  }
  const double wall = SecondsSince(start_);
  const double cpu = CpuSeconds() - cpu_start_;
  if (distributed() && status.ok()) status = Reduce(wall, cpu);
  // Another rank may be waiting in a collective for this one: end them all.
  if (distributed() && !status.ok()) exchange_->Abandon(status);
  if (!status.ok()) {
    if (sink_) sink_->Abort();
    return status;
  }
  runner_->ReportDone(progress_, start_, static_cast<int>(passes_.size()));

  // Over MPI the reduce folded this attempt's times into rank 0's state.
  RunStats stats = distributed() ? BuildStats(0, 0) : BuildStats(wall, cpu);
  if (!config_.annotate) WINNOW_RETURN_IF_ERROR(Publish(stats));
  if ((!distributed() || ranks_->rank() == 0) && !stats.AccountingHolds()) {
    return Status::Internal("accounting mismatch: " + std::to_string(stats.input_records) +
                            " input records != kept " + std::to_string(stats.kept.docs) +
                            " + removed " + std::to_string(stats.removed.docs) + " + rejected " +
                            std::to_string(stats.rejected));
  }
  return stats;
}

RunStats Executor::BuildStats(double wall, double cpu) {
  RunStats stats;
  stats.command = command_;
  stats.threads = threads_;
  stats.wall_seconds = state_.wall_seconds + wall;
  stats.cpu_seconds = state_.cpu_seconds + cpu;
  stats.attempts = state_.attempts;
  stats.passes = static_cast<int>(passes_.size());
  stats.config_yaml = ConfigYaml(config_);
  if (report_) stats.report_json = report_->ToJson();
  stats.memory_budget = config_.memory_budget;
  stats.spilled_bytes = state_.spilled_bytes;
  stats.peak_rss_bytes = std::max(peak_rss_, PeakRssBytes());
  stats.memory = memory_;
  stats.ranks = distributed() ? ranks_->size() : 1;
  stats.files = inputs_.shards.size();
  stats.input_records = state_.tally.input_records;
  stats.input_bytes = state_.tally.input_bytes;
  stats.compressed_bytes = inputs_.total_bytes;
  stats.blank_lines = state_.tally.blank_lines;
  stats.skipped_records = state_.tally.skipped_records;
  stats.kept = state_.kept;
  stats.removed = state_.removed;
  stats.rejected = state_.rejected;
  stats.removed_by_reason = state_.removed_by_reason;
  stats.rejected_by_kind = state_.rejected_by_kind;

  auto named = [](StageStats st, std::string_view name) {
    st.name = std::string(name);
    return st;
  };
  stats.stages.push_back(named(state_.tally.read, "read"));
  stats.stages.push_back(named(state_.tally.parse, "parse"));
  for (size_t s = 0; s < stages_.size(); ++s) {
    stats.stages.push_back(named(state_.tally.stages[s], stages_[s]->name()));
  }
  stats.stages.push_back(named(state_.tally.encode, "encode"));
  stats.stages.push_back(named(state_.write, "write"));
  for (const auto& [k, v] : state_.tally.counters.values()) stats.counters[std::string(k)] = v;
  stats.counters["io.skipped_files"] = static_cast<int64_t>(inputs_.skipped.size());
  stats.notes = inputs_.notes;
  return stats;
}

}  // namespace

Result<std::vector<std::unique_ptr<Stage>>> CreateStages(const RunConfig& config,
                                                         const StageRegistry& registry,
                                                         bool pages) {
  std::vector<std::unique_ptr<Stage>> stages;
  // Pages (WARC responses, .html files) are HTML until `extract` has read them: it runs
  // first, added when the configuration does not name it. Only stages that read the URL
  // alone (`url_filter`, FineWeb's first step: no page it drops is parsed) may come before it.
  size_t url_only = 0;
  while (url_only < config.stages.size() && config.stages[url_only].name == "url_filter") {
    ++url_only;
  }
  for (size_t i = url_only + 1; i < config.stages.size(); ++i) {
    if (config.stages[i].name == "extract") {
      return Status::InvalidArgument(
          "stage extract must come first, or after url_filter only (stages before it would "
          "read HTML)");
    }
  }
  const bool named = url_only < config.stages.size() && config.stages[url_only].name == "extract";
  for (size_t i = 0; i < config.stages.size(); ++i) {
    if (pages && !named && i == url_only) {
      WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<Stage> extract, registry.Create("extract", {}));
      stages.push_back(std::move(extract));
    }
    const StageConfig& sc = config.stages[i];
    WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<Stage> stage,
                            registry.Create(sc.name, sc.options, sc.per_language));
    for (const auto& earlier : stages) {
      if (earlier->name() == stage->name()) {
        return Status::InvalidArgument("two stages are named '" + std::string(stage->name()) +
                                       "'; stage names must be distinct (a classifier takes "
                                       "name: ...)");
      }
    }
    stages.push_back(std::move(stage));
  }
  if (pages && !named && url_only == config.stages.size()) {
    WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<Stage> extract, registry.Create("extract", {}));
    stages.push_back(std::move(extract));
  }
  return stages;
}

Result<RunStats> RunPipeline(const RunConfig& config, const StageRegistry& registry,
                             std::string_view command, const ProgressFn& progress) {
  if (config.inputs.empty()) return Status::InvalidArgument("no input files");
  WINNOW_ASSIGN_OR_RETURN(io::InputList inputs, io::ExpandInputs(config.inputs, config.reader));
  if (inputs.shards.empty()) {
    return Status::InvalidArgument("no input files with a known format in the given inputs");
  }
  bool pages = false;
  for (const io::Shard& s : inputs.shards) {
    pages |= s.format == io::InputFormat::kWarc || s.format == io::InputFormat::kHtml;
  }
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<Stage>> stages,
                          CreateStages(config, registry, pages));
  Executor executor(config, std::move(stages), std::move(inputs), command, progress);
  return executor.Run();
}

}  // namespace winnow::pipeline
