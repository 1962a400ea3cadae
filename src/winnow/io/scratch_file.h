// Scratch files: what a run writes for itself and reads back later (checkpoints, the global
// stages' decisions, the document spill between passes, the ids of mapped documents). They
// share one envelope, so that a damaged, truncated, foreign or stale file is reported with its
// path, never half-believed:
//
//   header   8 bytes "winnow\n\0", 4-byte kind tag ("ckpt", "dcsn", "spil", "ids "),
//            u32 version of the kind's payload format
//   blocks   u64 payload size, u64 XXH3-64 of the payload, payload   (repeated)
//
// Integers are little-endian (x86-64 and aarch64 hosts; the files never leave the machine or
// the cluster that wrote them). A kind's owner (checkpoint.h, doc_spill.h, id_file.h, the
// executor's decisions) defines its payload and bumps its version when that changes: a file
// of another version is refused with a message saying to start the run again.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"
#include "winnow/io/part_file.h"

namespace winnow::io {

enum class ScratchKind : uint8_t { kCheckpoint, kDecisions, kSpill, kIds };

inline constexpr size_t kScratchHeaderBytes = 16;
inline constexpr size_t kBlockHeaderBytes = 16;

// The 16-byte header of a file of `kind` at `version`.
std::string ScratchHeader(ScratchKind kind, uint32_t version);

// Appends one block made of `pieces` concatenated.
void AppendBlock(std::initializer_list<std::string_view> pieces, std::string& out);

// A whole file of one block (checkpoints, decisions), and reading it back: the payload, or
// Corrupt naming `path` (wrong magic, kind or version, bad checksum, truncated, trailing bytes).
std::string EncodeScratchFile(ScratchKind kind, uint32_t version, std::string_view payload);
Result<std::string_view> DecodeScratchFile(std::string_view bytes, ScratchKind kind,
                                           uint32_t version, std::string_view path);

// Writes a scratch file block by block, under its final name only once committed (PartFile).
class ScratchWriter {
 public:
  ScratchWriter() = default;
  static Result<ScratchWriter> Create(std::string path, ScratchKind kind, uint32_t version);
  Status Append(std::initializer_list<std::string_view> pieces);
  Status Commit() { return file_.Commit(/*durable=*/false); }
  void Abort() { file_.Abort(); }
  bool is_open() const { return file_.is_open(); }
  uint64_t bytes_written() const { return file_.bytes_written(); }

 private:
  PartFile file_;
  std::string header_;
};

// Reads a scratch file block by block, checking every block's checksum. Not thread-safe.
class ScratchReader {
 public:
  ~ScratchReader();
  ScratchReader(const ScratchReader&) = delete;
  ScratchReader& operator=(const ScratchReader&) = delete;

  // Opens `path` and checks its header. IOError when it cannot be read, Corrupt when it is
  // not a file of `kind` at `version`.
  static Result<std::unique_ptr<ScratchReader>> Open(const std::string& path, ScratchKind kind,
                                                     uint32_t version);
  // The next block's payload into *payload; false after the last one. Corrupt on damage.
  Result<bool> Next(std::string* payload);
  bool at_end() const { return offset_ >= size_; }
  const std::string& path() const { return path_; }
  uint64_t offset() const { return offset_; }

 private:
  ScratchReader() = default;
  std::string path_;
  int fd_ = -1;
  uint64_t offset_ = 0, size_ = 0;
};

// Reads blocks from bytes in memory (a fuzz target, tests). The bytes start after the header.
class BlockParser {
 public:
  BlockParser(std::string_view bytes, std::string_view path) : bytes_(bytes), path_(path) {}
  Result<bool> Next(std::string_view* payload);

 private:
  std::string_view bytes_;
  std::string_view path_;
  size_t offset_ = 0;
};

// OK when `header` is a header of `kind` at `version`; Corrupt naming `path` otherwise.
Status CheckScratchHeader(std::string_view header, ScratchKind kind, uint32_t version,
                          std::string_view path);

}  // namespace winnow::io
