#include "winnow/pipeline/executor.h"

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

#include "winnow/core/exchange.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/name_table.h"
#include "winnow/core/wire.h"
#include "winnow/core/tsan.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/io/doc_spill.h"
#include "winnow/io/inputs.h"
#include "winnow/io/part_file.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/io/zstd_frame.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/report.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The writer saves a checkpoint when a shard is complete, at most this often.
constexpr std::chrono::milliseconds kCheckpointEvery{1000};

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

uint64_t PeakRssBytes() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<uint64_t>(u.ru_maxrss) * 1024;  // Linux reports KiB
}

// Runs a stage's code, turning an exception it lets escape into an error: the run then fails
// cleanly (every batch in flight is recycled, nothing half-written is committed) instead of
// unwinding through the pipeline.
template <typename F>
Status Guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("threw an exception: ") + e.what());
  } catch (...) {
    return Status::Internal("threw an unknown exception");
  }
}

// A batch travelling through the pipeline with its encoded outputs.
struct Work {
  Batch batch;
  std::string kept, removed, rejected;  // encoded (and compressed) output bytes
  // Between passes: `kept` holds the spill frame of every document, `ids` the (ordinal, id)
  // records of the documents the pass's global stages mapped.
  std::string ids;
  uint64_t spill_raw = 0, spill_docs = 0;
  // What happened to the batch's documents; the writer adds it to the run's state in input
  // order, so a checkpoint after shard k holds exactly the tallies of shards 0..k.
  Tallies tally;
  // A batch read back from the running pass's own spill after a resume, only so the pass's
  // global stages map its keys again: no stage runs on it and nothing is written.
  bool replay = false;
  uint64_t records_end = 0;  // first pass: 1 + the largest ordinal the batch holds

  // Empties the work for reuse, keeping buffer capacity: fresh multi-MB buffers for every
  // batch cost page faults that showed up as a third of the reader's time.
  void Reset() {
    Batch& b = batch;
    b.input.clear();
    b.records.clear();
    b.docs.clear();
    b.rejected.clear();
    b.scratch.clear();
    b.last_in_shard = false;
    b.input_bytes = b.compressed_end = 0;
    kept.clear();
    removed.clear();
    rejected.clear();
    ids.clear();
    spill_raw = spill_docs = 0;
    replay = false;  // tally: Read() clears and sizes it for every batch it hands out
    records_end = 0;
  }
};

// Work objects returned by the writer, handed out again by the reader. At most the number of
// pipeline tokens are ever alive, so the pool stays that small.
class WorkPool {
 public:
  std::unique_ptr<Work> Get() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<Work>();
    std::unique_ptr<Work> w = std::move(free_.back());
    free_.pop_back();
    return w;
  }
  void Put(std::unique_ptr<Work> w) {
    w->Reset();
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(w));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Work>> free_;
};

// A run of stages executed by one parallel filter, optionally closed by an ordered stage
// whose Process() runs in the serial filter after it.
struct Segment {
  std::vector<size_t> parallel;  // indices into the stage list
  int ordered = -1;              // index of the closing ordered stage, or -1
};

// One pass over the documents (see executor.h). Indices are into the stage list.
struct PassPlan {
  bool from_input = true;      // the first pass reads the inputs; later ones the spill
  std::vector<size_t> apply;   // global stages whose decisions are applied first
  std::vector<size_t> stages;  // per-document stages, in order
  std::vector<size_t> map;     // global stages whose keys are taken at the end
  bool final() const { return map.empty(); }
};

// Cuts the stage list into passes: per-document stages run in the pass where they come; a
// run of global stages is mapped together at the end of a pass, up to one that edits text
// (whose edits the next stages must see); the next pass applies their decisions.
std::vector<PassPlan> PlanPasses(const std::vector<std::unique_ptr<Stage>>& stages) {
  std::vector<PassPlan> passes(1);
  for (size_t s = 0; s < stages.size(); ++s) {
    PassPlan& cur = passes.back();
    const bool global = stages[s]->mode() == Stage::Mode::kGlobal;
    bool cut = false;
    if (!cur.map.empty()) {
      const auto* last = static_cast<const GlobalStage*>(stages[cur.map.back()].get());
      cut = !global || last->edits_text();
    }
    if (cut) {
      PassPlan next;
      next.from_input = false;
      next.apply = cur.map;
      passes.push_back(std::move(next));
    }
    (global ? passes.back().map : passes.back().stages).push_back(s);
  }
  if (!passes.back().map.empty()) {
    PassPlan last;
    last.from_input = false;
    last.apply = passes.back().map;
    passes.push_back(std::move(last));
  }
  return passes;
}

// Runs a global stage's decisions as the first step of a pass.
class ApplyWorker final : public StageWorker {
 public:
  explicit ApplyWorker(const GlobalDecisions* decisions) : decisions_(decisions) {}
  Status Process(Batch& batch) override { return decisions_->Apply(batch); }

 private:
  const GlobalDecisions* decisions_;
};

// The documents a map pass saw, from the (ordinal, id) files its writer left per shard.
class SpilledDirectory final : public DocDirectory {
 public:
  SpilledDirectory(std::vector<std::string> files, std::vector<uint64_t> shard_records)
      : files_(std::move(files)), shard_records_(std::move(shard_records)) {}

  Status ForEach(const std::function<Status(DocRef, std::string_view)>& fn) const override {
    std::string bytes;
    for (size_t shard = 0; shard < files_.size(); ++shard) {
      std::error_code ec;
      if (!fs::exists(files_[shard], ec)) continue;  // a shard without mapped documents
      std::FILE* f = std::fopen(files_[shard].c_str(), "rb");
      if (f == nullptr) return Status::IOError("cannot open " + files_[shard]);
      std::string id;
      while (true) {
        uint64_t ordinal;
        uint32_t len;
        if (std::fread(&ordinal, sizeof(ordinal), 1, f) != 1) break;
        if (std::fread(&len, sizeof(len), 1, f) != 1) {
          std::fclose(f);
          return Status::Corrupt(files_[shard] + ": truncated");
        }
        id.resize(len);
        if (len > 0 && std::fread(id.data(), 1, len, f) != len) {
          std::fclose(f);
          return Status::Corrupt(files_[shard] + ": truncated");
        }
        Status st = fn(PackDoc(Provenance{static_cast<uint32_t>(shard), ordinal}), id);
        if (!st.ok()) {
          std::fclose(f);
          return st;
        }
      }
      std::fclose(f);
    }
    return Status::OK();
  }
  const std::vector<uint64_t>& shard_records() const override { return shard_records_; }

 private:
  std::vector<std::string> files_;
  std::vector<uint64_t> shard_records_;
};

// Everything one worker thread owns.
struct ThreadState {
  io::RecordParser parser;
  std::unique_ptr<io::ZstdFrameCompressor> compressor;
  std::vector<std::unique_ptr<StageWorker>> workers;  // one per per-document stage
  std::vector<std::unique_ptr<GlobalMapper>> mappers; // global stages mapped in this pass
  std::vector<std::unique_ptr<StageWorker>> appliers; // global decisions applied in this pass
  std::unique_ptr<io::ZstdFrameCompressor> spill_compressor;
  Counters counters;  // the workers' and mappers'; moved into the batch's tally after each step
  std::string lines;                                  // encode scratch
  std::vector<uint8_t> alive;                         // stage accounting scratch
  filter::FilterScratch filter_scratch;               // annotate mode
};

// An exclusive lock on the output directory for the run's lifetime, so that two runs never
// write one directory (say, a resumed run while the killed one's job is still alive). The
// kernel drops it when the process dies, however it dies.
class DirectoryLock {
 public:
  DirectoryLock() = default;
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  Status Lock(const std::string& dir) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) return Status::IOError("cannot open output directory " + dir);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::InvalidArgument("another winnow run is writing " + dir +
                                     " (wait for it to end, or stop it)");
    }
    return Status::OK();
  }

 private:
  int fd_ = -1;
};

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
  Status PrepareOutput();
  Status PrepareOutputAlone();
  Status LockOutput();
  Status PrepareOutputOverRanks();
  Status AgreeOnResume(Status loaded);
  Status KeepAsPrevious();
  Status ReduceOverRanks(double wall, double cpu);
  Result<std::map<DocRef, DocRef>> ExampleSample();
  std::string_view ExchangeCounter(size_t stage);
  bool distributed() const { return exchange_ != nullptr; }
  std::string RankSuffix() const;
  Status PrepareAnnotateOutput();
  // Loads `path` (default: this rank's checkpoint); *found false when there is none.
  Status LoadCheckpoint(bool* found, std::string path = "");
  Status SaveCheckpoint(uint32_t pass, uint64_t shards_done);
  Status LoadDecisions();
  void Annotate(Work* w);
  Status CreateWorkers();
  void BuildSegments(const PassPlan& pass);
  Status RunPass(size_t index, uint64_t first_shard);
  Status FinishWorkers(const PassPlan& pass);
  void DrainLocalCounters();
  Status BeginGlobals(const PassPlan& pass);
  Status GroupGlobals(const PassPlan& pass);
  RunStats BuildStats(double wall, double cpu);
  void Notice(std::string message);
  std::string PassDir(size_t pass) const;
  std::string SpillPath(size_t pass, uint32_t shard) const;
  std::string IdsPath(size_t pass, uint32_t shard) const;
  std::string DecisionsPath(size_t stage) const;
  std::string CheckpointPath() const;

  Work* Read(tbb::flow_control& fc);
  Work* ReadSpill(size_t pass, uint64_t end);
  void ParseAndRun(Work* w, const Segment& seg, bool first, bool last);
  void RunOrdered(Work* w, size_t stage);
  void Encode(Work* w);
  void Write(Work* w);

  // Runs `worker` on `batch` as stage `index`, tallying documents in/out and removals.
  Status Apply(StageWorker* worker, Batch& batch, StageStats& stats, std::vector<uint8_t>& alive,
               bool prepare);
  ThreadState& Local();
  void Fail(Status status);
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  std::string PartPath(std::string_view kind, uint32_t shard) const;
  Status OpenPart(io::PartFile& part, const std::string& path);
  void MaybeReportProgress(bool done);

  const RunConfig& config_;
  std::vector<std::unique_ptr<Stage>> stages_;
  io::InputList inputs_;
  std::string command_;
  const ProgressFn& progress_;
  int threads_ = 1;

  DirectoryLock output_lock_;
  // Over MPI: the ranks, and this rank's shards [my_first_, my_end_); alone: all shards.
  Exchange* exchange_ = nullptr;
  uint64_t my_first_ = 0, my_end_ = 0;
  bool has_checkpoint_ = false;  // this rank loaded a checkpoint
  std::vector<PassPlan> passes_;
  size_t pass_ = 0;  // the pass running
  const PassPlan* plan_ = nullptr;
  std::string work_dir_;  // OUT/.winnow-work: spills, the global stages' keys and decisions
  std::vector<std::unique_ptr<GlobalDecisions>> decisions_;  // per stage index
  NameTable names_;                      // names read back from spills and checkpoints
  std::unique_ptr<ReportCollector> report_;  // the last pass's observations
  std::vector<ReportCollector::StageThreshold> report_thresholds_;
  std::map<DocRef, DocRef> report_sample_;  // dedup examples: removed document -> kept
  uint64_t peak_rss_ = 0;                   // over MPI: the largest of the ranks
  std::vector<Segment> segments_;
  std::vector<std::unique_ptr<ThreadState>> locals_;
  // Ordered stages: one worker each, used only from their serial filter.
  std::vector<std::unique_ptr<StageWorker>> ordered_workers_;
  std::vector<Counters> ordered_counters_;
  std::vector<uint8_t> ordered_alive_;

  // Checkpoints (checkpoint.h). The state is the writer's: batches add their tallies to it in
  // input order.
  RunState state_;
  uint64_t config_digest_ = 0, inputs_digest_ = 0;
  size_t resume_pass_ = 0;          // where a resumed run starts
  uint64_t resume_shard_ = 0;
  std::string resume_report_;       // the last pass's report state at the checkpoint
  bool complete_ = false;           // the checkpoint says the run had finished
  bool checkpoint_shards_ = false;  // the running pass saves a checkpoint per shard
  Clock::time_point last_checkpoint_{};
  double cpu_start_ = 0;

  WorkPool pool_;
  std::atomic<bool> failed_{false};
  std::mutex error_mu_;
  Status error_;

  // Reader state (serial filter).
  size_t next_shard_ = 0;
  uint64_t replay_end_ = 0;  // shards below it are replayed from the running pass's spill
  std::unique_ptr<io::RecordReader> reader_;
  std::unique_ptr<io::SpillReader> spill_reader_;
  uint64_t sequence_ = 0;
  double read_seconds_ = 0;  // the reader's time outside any batch (end of input)

  // Writer state (serial filter).
  io::PartFile kept_part_, removed_part_, rejected_part_;
  io::SpillWriter spill_part_;  // between passes
  io::PartFile ids_part_;
  io::PartFile annotate_file_;   // annotate mode, to a file
  bool annotate_stdout_ = false; // annotate mode, to standard output
  std::vector<const filter::FilterStage*> filters_;  // annotate mode: the filter stages
  Clock::time_point start_;
  Clock::time_point last_progress_;
  uint64_t progress_records_ = 0, progress_bytes_ = 0;
  uint64_t progress_compressed_ = 0;   // consumed of the shard being written
  uint64_t progress_shard_done_ = 0;   // sizes of the shards written completely
};

ThreadState& Executor::Local() {
  int index = tbb::this_task_arena::current_thread_index();
  WINNOW_CHECK(index >= 0 && index < static_cast<int>(locals_.size()));
  return *locals_[static_cast<size_t>(index)];
}

void Executor::Fail(Status status) {
  std::lock_guard<std::mutex> lock(error_mu_);
  if (error_.ok()) error_ = std::move(status);
  failed_.store(true, std::memory_order_relaxed);
}

Status Executor::PrepareOutput() {
  return distributed() ? PrepareOutputOverRanks() : PrepareOutputAlone();
}

namespace {

constexpr std::string_view kOwned[] = {"kept",       "removed",     "rejected",
                                       "stats.json", "report.html", ".winnow-work"};

// The world sizes of the checkpoints in `out` (1 for a single process's).
std::set<int> CheckpointWorlds(const fs::path& out) {
  std::set<int> worlds;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == ".winnow-checkpoint") worlds.insert(1);
    const size_t of = name.rfind("-of-");
    if (name.starts_with(".winnow-checkpoint.rank-") && of != std::string::npos) {
      worlds.insert(std::atoi(name.c_str() + of + 4));
    }
  }
  return worlds;
}

Status ClearOwned(const fs::path& out) {
  std::error_code ec;
  for (std::string_view name : kOwned) {
    fs::remove_all(out / name, ec);
    if (ec) return Status::IOError("cannot clear " + (out / name).string() + ": " + ec.message());
  }
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    if (entry.path().filename().string().starts_with(".winnow-checkpoint")) fs::remove(entry.path(), ec);
  }
  for (std::string_view dir : {"kept", "removed", "rejected"}) {
    fs::create_directories(out / dir, ec);
    if (ec) return Status::IOError("cannot create " + (out / dir).string() + ": " + ec.message());
  }
  return Status::OK();
}

// Parts a killed attempt was writing are redone from their shard's start.
Status RemoveTemporaryParts(const fs::path& out) {
  std::error_code ec;
  for (std::string_view dir : {"kept", "removed", "rejected"}) {
    fs::create_directories(out / dir, ec);
    if (ec) return Status::IOError("cannot create " + (out / dir).string() + ": " + ec.message());
    for (const auto& entry : fs::directory_iterator(out / dir, ec)) {
      if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
    }
  }
  return Status::OK();
}

// A fresh run: refuses an OUT that holds a run (unless overwriting), then empties it.
Status StartAfresh(const fs::path& out, bool overwrite) {
  bool has_run = !CheckpointWorlds(out).empty();
  for (std::string_view name : kOwned) has_run |= fs::exists(out / name);
  if (has_run && !overwrite) {
    return Status::InvalidArgument("output directory already holds a run: " + out.string() +
                                   " (pass --overwrite to replace it, or --resume to continue "
                                   "it)");
  }
  return ClearOwned(out);
}

// A rank's status, for the others: every rank then returns the same error.
void PutStatus(WireWriter& w, const Status& st) {
  w.PutVarint(static_cast<uint64_t>(st.code()));
  w.PutString(st.message());
}
Status GetStatus(WireReader& r) {
  const auto code = static_cast<StatusCode>(r.GetVarint());
  const std::string message(r.GetString());
  return code == StatusCode::kOk ? Status::OK() : Status(code, message);
}

Status OtherWorld(const fs::path& out, int world) {
  for (int w : CheckpointWorlds(out)) {
    if (w != world) {
      return Status::InvalidArgument(
          "cannot resume the run in " + out.string() + ": it was started with " +
          std::to_string(w) + (w == 1 ? " process" : " ranks") + " and this is " +
          std::to_string(world) + "; resume it with " + std::to_string(w) +
          " (the shards' assignment depends on it), or start again with --overwrite");
    }
  }
  return Status::OK();
}

}  // namespace

// Over MPI: rank 0 checks and prepares OUT (and holds its lock), tells every rank its verdict,
// then each rank loads its own checkpoint and the ranks agree where to start.
Status Executor::PrepareOutputOverRanks() {
  bool resuming = false;
  Status st;
  if (exchange_->rank() == 0) {
    st = [&]() -> Status {
      WINNOW_RETURN_IF_ERROR(LockOutput());
      const fs::path out(config_.output);
      if (config_.resume) {
        WINNOW_RETURN_IF_ERROR(OtherWorld(out, exchange_->size()));
        resuming = !CheckpointWorlds(out).empty();
        // No checkpoint: no rank finished a shard (or the run never started). Start afresh.
        return resuming ? RemoveTemporaryParts(out) : ClearOwned(out);
      }
      return StartAfresh(out, config_.overwrite);
    }();
  }
  WireWriter w;
  PutStatus(w, st);
  w.PutBool(resuming);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
  WireReader r(all[0]);
  WINNOW_RETURN_IF_ERROR(GetStatus(r));
  resuming = r.GetBool();
  Status loaded = resuming ? LoadCheckpoint(&has_checkpoint_) : Status::OK();
  return AgreeOnResume(loaded);
}

// Every rank's checkpoint names a pass; the ranks start together at the earliest. A rank that
// got one collective step further (it saved its checkpoint after a group step that another
// rank did not live to save) goes back to the checkpoint it kept before that step. Any rank's
// error ends them all with the first such error.
Status Executor::AgreeOnResume(Status loaded) {
  WireWriter w;
  PutStatus(w, loaded);
  w.PutVarint(has_checkpoint_ ? resume_pass_ : 0);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
  size_t pass = passes_.size();
  for (const std::string& bytes : all) {
    WireReader r(bytes);
    WINNOW_RETURN_IF_ERROR(GetStatus(r));
    pass = std::min<size_t>(pass, r.GetVarint());
  }
  if (has_checkpoint_ && resume_pass_ > pass) {
    const std::string previous = CheckpointPath() + ".previous";
    bool found = false;
    Status st = LoadCheckpoint(&found, previous);
    if (st.ok() && (!found || resume_pass_ != pass)) {
      st = Status::Corrupt(previous + ": this rank's checkpoints do not reach back to pass " +
                           std::to_string(pass + 1) + " where another rank stopped; start the "
                           "run again with --overwrite");
    }
    loaded = st;
  }
  WINNOW_ASSIGN_OR_RETURN(bool any_failed, exchange_->AnyAll(!loaded.ok()));
  if (any_failed) {
    if (!loaded.ok()) return loaded;
    return Status::Corrupt("cannot resume the run in " + config_.output + ": another rank's "
                           "checkpoint cannot be used (its rank says why)");
  }
  complete_ = pass == passes_.size();
  return Status::OK();
}

// Creates OUT and holds its lock for the run's lifetime.
Status Executor::LockOutput() {
  if (config_.output.empty()) return Status::InvalidArgument("no output directory (-o OUT)");
  std::error_code ec;
  fs::create_directories(config_.output, ec);
  if (ec) {
    return Status::IOError("cannot create output directory: " + config_.output + ": " + ec.message());
  }
  return output_lock_.Lock(config_.output);
}

Status Executor::PrepareOutputAlone() {
  WINNOW_RETURN_IF_ERROR(LockOutput());
  const fs::path out(config_.output);
  if (config_.resume) {
    WINNOW_RETURN_IF_ERROR(OtherWorld(out, 1));
    bool found = false;
    WINNOW_RETURN_IF_ERROR(LoadCheckpoint(&found));
    if (found) {
      return RemoveTemporaryParts(out);
    }
    // No checkpoint: the run never finished a shard (or never started). Start afresh.
    return ClearOwned(out);
  }
  return StartAfresh(out, config_.overwrite);
}

std::string Executor::CheckpointPath() const {
  return (fs::path(config_.output) / (".winnow-checkpoint" + RankSuffix())).string();
}

// Over MPI each rank has its own checkpoint, decisions and stage directories.
std::string Executor::RankSuffix() const {
  if (!distributed()) return "";
  return ".rank-" + std::to_string(exchange_->rank()) + "-of-" + std::to_string(exchange_->size());
}

Status Executor::KeepAsPrevious() {
  const std::string path = CheckpointPath();
  WINNOW_ASSIGN_OR_RETURN(std::string bytes, io::ReadFileFully(path));
  return io::WriteFileAtomically(path + ".previous", bytes);
}

std::string Executor::DecisionsPath(size_t stage) const {
  return (fs::path(work_dir_) / ("decisions-" + std::to_string(stage + 1) + RankSuffix() + ".bin"))
      .string();
}

Status Executor::LoadCheckpoint(bool* found, std::string path) {
  *found = false;
  if (path.empty()) path = CheckpointPath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::OK();
  WINNOW_ASSIGN_OR_RETURN(std::string bytes, io::ReadFileFully(path));
  Result<Checkpoint> loaded = DecodeCheckpoint(bytes, names_);
  if (!loaded.ok()) {
    return Status::Corrupt(path + ": " + std::string(loaded.status().message()) +
                           "; start the run again with --overwrite");
  }
  Checkpoint& c = *loaded;
  const std::string cannot = "cannot resume the run in " + config_.output + ": ";
  if (c.config_digest != config_digest_) {
    return Status::InvalidArgument(cannot + "the configuration (stages, options, reader, writer "
                                   "or on_error) differs from the one it started with; restore "
                                   "it, or start again with --overwrite");
  }
  if (c.inputs_digest != inputs_digest_) {
    return Status::InvalidArgument(cannot + "the input files (names, sizes or modification "
                                   "times) changed since it started; restore them, or start "
                                   "again with --overwrite");
  }
  if (c.pass > passes_.size() || c.shards_done > inputs_.shards.size() ||
      c.state.tally.stages.size() != stages_.size() ||
      c.state.shard_records.size() != inputs_.shards.size()) {
    return Status::Corrupt(path + ": does not match this run's passes and shards; start the run "
                           "again with --overwrite");
  }
  state_ = std::move(c.state);
  state_.attempts += 1;
  resume_pass_ = c.pass;
  resume_shard_ = c.shards_done;
  resume_report_ = std::move(c.report);
  complete_ = c.pass == passes_.size();
  if (resume_pass_ == 0) {
    // The first pass counts records as it reads: shards it had not finished start again.
    for (size_t i = resume_shard_; i < state_.shard_records.size(); ++i) state_.shard_records[i] = 0;
  }
  *found = true;
  return Status::OK();
}

Status Executor::SaveCheckpoint(uint32_t pass, uint64_t shards_done) {
  last_checkpoint_ = Clock::now();
  Checkpoint c;
  c.config_digest = config_digest_;
  c.inputs_digest = inputs_digest_;
  c.pass = pass;
  c.shards_done = shards_done;
  c.state = state_;
  c.state.wall_seconds += SecondsSince(start_);
  c.state.cpu_seconds += CpuSeconds() - cpu_start_;
  if (report_ && pass == pass_ && shards_done > 0) {
    WireWriter w;
    report_->Save(w);
    c.report = std::move(w.bytes());
  }
  return io::WriteFileAtomically(CheckpointPath(), EncodeCheckpoint(c));
}

Status Executor::LoadDecisions() {
  for (size_t q = 0; q < resume_pass_ && q < passes_.size(); ++q) {
    for (size_t s : passes_[q].map) {
      const std::string path = DecisionsPath(s);
      Result<std::string> bytes = io::ReadFileFully(path);
      if (!bytes.ok()) {
        return Status::IOError("cannot resume: " + path + " (saved dedup decisions) is missing; "
                               "start the run again with --overwrite");
      }
      auto* g = static_cast<GlobalStage*>(stages_[s].get());
      Result<std::unique_ptr<GlobalDecisions>> d = g->LoadDecisions(*bytes);
      if (!d.ok()) return d.status().WithContext(path);
      decisions_[s] = std::move(d).value();
      for (auto& local : locals_) local->appliers[s] = std::make_unique<ApplyWorker>(decisions_[s].get());
    }
  }
  return Status::OK();
}

void Executor::Notice(std::string message) {
  if (!progress_) return;
  Progress p;
  p.pass = static_cast<int>(resume_pass_) + 1;
  p.passes = static_cast<int>(passes_.size());
  p.notice = std::move(message);
  progress_(p);
}

Status Executor::PrepareAnnotateOutput() {
  for (const auto& stage : stages_) {
    if (auto* f = dynamic_cast<const filter::FilterStage*>(stage.get())) filters_.push_back(f);
  }
  if (config_.annotate_output.empty() || config_.annotate_output == "-") {
    annotate_stdout_ = true;
    return Status::OK();
  }
  WINNOW_ASSIGN_OR_RETURN(annotate_file_, io::PartFile::Create(config_.annotate_output));
  return Status::OK();
}

Status Executor::CreateWorkers() {
  locals_.resize(static_cast<size_t>(threads_));
  for (int t = 0; t < threads_; ++t) {
    auto local = std::make_unique<ThreadState>();
    if (config_.compress) {
      local->compressor = std::make_unique<io::ZstdFrameCompressor>(config_.compression_level);
    }
    WorkerContext ctx;
    ctx.thread = t;
    ctx.threads = threads_;
    ctx.counters = &local->counters;
    local->workers.resize(stages_.size());
    local->mappers.resize(stages_.size());
    local->appliers.resize(stages_.size());
    for (size_t s = 0; s < stages_.size(); ++s) {
      if (stages_[s]->mode() == Stage::Mode::kGlobal) continue;
      WINNOW_ASSIGN_OR_RETURN(local->workers[s], stages_[s]->NewWorker(ctx));
    }
    if (passes_.size() > 1) local->spill_compressor = std::make_unique<io::ZstdFrameCompressor>(1);
    locals_[static_cast<size_t>(t)] = std::move(local);
  }
  ordered_workers_.resize(stages_.size());
  ordered_counters_.resize(stages_.size());
  for (size_t s = 0; s < stages_.size(); ++s) {
    if (stages_[s]->mode() != Stage::Mode::kOrdered) continue;
    WorkerContext ctx;
    ctx.counters = &ordered_counters_[s];
    WINNOW_ASSIGN_OR_RETURN(ordered_workers_[s], stages_[s]->NewWorker(ctx));
  }
  return Status::OK();
}

void Executor::BuildSegments(const PassPlan& pass) {
  segments_.clear();
  segments_.emplace_back();
  for (size_t s : pass.stages) {
    if (stages_[s]->mode() == Stage::Mode::kOrdered) {
      segments_.back().ordered = static_cast<int>(s);
      segments_.emplace_back();
    } else {
      segments_.back().parallel.push_back(s);
    }
  }
}

// Reads the next batch of `pass`'s spill, for shards below `end`; nullptr when there is none
// (or on failure).
Work* Executor::ReadSpill(size_t pass, uint64_t end) {
  while (!failed()) {
    if (!spill_reader_) {
      if (next_shard_ >= end) break;
      std::string path = SpillPath(pass, static_cast<uint32_t>(next_shard_));
      std::error_code ec;
      if (!fs::exists(path, ec)) {  // no document of this shard reached the pass's end
        ++next_shard_;
        continue;
      }
      Result<std::unique_ptr<io::SpillReader>> r = io::SpillReader::Open(path);
      if (!r.ok()) {
        Fail(r.status());
        break;
      }
      spill_reader_ = std::move(r).value();
    }
    std::unique_ptr<Work> w = pool_.Get();
    w->tally.Clear(stages_.size());
    Batch& b = w->batch;
    Result<bool> more = spill_reader_->Next(b);
    if (!more.ok()) {
      Fail(more.status());
      break;
    }
    if (!*more) {
      spill_reader_.reset();
      ++next_shard_;
      pool_.Put(std::move(w));
      continue;
    }
    b.sequence = sequence_++;
    b.shard = static_cast<uint32_t>(next_shard_);
    b.source = inputs_.shards[next_shard_].path;
    b.last_in_shard = spill_reader_->at_end();
    if (b.last_in_shard) {
      spill_reader_.reset();
      ++next_shard_;
    }
    return w.release();
  }
  return nullptr;
}

Work* Executor::Read(tbb::flow_control& fc) {
  auto t0 = Clock::now();
  if (next_shard_ < replay_end_) {
    // Resumed in the middle of a map pass: the finished shards' documents, as this pass left
    // them in its spill, go to the global stages' mappers again.
    Work* w = ReadSpill(pass_, replay_end_);
    if (w != nullptr) {
      w->replay = true;
      w->tally.read.seconds += SecondsSince(t0);
      return w;
    }
    next_shard_ = replay_end_;
  }
  if (!failed() && !plan_->from_input) {
    Work* w = ReadSpill(pass_ - 1, my_end_);
    if (w != nullptr) {
      w->tally.read.in.Add(0, w->batch.input_bytes);
      w->tally.read.out.Add(0, w->batch.input_bytes);
      w->tally.read.seconds += SecondsSince(t0);
      return w;
    }
  }
  while (!failed() && plan_->from_input) {
    if (!reader_) {
      if (next_shard_ >= my_end_) break;
      const io::Shard& shard = inputs_.shards[next_shard_];
      reader_ = io::OpenRecordReader(
          shard.path, shard.format, config_.reader);
    }
    std::unique_ptr<Work> w = pool_.Get();
    w->tally.Clear(stages_.size());
    Tallies& t = w->tally;
    Batch& b = w->batch;
    b.sequence = sequence_++;
    b.shard = static_cast<uint32_t>(next_shard_);
    b.source = inputs_.shards[next_shard_].path;
    bool more = reader_->Next(b);
    // The writer owns the run's state: the shard's record count travels with the batch.
    uint64_t& records = w->records_end;
    for (const RecordRef& r : b.records) records = std::max(records, r.ordinal + 1);
    for (const Rejected& r : b.rejected) records = std::max(records, r.ordinal + 1);
    t.input_records += b.records.size() + b.rejected.size();
    t.input_bytes += b.input_bytes;
    t.read.in.Add(b.records.size(), b.input_bytes);
    t.read.out.Add(b.records.size(), b.input_bytes);
    if (!more) {
      t.blank_lines += reader_->blank_lines();
      if (const auto* skipped = reader_->skipped_records()) {
        for (const auto& [why, count] : *skipped) t.skipped_records[why] += count;
      }
      b.compressed_end = 0;
      reader_.reset();
      ++next_shard_;
    }
    t.read.seconds += SecondsSince(t0);
    return w.release();
  }
  read_seconds_ += SecondsSince(t0);
  fc.stop();
  return nullptr;
}

Status Executor::Apply(StageWorker* worker, Batch& batch, StageStats& stats,
                       std::vector<uint8_t>& alive, bool prepare) {
  auto t0 = Clock::now();
  if (prepare) {
    Status st = Guarded([&] { return worker->Prepare(batch); });
    stats.seconds += SecondsSince(t0);
    return st;
  }
  alive.resize(batch.docs.size());
  for (size_t i = 0; i < batch.docs.size(); ++i) {
    const Document& d = batch.docs[i];
    alive[i] = !d.removed();
    if (alive[i]) stats.in.Add(1, d.text.size());
  }
  Status st = Guarded([&] { return worker->Process(batch); });
  for (size_t i = 0; i < batch.docs.size(); ++i) {
    const Document& d = batch.docs[i];
    if (!alive[i]) continue;
    if (d.removed()) {
      AddTo(stats.removed, d.reason, Tally{1, d.text.size()});
    } else {
      stats.out.Add(1, d.text.size());
    }
  }
  stats.seconds += SecondsSince(t0);
  return st;
}

void Executor::ParseAndRun(Work* w, const Segment& seg, bool first, bool last) {
  if (failed()) return;
  ThreadState& local = Local();
  Batch& b = w->batch;
  Tallies& t = w->tally;
  if (first) {
    auto t0 = Clock::now();
    if (plan_->from_input && !w->replay) {
      uint64_t record_bytes = 0;
      for (const RecordRef& r : b.records) record_bytes += r.size;
      local.parser.ParseBatch(b);
      t.parse.in.Add(b.records.size(), record_bytes);
    } else {
      Status st = io::DecodeSpillRecords(b, names_);
      if (!st.ok()) return Fail(st);
      t.parse.in.Add(0, b.input_bytes);
    }
    for (const Document& d : b.docs) t.parse.out.Add(1, d.text.size());
    t.parse.seconds += SecondsSince(t0);
    for (size_t s : plan_->apply) {
      if (w->replay) break;
      Status st = Apply(local.appliers[s].get(), b, t.stages[s], local.alive, false);
      if (!st.ok()) return Fail(st.WithContext(stages_[s]->name()));
    }
  }
  for (size_t s : seg.parallel) {
    if (w->replay) break;
    Status st = Apply(local.workers[s].get(), b, t.stages[s], local.alive, false);
    if (!st.ok()) return Fail(st.WithContext(stages_[s]->name()));
  }
  if (seg.ordered >= 0 && !w->replay) {
    auto s = static_cast<size_t>(seg.ordered);
    Status st = Apply(local.workers[s].get(), b, t.stages[s], local.alive, true);
    if (!st.ok()) return Fail(st.WithContext(stages_[s]->name()));
  }
  if (last) {
    for (size_t s : plan_->map) {
      auto t0 = Clock::now();
      Status st = Guarded([&] { return local.mappers[s]->Map(b); });
      t.stages[s].seconds += SecondsSince(t0);
      if (!st.ok()) return Fail(st.WithContext(stages_[s]->name()));
    }
  }
}

void Executor::Annotate(Work* w) {
  if (failed()) return;
  ThreadState& local = Local();
  auto t0 = Clock::now();
  Batch& b = w->batch;
  for (Document& doc : b.docs) {
    for (const filter::FilterStage* f : filters_) {
      filter::Decision d = f->Annotate(doc, local.filter_scratch);
      std::string_view reason = d.reason;
      if (size_t colon = reason.find(':'); colon != std::string_view::npos) {
        reason.remove_prefix(colon + 1);
      }
      doc.outcomes.push_back(FilterOutcome{f->name(), d.keep, d.keep ? std::string_view() : reason});
    }
  }
  w->tally.parse.seconds += SecondsSince(t0);
}

void Executor::RunOrdered(Work* w, size_t s) {
  if (failed() || w->replay) return;
  Status st = Apply(ordered_workers_[s].get(), w->batch, w->tally.stages[s], ordered_alive_, false);
  if (!st.ok()) Fail(st.WithContext(stages_[s]->name()));
  w->tally.counters.Combine(ordered_counters_[s]);
  ordered_counters_[s] = Counters();
}

void Executor::Encode(Work* w) {
  if (failed() || w->replay) return;
  ThreadState& local = Local();
  auto t0 = Clock::now();
  const Batch& b = w->batch;
  uint64_t bytes = 0;
  auto emit = [&](std::string& out) -> Status {
    if (local.compressor) {
      Status st = local.compressor->Compress(local.lines, out);
      local.lines.clear();
      return st;
    }
    out.swap(local.lines);
    local.lines.clear();
    return Status::OK();
  };
  if (!plan_->final()) {
    // Between passes: every document goes to the spill; the mapped ones also to the ids.
    local.lines.clear();
    for (const Document& d : b.docs) {
      io::AppendSpillRecord(d, local.lines);
      if (d.removed()) continue;
      const uint64_t ordinal = d.where.ordinal;
      const auto len = static_cast<uint32_t>(d.id.size());
      w->ids.append(reinterpret_cast<const char*>(&ordinal), sizeof(ordinal));
      w->ids.append(reinterpret_cast<const char*>(&len), sizeof(len));
      w->ids += d.id;
    }
    w->spill_raw = local.lines.size();
    w->spill_docs = b.docs.size();
    bytes += local.lines.size();
    if (!local.lines.empty()) {
      Status st = local.spill_compressor->Compress(local.lines, w->kept);
      if (!st.ok()) return Fail(st);
    }
    local.lines.clear();
  }
  if (config_.annotate) {
    local.lines.clear();
    for (const Document& d : b.docs) io::AppendAnnotateLine(d, local.lines);
    bytes += local.lines.size();
    Status st = emit(w->kept);
    if (!st.ok()) return Fail(st);
  }
  for (bool want_removed : {false, true}) {
    if (config_.annotate || !plan_->final()) break;
    local.lines.clear();
    for (const Document& d : b.docs) {
      if (d.removed() != want_removed) continue;
      io::AppendDocumentLine(d, local.lines);
    }
    bytes += local.lines.size();
    Status st = emit(want_removed ? w->removed : w->kept);
    if (!st.ok()) return Fail(st);
  }
  if (!b.rejected.empty() && !config_.annotate && plan_->from_input) {
    // Reader rejections (line too long, damage at the end) and parse rejections interleave:
    // order them by position in the shard so the output does not depend on where they arose.
    std::vector<const Rejected*> order;
    for (const Rejected& r : b.rejected) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(), [](const Rejected* a, const Rejected* c) {
      return a->ordinal < c->ordinal;
    });
    local.lines.clear();
    for (const Rejected* r : order) io::AppendRejectedLine(*r, local.lines);
    Status st = emit(w->rejected);
    if (!st.ok()) return Fail(st);
  }
  w->tally.encode.in.Add(b.docs.size(), bytes);
  w->tally.encode.out.Add(b.docs.size(), w->kept.size() + w->removed.size());
  w->tally.encode.seconds += SecondsSince(t0);
}

std::string Executor::PartPath(std::string_view kind, uint32_t shard) const {
  char name[64];
  std::snprintf(name, sizeof(name), "part-%05u.jsonl%s", shard, config_.compress ? ".zst" : "");
  return (fs::path(config_.output) / kind / name).string();
}

Status Executor::OpenPart(io::PartFile& part, const std::string& path) {
  if (part.is_open()) return Status::OK();
  WINNOW_ASSIGN_OR_RETURN(part, io::PartFile::Create(path));
  return Status::OK();
}

std::string Executor::PassDir(size_t pass) const {
  return (fs::path(work_dir_) / ("pass-" + std::to_string(pass + 1))).string();
}

std::string Executor::SpillPath(size_t pass, uint32_t shard) const {
  char name[64];
  std::snprintf(name, sizeof(name), "spill-%05u.bin", shard);
  return (fs::path(PassDir(pass)) / name).string();
}

std::string Executor::IdsPath(size_t pass, uint32_t shard) const {
  char name[64];
  std::snprintf(name, sizeof(name), "ids-%05u.bin", shard);
  return (fs::path(PassDir(pass)) / name).string();
}

void Executor::Write(Work* w) {
  std::unique_ptr<Work> owned(w);
  struct Recycle {
    WorkPool& pool;
    std::unique_ptr<Work>& work;
    ~Recycle() { pool.Put(std::move(work)); }
  } recycle{pool_, owned};
  if (failed() || w->replay) return;
  auto t0 = Clock::now();
  const Batch& b = w->batch;
  if (config_.on_error == OnError::kFail && !b.rejected.empty()) {
    const Rejected* first = &b.rejected.front();
    for (const Rejected& r : b.rejected) {
      if (r.ordinal < first->ordinal) first = &r;
    }
    return Fail(Status::Corrupt(first->error));
  }
  for (const Rejected& r : b.rejected) {
    // An input that cannot be opened or read (it vanished, a disk error) is not bad data:
    // its documents are unknown, so skipping could not account for them. The run stops, and
    // resumes once the file is back.
    if (r.kind == "io") return Fail(Status::IOError("cannot read input: " + r.error));
  }
  Status st;
  if (config_.annotate) {
    if (annotate_stdout_) {
      std::string_view out = w->kept;
      while (!out.empty() && st.ok()) {
        size_t n = std::fwrite(out.data(), 1, out.size(), stdout);
        if (n == 0) st = Status::IOError("annotate: cannot write to standard output");
        out.remove_prefix(n);
      }
    } else if (!w->kept.empty()) {
      st = annotate_file_.Append(w->kept);
    }
  } else if (!plan_->final()) {
    if (!w->kept.empty()) {
      if (!spill_part_.is_open()) {
        Result<io::SpillWriter> part = io::SpillWriter::Create(SpillPath(pass_, b.shard));
        st = part.ok() ? Status::OK() : part.status();
        if (st.ok()) spill_part_ = std::move(part).value();
      }
      if (st.ok()) st = spill_part_.Append(w->kept, w->spill_raw, w->spill_docs);
      state_.spilled_bytes += w->kept.size();
    }
    if (st.ok() && !w->ids.empty()) {
      st = OpenPart(ids_part_, IdsPath(pass_, b.shard));
      if (st.ok()) st = ids_part_.Append(w->ids);
      state_.spilled_bytes += w->ids.size();
    }
    if (st.ok() && !w->rejected.empty()) {
      st = OpenPart(rejected_part_, PartPath("rejected", b.shard));
      if (st.ok()) st = rejected_part_.Append(w->rejected);
    }
    if (st.ok() && b.last_in_shard) {
      if (spill_part_.is_open()) st = spill_part_.Commit();
      if (st.ok() && ids_part_.is_open()) st = ids_part_.Commit(/*durable=*/false);
      if (st.ok() && rejected_part_.is_open()) st = rejected_part_.Commit();
    }
  } else {
    struct {
      io::PartFile* part;
      std::string_view kind;
      const std::string* bytes;
    } outs[] = {{&kept_part_, "kept", &w->kept},
                {&removed_part_, "removed", &w->removed},
                {&rejected_part_, "rejected", &w->rejected}};
    for (auto& o : outs) {
      if (o.bytes->empty() || !st.ok()) continue;
      st = OpenPart(*o.part, PartPath(o.kind, b.shard));
      if (st.ok()) st = o.part->Append(*o.bytes);
    }
    for (auto& o : outs) {
      if (b.last_in_shard && o.part->is_open() && st.ok()) st = o.part->Commit();
    }
    const uint64_t bytes = w->kept.size() + w->removed.size() + w->rejected.size();
    state_.write.in.Add(b.docs.size(), bytes);
    state_.write.out.Add(b.docs.size(), bytes);
  }
  if (!st.ok()) return Fail(st);

  // The batch is written: its documents and tallies join the run's state.
  for (const Document& d : b.docs) {
    if (!plan_->final()) break;  // counted when the last pass writes them
    if (report_) report_->Observe(d);
    if (d.removed()) {
      state_.removed.Add(1, d.text.size());
      AddTo(state_.removed_by_reason, d.reason, Tally{1, d.text.size()});
    } else {
      state_.kept.Add(1, d.text.size());
    }
  }
  for (const Rejected& r : b.rejected) AddTo(state_.rejected_by_kind, r.kind, uint64_t{1});
  state_.rejected += b.rejected.size();
  state_.tally.Combine(w->tally);
  if (plan_->from_input) {
    uint64_t& records = state_.shard_records[b.shard];
    records = std::max(records, w->records_end);
  }
  progress_records_ += plan_->from_input ? b.records.size() + b.rejected.size() : b.docs.size();
  progress_bytes_ += b.input_bytes;
  progress_compressed_ = b.last_in_shard ? 0 : b.compressed_end;
  if (b.last_in_shard) progress_shard_done_ += inputs_.shards[b.shard].size;
  state_.write.seconds += SecondsSince(t0);
  // At most one checkpoint a second: inputs of many small files (one page per .html file)
  // would otherwise pay a synced write per document. Shards committed after the last
  // checkpoint are simply redone, to the same bytes, by a resumed run.
  if (b.last_in_shard && checkpoint_shards_ && Clock::now() - last_checkpoint_ >= kCheckpointEvery) {
    st = SaveCheckpoint(static_cast<uint32_t>(pass_), b.shard + uint64_t{1});
    if (!st.ok()) return Fail(st);
  }
  MaybeReportProgress(false);
}

void Executor::MaybeReportProgress(bool done) {
  if (!progress_) return;
  auto now = Clock::now();
  if (!done && now - last_progress_ < std::chrono::milliseconds(100)) return;
  last_progress_ = now;
  Progress p;
  p.pass = static_cast<int>(pass_) + 1;
  p.passes = static_cast<int>(passes_.size());
  p.records = progress_records_;
  p.bytes = progress_bytes_;
  p.compressed_bytes = progress_shard_done_ + progress_compressed_;
  p.total_compressed_bytes = inputs_.total_bytes;
  p.seconds = SecondsSince(start_);
  p.done = done;
  progress_(p);
}

// "exchange.<stage>.bytes_sent", interned: counters keep string_views.
std::string_view Executor::ExchangeCounter(size_t stage) {
  return names_.Intern("exchange." + std::string(stages_[stage]->name()) + ".bytes_sent");
}

// The dedup examples the report shows: per stage, the removed documents with the smallest hash
// of their DocRef (RemovalSet::ExamplePairs), over every rank.
Result<std::map<DocRef, DocRef>> Executor::ExampleSample() {
  constexpr size_t kPerStage = 3;
  std::vector<std::vector<std::pair<DocRef, DocRef>>> pairs(stages_.size());
  for (size_t s = 0; s < stages_.size(); ++s) {
    if (decisions_[s]) pairs[s] = decisions_[s]->ExamplePairs(kPerStage);
  }
  if (distributed()) {
    WireWriter w;
    for (const auto& list : pairs) {
      w.PutVarint(list.size());
      for (auto [doc, partner] : list) {
        w.PutVarint(doc);
        w.PutVarint(partner);
      }
    }
    WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange_->AllGather(w.bytes()));
    for (auto& list : pairs) list.clear();
    for (const std::string& bytes : all) {
      WireReader r(bytes);
      for (auto& list : pairs) {
        for (uint64_t n = r.GetCount(2); n > 0 && r.ok(); --n) {
          const DocRef doc = r.GetVarint();
          list.emplace_back(doc, r.GetVarint());
        }
      }
      if (!r.ok()) return Status::Internal("a rank sent report examples that do not decode");
    }
    auto hash = [](DocRef d) { return XXH3_64bits(&d, sizeof(d)); };
    for (auto& list : pairs) {
      std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
        return std::make_pair(hash(a.first), a.first) < std::make_pair(hash(b.first), b.first);
      });
      if (list.size() > kPerStage) list.resize(kPerStage);
    }
  }
  std::map<DocRef, DocRef> sample;
  for (const auto& list : pairs) {
    for (auto [doc, partner] : list) sample.emplace(doc, partner);
  }
  return sample;
}

// Every rank's state, report observations and peak memory, added up on rank 0. Collective.
Status Executor::ReduceOverRanks(double wall, double cpu) {
  Checkpoint c;
  c.state = state_;
  c.state.wall_seconds += wall;
  c.state.cpu_seconds += cpu;
  if (report_) {
    WireWriter rw;
    report_->Save(rw);
    c.report = std::move(rw.bytes());
  }
  WireWriter w;
  w.PutString(EncodeCheckpoint(c));
  w.PutVarint(PeakRssBytes());
  std::vector<std::string> out(static_cast<size_t>(exchange_->size()));
  out[0] = std::move(w.bytes());
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> in, exchange_->AllToAll(std::move(out)));
  if (exchange_->rank() != 0) return Status::OK();
  for (size_t r = 0; r < in.size(); ++r) {
    WireReader rd(in[r]);
    const std::string_view bytes = rd.GetString();
    peak_rss_ = std::max(peak_rss_, rd.GetVarint());
    Result<Checkpoint> theirs = DecodeCheckpoint(bytes, names_);
    if (!rd.ok() || !theirs.ok()) return Status::Internal("rank " + std::to_string(r) + " sent a state that does not decode");
    if (r == 0) {
      state_ = std::move(theirs->state);
      continue;
    }
    state_.Combine(theirs->state);
    if (report_) {
      ReportCollector other(report_thresholds_, report_sample_);
      WireReader rr(theirs->report);
      if (!other.Load(rr)) return Status::Internal("rank " + std::to_string(r) + " sent a report that does not decode");
      report_->Merge(other);
    }
  }
  return Status::OK();
}

Status Executor::BeginGlobals(const PassPlan& pass) {
  for (size_t s : pass.map) {
    auto* g = static_cast<GlobalStage*>(stages_[s].get());
    GlobalContext ctx;
    ctx.work_dir = (fs::path(work_dir_) / ("stage-" + std::to_string(s + 1) + "-" +
                                           std::string(g->name()) + RankSuffix()))
                       .string();
    ctx.exchange = exchange_;
    std::error_code ec;
    fs::remove_all(ctx.work_dir, ec);  // what a killed attempt left
    fs::create_directories(ctx.work_dir, ec);
    if (ec) return Status::IOError("cannot create " + ctx.work_dir + ": " + ec.message());
    // The stages mapped together hold their keys at the same time: they share the budget.
    ctx.memory_budget = config_.memory_budget / pass.map.size();
    ctx.threads = threads_;
    WINNOW_RETURN_IF_ERROR(g->Begin(ctx).WithContext(g->name()));
    for (int t = 0; t < threads_; ++t) {
      WorkerContext wc;
      wc.thread = t;
      wc.threads = threads_;
      wc.counters = &locals_[static_cast<size_t>(t)]->counters;
      WINNOW_ASSIGN_OR_RETURN(locals_[static_cast<size_t>(t)]->mappers[s], g->NewMapper(wc));
    }
  }
  return Status::OK();
}

Status Executor::GroupGlobals(const PassPlan& pass) {
  for (auto& local : locals_) {
    for (size_t s : pass.map) {
      WINNOW_RETURN_IF_ERROR(local->mappers[s]->Finish().WithContext(stages_[s]->name()));
      local->mappers[s].reset();
    }
  }
  std::vector<std::string> ids;  // this rank's shards' ids files ("" for other ranks' shards)
  for (size_t shard = 0; shard < inputs_.shards.size(); ++shard) {
    const bool mine = shard >= my_first_ && shard < my_end_;
    ids.push_back(mine ? IdsPath(pass_, static_cast<uint32_t>(shard)) : std::string());
  }
  SpilledDirectory directory(std::move(ids), state_.shard_records);
  std::vector<const GlobalDecisions*> earlier;
  for (size_t s : pass.map) {
    auto* g = static_cast<GlobalStage*>(stages_[s].get());
    auto t0 = Clock::now();
    const uint64_t sent = distributed() ? exchange_->bytes_sent() : 0;
    Result<std::unique_ptr<GlobalDecisions>> d = g->Group(directory, earlier, &ordered_counters_[s]);
    if (!d.ok()) return d.status().WithContext(g->name());
    if (distributed()) {  // what the stage's shuffles and routing sent to other ranks
      ordered_counters_[s].Add(ExchangeCounter(s),
                               static_cast<int64_t>(exchange_->bytes_sent() - sent));
    }
    decisions_[s] = std::move(d).value();
    // Saved for a resumed run, which applies them without grouping again.
    std::string saved;
    decisions_[s]->Save(&saved);
    WINNOW_RETURN_IF_ERROR(io::WriteFileAtomically(DecisionsPath(s), saved));
    state_.tally.stages[s].seconds += SecondsSince(t0);
    state_.tally.counters.Combine(ordered_counters_[s]);
    ordered_counters_[s] = Counters();
    earlier.push_back(decisions_[s].get());
    for (auto& local : locals_) {
      local->appliers[s] = std::make_unique<ApplyWorker>(decisions_[s].get());
    }
  }
  return Status::OK();
}

Status Executor::RunPass(size_t index, uint64_t first_shard) {
  pass_ = index;
  plan_ = &passes_[index];
  if (config_.annotate) {
    segments_.assign(1, Segment{});  // one parallel step: parse, then every filter in annotate mode
  } else {
    BuildSegments(*plan_);
  }
  // A pass with an ordered stage (first seen wins) cannot restart in the middle: that stage's
  // memory of the earlier shards would be gone. It checkpoints at its end only.
  checkpoint_shards_ = !config_.annotate;
  for (size_t s : plan_->stages) checkpoint_shards_ &= stages_[s]->mode() != Stage::Mode::kOrdered;
  if (!checkpoint_shards_) first_shard = 0;
  if (!plan_->final()) {
    std::error_code ec;
    fs::create_directories(PassDir(index), ec);
    if (ec) return Status::IOError("cannot create " + PassDir(index) + ": " + ec.message());
    WINNOW_RETURN_IF_ERROR(BeginGlobals(*plan_));
  }
  if (plan_->final() && !config_.annotate) {
    std::vector<ReportCollector::StageThreshold> thresholds;
    for (const auto& stage : stages_) {
      if (auto* f = dynamic_cast<const filter::FilterStage*>(stage.get())) {
        for (const filter::Threshold& t : f->Thresholds()) {
          thresholds.push_back({std::string(f->name()), t});
        }
      }
    }
    WINNOW_ASSIGN_OR_RETURN(report_sample_, ExampleSample());
    report_thresholds_ = thresholds;
    report_ = std::make_unique<ReportCollector>(std::move(thresholds), report_sample_);
    if (first_shard > 0 && !resume_report_.empty()) {
      WireReader r(resume_report_);
      if (!report_->Load(r) || !r.at_end()) {
        return Status::Corrupt(CheckpointPath() + ": the report's state does not decode; start "
                               "the run again with --overwrite");
      }
    }
  }
  // Resumed in the middle of a map pass: shards below first_shard are replayed from this
  // pass's spill for the mappers, then the pass goes on from first_shard. In the last pass
  // the finished shards' outputs are simply there.
  first_shard = std::clamp(first_shard, my_first_, my_end_);
  next_shard_ = plan_->final() ? first_shard : my_first_;
  replay_end_ = plan_->final() ? 0 : first_shard;
  progress_records_ = progress_bytes_ = progress_compressed_ = progress_shard_done_ = 0;
  for (size_t i = my_first_; i < first_shard; ++i) progress_shard_done_ += inputs_.shards[i].size;
  tbb::task_arena arena(threads_);
  const char sync = 0;  // TSan's view of the pipeline's hand-offs (core/tsan.h)
  // The workers' counters move into the batch after each step, so that they reach the run's
  // state with the batch, in input order.
  auto drain = [this](Work* w) {
    Counters& c = Local().counters;
    if (c.values().empty()) return;
    w->tally.counters.Combine(c);
    c = Counters();
  };
  arena.execute([&] {
    auto input = tbb::make_filter<void, Work*>(
        tbb::filter_mode::serial_in_order, [this, &sync](tbb::flow_control& fc) {
          TsanFilterScope scope(&sync);
          return Read(fc);
        });
    tbb::filter<void, Work*> chain = input;
    for (size_t i = 0; i < segments_.size(); ++i) {
      const Segment& seg = segments_[i];
      bool first = i == 0;
      bool last = i + 1 == segments_.size();
      chain = chain & tbb::make_filter<Work*, Work*>(
                          tbb::filter_mode::parallel,
                          [this, &seg, first, last, &sync, &drain](Work* w) {
                            TsanFilterScope scope(&sync);
                            ParseAndRun(w, seg, first, last);
                            if (config_.annotate) Annotate(w);
                            if (last) Encode(w);
                            drain(w);
                            return w;
                          });
      if (seg.ordered >= 0) {
        auto s = static_cast<size_t>(seg.ordered);
        chain = chain & tbb::make_filter<Work*, Work*>(tbb::filter_mode::serial_in_order,
                                                       [this, s, &sync](Work* w) {
                                                         TsanFilterScope scope(&sync);
                                                         RunOrdered(w, s);
                                                         return w;
                                                       });
      }
    }
    auto output = tbb::make_filter<Work*, void>(tbb::filter_mode::serial_in_order,
                                                [this, &sync](Work* w) {
                                                  TsanFilterScope scope(&sync);
                                                  Write(w);
                                                });
    size_t tokens = static_cast<size_t>(2 * threads_ + 2);
    WINNOW_TSAN_RELEASE(&sync);  // what this thread set up, for the filters' first acquire
    try {
      tbb::parallel_pipeline(tokens, chain & output);
    } catch (const std::exception& e) {
      Fail(Status::Internal(std::string("pipeline: ") + e.what()));
    }
  });
  WINNOW_TSAN_ACQUIRE(&sync);
  if (failed()) return error_;
  state_.tally.read.seconds += read_seconds_;
  read_seconds_ = 0;
  WINNOW_RETURN_IF_ERROR(FinishWorkers(*plan_));
  if (!plan_->final() && !config_.annotate) {
    if (distributed()) {
      // A rank killed between here and its next checkpoint makes every rank go back to this
      // point (AgreeOnResume): keep it beside the newer checkpoints.
      WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(index), my_end_));
      WINNOW_RETURN_IF_ERROR(KeepAsPrevious());
    }
    WINNOW_RETURN_IF_ERROR(GroupGlobals(*plan_));
    DrainLocalCounters();  // what the mappers counted when they finished
    WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(index + 1), 0));
    bool remove_input = index > 0;
    if (distributed()) {  // every rank has saved its checkpoint: none will read it again
      WINNOW_RETURN_IF_ERROR(exchange_->Barrier());
      remove_input &= exchange_->rank() == 0;
    }
    if (remove_input) {  // the spill this pass read is no longer needed
      std::error_code ec;
      fs::remove_all(PassDir(index - 1), ec);
    }
  }
  return Status::OK();
}

// The workers of the pass's stages are done: their Finish() may add counters.
Status Executor::FinishWorkers(const PassPlan& pass) {
  for (size_t s : pass.stages) {
    if (ordered_workers_[s]) {
      WINNOW_RETURN_IF_ERROR(ordered_workers_[s]->Finish().WithContext(stages_[s]->name()));
      state_.tally.counters.Combine(ordered_counters_[s]);
      ordered_counters_[s] = Counters();
    }
    for (auto& local : locals_) {
      if (!local->workers[s]) continue;
      WINNOW_RETURN_IF_ERROR(local->workers[s]->Finish().WithContext(stages_[s]->name()));
    }
  }
  DrainLocalCounters();
  return Status::OK();
}

// Counters the threads gathered outside any batch (Finish calls) join the run's state.
void Executor::DrainLocalCounters() {
  for (auto& local : locals_) {
    state_.tally.counters.Combine(local->counters);
    local->counters = Counters();
  }
}

uint64_t ConfigDigest(const RunConfig& config) {
  // Threads, the memory budget and the output's name do not change the output.
  RunConfig c = config;
  c.threads = 0;
  c.memory_budget = 0;
  c.output.clear();
  std::string text = ConfigYaml(c);
  for (const StageConfig& s : config.stages) {
    for (const auto& [lang, options] : s.per_language) {
      text += s.name + "/" + lang + ":";
      for (const auto& [k, v] : options) {
        text += k + "=" + v.scalar;
        for (const std::string& item : v.list) text += "," + item;
        text += ";";
      }
    }
  }
  return XXH3_64bits(text.data(), text.size());
}

// Names, sizes and modification times: what tells a changed file without reading it.
uint64_t InputsDigest(const io::InputList& inputs) {
  std::string text;
  for (const io::Shard& shard : inputs.shards) {
    struct stat st {};
    int64_t mtime = 0;
    if (::stat(shard.path.c_str(), &st) == 0) {
      mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    text += shard.path + "\n" + std::to_string(shard.size) + "\n" + std::to_string(mtime) + "\n";
  }
  return XXH3_64bits(text.data(), text.size());
}

Result<RunStats> Executor::Run() {
  threads_ = config_.threads > 0 ? config_.threads
                                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  state_.tally.Clear(stages_.size());
  state_.shard_records.assign(inputs_.shards.size(), 0);
  my_end_ = inputs_.shards.size();
  if (config_.exchange != nullptr && config_.exchange->size() > 1) {
    // The same checks on every rank, from the same configuration: they fail together.
    if (config_.annotate) return Status::InvalidArgument("annotate runs in one process, not over MPI ranks");
    for (const auto& stage : stages_) {
      if (stage->mode() == Stage::Mode::kOrdered) {
        return Status::InvalidArgument(
            "stage " + std::string(stage->name()) + " decides in input order (the first copy "
            "seen wins, as it streams) and cannot run over several ranks; use exact, which "
            "gives the same decisions as a global stage");
      }
    }
    for (const io::Shard& shard : inputs_.shards) {
      if (shard.path == "-") return Status::InvalidArgument("standard input cannot be read by several ranks");
    }
    exchange_ = config_.exchange;
    std::vector<uint64_t> sizes;
    for (const io::Shard& shard : inputs_.shards) sizes.push_back(shard.size);
    exchange_->SetShardOwners(CutShards(sizes, exchange_->size()));
    my_first_ = exchange_->first_shard(exchange_->rank());
    my_end_ = exchange_->first_shard(exchange_->rank() + 1);
  }
  if (config_.annotate) {
    // Annotate judges documents one by one: global stages (dedup) take no part.
    std::vector<std::unique_ptr<Stage>> per_document;
    for (auto& stage : stages_) {
      if (stage->mode() != Stage::Mode::kGlobal) per_document.push_back(std::move(stage));
    }
    stages_ = std::move(per_document);
    state_.tally.Clear(stages_.size());
    passes_.assign(1, PassPlan{});
    WINNOW_RETURN_IF_ERROR(PrepareAnnotateOutput());
  } else {
    passes_ = PlanPasses(stages_);
    if (config_.resume) {
      for (const io::Shard& shard : inputs_.shards) {
        if (shard.path == "-") {
          return Status::InvalidArgument("--resume: a run that reads standard input cannot be "
                                         "resumed");
        }
      }
    }
    config_digest_ = ConfigDigest(config_);
    inputs_digest_ = InputsDigest(inputs_);
    work_dir_ = (fs::path(config_.output) / ".winnow-work").string();
    WINNOW_RETURN_IF_ERROR(PrepareOutput());
  }
  decisions_.resize(stages_.size());
  WINNOW_RETURN_IF_ERROR(CreateWorkers());

  start_ = Clock::now();
  last_progress_ = start_;
  cpu_start_ = CpuSeconds();
  if (complete_) {  // resumed a run that had finished: nothing to do
    Notice("the run in " + config_.output + " is complete; nothing to resume");
    if (distributed()) {
      Status st = ReduceOverRanks(0, 0);
      if (!st.ok()) exchange_->Abandon(st);
    }
    return BuildStats(0, 0);
  }
  Status status;
  if (!config_.annotate) {
    std::error_code ec;
    fs::create_directories(work_dir_, ec);
    if (ec) {
      status = Status::IOError("cannot create " + work_dir_ + ": " + ec.message());
    } else {
      // Spills of passes before the one to resume are no longer needed.
      for (size_t q = 0; q + 1 < resume_pass_; ++q) fs::remove_all(PassDir(q), ec);
      status = LoadDecisions();
    }
  }
  // From here on the ranks meet in collectives: one failing alone must end them all.
  if (!status.ok() && distributed()) exchange_->Abandon(status);
  if (status.ok() && distributed()) {  // the ranks resume together: say it once
    WINNOW_ASSIGN_OR_RETURN(std::vector<uint64_t> attempts, exchange_->SumAll({has_checkpoint_ ? 1u : 0u}));
    if (attempts[0] > 0 && exchange_->rank() == 0) {
      Notice("resuming " + config_.output + " over " + std::to_string(exchange_->size()) +
             " ranks at pass " + std::to_string(resume_pass_ + 1) + "/" +
             std::to_string(passes_.size()) + " (" + std::to_string(attempts[0]) +
             " ranks had checkpoints; attempt " + std::to_string(state_.attempts) + " of rank 0)");
    }
  } else if (status.ok() && state_.attempts > 1) {
    Notice("resuming " + config_.output + " at pass " + std::to_string(resume_pass_ + 1) + "/" +
           std::to_string(passes_.size()) + " with " + std::to_string(resume_shard_) + "/" +
           std::to_string(inputs_.shards.size()) + " shards done (attempt " +
           std::to_string(state_.attempts) + ")");
  }
  for (size_t p = resume_pass_; p < passes_.size() && status.ok(); ++p) {
    status = RunPass(p, p == resume_pass_ ? resume_shard_ : 0);
  }
  if (distributed() && status.ok() && !config_.annotate) {
    // What the reduce needs, kept for a rank that must come back to it (AgreeOnResume).
    status = SaveCheckpoint(static_cast<uint32_t>(passes_.size() - 1), my_end_);
    if (status.ok()) status = KeepAsPrevious();
  }
  double wall = SecondsSince(start_);
  double cpu = CpuSeconds() - cpu_start_;
  if (distributed() && status.ok()) status = ReduceOverRanks(wall, cpu);
  // Another rank may be waiting in a collective for this one: end them all.
  if (distributed() && !status.ok()) exchange_->Abandon(status);

  if (!status.ok()) {
    kept_part_.Abort();
    removed_part_.Abort();
    rejected_part_.Abort();
    annotate_file_.Abort();
    ids_part_.Abort();
    return status;
  }
  if (annotate_file_.is_open()) WINNOW_RETURN_IF_ERROR(annotate_file_.Commit());
  if (annotate_stdout_ && std::fflush(stdout) != 0) {
    return Status::IOError("annotate: cannot write to standard output");
  }
  MaybeReportProgress(true);

  // Over MPI the reduce folded this attempt's times into rank 0's state.
  RunStats stats = distributed() ? BuildStats(0, 0) : BuildStats(wall, cpu);
  if (!config_.annotate && (!distributed() || exchange_->rank() == 0)) {
    const std::string json = stats.ToJson();
    WINNOW_RETURN_IF_ERROR(
        io::WriteFileAtomically((fs::path(config_.output) / "stats.json").string(), json));
    WINNOW_ASSIGN_OR_RETURN(std::string html, RenderReport(json));
    WINNOW_RETURN_IF_ERROR(
        io::WriteFileAtomically((fs::path(config_.output) / "report.html").string(), html));
  }
  if (!config_.annotate) {
    // The run is complete: a --resume now has nothing to do.
    WINNOW_RETURN_IF_ERROR(SaveCheckpoint(static_cast<uint32_t>(passes_.size()), 0));
    bool remove_work = true;
    std::error_code ec;
    if (distributed()) {  // every rank is complete before the scratch goes
      WINNOW_RETURN_IF_ERROR(exchange_->Barrier());
      remove_work = exchange_->rank() == 0;
      fs::remove(CheckpointPath() + ".previous", ec);  // no rank will come back to it
    }
    if (remove_work) fs::remove_all(work_dir_, ec);
  }
  if ((!distributed() || exchange_->rank() == 0) && !stats.AccountingHolds()) {
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
  stats.ranks = distributed() ? exchange_->size() : 1;
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
  return stats;
}

}  // namespace

Result<RunStats> RunPipeline(const RunConfig& config, const StageRegistry& registry,
                             std::string_view command, const ProgressFn& progress) {
  if (config.inputs.empty()) return Status::InvalidArgument("no input files");
  WINNOW_ASSIGN_OR_RETURN(io::InputList inputs, io::ExpandInputs(config.inputs));
  if (inputs.shards.empty()) {
    return Status::InvalidArgument("no input files with a known format in the given inputs");
  }
  std::vector<std::unique_ptr<Stage>> stages;
  // Pages (WARC responses, .html files) are HTML until `extract` has read them: it runs
  // first, added when the configuration does not name it.
  bool pages = false;
  for (const io::Shard& s : inputs.shards) {
    pages |= s.format == io::InputFormat::kWarc || s.format == io::InputFormat::kHtml;
  }
  for (size_t i = 0; i < config.stages.size(); ++i) {
    if (config.stages[i].name == "extract" && i != 0) {
      return Status::InvalidArgument("stage extract must come first (stages before it would "
                                     "read HTML)");
    }
  }
  if (pages && (config.stages.empty() || config.stages[0].name != "extract")) {
    WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<Stage> extract, registry.Create("extract", {}));
    stages.push_back(std::move(extract));
  }
  for (const StageConfig& sc : config.stages) {
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
  Executor executor(config, std::move(stages), std::move(inputs), command, progress);
  return executor.Run();
}

}  // namespace winnow::pipeline
