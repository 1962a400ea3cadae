// Batch: the unit of work of the pipeline, a few MB of consecutive records from one shard.
//
// The reader fills `input` with raw bytes and `lines` with where each record sits; the parse
// step turns them into `docs` (or `rejected` entries); stages edit and drop documents; the writer
// serialises them. A batch is owned by one thread at a time (the pipeline hands it over), so it
// needs no locking. Batches of one shard arrive at the writer in order; `sequence` is the
// global order of batches in the run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/document.h"

namespace winnow {

// One input record (a line of JSONL, or a whole .txt file) inside Batch::input.
struct RecordRef {
  size_t begin = 0;          // offset in Batch::input
  size_t size = 0;           // bytes, without the line terminator
  uint64_t line = 0;         // 1-based line number in the decompressed shard
  uint64_t byte_offset = 0;  // offset of the record in the decompressed shard
  uint64_t ordinal = 0;      // record index within the shard (Provenance::ordinal)
  bool html = false;         // the record's text is an HTML page the extract stage must read
};

// Input that could not be turned into a document: counted, written to OUT/rejected/, and never
// silently lost. `kind` is one of a few static names ("json", "utf8", "missing_text",
// "line_too_long", "truncated", "empty_file", "io") used as the counter key.
struct Rejected {
  std::string file;
  uint64_t line = 0;         // 1-based; 0 when the error is not about one line
  uint64_t byte_offset = 0;  // in the decompressed stream
  uint64_t ordinal = 0;      // record index within the shard, for ordering
  std::string_view kind;     // static storage
  std::string error;         // one line, naming the cause
  std::string excerpt;       // the start of the offending bytes (may be invalid UTF-8)
};

// How the records of a batch are encoded.
enum class RecordFormat {
  kJsonl,  // one JSON object per record
  kText,   // the record is the document's text (a .txt file)
};

class Batch {
 public:
  uint64_t sequence = 0;       // global position of this batch in the run
  uint32_t shard = 0;          // index of the input shard
  std::string_view source;     // path of the shard, as given by the user
  bool last_in_shard = false;  // the shard's final batch: its outputs can be completed
  RecordFormat format = RecordFormat::kJsonl;
  uint64_t input_bytes = 0;     // decompressed bytes consumed for this batch (for throughput)
  uint64_t compressed_end = 0;  // bytes of the shard's file consumed so far (for progress)

  // Raw bytes the records (and the documents' `record` views) point into, followed by
  // kInputPadding readable bytes so SIMD parsers may over-read.
  std::string input;
  std::vector<RecordRef> records;

  std::vector<Document> docs;
  std::vector<Rejected> rejected;

  // Scratch for the ordered stage currently running: its Prepare() fills it in parallel and
  // its Process() reads it in order. The layout belongs to that stage.
  std::vector<uint64_t> scratch;

  static constexpr size_t kInputPadding = 64;

  // Drops docs[i] with `reason` (static storage). A dropped document keeps its first reason.
  void Drop(size_t i, std::string_view reason) {
    if (docs[i].reason.empty()) docs[i].reason = reason;
  }
};

}  // namespace winnow
