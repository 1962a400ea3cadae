// The `gopher_quality` stage: Gopher's quality heuristics (Rae et al. 2021), with the exact
// decisions of datatrove 0.10's GopherQualityFilter.
//
// Words are datatrove's (spaCy English tokens, stripped, whitespace dropped); "non-symbol"
// words have a character outside datatrove's PUNCTUATION set. Checks, first failure wins:
//   non-symbol words < min_doc_words            gopher_short_doc
//   non-symbol words > max_doc_words            gopher_long_doc
//   mean non-symbol word length < / > bounds    gopher_below_avg_threshold / _above_
//   '#' count / words > max_symbol_word_ratio   gopher_too_many_hashes
//   ('...' + '…') / words > same                gopher_too_many_ellipsis
//   lines starting with '•' or '-' > ratio      gopher_too_many_bullets
//   lines ending with '...' or '…' > ratio      gopher_too_many_end_ellipsis
//   words with a letter / words < ratio         gopher_below_alpha_threshold
//   distinct stop words present < min           gopher_enough_stop_words
// A threshold of null (or 0) switches its check off, as in Python. Where Python would divide
// by zero (no words, no lines) the ratio is taken as 0.
// Signals: words, non_symbol_words, mean_word_length, hash_ratio, ellipsis_ratio,
// bullet_lines_ratio, end_ellipsis_lines_ratio, alpha_words_ratio, stop_words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

class GopherQualityFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<GopherQualityFilter>> Create(const Options& options);

  std::string_view name() const override { return "gopher_quality"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;
  // The bullet lines, the lines ending in an ellipsis, or each '#' or ellipsis counted.
  TextSpans Evidence(Document& doc, std::string_view reason) const override;

 private:
  std::optional<int64_t> min_doc_words_, max_doc_words_;
  std::optional<double> min_avg_word_length_, max_avg_word_length_, max_symbol_word_ratio_,
      max_bullet_lines_ratio_, max_ellipsis_lines_ratio_, max_non_alpha_words_ratio_;
  std::optional<int64_t> min_stop_words_;
  std::vector<std::string> stop_words_;
  size_t stop_min_len_ = 0, stop_max_len_ = 0;
  bool stop_first_[256] = {};
  const text::SpacyTokenizer* tokenizer_ = nullptr;
};

// True when every code point of `word` is in datatrove's PUNCTUATION set.
bool IsSymbolWord(std::string_view word);

}  // namespace winnow::filter
