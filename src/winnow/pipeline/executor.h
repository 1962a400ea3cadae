// The executor: streams the input shards through the stages on a oneTBB parallel_pipeline
// and writes the outputs.
//
//   read (serial, in order)     decompress, cut into batches of ~batch_bytes at line ends
//   parse + stages (parallel)   JSON -> Document, each parallel stage's worker on the batch
//   ordered stage (serial)      for stages that need input order (first seen); its keys were
//                               computed in the parallel filter before it (Prepare)
//   encode (parallel)           output lines, each batch's kept/removed/rejected compressed
//                               into independent zstd frames
//   write (serial, in order)    append frames to OUT/{kept,removed,rejected}/part-NNNNN,
//                               committed (renamed) when their shard ends
//
// Global stages (dedup) make the run several passes. Stages are cut into rounds: a pass runs
// the per-document stages up to the next global stages and their map step, and writes every
// document to a spill (OUT/.winnow-work/); the global stages then group their keys and
// decide; the next pass reads the spill back, applies those decisions, and goes on with the
// following stages. The last pass writes the outputs. Per-document results travel in the
// spill: nothing is computed twice.
//
// At most 2 x threads + 2 batches are alive at once, so memory does not grow with the corpus.
// Batch boundaries are fixed by the serial reader and every parallel step depends on its batch
// alone, so the output bytes are identical for any thread count.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/registry.h"
#include "winnow/core/status.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/stats.h"

namespace winnow::pipeline {

struct Progress {
  int pass = 1;  // passes over the documents: 1 + one per round of global stages
  int passes = 1;
  uint64_t records = 0;
  uint64_t bytes = 0;                   // decompressed bytes read
  uint64_t compressed_bytes = 0;        // bytes of input files consumed
  uint64_t total_compressed_bytes = 0;  // size of all inputs; 0 when unknown (stdin)
  double seconds = 0;
  bool done = false;
  std::string notice;  // when not empty: a one-off message (a resumed run says where it starts)
};
using ProgressFn = std::function<void(const Progress&)>;

// Runs `config.stages` (created from `registry`) over `config.inputs`, writing
// `config.output`/{kept,removed,rejected}/ and stats.json. `command` is recorded in the
// stats. `progress` (optional) is called from the writer at most every 100 ms and once at
// the end. Errors: InvalidArgument (bad config, output not empty without overwrite),
// Unimplemented (an input format not built yet), Corrupt (bad input under on_error=fail),
// IOError, Internal (accounting mismatch: stats.json is still written).
// The stages of `config`, created from `registry`, in order; `pages`: the inputs hold HTML
// pages, so `extract` is added first (after url_filter) when the configuration does not name it.
// InvalidArgument for an unknown stage, a bad option, two stages of one name, or extract after
// another stage.
Result<std::vector<std::unique_ptr<Stage>>> CreateStages(const RunConfig& config,
                                                         const StageRegistry& registry, bool pages);

Result<RunStats> RunPipeline(const RunConfig& config, const StageRegistry& registry,
                             std::string_view command, const ProgressFn& progress = {});

}  // namespace winnow::pipeline
