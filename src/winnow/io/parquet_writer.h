// ParquetWriter: writes one Parquet file of flat, optional columns, row group by row group.
//
// Rows arrive as column buffers (ColumnData); a row group ends at the first row that brings it
// to `row_group_bytes` of values. Each column chunk is data pages (v1) of about `page_bytes`:
// definition levels (RLE) and values, PLAIN or, for a byte-array column whose first page has
// few distinct values, RLE_DICTIONARY indices into a dictionary page (falling back to PLAIN
// pages, as parquet-mr does, once the dictionary outgrows `page_bytes` or 65,536 values).
// A page is encoded and compressed as soon as it is full, so memory holds the row group's
// compressed pages and one raw page per column, not the row group's values. Each page carries
// its CRC; chunks carry statistics (null count; min and max for numbers and for strings of up
// to 64 bytes); an optional page index (ColumnIndex and OffsetIndex) precedes the footer.
//
// Columns may be added after rows were written (JSONL input, whose fields are known only as
// they come): the earlier row groups get an all-null chunk of the new column, written after
// the data (a chunk's place in the file is free; the footer locates it).
//
// The file is written under "<path>.tmp" and renamed by Close() (io/part_file.h). The bytes
// depend only on the rows and the options. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/parquet_meta.h"
#include "winnow/io/part_file.h"

namespace winnow::io::parquet {

class ChunkWriter;  // parquet_writer.cc: one column's chunk of the row group being written

struct WriterOptions {
  Codec codec = Codec::kZstd;
  int level = 3;                                  // zstd and gzip
  uint64_t row_group_bytes = uint64_t{64} << 20;  // values' bytes per row group
  uint64_t page_bytes = uint64_t{1} << 20;
  bool page_index = false;
  std::string created_by = "winnow";
};

// A column of the file: a flat optional (nullable) leaf.
struct ColumnSpec {
  std::string name;
  Type type = Type::kByteArray;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY
  LogicalType logical;      // written as LogicalType and, where one exists, ConvertedType
};

// Values of one column for a run of rows.
struct ColumnData {
  std::vector<uint8_t> defined;   // per row: 1 when the row has a value
  std::string bytes;              // fixed-width values (little-endian) back to back, or the
                                  // byte arrays' contents
  std::vector<uint32_t> lengths;  // byte arrays: each value's length, in order
  // Byte arrays added by AddView, not copied (a document's text): they must outlive the
  // Append that writes them. A column holds views or bytes, not both.
  std::vector<std::string_view> views;

  void AddNull() { defined.push_back(0); }
  void AddFixed(const void* v, size_t width) {
    defined.push_back(1);
    bytes.append(static_cast<const char*>(v), width);
  }
  void AddBytes(std::string_view v) {
    defined.push_back(1);
    bytes.append(v);
    lengths.push_back(static_cast<uint32_t>(v.size()));
  }
  void AddView(std::string_view v) {
    defined.push_back(1);
    views.push_back(v);
  }
  size_t rows() const { return defined.size(); }
  void Clear() {
    defined.clear();
    bytes.clear();
    lengths.clear();
    views.clear();
  }
};

class ParquetWriter {
 public:
  ~ParquetWriter();
  static Result<std::unique_ptr<ParquetWriter>> Create(std::string path,
                                                       std::vector<ColumnSpec> columns,
                                                       const WriterOptions& options);

  // Adds a column; returns its index. Rows written before it are null in it.
  size_t AddColumn(ColumnSpec spec);
  size_t columns() const { return specs_.size(); }
  const ColumnSpec& column(size_t i) const { return specs_[i]; }

  // Appends rows: data[c] holds column c's values for the same number of rows (a column with
  // no entry, c >= data.size(), is null for them). The buffers are emptied.
  Status Append(std::vector<ColumnData>& data, size_t rows);

  // Writes what is pending, the late columns' null chunks, the page index and the footer, and
  // renames the file into place.
  Status Close();
  void Abort() { file_.Abort(); }
  uint64_t bytes_written() const { return file_.bytes_written(); }

 private:
  ParquetWriter();
  Status FlushRowGroup();
  Status Write(std::string_view bytes);

  WriterOptions options_;
  PartFile file_;
  std::vector<ColumnSpec> specs_;
  std::vector<std::unique_ptr<ChunkWriter>> chunks_;  // the row group being gathered
  size_t pending_rows_ = 0;
  uint64_t pending_bytes_ = 0;
  std::vector<RowGroup> groups_;
  std::vector<std::vector<ColumnIndex>> column_index_;  // per row group, per column
  std::vector<std::vector<OffsetIndex>> offset_index_;
};

}  // namespace winnow::io::parquet
