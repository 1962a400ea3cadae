#include "winnow/filter/ngram_hashes.h"

#include <algorithm>

namespace winnow::filter {

namespace {
constexpr uint64_t kBase = 0x9E3779B97F4A7C15ULL | 1;  // odd
constexpr uint64_t kSpace = ' ' + 1;  // bytes enter as value + 1, so a zero byte still counts
}  // namespace

void NGramHashes::GrowPowers(size_t k) {
  if (pow_.empty()) pow_.push_back(1);
  while (pow_.size() <= k) pow_.push_back(pow_.back() * kBase);
}

void NGramHashes::Build(const std::vector<std::string_view>& words,
                        std::vector<uint32_t>* lengths) {
  words_ = &words;
  size_t longest = kMaxPolyBytes;
  for (std::string_view w : words) longest = std::max(longest, w.size());
  GrowPowers(longest);
  const size_t n = words.size();
  for (auto* v : {&joined_, &spaced_, &open_, &joined_len_, &spaced_len_, &open_len_}) {
    v->resize(n + 1);
  }
  joined_[0] = spaced_[0] = open_[0] = 0;
  joined_len_[0] = spaced_len_[0] = open_len_[0] = 0;
  lengths->resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = 0;
    uint32_t code_points = 0;
    for (char c : words[i]) {
      const auto b = static_cast<unsigned char>(c);
      h = h * kBase + (b + 1u);
      code_points += (b & 0xC0) != 0x80;
    }
    (*lengths)[i] = code_points;
    const size_t len = words[i].size();
    const uint64_t shift = pow_[len];
    joined_[i + 1] = joined_[i] * shift + h;
    joined_len_[i + 1] = joined_len_[i] + len;
    spaced_[i + 1] = open_[i] * shift + h;
    spaced_len_[i + 1] = open_len_[i] + len;
    open_[i + 1] = spaced_[i + 1] * kBase + kSpace;
    open_len_[i + 1] = spaced_len_[i + 1] + 1;
  }
  // open_[0] is the empty prefix: the first n-gram has no space before it.
}

NGramKey NGramHashes::LongKey(size_t i, size_t n, bool spaced, size_t len) const {
  long_buffer_.clear();
  for (size_t k = i; k < i + n; ++k) {
    if (spaced && k > i) long_buffer_.push_back(' ');
    long_buffer_.append((*words_)[k]);
  }
  return NGramKey{XXH3_64bits(long_buffer_.data(), long_buffer_.size()), len};
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

}  // namespace winnow::filter
