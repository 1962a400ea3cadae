// StageRegistry: from a stage name to its declared options and its factory.
//
// Modules register their stages (filter::RegisterStages, dedup::RegisterStages); the pipeline
// creates stages by name through the registry and knows no stage otherwise. A registry is
// filled once at start-up and then only read, so sharing it between threads is safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/core/stage.h"

namespace winnow {

using StageFactory = std::function<Result<std::unique_ptr<Stage>>(const Options&)>;

class StageRegistry {
 public:
  struct Entry {
    StageSpec spec;
    StageFactory factory;
  };

  // REQUIRES: no stage of that name was registered before.
  void Register(StageSpec spec, StageFactory factory);

  // nullptr when unknown.
  const Entry* Find(std::string_view name) const;

  // Validates `options` against the stage's spec and creates it. InvalidArgument for unknown
  // stages (listing the known ones) and bad options.
  Result<std::unique_ptr<Stage>> Create(std::string_view name, OptionMap options,
                                        PerLanguageOptions per_language = {}) const;

  // In registration order.
  const std::vector<std::unique_ptr<Entry>>& entries() const { return entries_; }

 private:
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace winnow
