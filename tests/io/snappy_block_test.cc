// The hand-written snappy decoder against libsnappy, the format's reference: real web text,
// generated text, random bytes and short-pattern runs decode to what libsnappy compressed;
// hand-built blocks reach every tag kind (4-byte offsets, long literals of 1-4 length bytes,
// copies overlapping themselves); and every truncation and many corruptions of real blocks
// get libsnappy's verdict, with the same bytes whenever both accept.
#include <gtest/gtest.h>
#include <snappy.h>

#include <random>
#include <string>

#include "testing/test_util.h"
#include "winnow/gen/generator.h"
#include "winnow/io/snappy_block.h"

namespace winnow::io {
namespace {

std::string Compress(std::string_view raw) {
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

// libsnappy's verdict and bytes for `block`, decoded to `size` bytes.
bool Reference(std::string_view block, size_t size, std::string* out) {
  size_t n = 0;
  if (!snappy::GetUncompressedLength(block.data(), block.size(), &n) || n != size) return false;
  out->assign(size, '\0');
  return snappy::RawUncompress(block.data(), block.size(), out->data());
}

// Decodes `block` both ways and expects the same verdict, and the same bytes when accepted.
void ExpectAsLibsnappy(std::string_view block, size_t size, const std::string& what) {
  std::string want, got(size, '\0');
  const bool ok = Reference(block, size, &want);
  ASSERT_EQ(SnappyDecodeBlock(block, size, got.data()), ok) << what;
  if (ok) {
    ASSERT_EQ(got, want) << what;
  }
}

void ExpectRoundTrip(std::string_view raw, const std::string& what) {
  const std::string block = Compress(raw);
  std::string got(raw.size(), '\0');
  ASSERT_TRUE(SnappyDecodeBlock(block, raw.size(), got.data())) << what;
  ASSERT_EQ(got, raw) << what;
  // The wrong size is refused, whatever it is.
  std::string other(raw.size() + 1, '\0');
  EXPECT_FALSE(SnappyDecodeBlock(block, raw.size() + 1, other.data())) << what;
}

// A block's preamble: the decoded length as a varint.
std::string Varint(size_t n) {
  std::string v;
  for (;; n >>= 7) {
    v += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    if (n < 0x80) return v;
  }
}

std::string Generated(uint64_t seed, size_t bytes) {
  std::string text;
  gen::GeneratedDoc doc;
  for (uint64_t i = 0; text.size() < bytes; ++i) {
    gen::GenerateDocument(seed, i, &doc);
    text += doc.line;
  }
  return text;
}

std::string RealText() {
  const std::string data = winnow::testing::SharedDataDir();
  if (data.empty()) return {};
  return winnow::testing::ReadDecoded(data + "/text/reuters21578.jsonl.zst") +
         winnow::testing::ReadDecoded(data + "/text/20newsgroups.jsonl.zst");
}

TEST(SnappyBlockTest, RealWebTextRoundTrips) {
  const std::string text = RealText();
  if (text.empty()) GTEST_SKIP() << "../shared/data absent";
  ASSERT_GT(text.size(), 1u << 20);
  ExpectRoundTrip(text, "all of it");  // several 64 KiB fragments, offsets up to 64 KiB
  // Every prefix length around the fast loop's margins, and odd sizes.
  for (size_t n = 0; n < 300; ++n) ExpectRoundTrip(std::string_view(text).substr(0, n), "prefix");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const size_t at = rng() % text.size(), n = rng() % 100000;
    ExpectRoundTrip(std::string_view(text).substr(at, n), "slice");
  }
}

TEST(SnappyBlockTest, GeneratedRandomAndRepetitiveInputsRoundTrip) {
  ExpectRoundTrip(Generated(3, 1 << 20), "generated");
  std::mt19937_64 rng(11);
  std::string random(300000, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  ExpectRoundTrip(random, "random bytes");  // one long literal after another
  // Runs of a pattern of every length 1-70: copies from 1 to 70 bytes back, overlapping.
  for (size_t period = 1; period <= 70; ++period) {
    std::string runs;
    for (size_t i = 0; runs.size() < 5000; ++i) runs += static_cast<char>('a' + (i % period));
    runs += random.substr(0, 100);
    ExpectRoundTrip(runs, "period " + std::to_string(period));
  }
}

// Blocks libsnappy's compressor does not write: 4-byte offsets, literals whose length takes
// 1-4 bytes, a copy as long as 64 bytes from 1 byte back.
TEST(SnappyBlockTest, EveryTagKind) {
  std::mt19937_64 rng(5);
  std::string literal(70000, '\0');
  for (char& c : literal) c = static_cast<char>('a' + rng() % 26);
  for (size_t bytes = 1; bytes <= 4; ++bytes) {
    const size_t n = bytes == 1 ? 200 : bytes == 2 ? 1000 : 70000;
    std::string block = Varint(n) + static_cast<char>((59 + bytes) << 2);
    for (size_t i = 0; i < bytes; ++i) block += static_cast<char>(((n - 1) >> (8 * i)) & 0xff);
    block += literal.substr(0, n);
    std::string got(n, '\0');
    ASSERT_TRUE(SnappyDecodeBlock(block, n, got.data())) << bytes;
    EXPECT_EQ(got, literal.substr(0, n));
    ExpectAsLibsnappy(block, n, "long literal");
  }
  // 3,000 literal bytes, then copies of every kind: 4-byte offsets, 2-byte, 1-byte, offset 1.
  std::string want = literal.substr(0, 3000);
  std::string block = {static_cast<char>(61 << 2), static_cast<char>(2999 & 0xff),
                       static_cast<char>(2999 >> 8)};
  block += want;
  auto copy4 = [&](size_t len, size_t offset) {
    block += static_cast<char>(((len - 1) << 2) | 3);
    for (int i = 0; i < 4; ++i) block += static_cast<char>((offset >> (8 * i)) & 0xff);
    for (size_t i = 0; i < len; ++i) want += want[want.size() - offset];
  };
  auto copy2 = [&](size_t len, size_t offset) {
    block += static_cast<char>(((len - 1) << 2) | 2);
    block += static_cast<char>(offset & 0xff);
    block += static_cast<char>(offset >> 8);
    for (size_t i = 0; i < len; ++i) want += want[want.size() - offset];
  };
  auto copy1 = [&](size_t len, size_t offset) {
    block += static_cast<char>(((offset >> 8) << 5) | ((len - 4) << 2) | 1);
    block += static_cast<char>(offset & 0xff);
    for (size_t i = 0; i < len; ++i) want += want[want.size() - offset];
  };
  for (int round = 0; round < 50; ++round) {
    copy4(64, 100);
    copy4(1 + round, 17 + round);
    copy2(64, 1);
    copy2(20, 3);
    copy1(11, 2047);
    copy1(4, 16);
    copy1(7, 5);
  }
  const std::string varint_block = Varint(want.size()) + block;
  std::string got(want.size(), '\0');
  ASSERT_TRUE(SnappyDecodeBlock(varint_block, want.size(), got.data()));
  EXPECT_EQ(got, want);
  ExpectAsLibsnappy(varint_block, want.size(), "copies");
}

TEST(SnappyBlockTest, DamagedBlocksGetLibsnappysVerdict) {
  std::string text = RealText();
  if (text.empty()) text = Generated(9, 200000);
  const std::string raw = text.substr(0, 20000);
  const std::string block = Compress(raw);
  for (size_t n = 0; n < block.size(); ++n) {
    ExpectAsLibsnappy(std::string_view(block).substr(0, n), raw.size(), "cut");
  }
  std::mt19937_64 rng(13);
  for (int i = 0; i < 20000; ++i) {
    std::string bad = block;
    for (int k = 0; k < 1 + i % 3; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    ExpectAsLibsnappy(bad, raw.size(), "corrupted");
    if (HasFailure()) return;
  }
  // A literal whose 4-byte length is 0xffffffff: libsnappy's lengths are 32-bit, so it is an
  // empty literal (the fuzz target found this).
  ExpectAsLibsnappy(std::string("\x00\xfc\xff\xff\xff\xff", 6), 0, "32-bit length");
  ExpectAsLibsnappy(std::string("\x01\xfc\xff\xff\xff\xff\x00x", 8), 1, "32-bit length");
  // Junk.
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 300, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    ExpectAsLibsnappy(junk, rng() % 500, "junk");
  }
}

}  // namespace
}  // namespace winnow::io
