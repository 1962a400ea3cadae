// SpacyTokenizer: spaCy 3.8's rule-based English tokenizer, as datatrove's filters use it.
//
// The algorithm is spaCy's (Tokenizer.__call__): split the text at whitespace boundaries
// (a single ' ' after a token is absorbed, other whitespace becomes whitespace tokens); strip
// prefixes and suffixes from each span with the prefix/suffix patterns, stopping at special
// cases; keep URLs whole; split the rest at infixes; then a matcher pass merges token
// sequences that spell a special case containing affixes ("'s", "(-:"), with spaCy's exact
// longest-first filtering. The rules are spaCy's own (third_party/spacy), interpreted with
// PCRE2, which implements Python re's backtracking semantics. On top of that:
//  - datatrove's word_tokenize: token texts, stripped, whitespace tokens dropped (Words());
//  - spaCy's sentencizer and datatrove's sent_tokenize (CountSentences(), Sentences()).
//
// Speed: spans that are only ASCII letters or only ASCII digits are single tokens unless they
// are special cases (no rule can split them); a run of letters after an opening mark ("(word")
// or before a closing one ("word,") is the mark and the letters, for the marks the rules split
// so (ProbeMarks); every other span's tokenization is memoised in
// the caller's TokenizerScratch, as spaCy caches it. The suffix search, which Python runs at
// every position of a span, is run only at the positions where a suffix can start (the last
// few characters and the start of a trailing run of dots): the same leftmost match in
// constant time, so a 10 MB span without spaces is linear, not quadratic.
//
// A SpacyTokenizer is immutable and shared by threads; each thread brings its own scratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/text/regex.h"

namespace winnow::text {

struct Token {
  uint32_t begin = 0;  // byte offsets into the tokenized text
  uint32_t end = 0;
  bool space_after = false;  // followed by one ' ' that belongs to no token
  bool is_space = false;     // a whitespace token ("\n", "  ", ...)
  std::string_view In(std::string_view text) const { return text.substr(begin, end - begin); }
};

class TokenizerScratch;
class WordBreaker;

class SpacyTokenizer {
 public:
  ~SpacyTokenizer();

  // The English tokenizer with the rules built into winnow; created on first use.
  static const SpacyTokenizer& English();
  // A tokenizer from a rules file in the format of third_party/spacy/en_tokenizer_rules.json.
  // `mark_fast_paths` false turns off the fast paths for "(word" and "word," spans (tests
  // compare the two).
  static Result<std::unique_ptr<SpacyTokenizer>> FromRulesJson(std::string_view json,
                                                               bool mark_fast_paths = true);
  // The rules English() is built from.
  static std::string_view EnglishRulesJson();

  // Every token of `text`, whitespace tokens included, as in spaCy's Doc. REQUIRES: valid
  // UTF-8 shorter than 4 GiB.
  void Tokenize(std::string_view text, TokenizerScratch& scratch, std::vector<Token>* out) const;

  // datatrove's word_tokenize(text): token texts stripped, empty ones dropped.
  void Words(std::string_view text, TokenizerScratch& scratch,
             std::vector<std::string_view>* out) const;

  // Words() for text made only of ASCII letters and digits in words separated by single
  // spaces (what simplify_text gives for most text), skipping the work such text cannot need
  // (whitespace tokens, the matcher pass: no pattern of the rules is all letters and digits).
  // False, with *out cleared, for any other text: call Words().
  bool PlainWords(std::string_view text, TokenizerScratch& scratch,
                  std::vector<std::string_view>* out) const;

  // datatrove's sent_tokenize(text): spaCy sentencizer sentences, stripped, empty ones dropped.
  void Sentences(std::string_view text, TokenizerScratch& scratch,
                 std::vector<std::string_view>* out) const;
  // datatrove's span_tokenize(text): (start, end) byte offsets of every spaCy sentence, blank
  // ones included, not stripped.
  void SentenceSpans(std::string_view text, TokenizerScratch& scratch,
                     std::vector<std::pair<uint32_t, uint32_t>>* out) const;
  // len(sent_tokenize(text)), without building the sentences.
  size_t CountSentences(std::string_view text, TokenizerScratch& scratch) const;

  // len(sent_tokenize(t)) where t is the text spanned by tokens [first, last) of a larger
  // tokenization of `text`, when those tokens are exactly t's own tokenization (true for a
  // stripped line: lines end at whitespace, and no special case spans whitespace).
  size_t CountSentences(std::string_view text, const Token* first, const Token* last) const;

  // True for the sentencizer's sentence-final characters (. ! ? and their Unicode kin).
  bool IsSentenceTerminal(char32_t c) const;

  // The sentence starts (token indices, the first is 0) of spaCy's sentencizer over `tokens`.
  void SentenceStarts(std::string_view text, const std::vector<Token>& tokens,
                      std::vector<uint32_t>* starts) const;

 private:
  struct Rules;
  explicit SpacyTokenizer(std::unique_ptr<Rules> rules);

  // Appends the tokens of one span (no whitespace boundary inside) at `offset` in the text.
  // `classes` is kLetter or kDigit when every byte of the span is an ASCII letter (digit).
  void TokenizeSpan(std::string_view span, uint32_t offset, uint8_t classes,
                    TokenizerScratch& scratch, std::vector<Token>* out) const;
  void TokenizeSpanUncached(std::string_view span, TokenizerScratch& scratch,
                            std::vector<std::pair<uint32_t, uint32_t>>* pieces) const;
  void ProbeMarks();
  void ApplySpecialMatcher(std::string_view text, TokenizerScratch& scratch,
                           std::vector<Token>* tokens) const;

  std::unique_ptr<Rules> rules_;
};

// Per-thread state: regex match data and the span memo. Not thread-safe.
class TokenizerScratch {
 public:
  TokenizerScratch();
  ~TokenizerScratch();
  TokenizerScratch(const TokenizerScratch&) = delete;
  TokenizerScratch& operator=(const TokenizerScratch&) = delete;

  // Regex matches abandoned at PCRE2's match limit (only hostile input gets there).
  uint64_t regex_limit_hits() const { return regex_.limit_hits(); }

  // This thread's ICU word breaker (word_break.h), created on first use.
  WordBreaker& word_breaker();

 private:
  friend class SpacyTokenizer;
  struct Memo;
  RegexScratch regex_;
  std::unique_ptr<Memo> memo_;
  std::vector<Token> tokens_;
  std::vector<uint32_t> starts_;
  std::vector<std::pair<uint32_t, uint32_t>> pieces_;
  std::unique_ptr<WordBreaker> word_breaker_;
};

}  // namespace winnow::text
