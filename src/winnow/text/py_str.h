// Python `str` semantics on UTF-8 text, as datatrove's filters rely on them.
//
// Lengths are in code points (len(s)); isspace, isalpha and the punctuation test use Unicode
// general categories (utf8proc's tables; Python 3.11 uses Unicode 14, utf8proc 2.8 Unicode 15:
// they differ only on code points assigned in 15). Functions take valid UTF-8 and return views
// into their input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/text/utf8.h"

namespace winnow::text {

// str.isspace() of one code point: Unicode White_Space plus U+001C..U+001F.
bool PyIsSpace(char32_t c);
// str.isalpha() of one code point: general category L*.
bool PyIsAlpha(char32_t c);
// unicodedata.category(c).startswith("P").
bool IsPunctuationCategory(char32_t c);
// unicodedata.category(c) == "Mn".
bool IsNonspacingMark(char32_t c);
// str.isdecimal() of one code point: category Nd (what Python's \d matches).
bool PyIsDecimal(char32_t c);

// len(s): code points.
inline size_t PyLen(std::string_view s) { return CountCodePoints(s); }

// s.strip(), s.lstrip(), s.rstrip() with no arguments.
std::string_view PyStrip(std::string_view s);
std::string_view PyLStrip(std::string_view s);
std::string_view PyRStrip(std::string_view s);

// s.splitlines(): boundaries \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029; no trailing
// empty line for a final terminator. Appends to *out (cleared first).
void PySplitLines(std::string_view s, std::vector<std::string_view>* out);

// s.split() with no arguments: runs of whitespace separate, empty strings never returned.
void PySplitWhitespace(std::string_view s, std::vector<std::string_view>* out);

// s.split(sep) for a one-byte separator: keeps empty pieces.
void SplitOn(std::string_view s, char sep, std::vector<std::string_view>* out);

// True when any code point of `s` is alphabetic (any(c.isalpha() for c in s)).
bool AnyAlpha(std::string_view s);

// s.lower() for matching ASCII phrases ("javascript", "lorem ipsum"): ASCII letters are
// lowered and every other byte is kept, except U+212A KELVIN SIGN, which Python lowers to an
// ASCII 'k'. No other code point lowers to ASCII, so substring tests for ASCII phrases give
// Python's answer.
void LowerForAsciiMatch(std::string_view s, std::string* out);

// s.lower() appended to *out, with Unicode's simple case mappings (utf8proc) plus Python's one
// unconditional special case, U+0130 -> "i\u0307"; Python also lowers a word-final capital
// sigma to U+03C2, which this does not. Invalid UTF-8 bytes are copied as they are.
void PyLower(std::string_view s, std::string* out);

// Whitespace words of `s` (len(s.split())) and whether one is longer than `max_chars` code
// points, without building the list. Counting stops at `enough` words when no word can be
// longer than max_chars (s is no longer than max_chars bytes): callers that only compare the
// count with a small bound pass it.
size_t CountWhitespaceWordsMax(std::string_view s, size_t max_chars, bool* longer,
                               size_t enough = SIZE_MAX);

// Non-overlapping occurrences of `needle` in `s` (str.count).
size_t CountOccurrences(std::string_view s, std::string_view needle);

}  // namespace winnow::text
