#include "winnow/filter/register.h"

#include "winnow/filter/anatomy_filter.h"
#include "winnow/filter/c4_quality.h"
#include "winnow/filter/fineweb_quality.h"
#include "winnow/filter/gopher_quality.h"
#include "winnow/filter/gopher_repetition.h"
#include "winnow/filter/length_filter.h"

namespace winnow::filter {
namespace {

template <typename T>
void Add(StageRegistry& registry) {
  registry.Register(T::Spec(), [](const Options& o) -> Result<std::unique_ptr<Stage>> {
    WINNOW_ASSIGN_OR_RETURN(auto stage, T::Create(o));
    return std::unique_ptr<Stage>(std::move(stage));
  });
}

}  // namespace

void RegisterStages(StageRegistry& registry) {
  Add<AnatomyFilter>(registry);
  Add<LengthFilter>(registry);
  Add<GopherRepetitionFilter>(registry);
  Add<GopherQualityFilter>(registry);
  Add<C4QualityFilter>(registry);
  Add<FineWebQualityFilter>(registry);
}

}  // namespace winnow::filter
