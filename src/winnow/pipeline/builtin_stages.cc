#include "winnow/pipeline/builtin_stages.h"

#include "winnow/dedup/register.h"
#include "winnow/filter/register.h"

namespace winnow::pipeline {

const StageRegistry& BuiltinStages() {
  static const StageRegistry* registry = [] {
    auto* r = new StageRegistry();
    filter::RegisterStages(*r);
    dedup::RegisterStages(*r);
    return r;
  }();
  return *registry;
}

}  // namespace winnow::pipeline
