// Duplicate elements of a sequence of strings, as datatrove's find_duplicates counts them.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace winnow::filter {

struct Duplicates {
  size_t elements = 0;  // later repeats of an earlier element
  size_t chars = 0;     // their lengths in code points
};

class NGramCounter;

// Every element equal to an earlier one counts once, with its length. `seen` is reused
// scratch (elements are identified by XXH3 hash and length; see NGramCounter). The indices of
// those elements go to *repeats when it is not null.
Duplicates FindDuplicates(const std::vector<std::string_view>& items, NGramCounter& seen,
                          std::vector<size_t>* repeats = nullptr);

}  // namespace winnow::filter
