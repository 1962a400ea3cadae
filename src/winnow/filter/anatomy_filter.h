// The `anatomy` stage: page anatomy (anatomy/anatomy.h) as a per-document stage. It labels
// each line article, boilerplate, comments header or comment, and acts on the segments:
// strip them from the text (the default in `clean`, before the quality filters), keep them,
// or move them to a field of the "winnow" object ("boilerplate", "comments"). Signals:
// anatomy_lines, anatomy_boilerplate_lines, comment_count, templated_fraction,
// question_fraction, anatomy_removed_chars. A document with nothing left is removed with
// reason anatomy:empty. In `annotate` it reports all this and edits nothing.
#pragma once

#include <memory>

#include "winnow/anatomy/anatomy.h"
#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"

namespace winnow::filter {

class AnatomyFilter final : public FilterStage {
 public:
  enum class Action { kStrip, kKeep, kField };

  static const StageSpec& Spec();
  static Result<std::unique_ptr<AnatomyFilter>> Create(const Options& options);

  std::string_view name() const override { return "anatomy"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  Decision Annotate(Document& doc, FilterState& state) const override;

  const anatomy::Analyzer& analyzer() const { return *analyzer_; }

 private:
  // Analyses, records signals, and builds the text that remains (into *kept, when not null).
  Decision Run(Document& doc, FilterState& state, bool edit) const;

  std::unique_ptr<anatomy::Analyzer> analyzer_;
  Action boilerplate_ = Action::kStrip;
  Action comments_ = Action::kStrip;
};

}  // namespace winnow::filter
