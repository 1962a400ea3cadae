#include "winnow/filter/register.h"

#include "winnow/filter/length_filter.h"

namespace winnow::filter {

void RegisterStages(StageRegistry& registry) {
  registry.Register(LengthFilter::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, LengthFilter::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
}

}  // namespace winnow::filter
