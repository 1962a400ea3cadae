// Constant-time identities for every run of consecutive words of a document.
//
// datatrove compares n-grams as strings: " ".join(words[i:i+n]) for the top n-grams and
// "".join(words[i:i+n]) for the duplicated ones (where different word splits can spell the
// same string). A polynomial hash of a concatenation follows from the hashes of its parts
// (H(xy) = H(x) * B^|y| + H(y)), so each word is hashed once, prefix hashes over the words are
// built for both joins, and any n-gram's hash is O(1). The key pairs a polynomial hash modulo
// the Mersenne prime 2^61-1 (random-like collisions at 2^-61) with one modulo 2^64 (a single
// multiplication; independent of the first on non-adversarial text), with fixed bases, so
// results are deterministic.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace winnow::filter {

struct NGramKey {
  uint64_t a = 0, b = 0;
  bool operator==(const NGramKey&) const = default;
};

class NGramHashes {
 public:
  // Indexes `words` for both joins.
  void Build(const std::vector<std::string_view>& words);
  // The key of " ".join(words[i:i+n]) (spaced) or "".join(words[i:i+n]).
  // REQUIRES: i + n <= words.size(), n >= 1.
  NGramKey Key(size_t i, size_t n, bool spaced) const {
    // The n-gram is the prefix up to its last word minus the prefix before its first word
    // (for " ".join, the one ending with the separating space).
    const Prefix& end = spaced ? spaced_ : joined_;
    const Prefix& begin = spaced ? open_ : joined_;
    size_t len = end.len[i + n] - begin.len[i];
    uint64_t a = MulMod(begin.a[i], pow_a_[len]);
    uint64_t ea = end.a[i + n];
    return NGramKey{ea >= a ? ea - a : ea + kMod - a, end.b[i + n] - begin.b[i] * pow_b_[len]};
  }

  static constexpr uint64_t kMod = (uint64_t{1} << 61) - 1;
  static uint64_t MulMod(uint64_t a, uint64_t b) {
    __extension__ using U128 = unsigned __int128;
    U128 p = static_cast<U128>(a) * b;
    uint64_t r = static_cast<uint64_t>(p & kMod) + static_cast<uint64_t>(p >> 61);
    return r >= kMod ? r - kMod : r;
  }

 private:
  void EnsurePowers(size_t n);
  // Prefix hashes: joined_[i] of "".join(words[:i]); spaced_[i] of " ".join(words[:i]) and
  // open_[i] of the same followed by one space (the start of an n-gram at word i).
  struct Prefix {
    std::vector<uint64_t> a, b;
    std::vector<uint64_t> len;  // bytes
    void Reset() {
      a.assign(1, 0);
      b.assign(1, 0);
      len.assign(1, 0);
    }
  };
  Prefix joined_, spaced_, open_;
  std::vector<uint64_t> pow_a_, pow_b_;
};

// An open-addressing table of n-gram keys with counts, reused across documents. Reset() is
// O(1) (a generation stamp marks live slots), so nine passes per document cost nothing to
// clear. Entries keep the 61-bit hash and 32 bits of the second one (93 bits) in 24 bytes;
// callers prefetch the slot of a key they will look up soon. Not thread-safe.
class NGramCounter {
 public:
  struct Entry {
    uint64_t a = 0;
    uint32_t b = 0;
    uint32_t generation = 0;  // live when equal to the table's
    uint32_t count = 0;
    uint32_t first = 0;
  };
  // Empties the table for up to `n` distinct keys.
  void Reset(size_t n);
  void Prefetch(const NGramKey& key) const { __builtin_prefetch(&slots_[Home(key)]); }
  // Increments the count of `key` (first seen at `position`) and returns its entry.
  Entry& Add(const NGramKey& key, uint32_t position);
  // True when `key` was already present; inserts it otherwise.
  bool Seen(const NGramKey& key);

 private:
  size_t Home(const NGramKey& key) const {
    return (key.a ^ (key.b * 0x9E3779B97F4A7C15ULL)) & mask_;
  }
  Entry& Slot(const NGramKey& key, bool* found);
  std::vector<Entry> slots_;
  size_t mask_ = 0;
  uint32_t generation_ = 0;
};

}  // namespace winnow::filter
