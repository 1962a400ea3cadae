// The `language` stage: identifies each document's language and keeps those in a list, with
// datatrove's LanguageFilter semantics.
//
// Engines: CLD2, built in (backend: cld2), or a fastText model given by path (backend:
// fasttext, model: lid.176.bin or GlotLID; GlotLID's "deu_Latn" is reported as "deu").
// Writes "language" (the best guess; "un" when none) into the winnow object and the signal
// language_score (its score). Segments the anatomy stage moved into fields (comments:
// field, boilerplate: field) are labelled on their own: comments_language and
// comments_language_score, boilerplate_language and boilerplate_language_score.
// Keeps a document when
//   label_only                                     always (labels, drops nothing)
//   languages is empty                             best score > language_threshold
//   otherwise                                      some listed language scores > threshold
// Reasons: language:other_language (the best guess is not listed) and
// language:below_threshold (it is, or no list is given, but the score is too low).
//
// Speed: CLD2 costs about 35 ns per byte here, so a long document is judged on a sample of
// at most max_bytes (default 1024): three windows from its beginning, middle and end, cut at
// whitespace. A few hundred bytes already settle the language; the windows keep mixed pages
// mixed. max_bytes: 0 reads the whole text, as datatrove does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/lang/language_id.h"

namespace winnow::filter {

class LanguageFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<LanguageFilter>> Create(const Options& options);

  std::string_view name() const override { return "language"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;

 private:
  std::unique_ptr<lang::LanguageIdentifier> identifier_;
  std::vector<std::string> languages_;
  double threshold_ = 0.65;
  int64_t max_bytes_ = 1024;
  bool label_only_ = false;
};

}  // namespace winnow::filter
