// OutputDirectory: the run's output directory OUT. It owns the directory's lock (two runs never
// write one OUT), what a fresh or resumed run finds there (refuse, clear, or keep what a killed
// attempt finished), where every file of the run goes, and publishing a finished file under
// its final name.
//
//   OUT/{kept,removed,rejected}/   the parts (named by the record sink)
//   OUT/stats.json, OUT/report.html
//   OUT/.winnow-checkpoint[.rank-R-of-N]   resume state (checkpoint.h), one per rank
//   OUT/.winnow-work/              scratch between passes, removed when the run succeeds:
//     pass-P/spill-NNNNN.bin, pass-P/ids-NNNNN.bin, decisions-S[.rank...].bin,
//     stage-S-<name>[.rank...]/    a global stage's keys
//
// Over MPI every rank has one; rank 0 alone prepares the directory and holds the lock, and
// each rank's checkpoint, decisions and stage directories carry its rank suffix. Not
// thread-safe; paths are computed, never cached.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::pipeline {

class OutputDirectory {
 public:
  // `ranks` > 1: the files of rank `rank` of an MPI run.
  OutputDirectory(std::string root, int rank = 0, int ranks = 1);
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  // Creates OUT and takes its exclusive lock for this object's lifetime (the kernel drops it
  // when the process dies, however it dies). InvalidArgument when another run holds it.
  Status Lock();

  // A fresh run: refuses an OUT that holds a run unless `overwrite`, then empties what the
  // run owns (anything else in OUT is left alone).
  Status StartAfresh(bool overwrite);
  // Empties what a run owns and recreates the part directories.
  Status Clear();
  // A resumed run: parts a killed attempt was writing are redone from their shard's start.
  Status RemoveTemporaryParts();
  // Whether OUT holds a checkpoint of any rank count.
  bool HasCheckpoint() const;
  // InvalidArgument when OUT holds checkpoints of another rank count than `world`.
  Status CheckResumeWorld(int world) const;

  const std::string& root() const { return root_; }
  std::string work_dir() const;
  std::string PassDir(size_t pass) const;
  std::string SpillPath(size_t pass, uint32_t shard) const;
  std::string IdsPath(size_t pass, uint32_t shard) const;
  std::string DecisionsPath(size_t stage) const;
  std::string StageWorkDir(size_t stage, std::string_view stage_name) const;
  std::string CheckpointPath() const;
  // OUT/<kind>/<name>, for the record sinks.
  std::string PartPath(std::string_view kind, std::string_view name) const;

  // Writes OUT/<name> atomically (stats.json, report.html).
  Status Publish(std::string_view name, std::string_view content) const;

 private:
  std::string RankSuffix() const;

  std::string root_;
  int rank_ = 0, ranks_ = 1;
  int lock_fd_ = -1;
};

}  // namespace winnow::pipeline
