// The stage interface: a pipeline is Source -> Stage* -> Sink.
//
// A Stage is the shared, immutable half: options parsed and validated once in its Create(),
// read-only models. Each thread gets its own StageWorker from NewWorker(), holding scratch
// buffers and counters, never shared. This is DuckDB's operator / local-state split.
//
// Two kinds of stage:
//  - kParallel: Process() runs on any thread, on any batch, in any order. The result for a
//    document must depend only on that document (and the stage's options), never on which
//    thread or which other batches it ran with.
//  - kOrdered: stages that need "first seen" (streaming dedup). Prepare() runs in parallel on
//    each batch (compute keys into Batch::scratch); Process() then runs on a single worker, on
//    batches in input order. Keep Process() cheap: it is a serial section.
//  - kGlobal: stages that need the whole corpus first (global_stage.h): map, group, apply.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/batch.h"
#include "winnow/core/counters.h"
#include "winnow/core/status.h"

namespace winnow {

struct WorkerContext {
  int thread = 0;  // index of the worker's thread, in [0, threads)
  int threads = 1;
  int rank = 0;  // MPI rank, 0 when alone
  int world = 1;
  Counters* counters = nullptr;  // owned by the executor, private to this worker
  // `winnow annotate`: the worker records its verdict on every document (Document::outcomes)
  // and drops or edits nothing. Only stages whose annotates() is true get such a worker.
  bool annotate = false;
};

// A threshold a stage applies to one of its signals, for reports: the document is removed
// (with `reason`) when the signal is below `value` (removes_below) or above it.
struct Threshold {
  std::string_view signal;  // static storage
  double value = 0;
  bool removes_below = false;
  std::string_view reason;  // static storage
  bool Removes(double v) const { return removes_below ? v < value : v > value; }
};

// Byte ranges [first, second) of a document's text.
using TextSpans = std::vector<std::pair<size_t, size_t>>;

class StageWorker {
 public:
  virtual ~StageWorker() = default;
  // For kOrdered stages only: runs in parallel before Process(). May fill batch.scratch.
  virtual Status Prepare(Batch& /*batch*/) { return Status::OK(); }
  // Edits `batch` in place: rewrite text, set signals, or batch.Drop(i, reason). Skips
  // documents already removed. A dropped document is an outcome, not an error; a non-OK
  // Status stops the run.
  virtual Status Process(Batch& batch) = 0;
  // Called once after the last batch.
  virtual Status Finish() { return Status::OK(); }
};

class Stage {
 public:
  enum class Mode { kParallel, kOrdered, kGlobal };

  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual Mode mode() const { return Mode::kParallel; }
  // Thread-safe: called once per worker thread.
  virtual Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const = 0;

  // Whether the stage judges documents one by one in `winnow annotate` (filters do).
  virtual bool annotates() const { return false; }

  // The thresholds the stage applies to its signals (those that are on), in the order it
  // checks them; for reports. None for a stage whose checks are not thresholds on signals.
  virtual std::vector<Threshold> Thresholds() const { return {}; }

  // The byte ranges of `doc.text` that made this stage remove it with `reason` (repeated
  // lines, the most common n-gram, lines without terminal punctuation...), sorted; empty when
  // the reason is not about a part of the text. `doc` is the document as removed: its text is
  // the one the stage judged. Thread-safe; for reports (a few documents a run), not fast.
  virtual TextSpans Evidence(Document& /*doc*/, std::string_view /*reason*/) const { return {}; }
};

}  // namespace winnow
