// RankCoordinator: how the ranks of an MPI run agree, as the executor needs it. Every call is
// collective (core/exchange.h): all ranks make the same calls in the same order. Errors that
// every rank sees alike (a bad configuration, OUT already used, a checkpoint that cannot be
// used) are returned by every rank, so rank 0 prints them and all exit alike; the executor
// abandons the world only when a rank fails alone.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "winnow/core/exchange.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/name_table.h"
#include "winnow/core/status.h"
#include "winnow/pipeline/checkpoint.h"
#include "winnow/pipeline/report_data.h"

namespace winnow::pipeline {

class RankCoordinator {
 public:
  explicit RankCoordinator(Exchange* exchange) : exchange_(exchange) {}

  int rank() const { return exchange_->rank(); }
  int size() const { return exchange_->size(); }

  // Rank 0 runs `decide` (it prepares OUT and says whether there is a run to resume); every
  // rank returns rank 0's result or error.
  Result<bool> FromRankZero(const std::function<Result<bool>()>& decide);

  // The pass the ranks resume from: the earliest any rank's checkpoint names (`pass`, 0 for
  // a rank without one). Any rank's `loaded` error is every rank's.
  Result<size_t> EarliestPass(const Status& loaded, size_t pass, size_t passes);

  // Whether every rank is OK; when one is not, every rank returns an error: its own, or
  // `others` for the ranks that were fine.
  Status AllOk(const Status& mine, const std::string& others);

  // The dedup examples the report shows: per stage, this rank's (removed, kept) pairs merged
  // with every other rank's, the `k` with the smallest hash of the removed DocRef kept.
  Result<std::map<DocRef, DocRef>> GatherExamples(
      std::vector<std::vector<std::pair<DocRef, DocRef>>> pairs, size_t k);

  // Every rank's state (`mine`), report observations and peak memory, added up on rank 0:
  // into *total, `report` and *peak_rss there (the other ranks' are left as they were).
  // `make_report` builds an empty collector of the same shape, to decode another rank's.
  Status Reduce(const RunState& mine, ReportCollector* report,
                const std::function<std::unique_ptr<ReportCollector>()>& make_report,
                NameTable& names, RunState* total, uint64_t* peak_rss);

  Status Barrier() { return exchange_->Barrier(); }
  Result<uint64_t> Sum(uint64_t value);

 private:
  Exchange* exchange_;
};

}  // namespace winnow::pipeline
