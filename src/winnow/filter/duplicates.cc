#include "winnow/filter/duplicates.h"

#include "winnow/filter/ngram_hashes.h"

#include "winnow/text/py_str.h"

namespace winnow::filter {
Duplicates FindDuplicates(const std::vector<std::string_view>& items, NGramCounter& seen) {
  // A 64-bit hash and the length stand for the string: a false duplicate among a document's
  // lines has probability about n^2 / 2^65.
  seen.Reset(items.size());
  Duplicates d;
  for (std::string_view s : items) {
    if (seen.Seen(NGramKey{XXH3_64bits(s.data(), s.size()), s.size()})) {
      ++d.elements;
      d.chars += text::PyLen(s);
    }
  }
  return d;
}

}  // namespace winnow::filter
