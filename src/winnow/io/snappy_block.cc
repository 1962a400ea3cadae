#include "winnow/io/snappy_block.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace winnow::io {
namespace {

// The format (snappy's format_description.txt): a varint of the decoded length, then tags.
// A tag's low two bits say a literal (0; its length in the tag, or in 1-4 bytes after it
// when the tag says 60-63) or a copy from earlier output with a 1-, 2- or 4-byte offset
// after the tag (1: length 4-11 and an 11-bit offset; 2, 3: length 1-64).
//
// A tag's entry: bits 0-6 its length (literals of at most 60 bytes, copies), 8-10 the bytes
// of offset after the tag, 11-13 the offset's high bits (1-byte-offset copies), bit 14 a
// short literal, bit 15 a literal whose length follows the tag.
constexpr uint16_t kShortLiteral = 1 << 14, kLongLiteral = 1 << 15;
constexpr uint16_t Entry(unsigned tag) {
  const unsigned kind = tag & 3, high = tag >> 2;
  if (kind == 0)
    return high < 60 ? static_cast<uint16_t>((high + 1) | kShortLiteral) : kLongLiteral;
  if (kind == 1) return static_cast<uint16_t>((4 + (high & 7)) | (1 << 8) | ((tag >> 5) << 11));
  return static_cast<uint16_t>((high + 1) | ((kind == 2 ? 2u : 4u) << 8));
}
constexpr std::array<uint16_t, 256> kEntries = [] {
  std::array<uint16_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) t[i] = Entry(i);
  return t;
}();
constexpr uint32_t kOffsetMask[5] = {0, 0xff, 0xffff, 0, 0xffffffff};

// 16 bytes, unaligned (one SSE load and store).
inline void Copy16(char* to, const char* from) {
  char v[16];
  std::memcpy(v, from, 16);
  std::memcpy(to, v, 16);
}

// Up to 64 bytes in 16-byte steps, the first always: for a copy from at least 16 bytes back,
// every step reads only bytes already written (the previous steps' included).
inline void Copy64(char* to, const char* from, size_t len) {
  Copy16(to, from);
  if (len > 16) {
    Copy16(to + 16, from + 16);
    Copy16(to + 32, from + 32);
    Copy16(to + 48, from + 48);
  }
}

}  // namespace

bool SnappyDecodeBlock(std::string_view in, size_t size, char* out) {
  const auto* ip = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const in_end = ip + in.size();
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (ip == in_end || shift > 28) return false;
    const uint8_t b = *ip++;
    length |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  if (length != size) return false;
  char* op = out;
  char* const out_end = out + size;
  for (;;) {
    // The common tags, where 65 bytes of input and 64 of output remain: a literal of at most
    // 60 bytes or a copy from at least 16 bytes back, moved 16 bytes at a time (past the
    // tag's length: later tags overwrite those bytes).
    while (in_end - ip >= 65 && out_end - op >= 64) {
      const uint32_t e = kEntries[*ip];
      const size_t len = e & 0x7f;
      if ((e & kShortLiteral) != 0) {
        Copy64(op, reinterpret_cast<const char*>(ip) + 1, len);
        ip += 1 + len;
        op += len;
        continue;
      }
      if ((e & kLongLiteral) != 0) break;
      uint32_t word;
      std::memcpy(&word, ip + 1, 4);
      const size_t extra = (e >> 8) & 7;
      const size_t offset = (word & kOffsetMask[extra]) | ((e >> 11 & 7) << 8);
      if (offset < 16 || offset > static_cast<size_t>(op - out)) break;
      Copy64(op, op - offset, len);
      ip += 1 + extra;
      op += len;
    }
    if (ip >= in_end) break;
    // One tag with every bound checked: long literals, copies from close behind (runs of a
    // short pattern), bad offsets, and the block's last bytes.
    const uint8_t tag = *ip++;
    size_t len, offset;
    switch (tag & 3) {
      case 0: {
        len = tag >> 2;
        if (len >= 60) {
          const size_t bytes = len - 59;  // 1 to 4 bytes of length
          if (static_cast<size_t>(in_end - ip) < bytes) return false;
          uint32_t stored = 0;
          for (size_t i = 0; i < bytes; ++i) stored |= static_cast<uint32_t>(ip[i]) << (8 * i);
          ip += bytes;
          // The length is 32-bit, as in libsnappy: 0xffffffff + 1 is an empty literal.
          len = static_cast<uint32_t>(stored + 1);
        } else {
          ++len;
        }
        if (static_cast<size_t>(in_end - ip) < len || static_cast<size_t>(out_end - op) < len) {
          return false;
        }
        std::memcpy(op, ip, len);
        ip += len;
        op += len;
        continue;
      }
      case 1:
        if (ip == in_end) return false;
        len = 4 + ((tag >> 2) & 7);
        offset = (static_cast<size_t>(tag >> 5) << 8) | *ip++;
        break;
      case 2:
        if (in_end - ip < 2) return false;
        len = (tag >> 2) + 1;
        offset = static_cast<size_t>(ip[0]) | static_cast<size_t>(ip[1]) << 8;
        ip += 2;
        break;
      default:
        if (in_end - ip < 4) return false;
        len = (tag >> 2) + 1;
        offset = static_cast<size_t>(ip[0]) | static_cast<size_t>(ip[1]) << 8 |
                 static_cast<size_t>(ip[2]) << 16 | static_cast<size_t>(ip[3]) << 24;
        ip += 4;
        break;
    }
    if (offset == 0 || offset > static_cast<size_t>(op - out) ||
        len > static_cast<size_t>(out_end - op)) {
      return false;
    }
    // Byte by byte: a copy may overlap what it writes (a run of an `offset`-byte pattern).
    for (char* const end = op + len; op != end; ++op) *op = op[-static_cast<ptrdiff_t>(offset)];
  }
  return op == out_end;
}

}  // namespace winnow::io
