// N-gram identities and counting for gopher_repetition.
//
// datatrove compares n-grams as strings: " ".join(words[i:i+n]) for the top n-grams and
// "".join(words[i:i+n]) for the duplicated ones (where different word splits can spell the
// same string). Both are substrings of one string per document (the words joined with one
// space, or with nothing), so an n-gram's identity is a hash of that byte range plus its
// length. Up to kMaxPolyBytes the hash is a polynomial modulo 2^64 read off prefix hashes in
// three instructions; its one known weakness (Thue-Morse-like strings that collide for any
// odd base) needs strings of about 2 KB, so longer n-grams are hashed with XXH3 (the length in
// the key keeps the two from meeting). Otherwise two different n-grams of a document collide
// with probability about m^2 / 2^65 for m n-grams (3e-10 for 100,000): far below anything
// that could move a decision, and the price of keeping this step from dominating the filters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace winnow::filter {

struct NGramKey {
  uint64_t hash = 0;
  uint64_t len = 0;
  bool operator==(const NGramKey&) const = default;
};

class NGramHashes {
 public:
  // Indexes `words` (which must outlive the next Build) for both joins, and stores each
  // word's length in code points in *lengths (computed in the same pass over the bytes).
  void Build(const std::vector<std::string_view>& words, std::vector<uint32_t>* lengths);
  // The key of " ".join(words[i:i+n]) (spaced) or "".join(words[i:i+n]).
  // REQUIRES: i + n <= words.size(), n >= 1.
  NGramKey Key(size_t i, size_t n, bool spaced) const {
    // Prefix hashes at word boundaries: the n-gram's hash is the prefix through its last word
    // minus the prefix before its first word (for " ".join, including the separating space)
    // shifted by its length.
    const std::vector<uint64_t>& end = spaced ? spaced_ : joined_;
    const std::vector<uint64_t>& begin = spaced ? open_ : joined_;
    const std::vector<uint64_t>& end_len = spaced ? spaced_len_ : joined_len_;
    const std::vector<uint64_t>& begin_len = spaced ? open_len_ : joined_len_;
    const size_t len = end_len[i + n] - begin_len[i];
    if (len > kMaxPolyBytes) return LongKey(i, n, spaced, len);
    return NGramKey{end[i + n] - begin[i] * pow_[len], len};
  }

  // Where word i starts in "".join(words), and that string's length at i = words.size().
  size_t JoinedOffset(size_t i) const { return joined_len_[i]; }
  const uint64_t* JoinedOffsets() const { return joined_len_.data(); }

  static constexpr size_t kMaxPolyBytes = 1024;

 private:
  NGramKey LongKey(size_t i, size_t n, bool spaced, size_t len) const;
  void GrowPowers(size_t k);

  const std::vector<std::string_view>* words_ = nullptr;
  // Per word boundary i: hash and length of "".join(words[:i]) (joined_), of " ".join(...)
  // (spaced_) and of the latter followed by a space (open_, where an n-gram starting at i
  // begins).
  std::vector<uint64_t> joined_, spaced_, open_;
  std::vector<uint64_t> joined_len_, spaced_len_, open_len_;
  std::vector<uint64_t> pow_;  // B^k, grown as needed
  mutable std::string long_buffer_;
};

// An open-addressing table of n-gram keys with counts, reused across documents. Reset() is
// O(1) (a generation stamp marks live slots). Not thread-safe.
// (Prefetching keys ahead was measured and dropped: documents' tables are mostly cache-resident,
// and computing the keys in a separate pass cost more instructions than the misses it hid.)
class NGramCounter {
 public:
  struct Entry {
    uint64_t hash = 0;
    uint32_t len = 0;
    uint32_t generation = 0;  // live when equal to the table's
    uint32_t count = 0;
    uint32_t first = 0;
  };
  // Empties the table for up to `n` distinct keys.
  void Reset(size_t n);

  // Increments the count of `key` (first seen at `position`) and returns its entry.
  Entry& Add(const NGramKey& key, uint32_t position) {
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Entry& e = slots_[i];
      if (e.generation != generation_) {
        e = Entry{key.hash, static_cast<uint32_t>(key.len), generation_, 1, position};
        return e;
      }
      if (e.hash == key.hash && e.len == key.len) {
        ++e.count;
        return e;
      }
    }
  }

  // The entry at `slot` (an index returned by AddAt), valid until the next Reset.
  const Entry& At(size_t slot) const { return slots_[slot]; }
  // Add(), returning the slot index instead of the entry.
  size_t AddAt(const NGramKey& key, uint32_t position) {
    return static_cast<size_t>(&Add(key, position) - slots_.data());
  }

  // True when `key` was already present; inserts it otherwise.
  bool Seen(const NGramKey& key) {
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Entry& e = slots_[i];
      if (e.generation != generation_) {
        e = Entry{key.hash, static_cast<uint32_t>(key.len), generation_, 1, 0};
        return false;
      }
      if (e.hash == key.hash && e.len == key.len) return true;
    }
  }

 private:
  size_t Home(const NGramKey& key) const { return (key.hash ^ (key.hash >> 29)) & mask_; }
  std::vector<Entry> slots_;
  size_t mask_ = 0;
  uint32_t generation_ = 0;
};

}  // namespace winnow::filter
