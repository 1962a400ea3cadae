// RecordReader: cuts one input shard into batches of records, never losing a byte silently.
//
// JSONL shards are split at newlines (a trailing "\r" is dropped, blank lines are skipped and
// counted, a UTF-8 byte order mark at the start is skipped). A line longer than
// `max_record_bytes` is not buffered: it is reported as a Rejected "line_too_long" with its
// line number and offset, its bytes are streamed past, and reading goes on at the next line.
// A damaged stream (truncated gzip/zstd, a read error) ends the shard with a Rejected entry
// after every complete line before the damage; an empty file gives one "empty_file" entry.
// A .txt shard is one record holding the whole file.
//
// Next() never fails: everything that goes wrong becomes a Rejected entry in the batch.
// Not thread-safe: the pipeline's serial reader owns it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/io/byte_source.h"

namespace winnow::io {

struct ReaderOptions {
  size_t batch_bytes = size_t{4} << 20;        // a batch ends at the first record past this
  size_t max_record_bytes = size_t{64} << 20;  // longer lines are rejected, not buffered
  // The fields (JSONL keys, Parquet columns) holding a document's text and id.
  std::string text_field = "text";
  std::string id_field = "id";
  // Parquet: a row group decompressing to more is rejected (parquet_too_large), not read.
  uint64_t max_row_group_bytes = uint64_t{1} << 30;
  // Parquet: a file is cut into shards of about this many compressed bytes (whole row groups).
  uint64_t parquet_shard_bytes = uint64_t{256} << 20;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Fills `batch` (input, records, rejected, format, byte counts) with the next records of
  // the shard. Returns false when the shard is exhausted: `batch` is then its last batch
  // (possibly with no records) and `batch.last_in_shard` is set.
  virtual bool Next(Batch& batch) = 0;
  // Bytes of the shard's file consumed so far.
  virtual uint64_t compressed_offset() const = 0;
  // Whitespace-only lines skipped so far.
  virtual uint64_t blank_lines() const { return 0; }
  // Archive records passed over, by reason ("request", "not_html", "http_status"...), or null.
  virtual const std::map<std::string, uint64_t>* skipped_records() const { return nullptr; }
  // What the reader counted about records it did read ("content_encoding_ignored"), or null:
  // stats.json's counters, as "input.<name>".
  virtual const std::map<std::string, uint64_t>* counters() const { return nullptr; }
};

enum class InputFormat { kJsonl, kText, kWarc, kHtml, kParquet };

// Opens a reader for `path`. When the file cannot be opened or decoded, the reader yields one
// batch with a Rejected entry naming the cause, so the run goes on per --on-error.
std::unique_ptr<RecordReader> OpenRecordReader(const std::string& path, InputFormat format,
                                               const ReaderOptions& options);

}  // namespace winnow::io
