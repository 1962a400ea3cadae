// RunStats: what a run read, kept, removed and rejected, per stage and reason, and how fast.
//
// Workers fill StageStats on their own threads; the executor merges them (Combine) at the end.
// The accounting identity, input records = kept + removed + rejected, is checked from counts
// taken at two independent places (the reader and the writer), so a lost batch cannot hide.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::pipeline {

struct Tally {
  uint64_t docs = 0;
  uint64_t bytes = 0;
  void Add(uint64_t d, uint64_t b) {
    docs += d;
    bytes += b;
  }
  void Combine(const Tally& o) { Add(o.docs, o.bytes); }
  Tally& operator+=(const Tally& o) {
    Combine(o);
    return *this;
  }
};

struct StageStats {
  std::string name;
  Tally in;            // documents alive when they reached the stage (bytes: UTF-8 text)
  Tally out;           // documents alive after it
  double seconds = 0;  // busy time summed over threads
  std::map<std::string, Tally, std::less<>> removed;  // by reason
  void Combine(const StageStats& o);
};

// The memory of one step of a run: a pass over the documents (read, per-document stages, the
// global stages' map step or the writer) or one global stage's group step.
struct StepMemory {
  int pass = 0;                 // 1-based: the pass, or the map pass a group step follows
  std::string step;             // "pass" or "group"
  std::string stage;            // the global stage that grouped ("" for a pass)
  uint64_t peak_rss_bytes = 0;  // the process's peak resident memory during the step
  uint64_t spilled_bytes = 0;   // a pass: documents spilled; a group step: keys spilled
};

struct RunStats {
  std::string command;  // "clean", "run", ...
  int threads = 1;      // per rank
  int ranks = 1;        // MPI ranks (1: one process)
  double wall_seconds = 0;
  double cpu_seconds = 0;       // user + system time of the process during the run
  uint64_t peak_rss_bytes = 0;  // the process's peak resident memory at the end of the run

  int passes = 1;              // passes over the documents (global stages add some)
  int attempts = 1;            // 1 + the times the run was resumed (times are their sums)
  uint64_t memory_budget = 0;  // bytes allowed to global stages' keys
  uint64_t spilled_bytes = 0;  // scratch written between passes (documents and keys)

  uint64_t files = 0;
  uint64_t input_records = 0;  // counted by the reader: records + reader rejections
  uint64_t input_bytes = 0;    // decompressed input bytes
  uint64_t compressed_bytes = 0;
  uint64_t blank_lines = 0;
  // Web archive records that are not documents (requests, images, non-2xx...), by reason.
  std::map<std::string, uint64_t> skipped_records;

  Tally kept;  // counted by the writer
  Tally removed;
  uint64_t rejected = 0;
  std::map<std::string, Tally, std::less<>> removed_by_reason;
  std::map<std::string, uint64_t, std::less<>> rejected_by_kind;

  std::vector<StageStats> stages;  // pseudo-stages "read", "parse", "write" included
  // By step, in order, for the steps this attempt ran (a resumed run: from where it resumed);
  // this process's (over MPI, rank 0's; peak_rss_bytes is the largest rank's).
  std::vector<StepMemory> memory;
  std::map<std::string, int64_t> counters;
  std::vector<std::string> notes;  // about the inputs, one line each (io::InputList::notes)

  std::string config_yaml;  // the configuration the run used
  std::string report_json;  // ReportCollector::ToJson() of the last pass ("" when none)

  bool AccountingHolds() const { return input_records == kept.docs + removed.docs + rejected; }

  // stats.json: pretty-printed JSON.
  std::string ToJson() const;
};

}  // namespace winnow::pipeline

namespace winnow::pipeline {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The process's user + system CPU time so far, and its peak resident memory.
double CpuSeconds();
uint64_t PeakRssBytes();

// A step's peak memory: ResetPeakRss() before it, StepPeakRssBytes() after. The reset returns
// freed memory to the kernel (glibc's malloc_trim) and lowers the kernel's high-water mark to
// the current RSS (Linux's /proc/self/clear_refs, "5"); the peak before it is kept for
// PeakRssBytes(). Where the kernel refuses, a step's peak is the process's peak so far.
void ResetPeakRss();
uint64_t StepPeakRssBytes();

// Adds `t` under `key` without allocating when the key is already present.
template <typename Map, typename V>
void AddTo(Map& map, std::string_view key, const V& value) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  it->second += value;
}

}  // namespace winnow::pipeline
