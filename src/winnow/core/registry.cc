#include "winnow/core/registry.h"

namespace winnow {

void StageRegistry::Register(StageSpec spec, StageFactory factory) {
  WINNOW_CHECK(Find(spec.name) == nullptr);
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(spec), std::move(factory)}));
}

const StageRegistry::Entry* StageRegistry::Find(std::string_view name) const {
  for (const auto& e : entries_) {
    if (e->spec.name == name) return e.get();
  }
  return nullptr;
}

Result<std::unique_ptr<Stage>> StageRegistry::Create(std::string_view name, OptionMap options,
                                                     PerLanguageOptions per_language) const {
  const Entry* entry = Find(name);
  if (entry == nullptr) {
    std::string known;
    for (const auto& e : entries_) {
      if (!known.empty()) known += ", ";
      known += e->spec.name;
    }
    return Status::InvalidArgument("unknown stage '" + std::string(name) + "' (known: " + known +
                                   ")");
  }
  WINNOW_ASSIGN_OR_RETURN(Options opts,
                          Options::Make(entry->spec, std::move(options), std::move(per_language)));
  return entry->factory(opts);
}

}  // namespace winnow
