// SortedRuns: an external sort of fixed-size key records within a memory budget.
//
// Writers (one per thread) append records to a buffer of their share of the budget; a full
// buffer is sorted and written to disk as a run. Merge() then yields every record in sorted
// order, k-way merging the runs on disk and the buffers still in memory. Records are compared
// as (a, b, c) integers, and every global stage puts a document's DocRef among them, so the
// order, and everything decided from it, is the same for any thread count or budget.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::dedup {

struct KeyRecord {
  uint64_t a = 0, b = 0, c = 0;
  friend auto operator<=>(const KeyRecord&, const KeyRecord&) = default;
};

class SortedRuns {
 public:
  // Runs go to `dir` (which must exist); the buffers of all writers together hold at most
  // `budget_bytes` of records.
  SortedRuns(std::string dir, uint64_t budget_bytes, int writers);
  ~SortedRuns();

  class Writer {
   public:
    void Add(const KeyRecord& r) {
      buffer_.push_back(r);
      if (buffer_.size() >= capacity_) {
        Status st = Spill();
        if (!st.ok() && status_.ok()) status_ = std::move(st);
      }
    }
    // Hands the buffer to the merge (sorted, in memory). Call once, after the last Add.
    Status Finish();

   private:
    friend class SortedRuns;
    Writer(SortedRuns* owner, size_t capacity) : owner_(owner), capacity_(capacity) {}
    Status Spill();
    SortedRuns* owner_;
    size_t capacity_;
    std::vector<KeyRecord> buffer_;
    Status status_;
  };
  // A writer with an equal share of the budget. Thread-safe.
  std::unique_ptr<Writer> NewWriter();

  // Calls fn(record) for every record in ascending order; fn's error stops the merge. After
  // every writer finished. Run files are deleted as they are consumed.
  Status Merge(const std::function<Status(const KeyRecord&)>& fn);

  uint64_t records() const { return records_; }
  uint64_t spilled_bytes() const { return spilled_bytes_; }
  size_t spilled_runs() const { return run_files_.size(); }

 private:
  Status AddRunFile(std::vector<KeyRecord>& sorted);

  std::string dir_;
  size_t capacity_per_writer_;
  std::mutex mu_;
  std::vector<std::string> run_files_;
  std::vector<std::vector<KeyRecord>> memory_runs_;
  uint64_t records_ = 0, spilled_bytes_ = 0;
  int next_run_ = 0;
};

}  // namespace winnow::dedup
