// Global stages: decisions that need the whole corpus (exact and fuzzy dedup, repeated lines).
//
// A global stage runs as passes over the shards (ARCHITECTURE.md):
//   1. map    per batch, in parallel: compact keys of the surviving documents (hashes, band
//             keys), kept by the stage in memory or spilled to its work directory;
//   2. group  once every shard is mapped: gather keys by key, decide (clusters, first seen),
//             and return GlobalDecisions naming what to remove or edit;
//   3. apply  per batch, in parallel, in the next pass over the documents.
// Decisions never depend on which thread, batch or rank saw a document first: every tie is
// broken by Provenance (the smallest, first seen, wins).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/batch.h"
#include "winnow/core/counters.h"
#include "winnow/core/stage.h"
#include "winnow/core/status.h"

namespace winnow {

class Exchange;

// A document's Provenance packed into one integer with the same order: shard in the top 24
// bits, ordinal in the low 40 (16 million shards of a trillion records).
using DocRef = uint64_t;
inline DocRef PackDoc(const Provenance& p) { return (uint64_t{p.shard} << 40) | p.ordinal; }
inline Provenance UnpackDoc(DocRef r) {
  return Provenance{static_cast<uint32_t>(r >> 40), r & ((uint64_t{1} << 40) - 1)};
}

// What a global stage decided; immutable and shared by every thread of the apply pass.
class GlobalDecisions {
 public:
  virtual ~GlobalDecisions() = default;
  // True when the stage removes `doc`: later global stages of the same round ignore it.
  virtual bool Removes(DocRef doc) const = 0;
  // Applies the decisions to a batch: drops documents (reason, duplicate_of, cluster), or
  // edits their text. Thread-safe.
  virtual Status Apply(Batch& batch) const = 0;
  // Up to `k` (removed document, document it duplicates) pairs, chosen deterministically, for
  // the report's examples. None by default.
  virtual std::vector<std::pair<DocRef, DocRef>> ExamplePairs(size_t /*k*/) const { return {}; }
  // Appends the decisions as bytes that the stage's LoadDecisions() turns back into equal
  // decisions: a resumed run applies them without grouping again.
  virtual void Save(std::string* out) const = 0;
};

// Whether any of `earlier` (the decisions of the global stages before this one in the round)
// removes `doc`: a later stage ignores documents an earlier one removed.
inline bool RemovedByAny(const std::vector<const GlobalDecisions*>& earlier, DocRef doc) {
  for (const GlobalDecisions* d : earlier) {
    if (d->Removes(doc)) return true;
  }
  return false;
}

// The per-thread half of the map step.
class GlobalMapper {
 public:
  virtual ~GlobalMapper() = default;
  // Records the keys of the batch's documents that are not removed. Runs on any thread, on
  // batches in any order.
  virtual Status Map(Batch& batch) = 0;
  // After the last batch of the pass, on the mapper's thread.
  virtual Status Finish() { return Status::OK(); }
};

// Where the documents of a map pass can be found by DocRef: their ids (for duplicate_of and
// side files), in shard and ordinal order.
class DocDirectory {
 public:
  virtual ~DocDirectory() = default;
  // Calls fn(doc, id) for every document that was mapped, in DocRef order.
  virtual Status ForEach(const std::function<Status(DocRef, std::string_view)>& fn) const = 0;
  // Number of records (ordinals) of each shard: DocRef ordinals are below it.
  virtual const std::vector<uint64_t>& shard_records() const = 0;
};

struct GlobalContext {
  std::string work_dir;        // private to the stage, created and removed for it
  uint64_t memory_budget = 0;  // bytes the stage may hold for its keys
  int threads = 1;
  // The run's ranks (core/exchange.h); null for a world of one. With more than one rank, the
  // group step is collective and the decisions cover this rank's shards only.
  Exchange* exchange = nullptr;
};

class GlobalStage : public Stage {
 public:
  Mode mode() const override { return Mode::kGlobal; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext&) const override {
    return Status::Internal("a global stage runs as map, group and apply, not as a worker");
  }

  // True for a stage that edits text (its decisions must be applied before any later stage
  // looks at the text).
  virtual bool edits_text() const { return false; }

  // Before the map pass. Not thread-safe.
  virtual Status Begin(const GlobalContext& context) = 0;
  // One mapper per worker thread, created before the pass. Thread-safe.
  virtual Result<std::unique_ptr<GlobalMapper>> NewMapper(const WorkerContext& ctx) = 0;
  // After every mapper finished. `earlier`: decisions of the global stages mapped in the same
  // pass before this one; documents they remove take no part here. Counters go to *counters.
  virtual Result<std::unique_ptr<GlobalDecisions>> Group(
      const DocDirectory& docs, const std::vector<const GlobalDecisions*>& earlier,
      Counters* counters) = 0;
  // Decisions saved by GlobalDecisions::Save() (of this stage, same options). Corrupt when the
  // bytes do not decode.
  virtual Result<std::unique_ptr<GlobalDecisions>> LoadDecisions(std::string_view bytes) const = 0;
};

}  // namespace winnow
