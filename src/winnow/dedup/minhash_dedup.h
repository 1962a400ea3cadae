// The `minhash` stage: near-duplicate removal with MinHash-LSH, as a global stage.
//
// Map: a document's signature (minhash.h) and one (band, band key, DocRef) record per band,
// 24 bytes each, into a SortedRuns within the memory budget; with verification or a
// signatures side file, the whole signature also goes to a per-shard file in the work
// directory (pwrite at the document's ordinal: any thread, any order).
//
// Group: records in (band, key, DocRef) order give each band's candidate groups (equal band
// values). Without a threshold every member joins the group's first, as datatrove links equal
// bands. With a threshold, a member joins the first when their signatures' estimated Jaccard
// passes, else the member before it when that passes: the check accepts a pair unless its
// estimate is below the threshold by more than `margin` standard errors (sqrt(t(1-t)/k)), so
// a pair exactly at the threshold is kept with probability ~98% (margin 2) while pairs far
// below it, which LSH lets through by chance, are dropped. Union-find (the smaller DocRef
// becomes the root) turns the joins into clusters; each cluster keeps its first document by
// provenance and removes the others with reason minhash:duplicate, duplicate_of, cluster id
// and size. Clusters are numbered in the order of their kept documents. Nothing depends on
// threads, shards in flight or ranks.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "winnow/core/global_stage.h"
#include "winnow/core/options.h"
#include "winnow/dedup/minhash.h"

namespace winnow::dedup {

class SortedRuns;

// Whole signatures by document, in one file per shard (fixed slots at the ordinal).
class SignatureStore {
 public:
  SignatureStore(std::string dir, size_t permutations);
  ~SignatureStore();
  Status Put(DocRef doc, const uint64_t* sig);  // thread-safe
  // False when `doc` has no stored signature.
  Result<bool> Get(DocRef doc, uint64_t* sig) const;

 private:
  Result<int> File(uint32_t shard, bool create) const;
  std::string dir_;
  size_t permutations_;
  size_t slot_bytes_;
  mutable std::mutex mu_;
  mutable std::vector<int> fds_;  // by shard; -1 not open, -2 absent
};

class RemovalSet;

// A candidate pair of a band group (minhash_dedup.cc: the clustering rule): `doc` joins
// `first` (its group's first member) or, when candidates are verified and that pair falls
// short, `prev` (the member before it) when `has_prev`.
struct MinHashCandidate {
  DocRef doc = 0, first = 0, prev = 0;
  bool has_prev = false;
};

class MinHashDedup final : public GlobalStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<MinHashDedup>> Create(const Options& options);
  ~MinHashDedup() override;

  std::string_view name() const override { return "minhash"; }
  Status Begin(const GlobalContext& context) override;
  Result<std::unique_ptr<GlobalMapper>> NewMapper(const WorkerContext& ctx) override;
  Result<std::unique_ptr<GlobalDecisions>> Group(const DocDirectory& docs,
                                                 const std::vector<const GlobalDecisions*>& earlier,
                                                 Counters* counters) override;
  Result<std::unique_ptr<GlobalDecisions>> LoadDecisions(std::string_view bytes) const override;

  const MinHasher& hasher() const { return *hasher_; }

 private:
  class Mapper;
  struct Tally {  // what the group step counts
    int64_t groups = 0, candidates = 0, rejected = 0;
  };
  // The similarity a candidate's estimated Jaccard must reach (threshold minus the margin).
  double Accept() const;
  Status VerifyAcrossRanks(std::vector<MinHashCandidate> candidates,
                           std::vector<std::pair<DocRef, DocRef>>* edges, Tally* tally);
  Result<std::unique_ptr<GlobalDecisions>> GroupAcrossRanks(
      const DocDirectory& docs, const std::vector<const GlobalDecisions*>& earlier,
      Counters* counters);
  // The signatures and clusters side files (one process).
  Status WriteSideFiles(const DocDirectory& docs,
                        const std::vector<const GlobalDecisions*>& earlier,
                        const RemovalSet& removals);

  std::unique_ptr<MinHasher> hasher_;
  std::optional<double> threshold_;
  bool verify_ = true;
  double margin_ = 2.0;
  std::string signatures_file_, clusters_file_;

  GlobalContext context_;
  std::unique_ptr<SortedRuns> keys_;
  std::unique_ptr<SignatureStore> signatures_;
};

}  // namespace winnow::dedup
