// Text normalisations used as keys (exact dedup) and for counting.
#pragma once

#include <string>
#include <string_view>

namespace winnow::text {

// Writes `s` with leading and trailing whitespace removed and every run of Unicode
// White_Space replaced by one ASCII space into `*out` (cleared first). Two documents that
// differ only in spacing, line breaks or indentation normalise to the same bytes.
void NormalizeWhitespace(std::string_view s, std::string* out);

// Number of maximal runs of non-whitespace code points (Python's len(s.split())).
size_t CountWhitespaceWords(std::string_view s);

}  // namespace winnow::text
