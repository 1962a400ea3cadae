// Exchange: what the processes of one run (MPI ranks) can say to each other, as the library
// sees it. The MPI implementation lives in dist/ (the only code that includes mpi.h); a run
// without a launcher has no Exchange at all and is a world of one.
//
// Every call is collective: every rank makes the same calls in the same order, or the run
// hangs. A rank that fails between collectives ends the whole job (the CLI aborts the world),
// so the calls need no error protocol of their own beyond the Status they return.
//
// Shards (input files) are owned by ranks in contiguous ranges, cut so that each rank gets a
// similar number of input bytes. Contiguity matters: the ranks' shard ranges are in DocRef
// order, so anything gathered rank by rank (report examples, cluster numbers) comes out in the
// order a single process would have produced it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Sends out[r] to rank r (out.size() == size()); returns what each rank sent to this one,
  // by source rank. Any size per destination, including empty and above 2 GiB in total.
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> out) {
    for (size_t r = 0; r < out.size(); ++r) {
      if (static_cast<int>(r) != rank()) bytes_sent_ += out[r].size();
    }
    return Transfer(std::move(out));
  }
  // Bytes this rank has sent to other ranks so far.
  uint64_t bytes_sent() const { return bytes_sent_; }
  // Every rank's `bytes`, by rank, on every rank.
  Result<std::vector<std::string>> AllGather(const std::string& bytes) {
    return AllToAll(std::vector<std::string>(static_cast<size_t>(size()), bytes));
  }
  // Element-wise sums of `values` over the ranks (same length everywhere).
  Result<std::vector<uint64_t>> SumAll(const std::vector<uint64_t>& values);
  // Returns once every rank has called it.
  Status Barrier() { return AnyAll(false).status(); }
  // Whether `flag` is set on any rank.
  Result<bool> AnyAll(bool flag) {
    WINNOW_ASSIGN_OR_RETURN(std::vector<uint64_t> sum, SumAll({flag ? 1u : 0u}));
    return sum[0] > 0;
  }

  // This rank failed while the others may be waiting in a collective: ends the whole job
  // with `status` (MPI: the message on standard error, then MPI_Abort). Does not return.
  [[noreturn]] virtual void Abandon(const Status& status) = 0;

  // Shard ownership: rank r owns shards [first_shard(r), first_shard(r + 1)).
  void SetShardOwners(std::vector<uint32_t> first_shards) {
    first_shards_ = std::move(first_shards);
  }
  uint32_t first_shard(int r) const { return first_shards_[static_cast<size_t>(r)]; }
  int OwnerOfShard(uint32_t shard) const {
    auto it = std::upper_bound(first_shards_.begin(), first_shards_.end(), shard);
    return static_cast<int>(it - first_shards_.begin()) - 1;
  }

 protected:
  // AllToAll's transport.
  virtual Result<std::vector<std::string>> Transfer(std::vector<std::string> out) = 0;

 private:
  uint64_t bytes_sent_ = 0;
  std::vector<uint32_t> first_shards_;  // size() + 1 entries; the last is the shard count
};

// Cuts `sizes` (bytes per shard, in order) into `ranks` contiguous ranges of similar total size;
// returns the ranges' first shards, ranks + 1 entries. Every rank gets a range (maybe empty).
std::vector<uint32_t> CutShards(const std::vector<uint64_t>& sizes, int ranks);

}  // namespace winnow
