// MinHash signatures of documents: shingling, permutations, LSH band keys.
//
// Two presets:
//  - kDatatrove: bit-identical to datatrove's MinhashDedupSignature (0.10, default config):
//    simplify_text, spaCy English words, word n-grams joined by one space, XXH64 (seed 0) of
//    each, permutations ((s * a + b) mod 2^64) mod (2^61 - 1) with a, b drawn like numpy's
//    RandomState(seed).randint; no signature below n words.
//  - kNative (default): case folding and separators at every P*/S*/Z*/C* code point (no word
//    tokenizer), each token hashed once with XXH3 and n consecutive token hashes combined, odd
//    multiply-add permutations mod 2^64. Several times faster; a document with 1..n-1 tokens
//    gets one shingle of all of them (so short copies still match), an empty one none.
//
// MinHasher is immutable and shared by all threads; each thread brings a MinHashScratch. The
// signature computation is a pure batch kernel (text in, values out, no I/O).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::text {
class TokenizerScratch;
}

namespace winnow::dedup {

enum class MinHashPreset { kNative, kDatatrove };

struct MinHashConfig {
  MinHashPreset preset = MinHashPreset::kNative;
  int n_grams = 5;
  int bands = 14;
  int rows = 8;  // permutations per band
  uint64_t seed = 1;
  int permutations() const { return bands * rows; }
};

// Fills a[count], b[count] like datatrove: numpy.random.RandomState(seed) then
// randint(1, 2^61 - 1, size=count, dtype=uint64) for a and randint(0, 2^61 - 1, ...) for b.
void DatatrovePermutations(uint64_t seed, size_t count, std::vector<uint64_t>* a,
                           std::vector<uint64_t>* b);

class MinHashScratch {
 public:
  MinHashScratch();
  ~MinHashScratch();
  MinHashScratch(const MinHashScratch&) = delete;
  MinHashScratch& operator=(const MinHashScratch&) = delete;

 private:
  friend class MinHasher;
  std::string normalized, joined;
  std::vector<std::string_view> words;
  std::vector<uint64_t> token_hashes, shingles;
  std::unique_ptr<text::TokenizerScratch> tokenizer;
};

class MinHasher {
 public:
  // InvalidArgument for n_grams, bands or rows < 1 or more than 1024 permutations.
  static Result<std::unique_ptr<MinHasher>> Create(const MinHashConfig& config);

  const MinHashConfig& config() const { return config_; }
  size_t permutations() const { return static_cast<size_t>(config_.permutations()); }

  // The shingle hashes of `text` into *shingles (cleared first; repeats kept: they do not
  // change a minimum).
  void Shingles(std::string_view text, MinHashScratch& scratch,
                std::vector<uint64_t>* shingles) const;

  // The signature of `text` into sig[permutations()]; false (sig untouched) when the text
  // has no shingle, which means no signature: such a document is never a near duplicate.
  bool Signature(std::string_view text, MinHashScratch& scratch, uint64_t* sig) const;

  // One 64-bit key per band (XXH3 of the band's values): two documents are LSH candidates
  // when a band's keys are equal, that is (but for a 2^-64 chance) when its values are.
  void BandKeys(const uint64_t* sig, uint64_t* keys) const;

 private:
  explicit MinHasher(const MinHashConfig& config) : config_(config) {}

  MinHashConfig config_;
  size_t padded_ = 0;  // permutations rounded up to the kernel's lane padding
  std::vector<uint64_t> a_, b_;
};

// The bands x rows (b * r <= permutations) that minimise fp_weight * P(false positive) +
// fn_weight * P(false negative) for a Jaccard threshold, as datasketch's MinHashLSH chooses
// them: the areas under the LSH S-curve 1 - (1 - s^r)^b below the threshold and above it.
struct BandsRows {
  int bands = 0;
  int rows = 0;
};
BandsRows OptimalBandsRows(double threshold, int permutations, double fp_weight, double fn_weight);

// Share of equal values of two signatures of `k` values: the estimate of their Jaccard
// similarity.
double EstimatedJaccard(const uint64_t* x, const uint64_t* y, size_t k);

}  // namespace winnow::dedup
