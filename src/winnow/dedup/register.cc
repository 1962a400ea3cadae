#include "winnow/dedup/register.h"

#include "winnow/dedup/exact_dedup.h"

namespace winnow::dedup {

void RegisterStages(StageRegistry& registry) {
  registry.Register(ExactDedup::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, ExactDedup::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
}

}  // namespace winnow::dedup
