// Parquet's metadata: the footer (schema, row groups, column chunks) and page headers, as
// parquet.thrift (apache/parquet-format) defines them, decoded from and encoded to Thrift's
// compact protocol (thrift_compact.h). Only the fields winnow reads or writes are kept;
// others are skipped on reading. Decoding is bounded: a damaged footer is an error naming
// what did not decode, never a crash or a huge allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::io::parquet {

enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kNone = -1,
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // deprecated: Hadoop's framing (or, from some writers, raw blocks)
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t { kData = 0, kIndex = 1, kDictionary = 2, kDataV2 = 3 };

enum class TimeUnit : uint8_t { kMillis, kMicros, kNanos };

// The logical type of a column (LogicalType, or the ConvertedType of older writers).
struct LogicalType {
  enum class Kind : uint8_t {
    kNone,
    kString,
    kMap,
    kList,
    kEnum,
    kDecimal,
    kDate,
    kTime,
    kTimestamp,
    kInteger,
    kUnknown,  // always null
    kJson,
    kBson,
    kUuid,
    kFloat16,
    kOther,  // a kind this reader does not interpret (VARIANT, GEOMETRY...): raw bytes
  };
  Kind kind = Kind::kNone;
  int32_t scale = 0, precision = 0;  // decimal
  bool utc = false;                  // time, timestamp: isAdjustedToUTC
  TimeUnit unit = TimeUnit::kMillis;
  int8_t bit_width = 0;  // integer
  bool is_signed = true;
};

struct SchemaElement {
  std::optional<Type> type;  // absent for groups
  int32_t type_length = 0;
  std::optional<Repetition> repetition;
  std::string name;
  int32_t num_children = 0;
  ConvertedType converted = ConvertedType::kNone;
  int32_t scale = 0, precision = 0;
  std::optional<int32_t> field_id;
  LogicalType logical;  // from LogicalType, else derived from ConvertedType
};

struct Statistics {
  std::optional<std::string> min_value, max_value;
  std::optional<int64_t> null_count, distinct_count;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0, total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  ColumnMetaData meta;
  std::optional<int64_t> offset_index_offset, column_index_offset;
  int32_t offset_index_length = 0, column_index_length = 0;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset, total_compressed_size;
  std::optional<int16_t> ordinal;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first; [0] is the root
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value;
  std::string created_by;
  bool type_defined_order = false;  // column_orders: every column TYPE_ORDER
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0, num_nulls = 0, num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0, repetition_levels_byte_length = 0;
  bool is_compressed = true;
  std::optional<Statistics> statistics;
};

struct PageHeader {
  PageType type = PageType::kData;
  int32_t uncompressed_page_size = 0, compressed_page_size = 0;
  std::optional<uint32_t> crc;
  std::optional<DataPageHeader> data;
  std::optional<DictionaryPageHeader> dictionary;
  std::optional<DataPageHeaderV2> data_v2;
};

// The page index of a column chunk (written after the row groups when asked for).
struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values, max_values;
  int32_t boundary_order = 0;  // 0 unordered
  std::vector<int64_t> null_counts;
};
struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;
  int64_t first_row_index = 0;
};
struct OffsetIndex {
  std::vector<PageLocation> pages;
};

// Decodes a footer (the bytes between the data and its length). Corrupt when it does not.
Result<FileMetaData> DecodeFileMetaData(std::string_view bytes);
// Decodes a page header at the start of `bytes`; *size receives its length.
Result<PageHeader> DecodePageHeader(std::string_view bytes, size_t* size);

std::string EncodeFileMetaData(const FileMetaData& meta);
std::string EncodePageHeader(const PageHeader& header);
std::string EncodeColumnIndex(const ColumnIndex& index);
std::string EncodeOffsetIndex(const OffsetIndex& index);

std::string_view TypeName(Type type);
std::string_view CodecName(Codec codec);
std::string_view EncodingName(Encoding encoding);

}  // namespace winnow::io::parquet
