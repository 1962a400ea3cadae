#include "winnow/filter/duplicates.h"

#include "winnow/filter/ngram_hashes.h"

#include "winnow/text/py_str.h"

namespace winnow::filter {
Duplicates FindDuplicates(const std::vector<std::string_view>& items, NGramCounter& seen,
                          std::vector<size_t>* repeats) {
  // A 64-bit hash and the length stand for the string: a false duplicate among a document's
  // lines has probability about n^2 / 2^65.
  seen.Reset(items.size());
  Duplicates d;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string_view s = items[i];
    if (seen.Seen(NGramKey{XXH3_64bits(s.data(), s.size()), s.size()})) {
      ++d.elements;
      d.chars += text::PyLen(s);
      if (repeats != nullptr) repeats->push_back(i);
    }
  }
  return d;
}

}  // namespace winnow::filter
