#include "winnow/filter/ngram_hashes.h"

#include <algorithm>

namespace winnow::filter {
namespace {

constexpr uint64_t kMod = NGramHashes::kMod;
constexpr uint64_t kBaseA = 1'000'003;
constexpr uint64_t kBaseB = 998'244'353;

inline uint64_t MulMod(uint64_t a, uint64_t b) { return NGramHashes::MulMod(a, b); }

inline uint64_t AddMod(uint64_t a, uint64_t b) {
  uint64_t r = a + b;
  return r >= kMod ? r - kMod : r;
}

}  // namespace

void NGramHashes::EnsurePowers(size_t n) {
  if (pow_a_.empty()) {
    pow_a_.push_back(1);
    pow_b_.push_back(1);
  }
  while (pow_a_.size() <= n) {
    pow_a_.push_back(MulMod(pow_a_.back(), kBaseA));
    pow_b_.push_back(pow_b_.back() * kBaseB);  // modulo 2^64
  }
}

void NGramHashes::Build(const std::vector<std::string_view>& words) {
  size_t bytes = 0;
  for (std::string_view w : words) bytes += w.size() + 1;
  EnsurePowers(bytes);
  joined_.Reset();
  spaced_.Reset();
  open_.Reset();
  constexpr uint64_t kSpace = ' ' + 1;  // bytes enter as value + 1, so 0 still counts
  for (size_t i = 0; i < words.size(); ++i) {
    uint64_t ha = 0, hb = 0;
    for (char c : words[i]) {
      uint64_t v = static_cast<unsigned char>(c) + 1u;
      ha = AddMod(MulMod(ha, kBaseA), v);
      hb = hb * kBaseB + v;
    }
    const uint64_t n = words[i].size();
    // "".join: previous * B^n + word
    joined_.a.push_back(AddMod(MulMod(joined_.a.back(), pow_a_[n]), ha));
    joined_.b.push_back(joined_.b.back() * pow_b_[n] + hb);
    joined_.len.push_back(joined_.len.back() + n);
    // " ".join: open (previous joined with a trailing space) * B^n + word
    spaced_.a.push_back(AddMod(MulMod(open_.a.back(), pow_a_[n]), ha));
    spaced_.b.push_back(open_.b.back() * pow_b_[n] + hb);
    spaced_.len.push_back(open_.len.back() + n);
    open_.a.push_back(AddMod(MulMod(spaced_.a.back(), kBaseA), kSpace));
    open_.b.push_back(spaced_.b.back() * kBaseB + kSpace);
    open_.len.push_back(spaced_.len.back() + 1);
  }
}

void NGramCounter::Reset(size_t n) {
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  if (slots_.size() < cap || ++generation_ == 0) {
    slots_.assign(std::max(cap, slots_.size()), Entry{});
    generation_ = 1;
  }
  // Probe only the first `cap` slots: a small document after a large one stays in cache.
  mask_ = cap - 1;
}

NGramCounter::Entry& NGramCounter::Slot(const NGramKey& key, bool* found) {
  const uint32_t b = static_cast<uint32_t>(key.b);
  for (size_t i = Home(key);; i = (i + 1) & mask_) {
    Entry& e = slots_[i];
    if (e.generation != generation_) {
      e.a = key.a;
      e.b = b;
      e.count = 0;
      e.generation = generation_;
      *found = false;
      return e;
    }
    if (e.a == key.a && e.b == b) {
      *found = true;
      return e;
    }
  }
}

NGramCounter::Entry& NGramCounter::Add(const NGramKey& key, uint32_t position) {
  bool found = false;
  Entry& e = Slot(key, &found);
  if (!found) e.first = position;
  ++e.count;
  return e;
}

bool NGramCounter::Seen(const NGramKey& key) {
  bool found = false;
  Slot(key, &found);
  return found;
}

}  // namespace winnow::filter
