#include "winnow/io/byte_source.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace winnow::io {
namespace {

using winnow::testing::Gzip;
using winnow::testing::TempDir;
using winnow::testing::WriteFile;
using winnow::testing::Zstd;

std::string Payload() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "{\"text\":\"line " + std::to_string(i) + "\"}\n";
  return s;
}

// Reads everything with small reads, to cross buffer and member boundaries.
Result<std::string> Drain(const std::string& path) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> src, OpenByteSource(path));
  std::string out;
  char buf[1000];
  for (;;) {
    WINNOW_ASSIGN_OR_RETURN(size_t n, src->Read(buf, sizeof(buf)));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

TEST(ByteSourceTest, CodecFromMagicAndName) {
  EXPECT_EQ(CodecFromMagic("\x1f\x8b\x08"), Codec::kGzip);
  EXPECT_EQ(CodecFromMagic("\x28\xb5\x2f\xfd"), Codec::kZstd);
  EXPECT_EQ(CodecFromMagic("{\"te"), Codec::kNone);
  EXPECT_EQ(CodecFromName("a.jsonl.gz"), Codec::kGzip);
  EXPECT_EQ(CodecFromName("a.jsonl.zst"), Codec::kZstd);
  EXPECT_EQ(CodecFromName("a.jsonl"), Codec::kNone);
}

TEST(ByteSourceTest, ReadsPlainGzipAndZstdAlike) {
  TempDir dir;
  std::string data = Payload();
  WriteFile(dir / "a.jsonl", data);
  WriteFile(dir / "a.jsonl.gz", Gzip(data));
  WriteFile(dir / "a.jsonl.zst", Zstd(data));
  for (const char* name : {"a.jsonl", "a.jsonl.gz", "a.jsonl.zst"}) {
    Result<std::string> got = Drain(dir / name);
    ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
    EXPECT_EQ(*got, data) << name;
  }
}

TEST(ByteSourceTest, CodecIsSniffedWhenTheNameSaysNothing) {
  TempDir dir;
  std::string data = Payload();
  WriteFile(dir / "noext", Zstd(data));
  Result<std::string> got = Drain(dir / "noext");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, data);
}

TEST(ByteSourceTest, MultiMemberGzipAndMultiFrameZstd) {
  TempDir dir;
  std::string a = Payload(), b = "{\"text\":\"tail\"}\n";
  WriteFile(dir / "m.gz", Gzip(a) + Gzip(b) + Gzip(a));
  WriteFile(dir / "m.zst", Zstd(a) + Zstd(b) + Zstd(a));
  for (const char* name : {"m.gz", "m.zst"}) {
    Result<std::string> got = Drain(dir / name);
    ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
    EXPECT_EQ(*got, a + b + a) << name;
  }
}

TEST(ByteSourceTest, TruncatedStreamsAreCorruptAfterTheirGoodBytes) {
  TempDir dir;
  std::string data = Payload();
  std::string gz = Gzip(data), zs = Zstd(data);
  WriteFile(dir / "t.gz", gz.substr(0, gz.size() / 2));
  WriteFile(dir / "t.zst", zs.substr(0, zs.size() / 2));
  for (const char* name : {"t.gz", "t.zst"}) {
    Result<std::unique_ptr<ByteSource>> src = OpenByteSource(dir / name);
    ASSERT_TRUE(src.ok());
    std::string out;
    char buf[4096];
    Status error;
    for (;;) {
      Result<size_t> n = (*src)->Read(buf, sizeof(buf));
      if (!n.ok()) {
        error = n.status();
        break;
      }
      ASSERT_GT(*n, 0u) << name << ": a truncated stream must not end cleanly";
      out.append(buf, *n);
    }
    EXPECT_EQ(error.code(), StatusCode::kCorrupt) << name;
    EXPECT_NE(error.message().find("truncated"), std::string_view::npos) << error.ToString();
    EXPECT_NE(error.message().find(name), std::string_view::npos) << error.ToString();
    EXPECT_GT(out.size(), 0u) << name;
    EXPECT_EQ(data.compare(0, out.size(), out), 0) << name << ": good bytes come out unchanged";
  }
}

TEST(ByteSourceTest, RandomBytesWithACompressedNameAreCorrupt) {
  TempDir dir;
  WriteFile(dir / "junk.jsonl.zst", "this is not zstd at all");
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(dir / "junk.jsonl.zst");
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(src.status().message().find("not a zstd stream"), std::string_view::npos);
}

TEST(ByteSourceTest, GarbageAfterAGzipMemberIsCorrupt) {
  TempDir dir;
  WriteFile(dir / "g.gz", Gzip("{\"text\":\"a\"}\n") + "GARBAGE");
  Result<std::string> got = Drain(dir / "g.gz");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("garbage after member"), std::string_view::npos);
}

TEST(ByteSourceTest, MissingFileIsNotFound) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource("/nonexistent/x.jsonl");
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace winnow::io
