// PartFile: an output file that becomes visible under its final name only when complete.
//
// Bytes go to "<path>.tmp"; Commit() flushes them to disk and renames the file into place, so
// a reader (or a resumed run) never mistakes a half-written part for a finished one. A
// PartFile destroyed without Commit() removes its temporary file. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::io {

class PartFile {
 public:
  PartFile() = default;
  ~PartFile() { Abort(); }
  PartFile(PartFile&& other) noexcept;
  PartFile& operator=(PartFile&& other) noexcept;
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  // Creates (truncates) "<path>.tmp". The directory must exist.
  static Result<PartFile> Create(std::string path);

  Status Append(std::string_view bytes);
  // Flushes (to disk when `durable`; scratch files between passes skip it), closes and renames
  // to the final path. REQUIRES: is_open().
  Status Commit(bool durable = true);
  // Closes and removes the temporary file, if any.
  void Abort();

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t bytes_ = 0;
};

// Writes `content` to `path` atomically (temporary file, then rename).
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace winnow::io
