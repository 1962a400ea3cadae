// FlatStringMap<V>: an open-addressing hash map from short strings to values, for the
// tokenizer's per-span lookups (special cases, matcher patterns, the span memo).
//
// Written by hand because std::unordered_map costs a node hop and a cache miss per lookup,
// which measured as 30% of tokenization; here a lookup is one XXH3 hash, one probe into a
// contiguous slot array (hash tag + key position) and one memcmp. Keys live in one arena.
// Not thread-safe for writes; concurrent Find() on an unchanging map is safe.
#pragma once

#define XXH_INLINE_ALL  // a hash per lookup of a 5-byte key: a call would cost as much
#include <xxhash.h>
#undef XXH_INLINE_ALL

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::text {

template <typename V>
class FlatStringMap {
 public:
  FlatStringMap() { Rehash(16); }

  // The value of `key`, or nullptr. The pointer lives until the next Insert or Clear.
  const V* Find(std::string_view key) const {
    const uint32_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return nullptr;
      if (s.hash == h && Equals(s.key, key)) return &values_[s.value];
    }
  }
  V* FindMutable(std::string_view key) { return const_cast<V*>(Find(key)); }

  // Inserts, or replaces the value of an existing key; returns the stored value.
  V& Insert(std::string_view key, V value) {
    if ((values_.size() + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    const uint32_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kEmpty) {
        s.hash = h;
        s.key = KeyRef{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(key.size())};
        s.value = static_cast<uint32_t>(values_.size());
        arena_.append(key);
        values_.push_back(std::move(value));
        entries_.push_back(s);
        return values_.back();
      }
      if (s.hash == h && Equals(s.key, key)) return values_[s.value] = std::move(value);
    }
  }

  size_t size() const { return values_.size(); }

  void Clear() {
    arena_.clear();
    values_.clear();
    entries_.clear();
    Rehash(16);
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct KeyRef {
    uint32_t pos = 0, len = 0;
  };
  // 16 bytes: four slots to a cache line (the span memo outgrows L2 on a large corpus).
  struct Slot {
    uint32_t hash = 0;  // the low half of the key's XXH3: its position and a tag
    KeyRef key;
    uint32_t value = kEmpty;
  };
  static uint32_t Hash(std::string_view key) {
    return static_cast<uint32_t>(XXH3_64bits(key.data(), key.size()));
  }

  bool Equals(KeyRef k, std::string_view key) const {
    return k.len == key.size() && std::memcmp(arena_.data() + k.pos, key.data(), key.size()) == 0;
  }

  // Load factor <= 1/2; entries_ (one per value, in insertion order) rebuilds the slots.
  void Rehash(size_t n) {
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& e : entries_) {
      size_t i = e.hash & mask_;
      while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
      slots_[i] = e;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::string arena_;
  std::vector<V> values_;
  std::vector<Slot> entries_;
};

}  // namespace winnow::text
