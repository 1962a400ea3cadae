// The registry of every stage built into winnow.
#pragma once

#include "winnow/core/registry.h"

namespace winnow::pipeline {

// Filled on first use, then read-only (thread-safe to share).
const StageRegistry& BuiltinStages();

}  // namespace winnow::pipeline
