// GlobalRounds: the global stages' (dedup's) side of a run. Before a map pass it starts the
// pass's global stages and gives each worker thread a mapper; after the pass it groups their
// keys and decides (collectively, over MPI ranks), saves the decisions for a resumed run
// (OUT/.winnow-work/decisions-S.bin, a scratch file of kind "dcsn") and gives each thread an
// applier for the next pass. A resumed run loads the saved decisions instead of grouping
// again. Not thread-safe: the executor calls it between passes.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "winnow/core/exchange.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/name_table.h"
#include "winnow/core/stage.h"
#include "winnow/io/inputs.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/output_dir.h"
#include "winnow/pipeline/pass_plan.h"
#include "winnow/pipeline/pass_runner.h"

namespace winnow::pipeline {

// The format of the decisions files (io/scratch_file.h); bump it when a global stage changes
// what its GlobalDecisions::Save() writes.
inline constexpr uint32_t kDecisionsVersion = 1;

class GlobalRounds {
 public:
  // `exchange`: the ranks (null alone). Shards [first, end) are this rank's.
  GlobalRounds(const std::vector<std::unique_ptr<Stage>>& stages, const OutputDirectory& dir,
               const io::InputList& inputs, NameTable& names, Exchange* exchange,
               uint64_t memory_budget, uint64_t first, uint64_t end);

  // Before map pass `pass`: each of its global stages starts with a fresh work directory
  // (what a killed attempt left is removed) and a share of the memory budget, and each of
  // the runner's threads gets its mapper.
  Status Begin(const PassPlan& pass, PassRunner& runner);

  // After map pass `index`: the mappers finish, each global stage groups (documents an
  // earlier stage of the pass removes take no part), its decisions are saved, and the
  // runner's threads get their appliers. Times and counters go to `state`, each stage's peak
  // memory and key spill to `memory`.
  Status Group(const PassPlan& pass, size_t index, PassRunner& runner, RunState& state,
               std::vector<StepMemory>* memory);

  // A resumed run: the decisions of the passes before `resume_pass`, as Group saved them.
  Status Load(const std::vector<PassPlan>& passes, size_t resume_pass, PassRunner& runner);

  // Per stage, up to `k` (removed document, the document it duplicates) pairs of this rank's
  // decisions, for the report's examples.
  std::vector<std::vector<std::pair<DocRef, DocRef>>> ExamplePairs(size_t k) const;

 private:
  void InstallAppliers(size_t stage, PassRunner& runner);

  const std::vector<std::unique_ptr<Stage>>& stages_;
  const OutputDirectory& dir_;
  const io::InputList& inputs_;
  NameTable& names_;
  Exchange* exchange_;
  uint64_t memory_budget_;
  uint64_t my_first_, my_end_;
  std::vector<std::unique_ptr<GlobalDecisions>> decisions_;  // per stage index
};

}  // namespace winnow::pipeline
