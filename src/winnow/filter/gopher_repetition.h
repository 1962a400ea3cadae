// The `gopher_repetition` stage: Gopher's repetition heuristics, with the exact decisions of
// datatrove 0.10's GopherRepetitionFilter.
//
//   paragraphs = re.split(r"\n{2,}", text.strip()); lines = re.split("\n+", text)
//   duplicate paragraphs / paragraphs > dup_para_frac              dup_para_frac
//   their characters / len(text) > dup_para_char_frac              dup_para_char_frac
//   duplicate lines / lines > dup_line_frac                        dup_line_frac
//   their characters / len(text) > dup_line_char_frac              dup_line_char_frac
//   for n in top_n_grams: len(most common n-gram) x its count / len(text) > frac
//                                                                  top_<n>_gram
//   for n in dup_n_grams: characters of n-grams repeating an earlier one (greedy scan,
//   skipping n words after a repeat; words joined without spaces) / len(text) > frac
//                                                                  duplicated_<n>_n_grams
// Lengths are code points; ties for the most common n-gram go to the first seen. A threshold
// of null (or 0) switches its check off. Options top_n_grams and dup_n_grams are lists of
// "n:fraction". Signals: dup_para_frac, dup_para_char_frac, dup_line_frac,
// dup_line_char_frac, top_<n>_gram_frac, dup_<n>_gram_frac.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

class GopherRepetitionFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<GopherRepetitionFilter>> Create(const Options& options);

  std::string_view name() const override { return "gopher_repetition"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;
  // The repeated paragraphs or lines (every copy after the first), every occurrence of the
  // most common n-gram, or the n-grams the duplicate scan counted.
  TextSpans Evidence(Document& doc, std::string_view reason) const override;

 private:
  struct NGramCheck {
    int n;
    double frac;
    std::string_view reason;  // static storage (see NGramNames)
    std::string_view signal;  // static storage
  };
  std::optional<double> dup_line_frac_, dup_para_frac_, dup_line_char_frac_, dup_para_char_frac_;
  // Bytes of "".join(words) from a word start that DupCandidates compares, and the flag it
  // sets on a candidate whose prefix occurs at another word start.
  static constexpr size_t kDupPrefixBytes = 16;
  static constexpr uint32_t kPrefixRepeats = uint32_t{1} << 31;
  struct State;
  void DupCandidates(std::string_view text, const std::vector<std::string_view>& words,
                     size_t min_n, State& scratch) const;

  std::vector<NGramCheck> top_n_grams_, dup_n_grams_;
  size_t min_dup_n_ = 0;  // smallest n in dup_n_grams_
  const text::SpacyTokenizer* tokenizer_ = nullptr;
};

}  // namespace winnow::filter
