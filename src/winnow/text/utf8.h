// UTF-8 helpers with the semantics winnow's filters rely on: lengths in code points (as
// Python's len(str)), and Unicode White_Space.
//
// All functions take valid UTF-8 (the JSON parser has validated it) and never read past the
// view they are given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnow::text {

// Number of code points in `s`: bytes that are not continuation bytes (10xxxxxx).
size_t CountCodePointsLong(std::string_view s);
inline size_t CountCodePoints(std::string_view s) {
  if (s.size() > 32) return CountCodePointsLong(s);
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Decodes the code point starting at s[i] and stores its length in *len (1..4).
// REQUIRES: i < s.size(), `s` valid UTF-8.
inline char32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  unsigned char c = p[0];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if (c < 0xE0) {
    *len = 2;
    return (char32_t(c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c < 0xF0) {
    *len = 3;
    return (char32_t(c & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  *len = 4;
  return (char32_t(c & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6) |
         (p[3] & 0x3F);
}

// Unicode White_Space (Python's str.isspace() adds U+001C..U+001F, which callers that mirror
// Python handle themselves).
inline bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// A UTF-8 continuation byte (10xxxxxx): never the first byte of a character.
inline bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

namespace internal {
// Per byte: 0 = cannot start a space; 1 = an ASCII space; 2 = the lead byte of a possible
// multi-byte White_Space code point (0xC2, 0xE1, 0xE2, 0xE3).
extern const uint8_t kSpaceClass[256];
size_t MultiByteSpaceLength(std::string_view s, size_t i);
}  // namespace internal

// Length in bytes of the whitespace code point at s[i], or 0 when s[i] does not start one.
// Continuation bytes never start one.
inline size_t SpaceLengthAt(std::string_view s, size_t i) {
  uint8_t c = internal::kSpaceClass[static_cast<unsigned char>(s[i])];
  if (c < 2) return c;
  return internal::MultiByteSpaceLength(s, i);
}

// The end of the run of non-whitespace bytes starting at i (the first whitespace byte at or
// after i, or s.size()).
inline size_t SkipNonSpace(std::string_view s, size_t i) {
  while (i < s.size()) {
    uint8_t c = internal::kSpaceClass[static_cast<unsigned char>(s[i])];
    if (c != 0 && (c == 1 || internal::MultiByteSpaceLength(s, i) != 0)) return i;
    ++i;
  }
  return i;
}

}  // namespace winnow::text
