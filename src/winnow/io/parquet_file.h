// ParquetFile: one Parquet file opened for reading. The footer is read and checked when it is
// opened; a column chunk is read, page by page, into ColumnValues (parquet_decode.h) on
// request, so memory holds one row group's columns at most.
//
// Why hand-written: Debian 12 packages no Arrow, Parquet or DuckDB library. This reader covers
// the format as real writers use it (parquet-mr, Arrow C++, arrow-rs, Impala, DuckDB, Spark):
// data pages v1 and v2, dictionary pages, every encoding and codec but LZO, CRCs, and schemas
// of any nesting (leaves carry their definition and repetition levels). Encrypted files are
// refused. Every size and offset read from the file is checked against the file before use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/parquet_decode.h"
#include "winnow/io/parquet_meta.h"

namespace winnow::io::parquet {

// A leaf column: where it sits in the schema and the levels it carries.
struct ColumnDescriptor {
  size_t schema_index = 0;        // its SchemaElement
  size_t field = 0;               // index of the top-level field it belongs to
  std::vector<std::string> path;  // names from the top-level field down
  uint16_t max_def = 0, max_rep = 0;
  Type type = Type::kByteArray;
  int32_t type_length = 0;
  LogicalType logical;
};

// A node of the schema tree (groups and leaves), for assembling nested values.
struct SchemaNode {
  std::string name;
  Repetition repetition = Repetition::kRequired;
  LogicalType logical;
  ConvertedType converted = ConvertedType::kNone;
  uint16_t def = 0, rep = 0;     // levels at this node (counting it)
  int leaf = -1;                 // column index when a leaf
  std::vector<size_t> children;  // node indices
  std::vector<size_t> leaves;    // column indices under it, in order
};

class ParquetFile {
 public:
  ~ParquetFile();
  // Opens `path` and reads its footer. IOError when it cannot be read; Corrupt when it is not
  // a Parquet file or its footer is damaged (the message says which); Unimplemented for an
  // encrypted one.
  static Result<std::unique_ptr<ParquetFile>> Open(const std::string& path);

  const std::string& path() const { return path_; }
  const FileMetaData& meta() const { return meta_; }
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }
  // The schema tree: nodes_[0] is the root, its children the top-level fields.
  const std::vector<SchemaNode>& nodes() const { return nodes_; }
  const std::vector<size_t>& fields() const { return nodes_[0].children; }
  uint64_t size() const { return size_; }

  // Reads column `column` of row group `group` into *out (cleared first). `max_bytes` bounds
  // what it may decompress. Corrupt (naming the page's problem), Unimplemented, IOError.
  Status ReadColumn(size_t group, size_t column, uint64_t max_bytes, ColumnValues* out) const;

 private:
  ParquetFile() = default;
  Status BuildSchema();
  Status ReadAt(uint64_t offset, size_t n, std::string* out) const;
  Status ReadAt(uint64_t offset, size_t n, char* out) const;

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  FileMetaData meta_;
  std::vector<ColumnDescriptor> columns_;
  std::vector<SchemaNode> nodes_;
};

}  // namespace winnow::io::parquet
