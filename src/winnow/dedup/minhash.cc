#include "winnow/dedup/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cmath>
#include <random>

#include "winnow/dedup/minhash_kernel.h"
#include "winnow/text/simplify.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::dedup {
namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

// numpy's legacy RandomState: MT19937 seeded with init_genrand(seed) (as std::mt19937), 64-bit
// draws as (first 32 bits << 32) | second, and randint over [low, high) by rejection of
// masked draws (numpy's bounded_masked_uint64).
class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint64_t seed) : mt_(static_cast<uint32_t>(seed)) {}
  uint64_t RandInt(uint64_t low, uint64_t high) {
    const uint64_t range = high - low - 1;
    uint64_t mask = range;
    for (int shift = 1; shift < 64; shift <<= 1) mask |= mask >> shift;
    uint64_t v;
    do {
      const uint64_t hi = mt_();
      v = ((hi << 32) | mt_()) & mask;
    } while (v > range);
    return low + v;
  }

 private:
  std::mt19937 mt_;
};

// SplitMix64: the native preset's permutation parameters from its seed.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Combines the hashes of n consecutive tokens into the shingle's hash: order-sensitive
// multiply-xor, then a final avalanche (XXH3's) so every bit of the result depends on all.
uint64_t CombineTokens(const uint64_t* h, size_t n) {
  uint64_t x = 0x2545F4914F6CDD1DULL ^ n;
  for (size_t i = 0; i < n; ++i) x = (x ^ h[i]) * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
  x ^= x >> 37;
  x *= 0x165667919E3779F9ULL;
  return x ^ (x >> 32);
}

}  // namespace

void DatatrovePermutations(uint64_t seed, size_t count, std::vector<uint64_t>* a,
                           std::vector<uint64_t>* b) {
  NumpyRandomState rng(seed);
  a->resize(count);
  b->resize(count);
  for (uint64_t& x : *a) x = rng.RandInt(1, kMersenne61);
  for (uint64_t& x : *b) x = rng.RandInt(0, kMersenne61);
}

MinHashScratch::MinHashScratch() : tokenizer(std::make_unique<text::TokenizerScratch>()) {}
MinHashScratch::~MinHashScratch() = default;

Result<std::unique_ptr<MinHasher>> MinHasher::Create(const MinHashConfig& config) {
  if (config.n_grams < 1 || config.bands < 1 || config.rows < 1) {
    return Status::InvalidArgument("minhash: n_grams, bands and rows must be at least 1");
  }
  if (config.permutations() > 1024) {
    return Status::InvalidArgument("minhash: bands x rows is " +
                                   std::to_string(config.permutations()) + ", at most 1024");
  }
  std::unique_ptr<MinHasher> h(new MinHasher(config));
  const size_t k = h->permutations();
  h->padded_ = (k + kMinHashLanePad - 1) / kMinHashLanePad * kMinHashLanePad;
  if (config.preset == MinHashPreset::kDatatrove) {
    DatatrovePermutations(config.seed, k, &h->a_, &h->b_);
  } else {
    uint64_t state = config.seed;
    h->a_.resize(k);
    h->b_.resize(k);
    for (size_t i = 0; i < k; ++i) {
      h->a_[i] = SplitMix64(&state) | 1;
      h->b_[i] = SplitMix64(&state);
    }
  }
  // Padding lanes repeat the last permutation; their results are never read.
  h->a_.resize(h->padded_, h->a_.back());
  h->b_.resize(h->padded_, h->b_.back());
  return h;
}

void MinHasher::Shingles(std::string_view text, MinHashScratch& scratch,
                         std::vector<uint64_t>* shingles) const {
  shingles->clear();
  const auto n = static_cast<size_t>(config_.n_grams);
  if (config_.preset == MinHashPreset::kDatatrove) {
    text::SimplifyText(text, &scratch.normalized);
    text::SpacyTokenizer::English().Words(scratch.normalized, *scratch.tokenizer, &scratch.words);
    const std::vector<std::string_view>& w = scratch.words;
    if (w.size() < n) return;
    shingles->reserve(w.size() - n + 1);
    std::string& joined = scratch.joined;
    for (size_t i = 0; i + n <= w.size(); ++i) {
      joined.assign(w[i]);
      for (size_t j = 1; j < n; ++j) {
        joined.push_back(' ');
        joined.append(w[i + j]);
      }
      shingles->push_back(XXH64(joined.data(), joined.size(), 0));
    }
    return;
  }
  text::FoldTokens(text, &scratch.normalized, &scratch.words);
  const std::vector<std::string_view>& w = scratch.words;
  if (w.empty()) return;
  std::vector<uint64_t>& h = scratch.token_hashes;
  h.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) h[i] = XXH3_64bits(w[i].data(), w[i].size());
  if (w.size() < n) {
    shingles->push_back(CombineTokens(h.data(), h.size()));
    return;
  }
  shingles->resize(w.size() - n + 1);
  for (size_t i = 0; i + n <= w.size(); ++i) (*shingles)[i] = CombineTokens(&h[i], n);
}

bool MinHasher::Signature(std::string_view text, MinHashScratch& scratch, uint64_t* sig) const {
  std::vector<uint64_t>& shingles = scratch.shingles;
  Shingles(text, scratch, &shingles);
  if (shingles.empty()) return false;
  const size_t k = permutations();
  uint64_t padded_out[1024 + kMinHashLanePad];
  if (config_.preset == MinHashPreset::kDatatrove) {
    MinHashMersenne(shingles.data(), shingles.size(), a_.data(), b_.data(), padded_, padded_out);
  } else {
    MinHashMultiplyAdd(shingles.data(), shingles.size(), a_.data(), b_.data(), padded_, padded_out);
  }
  std::copy(padded_out, padded_out + k, sig);
  return true;
}

void MinHasher::BandKeys(const uint64_t* sig, uint64_t* keys) const {
  const auto rows = static_cast<size_t>(config_.rows);
  for (int band = 0; band < config_.bands; ++band) {
    keys[band] = XXH3_64bits_withSeed(sig + static_cast<size_t>(band) * rows,
                                      rows * sizeof(uint64_t), static_cast<uint64_t>(band));
  }
}

BandsRows OptimalBandsRows(double threshold, int permutations, double fp_weight, double fn_weight) {
  // Composite Simpson's rule: the integrands are smooth polynomials in s.
  auto integrate = [](auto f, double a, double b) {
    constexpr int kSteps = 512;
    const double h = (b - a) / kSteps;
    double sum = f(a) + f(b);
    for (int i = 1; i < kSteps; ++i) sum += f(a + i * h) * (i % 2 ? 4 : 2);
    return sum * h / 3;
  };
  BandsRows best;
  double best_error = 1e300;
  for (int b = 1; b <= permutations; ++b) {
    for (int r = 1; r <= permutations / b; ++r) {
      auto candidate = [&](double s) { return 1 - std::pow(1 - std::pow(s, r), b); };
      const double fp = integrate(candidate, 0, threshold);
      const double fn = integrate([&](double s) { return 1 - candidate(s); }, threshold, 1);
      const double error = fp * fp_weight + fn * fn_weight;
      if (error < best_error) {
        best_error = error;
        best = BandsRows{b, r};
      }
    }
  }
  return best;
}

double EstimatedJaccard(const uint64_t* x, const uint64_t* y, size_t k) {
  size_t equal = 0;
  for (size_t i = 0; i < k; ++i) equal += x[i] == y[i];
  return k == 0 ? 0.0 : static_cast<double>(equal) / static_cast<double>(k);
}

}  // namespace winnow::dedup
