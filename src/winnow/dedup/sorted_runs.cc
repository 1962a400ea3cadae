#include "winnow/dedup/sorted_runs.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <queue>

namespace winnow::dedup {
namespace {

// Reads one run file sequentially through a buffer.
class RunFileCursor {
 public:
  static Result<std::unique_ptr<RunFileCursor>> Open(const std::string& path) {
    std::unique_ptr<RunFileCursor> c(new RunFileCursor());
    c->path_ = path;
    c->file_ = std::fopen(path.c_str(), "rb");
    if (c->file_ == nullptr) {
      return Status::IOError("cannot open sort run " + path + ": " + std::strerror(errno));
    }
    c->buffer_.resize(kBufferRecords);
    return c;
  }
  ~RunFileCursor() {
    if (file_ != nullptr) std::fclose(file_);
    std::remove(path_.c_str());
  }
  // The current record, or nullptr at the end.
  Result<const KeyRecord*> Peek() {
    if (pos_ == size_) {
      size_ = std::fread(buffer_.data(), sizeof(KeyRecord), buffer_.size(), file_);
      pos_ = 0;
      if (size_ == 0) {
        if (std::ferror(file_)) return Status::IOError("cannot read sort run " + path_);
        return nullptr;
      }
    }
    return &buffer_[pos_];
  }
  void Pop() { ++pos_; }

 private:
  static constexpr size_t kBufferRecords = (size_t{1} << 20) / sizeof(KeyRecord);
  RunFileCursor() = default;
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<KeyRecord> buffer_;
  size_t pos_ = 0, size_ = 0;
};

}  // namespace

SortedRuns::SortedRuns(std::string dir, uint64_t budget_bytes, int writers) : dir_(std::move(dir)) {
  const uint64_t share = budget_bytes / static_cast<uint64_t>(std::max(writers, 1));
  capacity_per_writer_ = std::max<size_t>(1024, share / sizeof(KeyRecord));
}

SortedRuns::~SortedRuns() {
  for (const std::string& f : run_files_) std::remove(f.c_str());
}

std::unique_ptr<SortedRuns::Writer> SortedRuns::NewWriter() {
  std::unique_ptr<Writer> w(new Writer(this, capacity_per_writer_));
  // Reserved, not grown: doubling would overshoot the budget by up to 2x. Pages are touched
  // (resident) only as records arrive.
  w->buffer_.reserve(capacity_per_writer_);
  return w;
}

Status SortedRuns::Writer::Spill() {
  std::sort(buffer_.begin(), buffer_.end());
  Status st = owner_->AddRunFile(buffer_);
  buffer_.clear();  // keeps the reservation
  return st;
}

Status SortedRuns::Writer::Finish() {
  if (!status_.ok()) return status_;
  std::sort(buffer_.begin(), buffer_.end());
  std::lock_guard<std::mutex> lock(owner_->mu_);
  owner_->records_ += buffer_.size();
  if (!buffer_.empty()) owner_->memory_runs_.push_back(std::move(buffer_));
  buffer_ = {};
  return Status::OK();
}

Status SortedRuns::AddRunFile(std::vector<KeyRecord>& sorted) {
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mu_);
    path = dir_ + "/run-" + std::to_string(next_run_++) + ".bin";
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return Status::IOError("cannot create sort run " + path + ": " + std::strerror(errno));
  size_t n = std::fwrite(sorted.data(), sizeof(KeyRecord), sorted.size(), f);
  bool ok = n == sorted.size() && std::fclose(f) == 0;
  if (!ok) {
    std::remove(path.c_str());
    return Status::IOError("cannot write sort run " + path + " (disk full?)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  run_files_.push_back(path);
  records_ += sorted.size();
  spilled_bytes_ += sorted.size() * sizeof(KeyRecord);
  return Status::OK();
}

Status SortedRuns::Merge(const std::function<Status(const KeyRecord&)>& fn) {
  // One in-memory run: no merge needed.
  if (run_files_.empty() && memory_runs_.size() <= 1) {
    if (!memory_runs_.empty()) {
      for (const KeyRecord& r : memory_runs_[0]) WINNOW_RETURN_IF_ERROR(fn(r));
    }
    memory_runs_.clear();
    return Status::OK();
  }
  // K-way merge: a heap of (record, source); sources are memory runs, then files.
  struct Source {
    const KeyRecord* next = nullptr;
    size_t pos = 0;
    const std::vector<KeyRecord>* memory = nullptr;
    std::unique_ptr<RunFileCursor> file;
  };
  std::vector<Source> sources;
  for (const auto& run : memory_runs_) {
    Source s;
    s.memory = &run;
    s.next = run.data();
    sources.push_back(std::move(s));
  }
  for (const std::string& path : run_files_) {
    Source s;
    WINNOW_ASSIGN_OR_RETURN(s.file, RunFileCursor::Open(path));
    WINNOW_ASSIGN_OR_RETURN(s.next, s.file->Peek());
    sources.push_back(std::move(s));
  }
  run_files_.clear();  // the cursors delete them
  auto greater = [&](size_t x, size_t y) { return *sources[y].next < *sources[x].next; };
  std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> heap(greater);
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].next != nullptr) heap.push(i);
  }
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    Source& s = sources[i];
    WINNOW_RETURN_IF_ERROR(fn(*s.next));
    if (s.memory != nullptr) {
      s.next = ++s.pos < s.memory->size() ? &(*s.memory)[s.pos] : nullptr;
    } else {
      s.file->Pop();
      WINNOW_ASSIGN_OR_RETURN(s.next, s.file->Peek());
    }
    if (s.next != nullptr) heap.push(i);
  }
  memory_runs_.clear();
  return Status::OK();
}

}  // namespace winnow::dedup
