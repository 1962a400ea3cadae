// Words for languages written without spaces between them (Chinese, Japanese, Thai, Lao,
// Khmer, Burmese), with ICU's word break rules and its dictionaries.
//
// The filters count words; split by whitespace (or by spaCy's English rules), a Chinese page
// is a few dozen giant "words" and every Gopher check drops it. For those languages the
// document's tokens come from ICU instead (DocumentTokens() picks by the document's language,
// which the `language` stage sets), in the same Token form as spaCy's: every non-space
// segment is a token (punctuation too, as in spaCy), whitespace runs are space tokens.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "winnow/text/spacy_tokenizer.h"

namespace winnow::text {

// True for the languages (ISO 639-1, as CLD2 and lid.176 report them) whose words ICU's
// dictionary word break finds: zh (and zh-Hant), ja, th, lo, km, my.
bool UsesDictionaryWordBreak(std::string_view language);

// A per-thread ICU word break iterator (creating one costs about a millisecond).
class WordBreaker {
 public:
  WordBreaker();
  ~WordBreaker();
  WordBreaker(const WordBreaker&) = delete;
  WordBreaker& operator=(const WordBreaker&) = delete;

  // The tokens of `text` (valid UTF-8 shorter than 4 GiB). Falls back to whitespace splitting
  // if ICU fails (it does not on valid UTF-8).
  void Tokenize(std::string_view text, std::vector<Token>* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winnow::text
