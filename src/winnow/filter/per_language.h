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
  std::unique_ptr<FilterState> NewState() const override {
    auto state = std::make_unique<States>();
    state->base = base_->NewState();
    for (const auto& [l, f] : by_language_) state->by_language.push_back(f->NewState());
    return state;
  }
  Decision Decide(Document& doc, FilterState& state) const override {
    auto [filter, own] = For(doc, state);
    return filter.Decide(doc, own);
  }
  Decision Annotate(Document& doc, FilterState& state) const override {
    auto [filter, own] = For(doc, state);
    return filter.Annotate(doc, own);
  }
  std::vector<Threshold> Thresholds() const override { return base_->Thresholds(); }
  TextSpans Evidence(Document& doc, std::string_view reason) const override {
    for (const auto& [l, f] : by_language_) {
      if (l == doc.language()) return f->Evidence(doc, reason);
    }
    return base_->Evidence(doc, reason);
  }

 private:
  // One state per instance, in the order of by_language_.
  struct States final : FilterState {
    std::unique_ptr<FilterState> base;
    std::vector<std::unique_ptr<FilterState>> by_language;
  };

  // The instance deciding `doc`, with its state.
  std::pair<const FilterStage&, FilterState&> For(const Document& doc, FilterState& state) const {
    auto& states = static_cast<States&>(state);
    std::string_view language = doc.language();
    for (size_t i = 0; i < by_language_.size(); ++i) {
      if (by_language_[i].first == language) {
        return {*by_language_[i].second, *states.by_language[i]};
      }
    }
    return {*base_, *states.base};
  }

  std::unique_ptr<FilterStage> base_;
  std::vector<std::pair<std::string, std::unique_ptr<FilterStage>>> by_language_;
};

}  // namespace winnow::filter
