#include "winnow/io/record_reader.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace winnow::io {
namespace {

using winnow::testing::TempDir;
using winnow::testing::WriteFile;
using winnow::testing::Zstd;

struct Read {
  std::vector<std::string> records;
  std::vector<RecordRef> refs;
  std::vector<Rejected> rejected;
  size_t batches = 0;
  uint64_t bytes = 0;
};

Read ReadAll(const std::string& path, ReaderOptions options,
             InputFormat format = InputFormat::kJsonl) {
  Read out;
  std::unique_ptr<RecordReader> reader = OpenRecordReader(path, format, options);
  bool more = true;
  while (more) {
    Batch b;
    more = reader->Next(b);
    EXPECT_EQ(b.last_in_shard, !more);
    ++out.batches;
    out.bytes += b.input_bytes;
    for (const RecordRef& r : b.records) {
      out.records.emplace_back(b.input.data() + r.begin, r.size);
      out.refs.push_back(r);
    }
    for (Rejected& r : b.rejected) out.rejected.push_back(std::move(r));
  }
  return out;
}

TEST(RecordReaderTest, SplitsLinesAcrossBatchesWithPositions) {
  TempDir dir;
  std::string data;
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 5000; ++i) {
    offsets.push_back(data.size());
    data += "{\"text\":\"record number " + std::to_string(i) + "\"}\n";
  }
  WriteFile(dir / "a.jsonl.zst", Zstd(data));
  ReaderOptions o;
  o.batch_bytes = 1000;  // many batches, lines cut by chunk boundaries
  Read r = ReadAll(dir / "a.jsonl.zst", o);
  ASSERT_EQ(r.records.size(), 5000u);
  EXPECT_GT(r.batches, 50u);
  EXPECT_EQ(r.bytes, data.size());
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(r.records[i], "{\"text\":\"record number " + std::to_string(i) + "\"}");
    EXPECT_EQ(r.refs[i].line, static_cast<uint64_t>(i + 1));
    EXPECT_EQ(r.refs[i].byte_offset, offsets[i]);
    EXPECT_EQ(r.refs[i].ordinal, static_cast<uint64_t>(i));
  }
  EXPECT_TRUE(r.rejected.empty());
}

TEST(RecordReaderTest, CrlfBlankLinesBomAndMissingFinalNewline) {
  TempDir dir;
  WriteFile(dir / "a.jsonl",
            "\xEF\xBB\xBF{\"text\":\"a\"}\r\n\n   \r\n{\"text\":\"b\"}\n{\"text\":\"c\"}");
  Read r = ReadAll(dir / "a.jsonl", ReaderOptions{});
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0], "{\"text\":\"a\"}");
  EXPECT_EQ(r.records[1], "{\"text\":\"b\"}");
  EXPECT_EQ(r.records[2], "{\"text\":\"c\"}");
  EXPECT_EQ(r.refs[0].byte_offset, 3u);  // after the BOM
  EXPECT_EQ(r.refs[1].line, 4u);
  EXPECT_EQ(r.refs[2].line, 5u);
  EXPECT_TRUE(r.rejected.empty());
}

TEST(RecordReaderTest, OverlongLineIsRejectedAndReadingGoesOn) {
  TempDir dir;
  std::string big(5 << 20, 'x');
  std::string data = "{\"text\":\"before\"}\n{\"text\":\"" + big + "\"}\n{\"text\":\"after\"}\n";
  WriteFile(dir / "a.jsonl", data);
  ReaderOptions o;
  o.max_record_bytes = 1 << 20;
  o.batch_bytes = 4096;
  Read r = ReadAll(dir / "a.jsonl", o);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0], "{\"text\":\"before\"}");
  EXPECT_EQ(r.records[1], "{\"text\":\"after\"}");
  EXPECT_EQ(r.refs[1].line, 3u);
  EXPECT_EQ(r.refs[1].byte_offset, data.find("{\"text\":\"after"));
  EXPECT_EQ(r.refs[1].ordinal, 2u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "line_too_long");
  EXPECT_EQ(r.rejected[0].line, 2u);
  EXPECT_EQ(r.rejected[0].byte_offset, 18u);
  EXPECT_EQ(r.rejected[0].ordinal, 1u);
  EXPECT_NE(r.rejected[0].error.find("a.jsonl:2@18"), std::string::npos) << r.rejected[0].error;
  EXPECT_LE(r.rejected[0].excerpt.size(), 256u);
}

TEST(RecordReaderTest, EmptyFileIsOneRejection) {
  TempDir dir;
  WriteFile(dir / "empty.jsonl", "");
  Read r = ReadAll(dir / "empty.jsonl", ReaderOptions{});
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "empty_file");
}

TEST(RecordReaderTest, TruncatedStreamKeepsCompleteLinesThenRejects) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 20000; ++i) data += "{\"text\":\"n" + std::to_string(i) + "\"}\n";
  std::string z = Zstd(data);
  WriteFile(dir / "t.jsonl.zst", z.substr(0, z.size() * 3 / 4));
  Read r = ReadAll(dir / "t.jsonl.zst", ReaderOptions{});
  EXPECT_GT(r.records.size(), 1000u);
  EXPECT_LT(r.records.size(), 20000u);
  // One rejection, the line the damage cut (its excerpt the partial line); every record
  // before it intact.
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected.back().kind, "truncated");
  EXPECT_EQ(r.rejected.back().line, r.records.size() + 1);
  const std::string cut_line = "{\"text\":\"n" + std::to_string(r.records.size()) + "\"}";
  EXPECT_EQ(cut_line.rfind(r.rejected.back().excerpt, 0), 0u) << r.rejected.back().excerpt;
  for (size_t i = 0; i < r.records.size(); ++i) {
    EXPECT_EQ(r.records[i], "{\"text\":\"n" + std::to_string(i) + "\"}");
  }
}

TEST(RecordReaderTest, UnopenableFileBecomesARejection) {
  ReaderOptions o;
  Read r = ReadAll("/nonexistent/file.jsonl", o);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].kind, "io");
}

TEST(RecordReaderTest, TextFileIsOneRecord) {
  TempDir dir;
  WriteFile(dir / "page.txt", "line one\nline two\n");
  Read r = ReadAll(dir / "page.txt", ReaderOptions{}, InputFormat::kText);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0], "line one\nline two\n");
}

}  // namespace
}  // namespace winnow::io
