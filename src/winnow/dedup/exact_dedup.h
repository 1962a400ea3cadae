// The `exact` stage: exact duplicates across the whole input, as a global stage.
//
// The key of a document is XXH3-128 of its text with whitespace normalised (trimmed, every run
// of Unicode White_Space made one space), so copies that differ only in spacing or line breaks
// are duplicates. Map: each surviving document's (key, DocRef), 24 bytes, into a SortedRuns
// within the memory budget. Group: in key order, the first document of each key (smallest
// Provenance: first shard, then first line) is kept; the others are removed with reason
// exact:duplicate and "duplicate_of" naming the kept document's id. The result does not
// depend on threads, batches, shards in flight or ranks.
#pragma once

#include <memory>
#include <string_view>

#include "winnow/core/global_stage.h"
#include "winnow/core/options.h"

namespace winnow::dedup {

struct Key128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  friend bool operator==(const Key128&, const Key128&) = default;
};

// The exact-dedup key of `text`. `scratch` is reused to avoid allocating.
Key128 ExactKey(std::string_view text, std::string* scratch);

class SortedRuns;

class ExactDedup final : public GlobalStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<ExactDedup>> Create(const Options& options);
  ~ExactDedup() override;

  std::string_view name() const override { return "exact"; }
  Status Begin(const GlobalContext& context) override;
  Result<std::unique_ptr<GlobalMapper>> NewMapper(const WorkerContext& ctx) override;
  Result<std::unique_ptr<GlobalDecisions>> Group(const DocDirectory& docs,
                                                 const std::vector<const GlobalDecisions*>& earlier,
                                                 Counters* counters) override;
  Result<std::unique_ptr<GlobalDecisions>> LoadDecisions(std::string_view bytes) const override;

 private:
  GlobalContext context_;
  std::unique_ptr<SortedRuns> keys_;
};

}  // namespace winnow::dedup
