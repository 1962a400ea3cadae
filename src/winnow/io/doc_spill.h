// Documents between passes: what a pass hands to the next when a global stage needs the whole
// corpus before it can decide (ARCHITECTURE.md: per-document results travel in the pass-1
// output, they are not recomputed).
//
// A spill file (a scratch file, scratch_file.h, kind "spil") holds one shard's documents, kept
// and removed, in input order, as one block per batch of the pass that wrote it:
//     u64 raw size | u64 documents | zstd frame of the raw records
// A raw record is a fixed header (little-endian integers) followed by the document's bytes:
// ordinal, cluster, spans, lengths; then id, url, raw input record, text, duplicate_of,
// reason, and (name, value) signals. Reading a frame back gives a Batch whose documents are
// equal to the written ones (their views point into the batch's input bytes, names into a
// NameTable), so the next pass and the writer see exactly what the previous pass left.
//
// Spill files are scratch: written to a temporary name and renamed when the shard is
// complete, without forcing them to disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/core/name_table.h"
#include "winnow/core/status.h"
#include "winnow/io/scratch_file.h"

namespace winnow::io {

// The spill's payload format (scratch_file.h).
inline constexpr uint32_t kSpillVersion = 1;

// Appends `doc` as one raw spill record.
void AppendSpillRecord(const Document& doc, std::string& out);

// Decodes the raw records in batch.input (as read by SpillReader) into batch.docs. Names are
// interned in `names`. Corrupt on a record that does not decode (a damaged scratch file).
Status DecodeSpillRecords(Batch& batch, NameTable& names);

// Appends frames to one shard's spill file.
class SpillWriter {
 public:
  static Result<SpillWriter> Create(std::string path);
  // `frame` is a zstd frame of `raw_size` bytes holding `docs` records.
  Status Append(std::string_view frame, uint64_t raw_size, uint64_t docs);
  Status Commit() { return file_.Commit(); }
  void Abort() { file_.Abort(); }
  bool is_open() const { return file_.is_open(); }

 private:
  ScratchWriter file_;
};

// Reads one shard's spill file frame by frame.
class SpillReader {
 public:
  static Result<std::unique_ptr<SpillReader>> Open(const std::string& path);
  ~SpillReader();
  // Fills batch.input with the next frame's raw records (plus padding) and sets
  // batch.input_bytes; false at the end of the file. Corrupt/IOError on damage.
  Result<bool> Next(Batch& batch);
  // True when every frame has been read.
  bool at_end() const { return file_->at_end(); }

 private:
  SpillReader() = default;
  std::unique_ptr<ScratchReader> file_;
  std::string block_;
  void* dctx_ = nullptr;  // ZSTD_DCtx*
};

}  // namespace winnow::io
