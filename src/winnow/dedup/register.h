// Registers the stages of the dedup module.
#pragma once

#include "winnow/core/registry.h"

namespace winnow::dedup {

void RegisterStages(StageRegistry& registry);

}  // namespace winnow::dedup
