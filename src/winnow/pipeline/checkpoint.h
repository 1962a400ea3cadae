// Checkpoints: what a run has done so far, so a killed run can go on where it stopped.
//
// The executor's writer adds each batch's tallies to a RunState in input order; when a shard's
// outputs are committed (renamed into place) it saves a checkpoint, OUT/.winnow-checkpoint,
// atomically: the pass and the number of shards finished in it, the RunState up to there, the
// report collector's observations (last pass), and digests of the configuration and of the
// inputs. Between passes it saves one more, with the global stages' decisions beside it in
// OUT/.winnow-work/. `--resume` loads it, refuses when a digest differs, and starts the pass
// at the first unfinished shard (ARCHITECTURE.md: Checkpoints).
//
// File layout: a scratch file (io/scratch_file.h, kind "ckpt") of one block holding the fields
// (core/wire.h), so a damaged file is reported, never half-believed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/counters.h"
#include "winnow/core/name_table.h"
#include "winnow/core/status.h"
#include "winnow/io/inputs.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/stats.h"

namespace winnow::pipeline {

// What the documents of a batch (or of many) did on their way through a pass, apart from
// what the writer counts.
struct Tallies {
  std::vector<StageStats> stages;  // by stage index
  StageStats read, parse, encode;
  Counters counters;
  uint64_t input_records = 0, input_bytes = 0, blank_lines = 0;
  std::map<std::string, uint64_t> skipped_records;  // web archive records passed over

  // Zeroes everything, for `stage_count` stages (keeps the vector's storage).
  void Clear(size_t stage_count);
  void Combine(const Tallies& o);
};

// Everything a run accumulates that ends up in stats.json.
struct RunState {
  Tallies tally;
  StageStats write;
  Tally kept, removed;  // counted by the writer
  uint64_t rejected = 0;
  std::map<std::string, Tally, std::less<>> removed_by_reason;
  std::map<std::string, uint64_t, std::less<>> rejected_by_kind;
  uint64_t spilled_bytes = 0;
  std::vector<uint64_t> shard_records;       // records (ordinals) per shard
  double wall_seconds = 0, cpu_seconds = 0;  // spent by earlier attempts
  int attempts = 1;

  // Adds another rank's state (its shards' tallies; its shard_records are zero elsewhere).
  // Wall time is the longest rank's, CPU time the sum, attempts the most any rank made.
  void Combine(const RunState& o);
};

struct Checkpoint {
  uint64_t config_digest = 0;
  uint64_t inputs_digest = 0;
  uint32_t pass = 0;         // the pass to run next (== passes: the run is complete)
  uint64_t shards_done = 0;  // shards of `pass` whose outputs are committed
  RunState state;
  std::string report;  // ReportCollector::Save() bytes, or empty
};

// The checkpoint's payload format (io/scratch_file.h). 3: the scratch envelope.
inline constexpr uint32_t kCheckpointVersion = 3;

std::string EncodeCheckpoint(const Checkpoint& c);
// Names (counter names, reasons) are interned in `names`. Corrupt naming `path` on damage.
Result<Checkpoint> DecodeCheckpoint(std::string_view bytes, NameTable& names,
                                    std::string_view path = "checkpoint");

// What a run's configuration looks like to a checkpoint: a change that could alter the output
// (stages, options, reader, writer, on_error) changes the digest; threads, the memory budget
// and the output's name do not.
uint64_t ConfigDigest(const RunConfig& config);
// The inputs' names, sizes and modification times: what tells a changed file without reading it.
uint64_t InputsDigest(const io::InputList& inputs);

// The passes, shards and stages of a run, which a checkpoint must fit.
struct RunShape {
  size_t passes = 0, shards = 0, stages = 0;
};

// Saves and loads one rank's checkpoint of one run (configuration and inputs), atomically.
class Checkpointer {
 public:
  // `path`: this rank's checkpoint; `output`: the run's directory, for messages.
  Checkpointer(std::string path, std::string output, uint64_t config_digest,
               uint64_t inputs_digest);

  // The checkpoint at `path`, or none when there is no such file. InvalidArgument when it was
  // saved by a run of another configuration or other inputs; Corrupt when it is damaged or
  // does not fit `shape`.
  Result<std::optional<Checkpoint>> Load(const std::string& path, NameTable& names,
                                         const RunShape& shape) const;
  // Saves `c` (with this run's digests) as this rank's checkpoint.
  Status Save(Checkpoint c) const;
  // Copies the checkpoint to previous_path(): over MPI, the state a rank may have to go back
  // to when another rank died one collective step earlier.
  Status KeepAsPrevious() const;

  const std::string& path() const { return path_; }
  std::string previous_path() const { return path_ + ".previous"; }

 private:
  std::string path_, output_;
  uint64_t config_digest_, inputs_digest_;
};

}  // namespace winnow::pipeline
