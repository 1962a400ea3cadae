#include "winnow/dedup/register.h"

#include "winnow/dedup/bloom_dedup.h"
#include "winnow/dedup/exact_dedup.h"
#include "winnow/dedup/minhash_dedup.h"
#include "winnow/dedup/repeated_lines.h"
#include "winnow/dedup/sentence_dedup.h"

namespace winnow::dedup {

void RegisterStages(StageRegistry& registry) {
  registry.Register(ExactDedup::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, ExactDedup::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
  registry.Register(BloomDedup::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, BloomDedup::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
  registry.Register(RepeatedLines::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, RepeatedLines::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
  registry.Register(SentenceDedup::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, SentenceDedup::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
  registry.Register(MinHashDedup::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, MinHashDedup::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
}

}  // namespace winnow::dedup
