// The `fineweb_quality` stage: FineWeb's line heuristics (Penedo et al. 2024), with the exact
// decisions of datatrove 0.10's FineWebQualityFilter.
//
// lines = the non-blank lines of text.split("\n"); checks, first failure wins:
//   no lines                                                    empty
//   share ending in terminal punctuation < line_punct_thr       line_punct_ratio
//     (terminal punctuation: the sentence terminals of spaCy's sentencizer, . ! ? and their
//      Unicode kin; quotes do not count. A ratio of 0 passes with line_punct_exclude_zero.)
//   share with len(line) <= short_line_length > short_line_thr  short_line_ratio
//   characters of duplicate lines / len(text without "\n") > char_duplicates_ratio
//                                                               char_dup_ratio
//   "\n" count / words > new_line_ratio                         list_ratio
// Verified against datatrove's decisions on the 1,649 reference documents.
// Signals: line_punct_ratio, short_line_ratio, char_dup_ratio, list_ratio.
#pragma once

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

class FineWebQualityFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<FineWebQualityFilter>> Create(const Options& options);

  std::string_view name() const override { return "fineweb_quality"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;
  // The lines behind line_punct_ratio (without terminal punctuation), short_line_ratio (the
  // short ones) and char_dup_ratio (the repeats).
  TextSpans Evidence(Document& doc, std::string_view reason) const override;

 private:
  // The line tests of the checks, shared by Decide and Evidence.
  bool EndsWithTerminal(std::string_view line) const;
  bool IsShort(std::string_view line) const;

  double line_punct_thr_ = 0.12;
  bool line_punct_exclude_zero_ = false;
  double short_line_thr_ = 0.67;
  int64_t short_line_length_ = 30;
  double char_duplicates_ratio_ = 0.01;
  double new_line_ratio_ = 0.3;
  const text::SpacyTokenizer* tokenizer_ = nullptr;
};

}  // namespace winnow::filter
