// The `bloom` stage: near-duplicate removal in one streaming pass with one Bloom filter per
// LSH band (as LSHBloom and DCLM's bff do).
//
// Signatures and band keys are computed in parallel (Prepare); then, in input order, a
// document whose key is already in its band's filter, for any band, is removed with reason
// bloom:duplicate, and the keys of every kept document are added. The filters are sized
// from `expected_docs` and `false_positive_rate` (the chance that a document that shares no
// band with any earlier one is removed anyway), so memory is fixed up front: about
// bands x 1.44 x log2(bands / rate) bits per expected document.
//
// Trade-off against `minhash`: one pass, no spill, no sort, tiny and constant memory, and it
// streams; but it is order dependent (the first document seen wins, the way it was read),
// names no duplicate_of and no clusters (a filter does not know which document it matched),
// cannot verify candidates, and adds a small false-positive rate that grows past
// expected_docs. Use `minhash` when you need clusters, provenance-based keeping or exact
// datatrove behaviour; `bloom` for a quick single pass over a stream that does not fit a
// global sort.
#pragma once

#include <memory>

#include "winnow/core/options.h"
#include "winnow/core/stage.h"
#include "winnow/dedup/minhash.h"

namespace winnow::dedup {

class BloomDedup final : public Stage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<BloomDedup>> Create(const Options& options);

  std::string_view name() const override { return "bloom"; }
  Mode mode() const override { return Mode::kOrdered; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const override;

  const MinHasher& hasher() const { return *hasher_; }
  uint64_t bits_per_band() const { return bits_; }
  int probes() const { return probes_; }

 private:
  std::unique_ptr<MinHasher> hasher_;
  uint64_t expected_docs_ = 0;
  uint64_t bits_ = 0;  // per band, a power of two
  int probes_ = 1;
};

}  // namespace winnow::dedup
