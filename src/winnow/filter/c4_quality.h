// The `c4_quality` stage: C4's line and document heuristics (Raffel et al. 2020), with the
// exact decisions of datatrove 0.10's C4QualityFilter. It edits text: removed lines go.
//
// Per line of text.splitlines(), stripped, in order:
//   a whitespace word longer than max_word_length          line dropped
//   citations [1], [edit], [citation needed]                removed (remove_citations)
//   no terminal punctuation (. ? ! " ') or ends with "..."  line dropped (filter_no_terminal_punct)
//   fewer than min_words_per_line words                     line dropped
//   "lorem ipsum" (any case)                                document dropped: lorem_ipsum
//   "javascript" (any case)                                 line dropped
//   "{"                                                     document dropped: curly_bracket
//   a policy phrase ("terms of use", "privacy policy", "use cookies", ...)  line dropped
// then fewer than min_num_sentences sentences in the kept lines (spaCy sentencizer, per line)
// drops the document: too_few_sentences. A kept document's text becomes its kept lines
// joined by "\n" and stripped. With split_paragraph false, units are sentences instead of
// lines and are joined by " ". A bound of -1 switches its check off.
// Signals: c4_lines, c4_kept_lines, c4_sentences.
#pragma once

#include <string>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/regex.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

class C4QualityFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<C4QualityFilter>> Create(const Options& options);

  std::string_view name() const override { return "c4_quality"; }
  std::unique_ptr<FilterState> NewState() const override;
  // Decides and, when the document is kept, replaces its text by the kept lines.
  Decision Decide(Document& doc, FilterState& state) const override;
  std::vector<Threshold> Thresholds() const override;
  TextSpans Evidence(Document& doc, std::string_view reason) const override;
  // Decides without editing; records the lines it would remove as a signal.
  Decision Annotate(Document& doc, FilterState& state) const override;
  // Where in the text Evaluate() decided: the units (lines or sentences) it kept, and the one
  // that removed the document (lorem ipsum, a curly bracket), as byte ranges of doc.text.
  struct Marks {
    TextSpans kept, fatal;
  };
  // Decides without editing: *kept_text receives what the text would become and, unless
  // null, *kept_tokens its tokenization (empty when it could not be derived) and *marks where
  // it decided.
  Decision Evaluate(Document& doc, FilterState& state, std::string* kept_text,
                    std::vector<text::Token>* kept_tokens = nullptr, Marks* marks = nullptr) const;

 private:
  bool split_paragraph_ = true, remove_citations_ = true, filter_no_terminal_punct_ = true;
  int64_t min_num_sentences_ = 5, min_words_per_line_ = 3, max_word_length_ = 1000;
  bool filter_lorem_ipsum_ = true, filter_javascript_ = true, filter_curly_bracket_ = true;
  bool filter_policy_ = true;
  text::Regex citation_;
  const text::SpacyTokenizer* tokenizer_ = nullptr;
};

}  // namespace winnow::filter
