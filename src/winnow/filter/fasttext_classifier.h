// The `fasttext_classifier` stage: scores documents with any fastText supervised model given by
// path (DCLM's quality classifier, an educational-value classifier, a topic model) and keeps
// those whose score for one label reaches a threshold.
//
// Text is scored as one line, newlines turned into spaces (datatrove's
// FastTextClassifierFilter does the same). The score of `label` is written to the signal
// `signal` (default "<name>_<label>"). Several classifiers can run in one pipeline: give each
// a distinct `name`, which is also the stage name in reasons (<name>:below_threshold) and in
// stats. threshold: null only scores.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/lang/fasttext_model.h"

namespace winnow::filter {

class FastTextClassifier final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<FastTextClassifier>> Create(const Options& options);

  std::string_view name() const override { return name_; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;

 private:
  std::unique_ptr<lang::FastTextModel> model_;
  std::string name_, signal_, reason_;
  uint32_t label_ = 0;
  std::optional<double> threshold_;
};

}  // namespace winnow::filter
