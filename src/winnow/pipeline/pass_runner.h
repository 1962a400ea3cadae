// PassRunner: one pass over the documents on a oneTBB parallel_pipeline.
//
//   read (serial, in order)     the inputs (first pass) or the previous pass's spill,
//                               decompressed and cut into batches of ~batch_bytes
//   parse + stages (parallel)   JSON -> Document (or the spill's records decoded), the
//                               decisions of the global stages mapped in the previous pass,
//                               then each per-document stage's worker on the batch
//   ordered stage (serial)      for stages that need input order (first seen); its keys were
//                               computed in the parallel filter before it (Prepare)
//   encode (parallel)           the pass's record sink encodes (and compresses) the batch
//   write (serial, in order)    the sink writes it; the batch's tallies join the run's state
//
// At most 2 x threads + 2 batches are alive at once (they are recycled), so memory does not
// grow with the corpus. Batch boundaries are fixed by the serial reader and every parallel
// step depends on its batch alone, so what is written is identical for any thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "winnow/core/global_stage.h"
#include "winnow/core/name_table.h"
#include "winnow/core/stage.h"
#include "winnow/io/doc_spill.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/executor.h"
#include "winnow/pipeline/output_dir.h"
#include "winnow/pipeline/pass_plan.h"
#include "winnow/pipeline/record_sink.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {

// Everything one worker thread owns, by stage index.
struct ThreadWorkers {
  explicit ThreadWorkers(const io::ReaderOptions& reader)
      : parser(reader.text_field, reader.id_field) {}
  io::RecordParser parser;
  std::vector<std::unique_ptr<StageWorker>> workers;   // per-document stages
  std::vector<std::unique_ptr<GlobalMapper>> mappers;  // global stages mapped in this pass
  std::vector<std::unique_ptr<StageWorker>> appliers;  // global decisions applied in this pass
  std::unique_ptr<SinkEncoder> encoder;                // the running pass's sink's
  Counters counters;  // the workers' and mappers'; moved into the batch's tally after each step
  std::vector<uint8_t> alive;  // stage accounting scratch
};

// What a pass reads, runs and writes.
struct PassSpec {
  size_t index = 0;
  const PassPlan* plan = nullptr;
  std::vector<Segment> segments;
  // Shards below `first_shard` are done. A map pass replays them from its own spill (its
  // global stages' keys are not saved per shard), then goes on from there.
  uint64_t first_shard = 0;
  RecordSink* sink = nullptr;
  ReportCollector* report = nullptr;  // the last pass: observes every document written
  // Called after shard `shards_done - 1`'s outputs are committed and its tallies counted;
  // null when the pass cannot restart in the middle (an ordered stage, annotate).
  std::function<Status(uint64_t shards_done)> on_shard_done;
};

class PassRunner {
 public:
  // `state` is the run's: the writer adds each batch's tallies to it in input order. Shards
  // [first, end) are this rank's (all of them alone).
  PassRunner(const RunConfig& config, const std::vector<std::unique_ptr<Stage>>& stages,
             const io::InputList& inputs, const OutputDirectory& dir, NameTable& names,
             RunState& state, int threads, uint64_t first, uint64_t end);
  ~PassRunner();

  // Creates each thread's stage workers (in annotate mode for `annotate`) and the ordered
  // stages' single workers.
  Status CreateWorkers(bool annotate);
  int threads() const { return static_cast<int>(locals_.size()); }
  ThreadWorkers& thread(int t) { return *locals_[static_cast<size_t>(t)]; }
  Counters& ordered_counters(size_t stage) { return ordered_counters_[stage]; }

  // Runs one pass. `progress` (may be empty) is called from the writer at most every 100 ms
  // and once at the end (done), with times from `run_start`.
  Status Run(const PassSpec& spec, const ProgressFn& progress, Clock::time_point run_start,
             int passes);
  // The workers of the pass's stages are done: their Finish() may add counters.
  Status FinishWorkers(const PassPlan& pass);
  // Counters the threads gathered outside any batch (Finish calls) join the run's state.
  void DrainLocalCounters();
  // Reports the final progress (done = true).
  void ReportDone(const ProgressFn& progress, Clock::time_point run_start, int passes);

 private:
  struct Work;
  class WorkPool;

  Work* Read();
  Work* ReadSpill(size_t pass, uint64_t end);
  void ParseAndRun(Work* w, const Segment& seg, bool first, bool last);
  void RunOrdered(Work* w, size_t stage);
  void Encode(Work* w);
  void Write(Work* w);
  Status Apply(StageWorker* worker, Batch& batch, StageStats& stats, std::vector<uint8_t>& alive,
               bool prepare);
  ThreadWorkers& Local();
  void Fail(Status status);
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  void MaybeReportProgress(bool done);

  const RunConfig& config_;
  const std::vector<std::unique_ptr<Stage>>& stages_;
  const io::InputList& inputs_;
  const OutputDirectory& dir_;
  NameTable& names_;
  RunState& state_;
  uint64_t my_first_, my_end_;
  std::vector<std::unique_ptr<ThreadWorkers>> locals_;
  // Ordered stages: one worker each, used only from their serial filter.
  std::vector<std::unique_ptr<StageWorker>> ordered_workers_;
  std::vector<Counters> ordered_counters_;
  std::vector<uint8_t> ordered_alive_;

  const PassSpec* spec_ = nullptr;  // the pass running (during Run only)
  size_t pass_index_ = 0;           // the pass running, or the last one run
  std::unique_ptr<WorkPool> pool_;
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

  // Writer state (serial filter): progress.
  const ProgressFn* progress_ = nullptr;
  Clock::time_point run_start_{}, last_progress_{};
  int passes_ = 1;
  uint64_t progress_records_ = 0, progress_bytes_ = 0;
  uint64_t progress_compressed_ = 0;  // consumed of the shard being written
  uint64_t progress_shard_done_ = 0;  // sizes of the shards written completely
};

}  // namespace winnow::pipeline
