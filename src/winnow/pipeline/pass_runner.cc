#include "winnow/pipeline/pass_runner.h"

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <filesystem>

#include "winnow/core/tsan.h"
#include "winnow/pipeline/guarded.h"

namespace winnow::pipeline {
namespace {

namespace fs = std::filesystem;

}  // namespace

// A batch travelling through the pipeline with its encoded outputs.
struct PassRunner::Work {
  Batch batch;
  EncodedBatch encoded;
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
    encoded.Clear();
    replay = false;  // tally: Read() clears and sizes it for every batch it hands out
    records_end = 0;
  }
};

// Work objects returned by the writer, handed out again by the reader. At most the number of
// pipeline tokens are ever alive, so the pool stays that small.
class PassRunner::WorkPool {
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

PassRunner::PassRunner(const RunConfig& config, const std::vector<std::unique_ptr<Stage>>& stages,
                       const io::InputList& inputs, const OutputDirectory& dir, NameTable& names,
                       RunState& state, int threads, uint64_t first, uint64_t end)
    : config_(config),
      stages_(stages),
      inputs_(inputs),
      dir_(dir),
      names_(names),
      state_(state),
      my_first_(first),
      my_end_(end),
      locals_(static_cast<size_t>(threads)),
      pool_(std::make_unique<WorkPool>()) {}

PassRunner::~PassRunner() = default;

Status PassRunner::CreateWorkers(bool annotate) {
  for (size_t t = 0; t < locals_.size(); ++t) {
    auto local = std::make_unique<ThreadWorkers>(config_.reader);
    WorkerContext ctx;
    ctx.thread = static_cast<int>(t);
    ctx.threads = threads();
    ctx.counters = &local->counters;
    ctx.annotate = annotate;
    local->workers.resize(stages_.size());
    local->mappers.resize(stages_.size());
    local->appliers.resize(stages_.size());
    for (size_t s = 0; s < stages_.size(); ++s) {
      if (stages_[s]->mode() == Stage::Mode::kGlobal) continue;
      if (annotate && !stages_[s]->annotates()) continue;
      WINNOW_ASSIGN_OR_RETURN(local->workers[s], stages_[s]->NewWorker(ctx));
    }
    locals_[t] = std::move(local);
  }
  ordered_workers_.resize(stages_.size());
  ordered_counters_.resize(stages_.size());
  for (size_t s = 0; s < stages_.size() && !annotate; ++s) {
    if (stages_[s]->mode() != Stage::Mode::kOrdered) continue;
    WorkerContext ctx;
    ctx.counters = &ordered_counters_[s];
    WINNOW_ASSIGN_OR_RETURN(ordered_workers_[s], stages_[s]->NewWorker(ctx));
  }
  return Status::OK();
}

ThreadWorkers& PassRunner::Local() {
  int index = tbb::this_task_arena::current_thread_index();
  WINNOW_CHECK(index >= 0 && index < threads());
  return *locals_[static_cast<size_t>(index)];
}

void PassRunner::Fail(Status status) {
  std::lock_guard<std::mutex> lock(error_mu_);
  if (error_.ok()) error_ = std::move(status);
  failed_.store(true, std::memory_order_relaxed);
}

// Reads the next batch of `pass`'s spill, for shards below `end`; nullptr when there is none
// (or on failure).
PassRunner::Work* PassRunner::ReadSpill(size_t pass, uint64_t end) {
  while (!failed()) {
    if (!spill_reader_) {
      if (next_shard_ >= end) break;
      std::string path = dir_.SpillPath(pass, static_cast<uint32_t>(next_shard_));
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
    std::unique_ptr<Work> w = pool_->Get();
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
      pool_->Put(std::move(w));
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

PassRunner::Work* PassRunner::Read() {
  auto t0 = Clock::now();
  const PassPlan& plan = *spec_->plan;
  if (config_.cancel != nullptr && config_.cancel->load(std::memory_order_relaxed)) {
    Fail(Status::Cancelled("the run was interrupted; run it again with resume to continue"));
    return nullptr;
  }
  if (next_shard_ < replay_end_) {
    // Resumed in the middle of a map pass: the finished shards' documents, as this pass left
    // them in its spill, go to the global stages' mappers again.
    Work* w = ReadSpill(spec_->index, replay_end_);
    if (w != nullptr) {
      w->replay = true;
      w->tally.read.seconds += SecondsSince(t0);
      return w;
    }
    next_shard_ = replay_end_;
  }
  if (!failed() && !plan.from_input) {
    Work* w = ReadSpill(spec_->index - 1, my_end_);
    if (w != nullptr) {
      w->tally.read.in.Add(0, w->batch.input_bytes);
      w->tally.read.out.Add(0, w->batch.input_bytes);
      w->tally.read.seconds += SecondsSince(t0);
      return w;
    }
  }
  while (!failed() && plan.from_input) {
    if (!reader_) {
      if (next_shard_ >= my_end_) break;
      const io::Shard& shard = inputs_.shards[next_shard_];
      reader_ = io::OpenShardReader(shard, config_.reader);
    }
    std::unique_ptr<Work> w = pool_->Get();
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
      if (const auto* counted = reader_->counters()) {
        for (const auto& [name, count] : *counted) {
          t.counters.Add(names_.Intern("input." + name), static_cast<int64_t>(count));
        }
      }
      b.compressed_end = 0;
      reader_.reset();
      ++next_shard_;
    }
    t.read.seconds += SecondsSince(t0);
    return w.release();
  }
  read_seconds_ += SecondsSince(t0);
  return nullptr;
}

Status PassRunner::Apply(StageWorker* worker, Batch& batch, StageStats& stats,
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

void PassRunner::ParseAndRun(Work* w, const Segment& seg, bool first, bool last) {
  if (failed()) return;
  ThreadWorkers& local = Local();
  const PassPlan& plan = *spec_->plan;
  Batch& b = w->batch;
  Tallies& t = w->tally;
  if (first) {
    auto t0 = Clock::now();
    if (plan.from_input && !w->replay) {
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
    for (size_t s : plan.apply) {
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
    for (size_t s : plan.map) {
      auto t0 = Clock::now();
      Status st = Guarded([&] { return local.mappers[s]->Map(b); });
      t.stages[s].seconds += SecondsSince(t0);
      if (!st.ok()) return Fail(st.WithContext(stages_[s]->name()));
    }
  }
}

void PassRunner::RunOrdered(Work* w, size_t s) {
  if (failed() || w->replay) return;
  Status st = Apply(ordered_workers_[s].get(), w->batch, w->tally.stages[s], ordered_alive_, false);
  if (!st.ok()) Fail(st.WithContext(stages_[s]->name()));
  w->tally.counters.Combine(ordered_counters_[s]);
  ordered_counters_[s] = Counters();
}

void PassRunner::Encode(Work* w) {
  if (failed() || w->replay) return;
  auto t0 = Clock::now();
  const Batch& b = w->batch;
  Status st = Local().encoder->Encode(b, w->encoded);
  if (!st.ok()) return Fail(st);
  w->tally.encode.in.Add(b.docs.size(), w->encoded.raw_bytes);
  w->tally.encode.out.Add(b.docs.size(), w->encoded.document_bytes);
  w->tally.encode.seconds += SecondsSince(t0);
}

void PassRunner::Write(Work* w) {
  std::unique_ptr<Work> owned(w);
  struct Recycle {
    WorkPool& pool;
    std::unique_ptr<Work>& work;
    ~Recycle() { pool.Put(std::move(work)); }
  } recycle{*pool_, owned};
  if (failed() || w->replay) return;
  auto t0 = Clock::now();
  const PassPlan& plan = *spec_->plan;
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
  Result<SinkWrite> written = spec_->sink->Write(b, w->encoded);
  if (!written.ok()) return Fail(written.status());

  // The batch is written: its documents and tallies join the run's state.
  state_.spilled_bytes += written->scratch_bytes;
  if (plan.final()) {  // documents are counted when the last pass writes them
    state_.write.in.Add(b.docs.size(), written->output_bytes);
    state_.write.out.Add(b.docs.size(), written->output_bytes);
    for (const Document& d : b.docs) {
      if (spec_->report != nullptr) spec_->report->Observe(d);
      if (d.removed()) {
        state_.removed.Add(1, d.text.size());
        AddTo(state_.removed_by_reason, d.reason, Tally{1, d.text.size()});
      } else {
        state_.kept.Add(1, d.text.size());
      }
    }
  }
  for (const Rejected& r : b.rejected) AddTo(state_.rejected_by_kind, r.kind, uint64_t{1});
  state_.rejected += b.rejected.size();
  state_.tally.Combine(w->tally);
  if (plan.from_input) {
    uint64_t& records = state_.shard_records[b.shard];
    records = std::max(records, w->records_end);
  }
  progress_records_ += plan.from_input ? b.records.size() + b.rejected.size() : b.docs.size();
  progress_bytes_ += b.input_bytes;
  progress_compressed_ = b.last_in_shard ? 0 : b.compressed_end;
  if (b.last_in_shard) progress_shard_done_ += inputs_.shards[b.shard].size;
  state_.write.seconds += SecondsSince(t0);
  if (b.last_in_shard && spec_->on_shard_done) {
    Status st = spec_->on_shard_done(b.shard + uint64_t{1});
    if (!st.ok()) return Fail(st);
  }
  MaybeReportProgress(false);
}

void PassRunner::MaybeReportProgress(bool done) {
  if (progress_ == nullptr || !*progress_) return;
  auto now = Clock::now();
  if (!done && now - last_progress_ < std::chrono::milliseconds(100)) return;
  last_progress_ = now;
  Progress p;
  p.pass = static_cast<int>(pass_index_) + 1;
  p.passes = passes_;
  p.records = progress_records_;
  p.bytes = progress_bytes_;
  p.compressed_bytes = progress_shard_done_ + progress_compressed_;
  p.total_compressed_bytes = inputs_.total_bytes;
  p.seconds = SecondsSince(run_start_);
  p.done = done;
  (*progress_)(p);
}

void PassRunner::ReportDone(const ProgressFn& progress, Clock::time_point run_start, int passes) {
  progress_ = &progress;
  run_start_ = run_start;
  passes_ = passes;
  MaybeReportProgress(true);
}

Status PassRunner::Run(const PassSpec& spec, const ProgressFn& progress,
                       Clock::time_point run_start, int passes) {
  spec_ = &spec;
  pass_index_ = spec.index;
  progress_ = &progress;
  run_start_ = run_start;
  if (last_progress_ == Clock::time_point{}) last_progress_ = run_start;
  passes_ = passes;
  for (auto& local : locals_) local->encoder = spec.sink->NewEncoder();
  // Resumed in the middle of a map pass: shards below first_shard are replayed from this
  // pass's spill for the mappers, then the pass goes on from first_shard. In the last pass
  // the finished shards' outputs are simply there.
  const uint64_t first_shard = std::clamp(spec.first_shard, my_first_, my_end_);
  next_shard_ = spec.plan->final() ? first_shard : my_first_;
  replay_end_ = spec.plan->final() ? 0 : first_shard;
  progress_records_ = progress_bytes_ = progress_compressed_ = progress_shard_done_ = 0;
  for (size_t i = my_first_; i < first_shard; ++i) progress_shard_done_ += inputs_.shards[i].size;

  tbb::task_arena arena(threads());
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
    auto input = tbb::make_filter<void, Work*>(tbb::filter_mode::serial_in_order,
                                               [this, &sync](tbb::flow_control& fc) {
                                                 TsanFilterScope scope(&sync);
                                                 Work* w = Read();
                                                 if (w == nullptr) fc.stop();
                                                 return w;
                                               });
    tbb::filter<void, Work*> chain = input;
    for (size_t i = 0; i < spec.segments.size(); ++i) {
      const Segment& seg = spec.segments[i];
      bool first = i == 0;
      bool last = i + 1 == spec.segments.size();
      chain =
          chain & tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel,
                                                 [this, &seg, first, last, &sync, &drain](Work* w) {
                                                   TsanFilterScope scope(&sync);
                                                   ParseAndRun(w, seg, first, last);
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
    auto output =
        tbb::make_filter<Work*, void>(tbb::filter_mode::serial_in_order, [this, &sync](Work* w) {
          TsanFilterScope scope(&sync);
          Write(w);
        });
    size_t tokens = static_cast<size_t>(2 * threads() + 2);
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
  return spec.sink->Finish();
}

Status PassRunner::FinishWorkers(const PassPlan& pass) {
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

void PassRunner::DrainLocalCounters() {
  for (auto& local : locals_) {
    state_.tally.counters.Combine(local->counters);
    local->counters = Counters();
  }
}

}  // namespace winnow::pipeline
