// Parquet rows as JSON objects: how winnow turns a row of any schema into the JSON record the
// rest of the pipeline reads (the way WARC records become JSON lines).
//
// Values, by type (README: "Parquet"):
//   BOOLEAN true/false; INT32/INT64 integers (unsigned ones as such); FLOAT/DOUBLE numbers
//   (NaN and infinities: null); STRING/ENUM/JSON byte arrays strings (as stored: invalid UTF-8
//   makes the row a `utf8` rejection, as in JSONL); other byte arrays strings when valid UTF-8,
//   else base64; DECIMAL exact decimal numbers; DATE "YYYY-MM-DD"; TIME "HH:MM:SS[.f]";
//   TIMESTAMP and INT96 "YYYY-MM-DD HH:MM:SS[.f]" (UTC when the column is adjusted to UTC);
//   UUID its canonical form; FLOAT16 numbers; fixed-length byte arrays otherwise like byte
//   arrays; null columns (UNKNOWN) null.
// Nested columns are assembled from their leaves' levels (Dremel's record assembly): groups
// become objects, LIST-annotated groups and repeated fields arrays, MAP-annotated groups
// objects (keys as strings).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/parquet_decode.h"
#include "winnow/io/parquet_file.h"

namespace winnow::io::parquet {

// Appends the JSON of one (present) value of column `c`.
void AppendValueJson(const ColumnDescriptor& c, std::string_view value, std::string& out);

// The inverse, for writing: the value bytes (as ColumnData holds them: fixed-width
// little-endian, or a byte array's content) of a JSON value (`json`, one token or value as it
// stands in a record) for a column of physical `type` and logical `logical`. False when the
// JSON is null or does not fit the type (the writer writes null then). A byte array without a
// string annotation gets a JSON string's content, or the JSON text of any other value.
bool JsonToValue(Type type, int32_t type_length, const LogicalType& logical, std::string_view json,
                 std::string* bytes);

// Rows of one row group, assembled from its columns in order.
class RowAssembler {
 public:
  // `columns` are the row group's columns, read (one ColumnValues per leaf column).
  RowAssembler(const ParquetFile& file, const std::vector<ColumnValues>& columns);

  // Finds where each row starts in each column. Corrupt when the columns disagree with the
  // row count or with each other.
  Status Index(size_t rows);

  // Appends row `row`'s JSON object ({"field": value, ...}, fields in schema order). Rows must
  // be appended in order, each once.
  Status AppendRow(size_t row, std::string& out);

 private:
  struct Range {
    size_t begin, end;
  };
  Status Emit(size_t node, std::vector<Range>& ranges, std::string& out);
  Status EmitList(size_t node, std::vector<Range>& ranges, std::string& out);
  Status EmitElement(size_t node, std::vector<Range>& ranges, std::string& out);
  Status EmitMap(size_t node, std::vector<Range>& ranges, std::string& out);
  uint16_t DefAt(size_t leaf, size_t slot) const;
  uint16_t RepAt(size_t leaf, size_t slot) const;

  const ParquetFile& file_;
  const std::vector<ColumnValues>& columns_;
  std::vector<std::vector<uint32_t>> row_start_;  // per leaf with repetition: slot of each row
  std::vector<size_t> cursor_;                    // per leaf: the next value to read
  std::vector<Range> ranges_;                     // per leaf: the current row's slots
};

}  // namespace winnow::io::parquet
