#include "winnow/filter/duplicates.h"

#include <xxhash.h>

#include <unordered_set>

#include "winnow/text/py_str.h"

namespace winnow::filter {
namespace {

struct Hash128 {
  size_t operator()(const XXH128_hash_t& h) const { return h.low64; }
};
struct Eq128 {
  bool operator()(const XXH128_hash_t& a, const XXH128_hash_t& b) const {
    return a.low64 == b.low64 && a.high64 == b.high64;
  }
};

}  // namespace

Duplicates FindDuplicates(const std::vector<std::string_view>& items) {
  // 128-bit hashes stand for the strings: a collision among a document's lines is beyond any
  // practical chance (2^-100 for a million lines).
  std::unordered_set<XXH128_hash_t, Hash128, Eq128> seen;
  seen.reserve(items.size());
  Duplicates d;
  for (std::string_view s : items) {
    if (!seen.insert(XXH3_128bits(s.data(), s.size())).second) {
      ++d.elements;
      d.chars += text::PyLen(s);
    }
  }
  return d;
}

}  // namespace winnow::filter
