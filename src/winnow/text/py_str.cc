#include "winnow/text/py_str.h"

#include <utf8proc.h>

#include <array>

#include "winnow/text/utf8.h"

namespace winnow::text {

bool PyIsSpace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return IsUnicodeSpace(c);
}

bool PyIsAlpha(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return true;
    default:
      return false;
  }
}

bool IsPunctuationCategory(char32_t c) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

bool IsNonspacingMark(char32_t c) {
  return c >= 0x300 && utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_MN;
}

bool PyIsDecimal(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ND;
}

namespace {

// Length of the whitespace code point at s[i] in Python's sense, or 0.
inline size_t PySpaceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return PyIsSpace(c) ? 1 : 0;
  return SpaceLengthAt(s, i);
}

// Length of the whitespace code point ending at s[end-1], or 0.
inline size_t PySpaceBefore(std::string_view s, size_t end) {
  unsigned char c = static_cast<unsigned char>(s[end - 1]);
  if (c < 0x80) return PyIsSpace(c) ? 1 : 0;
  size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  size_t len = SpaceLengthAt(s, start);
  return len == end - start ? len : 0;
}

}  // namespace

std::string_view PyLStrip(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n = PySpaceAt(s, i);
    if (n == 0) break;
    i += n;
  }
  return s.substr(i);
}

std::string_view PyRStrip(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t n = PySpaceBefore(s, end);
    if (n == 0) break;
    end -= n;
  }
  return s.substr(0, end);
}

std::string_view PyStrip(std::string_view s) { return PyRStrip(PyLStrip(s)); }

namespace {

// Bytes that can start a line terminator: \n \v \f \r \x1c \x1d \x1e, and the lead bytes of
// U+0085 (C2 85) and U+2028/U+2029 (E2 80 A8/A9).
constexpr std::array<bool, 256> MakeLineStarts() {
  std::array<bool, 256> t{};
  for (int c : {0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0xC2, 0xE2}) t[c] = true;
  return t;
}
constexpr std::array<bool, 256> kMaybeLineEnd = MakeLineStarts();

}  // namespace

void PySplitLines(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t start = 0, i = 0;
  while (i < n) {
    if (!kMaybeLineEnd[p[i]]) {
      ++i;
      continue;
    }
    unsigned char c = p[i];
    size_t term = 0;  // length of a line terminator at i
    if (c < 0x80) {
      term = (c == '\r' && i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
    } else if (c == 0xC2) {
      term = (i + 1 < n && p[i + 1] == 0x85) ? 2 : 0;
    } else if (i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      term = 3;
    }
    if (term == 0) {
      ++i;
      continue;
    }
    out->push_back(s.substr(start, i - start));
    i += term;
    start = i;
  }
  if (start < n) out->push_back(s.substr(start));
}

void PySplitWhitespace(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < s.size()) {
    size_t n = PySpaceAt(s, i);
    if (n != 0) {
      i += n;
      continue;
    }
    size_t start = i;
    while (i < s.size() && PySpaceAt(s, i) == 0) ++i;
    out->push_back(s.substr(start, i - start));
  }
}

void SplitOn(std::string_view s, char sep, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out->push_back(s.substr(start));
      return;
    }
    out->push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool AnyAlpha(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t cp = DecodeAt(s, i, &len);
    if (PyIsAlpha(cp)) return true;
    i += len;
  }
  return false;
}

void PyLower(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                         static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out->push_back(s[i++]);
      continue;
    }
    if (cp == 0x130) {
      *out += "i\xCC\x87";
    } else {
      utf8proc_uint8_t buf[4];
      const utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), buf);
      out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(w));
    }
    i += static_cast<size_t>(n);
  }
}

void LowerForAsciiMatch(std::string_view s, std::string* out) {
  out->resize(s.size());
  char* w = out->data();
  // Branch-free with a signed byte compare (SSE2 has no unsigned one), so it vectorises:
  // c + (0x80 - 'A') maps 'A'..'Z' onto -128..-103 as a signed byte.
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<signed char>(s[i]);
    const auto shifted = static_cast<signed char>(c + static_cast<signed char>(0x80 - 'A'));
    const signed char upper = shifted < static_cast<signed char>(-128 + 26) ? 0x20 : 0;
    w[i] = static_cast<char>(c | upper);
  }
  // U+212A KELVIN SIGN (E2 84 AA) lowers to 'k': rare, so fixed up afterwards, compacting in
  // place.
  size_t at = out->find("\xE2\x84\xAA");
  if (at == std::string::npos) return;
  size_t write = at;
  for (size_t read = at; read < out->size();) {
    if (read + 2 < out->size() && (*out)[read] == '\xE2' && (*out)[read + 1] == '\x84' &&
        (*out)[read + 2] == '\xAA') {
      (*out)[write++] = 'k';
      read += 3;
    } else {
      (*out)[write++] = (*out)[read++];
    }
  }
  out->resize(write);
}

size_t CountWhitespaceWordsMax(std::string_view s, size_t max_chars, bool* longer, size_t enough) {
  // Python's whitespace is ASCII \t..\r, \x1c..\x1f and space, or a multi-byte code point
  // whose lead byte is C2, E1, E2 or E3: other bytes are word bytes without decoding.
  static constexpr std::array<uint8_t, 256> kClass = [] {
    std::array<uint8_t, 256> t{};
    for (int c : {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20}) t[c] = 1;
    for (int c : {0xC2, 0xE1, 0xE2, 0xE3}) t[c] = 2;
    return t;
  }();
  auto space_at = [&](size_t i) -> size_t {
    uint8_t c = kClass[static_cast<unsigned char>(s[i])];
    if (c == 0) return 0;
    return c == 1 ? 1 : SpaceLengthAt(s, i);
  };
  *longer = false;
  const bool can_stop = s.size() <= max_chars;  // then no word is too long
  size_t words = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (can_stop && words >= enough) return words;
    size_t n = space_at(i);
    if (n != 0) {
      i += n;
      continue;
    }
    size_t start = i;
    while (i < s.size() && space_at(i) == 0) ++i;
    ++words;
    // Bytes bound code points from above: only long words need counting.
    if (i - start > max_chars && PyLen(s.substr(start, i - start)) > max_chars) *longer = true;
  }
  return words;
}

size_t CountOccurrences(std::string_view s, std::string_view needle) {
  if (needle.empty()) return PyLen(s) + 1;
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string_view::npos;
       pos = s.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace winnow::text
