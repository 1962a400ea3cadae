// libFuzzer target: the YAML pipeline configuration parser and stage creation on arbitrary
// bytes: every outcome is a configuration or an error naming the line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto cfg = winnow::pipeline::ParseConfig(yaml, "fuzz.yaml");
  if (!cfg.ok()) return 0;
  const auto& registry = winnow::pipeline::BuiltinStages();
  for (const auto& sc : cfg->stages) {
    // fastText models are files: creating a stage that loads one is not this target's job.
    if (sc.name == "fasttext_classifier" || sc.options.count("model")) continue;
    (void)registry.Create(sc.name, sc.options, sc.per_language);
  }
  return 0;
}
