// Parquet without an oracle: the Thrift codec and the levels' hybrid encoding round-trip,
// every codec round-trips and reports damage, winnow's writer and reader agree on every type
// (nulls, dictionaries, row groups, a page index), the published expected values of
// parquet-testing's delta files are read, and every shared file reads or is refused cleanly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "testing/test_util.h"
#include "winnow/io/parquet_codec.h"
#include "winnow/io/parquet_decode.h"
#include "winnow/io/parquet_file.h"
#include "winnow/io/parquet_json.h"
#include "winnow/io/parquet_reader.h"
#include "winnow/io/parquet_writer.h"

namespace winnow::io::parquet {
namespace {

using ::testing::HasSubstr;
using winnow::testing::TempDir;

// Every row of every row group of `path` as JSON, or the first error.
Result<std::vector<std::string>> Rows(const std::string& path) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<ParquetFile> f, ParquetFile::Open(path));
  std::vector<std::string> out;
  for (size_t g = 0; g < f->meta().row_groups.size(); ++g) {
    std::vector<ColumnValues> columns(f->columns().size());
    for (size_t c = 0; c < columns.size(); ++c) {
      WINNOW_RETURN_IF_ERROR(f->ReadColumn(g, c, uint64_t{1} << 30, &columns[c]));
    }
    RowAssembler rows(*f, columns);
    const auto n = static_cast<size_t>(f->meta().row_groups[g].num_rows);
    WINNOW_RETURN_IF_ERROR(rows.Index(n));
    for (size_t r = 0; r < n; ++r) {
      std::string row;
      WINNOW_RETURN_IF_ERROR(rows.AppendRow(r, row));
      out.push_back(std::move(row));
    }
  }
  return out;
}

TEST(ParquetTest, HybridLevelsRoundTrip) {
  std::mt19937 rng(7);
  for (int width = 0; width <= 20; ++width) {
    std::vector<uint32_t> values;
    const uint32_t max = width == 0 ? 0 : (1u << width) - 1;
    for (int i = 0; i < 1000; ++i) {
      // Runs (RLE) and noise (bit-packed) mixed.
      const uint32_t v = static_cast<uint32_t>(rng() % (max + 1));
      const int repeat = rng() % 4 == 0 ? static_cast<int>(rng() % 30) : 1;
      for (int k = 0; k < repeat; ++k) values.push_back(v);
    }
    std::string bytes;
    EncodeHybrid(values, width, bytes);
    std::vector<uint16_t> back;
    if (width <= 16) {
      ASSERT_TRUE(DecodeHybridLevels(bytes, width, values.size(),
                                     static_cast<uint16_t>(std::min<uint32_t>(max, 65535)), &back)
                      .ok())
          << width;
      for (size_t i = 0; i < values.size(); ++i)
        ASSERT_EQ(back[i], values[i]) << width << " at " << i;
    }
  }
  std::vector<uint16_t> levels;
  EXPECT_FALSE(DecodeHybridLevels(std::string("\x03\x01", 2), 1, 100, 1, &levels).ok());  // short
  EXPECT_FALSE(DecodeHybridLevels(std::string("\x02\x05", 2), 3, 1, 4, &levels).ok());  // above max
}

TEST(ParquetTest, CodecsRoundTripAndReportDamage) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i % 37) + " of a page\n";
  for (Codec codec :
       {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd, Codec::kLz4Raw}) {
    std::string packed, back;
    ASSERT_TRUE(Compress(codec, text, 3, packed).ok()) << CodecName(codec);
    ASSERT_TRUE(Decompress(codec, packed, text.size(), back).ok()) << CodecName(codec);
    EXPECT_EQ(back, text) << CodecName(codec);
    if (codec == Codec::kUncompressed) continue;
    std::string cut = packed.substr(0, packed.size() / 2);
    Status st = Decompress(codec, cut, text.size(), back);
    EXPECT_EQ(st.code(), StatusCode::kCorrupt) << CodecName(codec);
    EXPECT_FALSE(Decompress(codec, packed, text.size() + 1, back).ok()) << CodecName(codec);
  }
  // Two gzip members in a row are one page.
  std::string two = winnow::testing::Gzip("first ") + winnow::testing::Gzip("second");
  std::string back;
  ASSERT_TRUE(Decompress(Codec::kGzip, two, 12, back).ok());
  EXPECT_EQ(back, "first second");
  EXPECT_EQ(Decompress(Codec::kLzo, "x", 1, back).code(), StatusCode::kUnimplemented);
}

TEST(ParquetTest, FooterRoundTripsThroughThrift) {
  FileMetaData m;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.name = "when";
  leaf.type = Type::kInt64;
  leaf.repetition = Repetition::kOptional;
  leaf.logical.kind = LogicalType::Kind::kTimestamp;
  leaf.logical.unit = TimeUnit::kMicros;
  leaf.logical.utc = true;
  m.schema = {root, leaf};
  m.num_rows = 3;
  RowGroup g;
  g.num_rows = 3;
  g.ordinal = 300;
  ColumnChunk c;
  c.meta.type = Type::kInt64;
  c.meta.path = {"when"};
  c.meta.codec = Codec::kZstd;
  c.meta.num_values = 3;
  c.meta.data_page_offset = 1234567890123;
  c.meta.statistics = Statistics{std::string("lo"), std::string("hi"), 1, std::nullopt};
  g.columns.push_back(c);
  m.row_groups.push_back(g);
  m.created_by = "test";
  Result<FileMetaData> back = DecodeFileMetaData(EncodeFileMetaData(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->schema.size(), 2u);
  EXPECT_EQ(back->schema[1].logical.kind, LogicalType::Kind::kTimestamp);
  EXPECT_EQ(back->schema[1].logical.unit, TimeUnit::kMicros);
  EXPECT_EQ(back->row_groups[0].ordinal, 300);
  EXPECT_EQ(back->row_groups[0].columns[0].meta.data_page_offset, 1234567890123);
  EXPECT_EQ(*back->row_groups[0].columns[0].meta.statistics->max_value, "hi");
  EXPECT_EQ(back->created_by, "test");
  // Damage anywhere is an error, never a crash: every truncation.
  const std::string bytes = EncodeFileMetaData(m);
  for (size_t n = 0; n < bytes.size(); ++n) {
    Result<FileMetaData> cut = DecodeFileMetaData(bytes.substr(0, n));
    if (cut.ok()) {
      EXPECT_LT(cut->row_groups.size() + cut->schema.size(), 3u) << n;
    }
  }
}

// winnow writes every type it reads, with nulls, dictionaries and several row groups; its
// reader gives back the same JSON.
TEST(ParquetTest, WriterAndReaderAgreeOnEveryType) {
  TempDir dir;
  auto spec = [](std::string name, Type type, LogicalType::Kind kind = LogicalType::Kind::kNone) {
    ColumnSpec s;
    s.name = std::move(name);
    s.type = type;
    s.logical.kind = kind;
    return s;
  };
  std::vector<ColumnSpec> specs = {
      spec("text", Type::kByteArray, LogicalType::Kind::kString),
      spec("lang", Type::kByteArray, LogicalType::Kind::kString),  // few values: a dictionary
      spec("n", Type::kInt64),
      spec("i", Type::kInt32),
      spec("score", Type::kDouble),
      spec("f", Type::kFloat),
      spec("ok", Type::kBoolean),
      spec("day", Type::kInt32, LogicalType::Kind::kDate),
      spec("at", Type::kInt64, LogicalType::Kind::kTimestamp),
      spec("price", Type::kInt64, LogicalType::Kind::kDecimal),
      spec("big", Type::kFixedLenByteArray, LogicalType::Kind::kDecimal),
      spec("id", Type::kFixedLenByteArray, LogicalType::Kind::kUuid)};
  specs[8].logical.unit = TimeUnit::kMicros;
  specs[9].logical.scale = 2;
  specs[9].logical.precision = 18;
  specs[10].type_length = 16;
  specs[10].logical.scale = 3;
  specs[10].logical.precision = 30;
  specs[11].type_length = 16;
  WriterOptions options;
  options.row_group_bytes = 2000;  // several row groups
  options.page_bytes = 300;        // several pages per chunk
  options.page_index = true;
  for (Codec codec : {Codec::kZstd, Codec::kSnappy, Codec::kUncompressed}) {
    options.codec = codec;
    const std::string path = dir / ("t" + std::to_string(static_cast<int>(codec)) + ".parquet");
    auto w = ParquetWriter::Create(path, specs, options);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::vector<std::string> want;
    for (int r = 0; r < 200; ++r) {
      const std::string text =
          "document " + std::to_string(r) + std::string(static_cast<size_t>(r % 40), 'x');
      const std::string row =
          "{\"text\":\"" + text + "\",\"lang\":\"" + (r % 3 ? "en" : "de") +
          "\",\"n\":" + std::to_string(int64_t{1} << (r % 60)) + ",\"i\":" + std::to_string(-r) +
          ",\"score\":" + (r % 7 == 0 ? std::string("null") : std::to_string(r) + ".25") +
          ",\"f\":0.5,\"ok\":" + (r % 2 ? "true" : "false") + ",\"day\":\"2024-02-" +
          (r % 28 < 9 ? "0" : "") + std::to_string(r % 28 + 1) +
          "\",\"at\":\"2024-03-01 12:00:" + (r % 60 < 10 ? "0" : "") + std::to_string(r % 60) +
          ".123456\",\"price\":" + std::to_string(r) + "." + (r % 10 < 10 ? "0" : "") +
          std::to_string(r % 10) +
          ",\"big\":-12345678901234567890.125,\"id\":\"00112233-4455-6677-8899-aabbccddee" +
          (r % 16 < 10 ? "0" : "") + std::to_string(r % 16) + "\"}";
      want.push_back(row);
      // The values the sink would hand the writer: each field's JSON converted.
      std::vector<ColumnData> data(specs.size());
      size_t at = 1;
      for (size_t c = 0; c < specs.size(); ++c) {
        const std::string key = "\"" + specs[c].name + "\":";
        const size_t begin = row.find(key, at) + key.size();
        size_t end = begin;
        if (row[begin] == '"') {
          end = row.find('"', begin + 1) + 1;
        } else {
          end = row.find_first_of(",}", begin);
        }
        std::string bytes;
        if (!JsonToValue(specs[c].type, specs[c].type_length, specs[c].logical,
                         row.substr(begin, end - begin), &bytes)) {
          data[c].AddNull();
        } else if (specs[c].type == Type::kByteArray) {  // NOLINT
          data[c].AddBytes(bytes);
        } else {
          data[c].AddFixed(bytes.data(), bytes.size());
        }
        at = end;
      }
      ASSERT_TRUE((*w)->Append(data, 1).ok());
    }
    ASSERT_TRUE((*w)->Close().ok());
    Result<std::vector<std::string>> got = Rows(path);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->size(), want.size());
    for (size_t r = 0; r < want.size(); ++r) ASSERT_EQ((*got)[r], want[r]) << CodecName(codec);
    auto f = ParquetFile::Open(path);
    ASSERT_TRUE(f.ok());
    EXPECT_GT((*f)->meta().row_groups.size(), 5u);
    const ColumnChunk& lang = (*f)->meta().row_groups[0].columns[1];
    EXPECT_TRUE(lang.meta.dictionary_page_offset.has_value());
    EXPECT_TRUE(lang.column_index_offset.has_value() && lang.offset_index_offset.has_value());
  }
}

// A column added after rows were written (a JSONL field seen late): null in the earlier rows.
TEST(ParquetTest, LateColumnsAreNullBefore) {
  TempDir dir;
  ColumnSpec a;
  a.name = "a";
  a.logical.kind = LogicalType::Kind::kString;
  WriterOptions options;
  options.row_group_bytes = 10;
  auto w = ParquetWriter::Create(dir / "late.parquet", {a}, options);
  ASSERT_TRUE(w.ok());
  std::vector<ColumnData> data(1);
  data[0].AddBytes("first");
  ASSERT_TRUE((*w)->Append(data, 1).ok());
  ColumnSpec b = a;
  b.name = "b";
  ASSERT_EQ((*w)->AddColumn(b), 1u);
  data.assign(2, ColumnData{});
  data[0].AddBytes("second");
  data[1].AddBytes("late");
  ASSERT_TRUE((*w)->Append(data, 1).ok());
  ASSERT_TRUE((*w)->Close().ok());
  Result<std::vector<std::string>> got = Rows(dir / "late.parquet");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, (std::vector<std::string>{R"({"a":"first","b":null})",
                                            R"({"a":"second","b":"late"})"}));
}

// A column that starts with few distinct values is dictionary-encoded; once its dictionary
// outgrows a page the chunk goes on in PLAIN pages; a column of distinct values never gets
// one. Every value reads back, and the chunks say which encodings they used.
TEST(ParquetTest, DictionaryFallsBackToPlainPages) {
  TempDir dir;
  ColumnSpec a, b;
  a.name = "few_then_many";
  b.name = "distinct";
  a.logical.kind = b.logical.kind = LogicalType::Kind::kString;
  WriterOptions options;
  options.page_bytes = 2000;
  auto w = ParquetWriter::Create(dir / "dict.parquet", {a, b}, options);
  ASSERT_TRUE(w.ok());
  std::vector<ColumnData> data(2);
  std::vector<std::string> want;
  for (int r = 0; r < 3000; ++r) {
    const std::string x = r < 500 ? "value-" + std::to_string(r % 3)
                                  : "a longer unique value number " + std::to_string(r);
    const std::string y = "row " + std::to_string(r);
    data[0].AddBytes(x);
    data[1].AddBytes(y);
    want.push_back(R"({"few_then_many":")" + x + R"(","distinct":")" + y + R"("})");
  }
  ASSERT_TRUE((*w)->Append(data, 3000).ok());
  ASSERT_TRUE((*w)->Close().ok());
  Result<std::vector<std::string>> got = Rows(dir / "dict.parquet");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, want);
  auto f = ParquetFile::Open(dir / "dict.parquet");
  ASSERT_TRUE(f.ok());
  ASSERT_EQ((*f)->meta().row_groups.size(), 1u);
  const auto& chunks = (*f)->meta().row_groups[0].columns;
  EXPECT_TRUE(chunks[0].meta.dictionary_page_offset.has_value());
  EXPECT_THAT(chunks[0].meta.encodings, ::testing::Contains(Encoding::kRleDictionary));
  EXPECT_FALSE(chunks[1].meta.dictionary_page_offset.has_value());
  EXPECT_THAT(chunks[1].meta.encodings,
              ::testing::Not(::testing::Contains(Encoding::kRleDictionary)));
}

std::vector<std::vector<std::string>> Csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell.push_back(c);
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// parquet-testing's delta files come with the values a reader must give (*_expect.csv).
TEST(ParquetTest, DeltaEncodingsGiveTheExpectedValues) {
  const std::string data = winnow::testing::SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data absent";
  for (std::string name : {"delta_binary_packed", "delta_encoding_required_column",
                           "delta_encoding_optional_column", "delta_byte_array"}) {
    const std::string base = data + "/parquet/data/" + name;
    Result<std::vector<std::string>> rows = Rows(base + ".parquet");
    ASSERT_TRUE(rows.ok()) << name << ": " << rows.status().ToString();
    std::vector<std::vector<std::string>> csv = Csv(base + "_expect.csv");
    ASSERT_EQ(rows->size() + 1, csv.size()) << name;
    for (size_t r = 0; r < rows->size(); ++r) {
      for (const std::string& cell : csv[r + 1]) {
        if (cell.empty()) continue;  // a null
        // A number or a string column: either way the value, whole.
        const std::string& row = (*rows)[r];
        const bool found = row.find(":" + cell + ",") != std::string::npos ||
                           row.find(":" + cell + "}") != std::string::npos ||
                           row.find(":\"" + cell + "\"") != std::string::npos;
        EXPECT_TRUE(found) << name << " row " << r << ": no " << cell << " in " << row;
      }
    }
  }
}

// Every shared file reads, or is refused with a message; bad_data never crashes.
TEST(ParquetTest, EverySharedFileReadsOrIsRefused) {
  const std::string data = winnow::testing::SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "../shared/data absent";
  size_t read = 0, refused = 0;
  for (std::string dir : {"/parquet/data", "/parquet/bad_data"}) {
    for (const auto& e : std::filesystem::directory_iterator(data + dir)) {
      if (e.path().extension() != ".parquet") continue;
      if (e.path().filename() == "large_string_map.brotli.parquet") continue;  // 2 GB decoded
      Result<std::vector<std::string>> rows = Rows(e.path().string());
      if (rows.ok()) {
        ++read;
      } else {
        ++refused;
        EXPECT_FALSE(rows.status().message().empty());
      }
    }
  }
  EXPECT_GE(read, 60u);
  EXPECT_GE(refused, 8u);  // the damaged ones: bad_data and the corrupt checksums
}

}  // namespace
}  // namespace winnow::io::parquet
