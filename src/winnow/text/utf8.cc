#include "winnow/text/utf8.h"

#include <array>
#include <cstring>

namespace winnow::text {

size_t CountCodePointsLong(std::string_view s) {
  // Eight bytes at a time: a continuation byte is 10xxxxxx (bit 7 set, bit 6 clear), so
  // (x & ~(x << 1)) >> 7 leaves a 1 in exactly those byte lanes. Lanes are summed in a
  // register (at most 255 rounds before a lane could overflow) and folded with a multiply:
  // no popcount, which baseline x86-64 lacks.
  size_t continuation = 0;
  size_t i = 0;
  const char* p = s.data();
  while (i + 8 <= s.size()) {
    uint64_t lanes = 0;
    for (int round = 0; round < 255 && i + 8 <= s.size(); ++round, i += 8) {
      uint64_t x;
      std::memcpy(&x, p + i, 8);
      lanes += ((x & ~(x << 1)) >> 7) & 0x0101010101010101ULL;
    }
    // Fold: each byte lane holds <= 255; 8 lanes sum to <= 2040, so split into two halves.
    uint64_t lo = lanes & 0x00FF00FF00FF00FFULL, hi = (lanes >> 8) & 0x00FF00FF00FF00FFULL;
    uint64_t sum = lo + hi;  // four 16-bit lanes, each <= 510
    continuation += static_cast<size_t>((sum * 0x0001000100010001ULL) >> 48);
  }
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  return s.size() - continuation;
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
#define R16(b)                                                                                    \
  W(b), W(b + 1), W(b + 2), W(b + 3), W(b + 4), W(b + 5), W(b + 6), W(b + 7), W(b + 8), W(b + 9), \
      W(b + 10), W(b + 11), W(b + 12), W(b + 13), W(b + 14), W(b + 15)
    R16(0),   R16(16),  R16(32),  R16(48),  R16(64),  R16(80),  R16(96), R16(112), R16(128),
    R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240)
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
