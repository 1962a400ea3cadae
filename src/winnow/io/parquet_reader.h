// Parquet input: a shard of a Parquet file (a run of its row groups) read as JSON records, one
// per row (parquet_json.h says how values become JSON), so everything after the reader is the
// JSONL path unchanged.
//
// A row group is read whole (all its columns) when its first row is due and released after its
// last: memory holds one row group, capped by ReaderOptions::max_row_group_bytes. A row group
// that cannot be read (a damaged page, a failed decompression, a checksum mismatch, a type
// this reader does not support, a cap exceeded) is one Rejected entry naming the file, the row
// group and the column, with a `parquet_*` kind; its rows' ordinals are skipped and reading
// goes on at the next row group. A file that cannot be opened (bad magic, a damaged footer) is
// one Rejected entry for the shard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/record_reader.h"

namespace winnow::io {

// A run of row groups of one file: a shard.
struct RowGroupRange {
  uint32_t first = 0, count = 0;
  uint64_t bytes = 0;  // compressed bytes of the run (for progress and rank assignment)
};

// A file's shards and its columns.
struct ParquetLayout {
  std::vector<RowGroupRange> runs;
  std::string columns;  // its top-level columns and their types: "text BYTE_ARRAY, id ..."
};

// Cuts `path`'s row groups into runs of about `target_bytes` compressed bytes each (at least
// one row group per run; one empty run for a file without row groups). Errors are the file's
// (not a Parquet file, a damaged footer).
Result<ParquetLayout> ParquetShards(const std::string& path, uint64_t target_bytes);

// Reads row groups [first, first + count) of `path`.
std::unique_ptr<RecordReader> OpenParquetReader(const std::string& path, uint32_t first,
                                                uint32_t count, const ReaderOptions& options);

}  // namespace winnow::io
