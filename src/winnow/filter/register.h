// Registers the stages of the filter module.
#pragma once

#include "winnow/core/registry.h"

namespace winnow::filter {

void RegisterStages(StageRegistry& registry);

}  // namespace winnow::filter
