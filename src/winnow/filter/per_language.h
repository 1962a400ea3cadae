// PerLanguageFilter: one filter with other settings for some languages.
//
// A stage configured with `per_language: {zh: {...}}` is built once with its own options and
// once per listed language with those options on top; each document is decided by the
// instance for the language the `language` stage gave it (the base one otherwise). So a
// pipeline keeping English and Chinese can ask Chinese pages for shorter words and Chinese
// stop words while English pages keep Gopher's settings.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "winnow/filter/filter_stage.h"

namespace winnow::filter {

class PerLanguageFilter final : public FilterStage {
 public:
  explicit PerLanguageFilter(std::unique_ptr<FilterStage> base) : base_(std::move(base)) {}

  void Add(std::string language, std::unique_ptr<FilterStage> filter) {
    by_language_.emplace_back(std::move(language), std::move(filter));
  }

  std::string_view name() const override { return base_->name(); }
  Decision Decide(Document& doc, FilterScratch& scratch) const override {
    return For(doc).Decide(doc, scratch);
  }
  Decision Annotate(Document& doc, FilterScratch& scratch) const override {
    return For(doc).Annotate(doc, scratch);
  }
  std::vector<Threshold> Thresholds() const override { return base_->Thresholds(); }

 private:
  const FilterStage& For(const Document& doc) const {
    std::string_view language = doc.language();
    for (const auto& [l, f] : by_language_) {
      if (l == language) return *f;
    }
    return *base_;
  }

  std::unique_ptr<FilterStage> base_;
  std::vector<std::pair<std::string, std::unique_ptr<FilterStage>>> by_language_;
};

}  // namespace winnow::filter
