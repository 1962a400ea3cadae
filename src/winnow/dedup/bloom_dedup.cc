#include "winnow/dedup/bloom_dedup.h"

#include <cmath>
#include <vector>

namespace winnow::dedup {
namespace {

// Second hash of a band key for double hashing (the key itself is the first): a 64-bit
// finaliser, forced odd so the probe sequence visits distinct bits of a power-of-two table.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x | 1;
}

class BloomWorker final : public StageWorker {
 public:
  BloomWorker(const BloomDedup& stage, Counters* counters)
      : stage_(stage),
        counters_(counters),
        sig_(stage.hasher().permutations()),
        bands_(static_cast<size_t>(stage.hasher().config().bands)) {}

  // In parallel: per document, a presence word and its band keys.
  Status Prepare(Batch& batch) override {
    const size_t stride = bands_ + 1;
    batch.scratch.assign(stride * batch.docs.size(), 0);
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      if (batch.docs[i].removed()) continue;
      if (!stage_.hasher().Signature(batch.docs[i].text, scratch_, sig_.data())) continue;
      batch.scratch[stride * i] = 1;
      stage_.hasher().BandKeys(sig_.data(), &batch.scratch[stride * i + 1]);
    }
    return Status::OK();
  }

  // In input order: first seen wins.
  Status Process(Batch& batch) override {
    if (filters_.empty()) filters_.assign(bands_ * (stage_.bits_per_band() / 64), 0);
    const size_t stride = bands_ + 1;
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      if (batch.docs[i].removed() || batch.scratch[stride * i] == 0) continue;
      const uint64_t* keys = &batch.scratch[stride * i + 1];
      bool seen = false;
      for (size_t b = 0; b < bands_ && !seen; ++b) seen = Contains(b, keys[b]);
      if (seen) {
        batch.Drop(i, "bloom:duplicate");
        continue;
      }
      for (size_t b = 0; b < bands_; ++b) Insert(b, keys[b]);
      ++inserted_;
    }
    return Status::OK();
  }

  Status Finish() override {
    if (counters_ != nullptr) {
      counters_->Add("bloom.inserted_docs", static_cast<int64_t>(inserted_));
      counters_->Add("bloom.filter_bytes", static_cast<int64_t>(filters_.size() * 8));
    }
    return Status::OK();
  }

 private:
  uint64_t* Band(size_t b) { return filters_.data() + b * (stage_.bits_per_band() / 64); }
  bool Contains(size_t b, uint64_t key) {
    const uint64_t mask = stage_.bits_per_band() - 1, step = Mix(key);
    const uint64_t* bits = Band(b);
    uint64_t h = key;
    for (int p = 0; p < stage_.probes(); ++p, h += step) {
      const uint64_t bit = h & mask;
      if (((bits[bit >> 6] >> (bit & 63)) & 1) == 0) return false;
    }
    return true;
  }
  void Insert(size_t b, uint64_t key) {
    const uint64_t mask = stage_.bits_per_band() - 1, step = Mix(key);
    uint64_t* bits = Band(b);
    uint64_t h = key;
    for (int p = 0; p < stage_.probes(); ++p, h += step) {
      const uint64_t bit = h & mask;
      bits[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }

  const BloomDedup& stage_;
  Counters* counters_;
  MinHashScratch scratch_;
  std::vector<uint64_t> sig_;
  size_t bands_;
  std::vector<uint64_t> filters_;  // bands x bits, allocated by the ordered worker only
  uint64_t inserted_ = 0;
};

}  // namespace

const StageSpec& BloomDedup::Spec() {
  static const StageSpec spec{
      "bloom",
      "Removes near duplicates in one streaming pass with a Bloom filter per LSH band "
      "(LSHBloom): constant memory, order dependent, no clusters.",
      {
          {"preset", "native", "native or datatrove signatures (see minhash)"},
          {"n_grams", "5", "words per shingle"},
          {"bands", "14", "LSH bands"},
          {"rows", "8", "permutations per band"},
          {"seed", "1", "seed of the permutations"},
          {"expected_docs", "1000000", "documents the filters are sized for"},
          {"false_positive_rate", "0.0001",
           "chance that a document sharing no band with an earlier one is removed"},
      }};
  return spec;
}

Result<std::unique_ptr<BloomDedup>> BloomDedup::Create(const Options& o) {
  auto stage = std::make_unique<BloomDedup>();
  MinHashConfig config;
  WINNOW_ASSIGN_OR_RETURN(std::string preset, o.String("preset"));
  if (preset == "datatrove") {
    config.preset = MinHashPreset::kDatatrove;
  } else if (preset != "native") {
    return Status::InvalidArgument("bloom: option preset: expected native or datatrove");
  }
  WINNOW_ASSIGN_OR_RETURN(int64_t n_grams, o.Int("n_grams"));
  WINNOW_ASSIGN_OR_RETURN(int64_t bands, o.Int("bands"));
  WINNOW_ASSIGN_OR_RETURN(int64_t rows, o.Int("rows"));
  WINNOW_ASSIGN_OR_RETURN(int64_t seed, o.Int("seed"));
  WINNOW_ASSIGN_OR_RETURN(int64_t expected, o.Int("expected_docs"));
  WINNOW_ASSIGN_OR_RETURN(double rate, o.Double("false_positive_rate"));
  if (bands < 1 || rows < 1 || bands * rows > 1024 || n_grams < 1) {
    return Status::InvalidArgument("bloom: bands and rows must be >= 1 with bands x rows <= 1024");
  }
  if (expected < 1 || !(rate > 0 && rate < 1)) {
    return Status::InvalidArgument(
        "bloom: expected_docs must be >= 1 and false_positive_rate in (0, 1)");
  }
  config.n_grams = static_cast<int>(n_grams);
  config.bands = static_cast<int>(bands);
  config.rows = static_cast<int>(rows);
  config.seed = static_cast<uint64_t>(seed);
  WINNOW_ASSIGN_OR_RETURN(stage->hasher_, MinHasher::Create(config));
  // A document is a false positive when any band's filter gives one: each band gets the rate
  // 1 - (1 - rate)^(1/bands). Optimal bits per key -ln(p) / ln(2)^2, probes bits * ln 2,
  // rounded up to a power of two of bits (mask instead of modulo).
  const double per_band = 1 - std::pow(1 - rate, 1.0 / static_cast<double>(bands));
  const double bits =
      -static_cast<double>(expected) * std::log(per_band) / (std::log(2.0) * std::log(2.0));
  uint64_t size = 64;
  while (static_cast<double>(size) < bits) size <<= 1;
  if (size > (uint64_t{1} << 40))
    return Status::InvalidArgument("bloom: filters would exceed 128 GB");
  stage->bits_ = size;
  stage->expected_docs_ = static_cast<uint64_t>(expected);
  stage->probes_ =
      std::max(1, static_cast<int>(std::lround(static_cast<double>(size) /
                                               static_cast<double>(expected) * std::log(2.0))));
  stage->probes_ = std::min(stage->probes_, 32);
  return stage;
}

Result<std::unique_ptr<StageWorker>> BloomDedup::NewWorker(const WorkerContext& ctx) const {
  return std::unique_ptr<StageWorker>(new BloomWorker(*this, ctx.counters));
}

}  // namespace winnow::dedup
