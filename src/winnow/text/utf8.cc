#include "winnow/text/utf8.h"

#include <array>

namespace winnow::text {

size_t CountCodePointsLong(std::string_view s) {
  // Counting lead bytes, 8 at a time: a byte is a continuation byte iff (b & 0xC0) == 0x80.
  size_t n = 0;
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (; i + 8 <= s.size(); i += 8) {
    for (int k = 0; k < 8; ++k) n += (p[i + k] & 0xC0) != 0x80;
  }
  for (; i < s.size(); ++i) n += (p[i] & 0xC0) != 0x80;
  return n;
}

namespace internal {

constexpr std::array<uint8_t, 256> MakeSpaceClass() {
  std::array<uint8_t, 256> t{};
  for (int c : {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20}) t[c] = 1;
  // Only these lead bytes start a multi-byte White_Space code point (U+0085, U+00A0, U+1680,
  // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
  for (int c : {0xC2, 0xE1, 0xE2, 0xE3}) t[c] = 2;
  return t;
}
constexpr std::array<uint8_t, 256> kSpaceClassArray = MakeSpaceClass();
const uint8_t kSpaceClass[256] = {
#define W(i) kSpaceClassArray[i]
#define R16(b) W(b), W(b + 1), W(b + 2), W(b + 3), W(b + 4), W(b + 5), W(b + 6), W(b + 7), \
    W(b + 8), W(b + 9), W(b + 10), W(b + 11), W(b + 12), W(b + 13), W(b + 14), W(b + 15)
    R16(0),   R16(16),  R16(32),  R16(48),  R16(64),  R16(80),  R16(96),  R16(112),
    R16(128), R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240)
#undef R16
#undef W
};

size_t MultiByteSpaceLength(std::string_view s, size_t i) {
  size_t len = 0;
  if (i + 1 >= s.size()) return 0;
  char32_t cp = DecodeAt(s, i, &len);
  return i + len <= s.size() && IsUnicodeSpace(cp) ? len : 0;
}

}  // namespace internal

}  // namespace winnow::text
