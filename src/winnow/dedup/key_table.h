// KeyTable: a flat open-addressing map from 128-bit content keys to the id of the first
// document that had the key.
//
// Written by hand because none of winnow's packaged dependencies has a compact flat hash map,
// and this one is on the serial path of streaming dedup: one probe per document, 24 bytes per
// slot, ids packed in one arena (no allocation per document). Keys are already uniform hashes,
// so the low bits index the table directly. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::dedup {

struct Key128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  friend bool operator==(const Key128&, const Key128&) = default;
};

class KeyTable {
 public:
  KeyTable();

  // If `key` is present, returns the id stored with it; otherwise stores `id` and returns
  // an empty view with *inserted = true. The returned view lives until the next call.
  std::string_view FindOrInsert(const Key128& key, std::string_view id, bool* inserted);

  size_t size() const { return size_; }
  // Bytes held by the table and the id arena.
  size_t memory_bytes() const;

 private:
  struct Slot {
    Key128 key;
    uint64_t id_ref = 0;  // 0: empty slot; else the packed offset and length of the id
  };
  void Grow();

  std::vector<Slot> slots_;
  std::string ids_;
  size_t size_ = 0;
  size_t mask_ = 0;
};

}  // namespace winnow::dedup
