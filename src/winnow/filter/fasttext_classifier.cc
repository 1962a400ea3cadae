#include "winnow/filter/fasttext_classifier.h"

#include <algorithm>

namespace winnow::filter {

const StageSpec& FastTextClassifier::Spec() {
  static const StageSpec spec{
      "fasttext_classifier",
      "Scores documents with a fastText supervised model (a quality classifier such as "
      "DCLM's) and keeps those whose score for `label` reaches `threshold`.",
      {
          {"model", "", "path of the fastText model (.bin or .ftz); required"},
          {"label", "", "the label to score, with or without __label__; required"},
          {"threshold", "0.5", "keep when the label's probability is >= this; null: score only"},
          {"name", "fasttext_classifier",
           "the stage's name in reasons and stats; distinct per classifier"},
          {"signal", "", "signal name for the score (default: <name>_<label>)"},
      }};
  return spec;
}

Result<std::unique_ptr<FastTextClassifier>> FastTextClassifier::Create(const Options& options) {
  auto f = std::make_unique<FastTextClassifier>();
  WINNOW_ASSIGN_OR_RETURN(f->name_, options.String("name"));
  WINNOW_ASSIGN_OR_RETURN(std::string model, options.String("model"));
  WINNOW_ASSIGN_OR_RETURN(std::string label, options.String("label"));
  WINNOW_ASSIGN_OR_RETURN(f->threshold_, options.OptionalDouble("threshold"));
  WINNOW_ASSIGN_OR_RETURN(f->signal_, options.String("signal"));
  if (f->name_.empty()) return Status::InvalidArgument("fasttext_classifier: name is empty");
  if (model.empty()) return Status::InvalidArgument(f->name_ + ": model: PATH is required");
  if (label.empty()) return Status::InvalidArgument(f->name_ + ": label is required");
  if (label.starts_with("__label__")) label.erase(0, 9);
  WINNOW_ASSIGN_OR_RETURN(f->model_, lang::FastTextModel::Load(model));
  const auto& labels = f->model_->labels();
  auto it = std::find(labels.begin(), labels.end(), label);
  if (it == labels.end()) {
    std::string known;
    for (const std::string& l : labels) known += (known.empty() ? "" : ", ") + l;
    return Status::InvalidArgument(f->name_ + ": model " + model + " has no label '" + label +
                                   "' (it has: " + known + ")");
  }
  f->label_ = static_cast<uint32_t>(it - labels.begin());
  if (f->signal_.empty()) f->signal_ = f->name_ + "_" + label;
  f->reason_ = f->name_ + ":below_threshold";
  return f;
}

std::vector<Threshold> FastTextClassifier::Thresholds() const {
  if (!threshold_) return {};
  // Removed when the score is below the threshold (a score equal to it is kept).
  return {{signal_, *threshold_, true, reason_}};
}

namespace {

struct ClassifierState final : FilterState {
  lang::PredictScratch predict;
  std::vector<lang::LabelScore> labels;
};

}  // namespace

std::unique_ptr<FilterState> FastTextClassifier::NewState() const {
  return std::make_unique<ClassifierState>();
}

Decision FastTextClassifier::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<ClassifierState&>(state);
  model_->Predict(doc.text, -1, scratch.predict, scratch.labels);
  double score = 0;
  for (const lang::LabelScore& l : scratch.labels) {
    if (l.label == label_) score = l.probability;
  }
  doc.SetSignal(signal_, score);
  if (threshold_ && score < *threshold_) return {false, reason_};
  return {};
}

}  // namespace winnow::filter
