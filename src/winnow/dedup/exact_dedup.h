// The `exact` stage: streaming exact-duplicate removal within one run.
//
// The key of a document is XXH3-128 of its text with whitespace normalised (trimmed, every run
// of Unicode White_Space made one space), so copies that differ only in spacing or line breaks
// are duplicates. The first document with a key in input order (smallest Provenance) is kept;
// later ones are dropped with reason exact:duplicate and "duplicate_of" set to the kept
// document's id. Keys are hashed in parallel (Prepare); the first-seen decision runs in input
// order (an ordered stage), so the result never depends on the thread count.
//
// Memory: one 24-byte slot per distinct document (at load <= 1/2) plus its id. Corpus-scale
// dedup in passes with spilling is the dedup module's global stage; this stage is for a run
// whose distinct keys fit in memory (about 60 MB per million documents).
#pragma once

#include <memory>
#include <string_view>

#include "winnow/core/options.h"
#include "winnow/core/stage.h"
#include "winnow/dedup/key_table.h"

namespace winnow::dedup {

// The exact-dedup key of `text`. `scratch` is reused to avoid allocating.
Key128 ExactKey(std::string_view text, std::string* scratch);

class ExactDedup final : public Stage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<ExactDedup>> Create(const Options& options);

  std::string_view name() const override { return "exact"; }
  Mode mode() const override { return Mode::kOrdered; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const override;
};

}  // namespace winnow::dedup
