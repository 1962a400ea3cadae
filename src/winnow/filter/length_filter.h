// The `length` stage: drops documents with too few or too many characters or words.
//
// Characters are code points; words are maximal runs of non-whitespace (Python's
// len(text.split())). A bound of 0 is off. Reasons: length:too_few_chars,
// length:too_many_chars, length:too_few_words, length:too_many_words (checked in that order).
// Signals: chars, whitespace_words.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"

namespace winnow::filter {

class LengthFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<LengthFilter>> Create(const Options& options);

  std::string_view name() const override { return "length"; }
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;

 private:
  int64_t min_chars_ = 0, max_chars_ = 0, min_words_ = 0, max_words_ = 0;
};

}  // namespace winnow::filter
