#include "winnow/text/normalize.h"

#include "winnow/text/utf8.h"

namespace winnow::text {

// Both loops are branch-free per byte: words are a handful of bytes long, so a loop that
// branches at every word boundary mispredicts constantly. Multi-byte spaces (class 2 lead
// bytes: rare) take the one predictable branch.

void NormalizeWhitespace(std::string_view s, std::string* out) {
  out->resize(s.size());
  char* w = out->data();
  size_t n = 0;
  unsigned prev_space = 1;  // drops leading whitespace
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint8_t cls = internal::kSpaceClass[c];
    unsigned space = cls == 1;
    size_t step = 1;
    if (cls == 2) [[unlikely]] {
      size_t len = internal::MultiByteSpaceLength(s, i);
      if (len != 0) {
        space = 1;
        step = len;
      }
    }
    if (step == 1) {
      // Write the byte (or a space) and keep it unless it extends a run of spaces.
      w[n] = space ? ' ' : static_cast<char>(c);
      n += !(space & prev_space);
    } else if (!prev_space) {
      w[n++] = ' ';
    }
    prev_space = space;
    i += step;
  }
  if (n > 0 && w[n - 1] == ' ') --n;  // drops trailing whitespace
  out->resize(n);
}

size_t CountWhitespaceWords(std::string_view s) {
  size_t words = 0;
  unsigned prev_space = 1;
  size_t i = 0;
  while (i < s.size()) {
    uint8_t cls = internal::kSpaceClass[static_cast<unsigned char>(s[i])];
    unsigned space = cls == 1;
    size_t step = 1;
    if (cls == 2) [[unlikely]] {
      size_t len = internal::MultiByteSpaceLength(s, i);
      if (len != 0) {
        space = 1;
        step = len;
      }
    }
    words += prev_space & (space ^ 1);
    prev_space = space;
    i += step;
  }
  return words;
}

}  // namespace winnow::text
