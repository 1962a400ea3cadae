#include "winnow/dedup/key_table.h"

namespace winnow::dedup {
namespace {

// An id reference packs offset (40 bits) and length (23 bits) into one word, with bit 63 set
// so that 0 can mean "empty slot". Longer ids are truncated in the reference only.
constexpr uint64_t kUsed = uint64_t{1} << 63;
constexpr uint64_t kMaxLen = (uint64_t{1} << 23) - 1;

uint64_t Pack(uint64_t offset, uint64_t len) { return kUsed | (offset << 23) | len; }
uint64_t OffsetOf(uint64_t ref) { return (ref & ~kUsed) >> 23; }
uint64_t LengthOf(uint64_t ref) { return ref & kMaxLen; }

}  // namespace

KeyTable::KeyTable() : slots_(1024), mask_(1023) {}

size_t KeyTable::memory_bytes() const {
  return slots_.capacity() * sizeof(Slot) + ids_.capacity();
}

std::string_view KeyTable::FindOrInsert(const Key128& key, std::string_view id, bool* inserted) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  size_t i = key.lo & mask_;
  for (;;) {
    Slot& s = slots_[i];
    if (s.id_ref == 0) {
      uint64_t len = std::min<uint64_t>(id.size(), kMaxLen);
      s.key = key;
      s.id_ref = Pack(ids_.size(), len);
      ids_.append(id.data(), len);
      ++size_;
      *inserted = true;
      return {};
    }
    if (s.key == key) {
      *inserted = false;
      return std::string_view(ids_.data() + OffsetOf(s.id_ref), LengthOf(s.id_ref));
    }
    i = (i + 1) & mask_;
  }
}

void KeyTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id_ref == 0) continue;
    size_t i = s.key.lo & mask_;
    while (slots_[i].id_ref != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace winnow::dedup
