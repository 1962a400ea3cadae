#include "winnow/text/document_tokens.h"

#include "winnow/text/py_str.h"
#include "winnow/text/word_break.h"

namespace winnow::text {
namespace {

const char kTokensTag = 0;
const char kLinesTag = 0;

struct TokensMemo final : DocumentMemo {
  std::vector<Token> tokens;
  std::vector<uint32_t> word_lengths;
  bool have_lengths = false;
};

struct LinesMemo final : DocumentMemo {
  std::vector<std::pair<uint32_t, uint32_t>> lines;
};

TokensMemo& Tokens(Document& doc, const SpacyTokenizer& tokenizer, TokenizerScratch& scratch) {
  if (auto* memo = static_cast<TokensMemo*>(doc.memos.Get(&kTokensTag))) return *memo;
  auto memo = std::make_unique<TokensMemo>();
  memo->tokens.reserve(doc.text.size() / 4 + 16);  // about one token per 4-5 bytes of prose
  if (UsesDictionaryWordBreak(doc.language())) {
    scratch.word_breaker().Tokenize(doc.text, &memo->tokens);
  } else {
    tokenizer.Tokenize(doc.text, scratch, &memo->tokens);
  }
  return *static_cast<TokensMemo*>(doc.memos.Set(&kTokensTag, std::move(memo)));
}

}  // namespace

const std::vector<Token>& DocumentTokens(Document& doc, const SpacyTokenizer& tokenizer,
                                         TokenizerScratch& scratch) {
  return Tokens(doc, tokenizer, scratch).tokens;
}

const std::vector<uint32_t>& DocumentWordLengths(Document& doc, const SpacyTokenizer& tokenizer,
                                                 TokenizerScratch& scratch) {
  TokensMemo& memo = Tokens(doc, tokenizer, scratch);
  if (!memo.have_lengths) {
    std::string_view text = doc.text;
    memo.word_lengths.clear();
    memo.word_lengths.reserve(memo.tokens.size());
    for (const Token& t : memo.tokens) {
      if (!t.is_space) memo.word_lengths.push_back(static_cast<uint32_t>(PyLen(t.In(text))));
    }
    memo.have_lengths = true;
  }
  return memo.word_lengths;
}

void SetDocumentWordLengths(Document& doc, const SpacyTokenizer& tokenizer,
                            TokenizerScratch& scratch, std::vector<uint32_t> lengths) {
  TokensMemo& memo = Tokens(doc, tokenizer, scratch);
  memo.word_lengths = std::move(lengths);
  memo.have_lengths = true;
}

const std::vector<std::pair<uint32_t, uint32_t>>& DocumentLines(Document& doc) {
  if (auto* memo = static_cast<LinesMemo*>(doc.memos.Get(&kLinesTag))) return memo->lines;
  auto memo = std::make_unique<LinesMemo>();
  std::vector<std::string_view> views;
  PySplitLines(doc.text, &views);
  memo->lines.reserve(views.size());
  for (std::string_view v : views) {
    memo->lines.emplace_back(static_cast<uint32_t>(v.data() - doc.text.data()),
                             static_cast<uint32_t>(v.size()));
  }
  return static_cast<LinesMemo*>(doc.memos.Set(&kLinesTag, std::move(memo)))->lines;
}

void SetDocumentTokens(Document& doc, std::vector<Token> tokens) {
  auto memo = std::make_unique<TokensMemo>();
  memo->tokens = std::move(tokens);
  doc.memos.Set(&kTokensTag, std::move(memo));
}

void DocumentWords(Document& doc, const SpacyTokenizer& tokenizer, TokenizerScratch& scratch,
                   std::vector<std::string_view>* words) {
  const std::vector<Token>& tokens = DocumentTokens(doc, tokenizer, scratch);
  words->clear();
  std::string_view text = doc.text;
  // datatrove strips every token and drops the empty ones. A non-space token comes from a
  // run without (Python) whitespace, so stripping never changes it: the words are exactly the
  // non-space tokens.
  words->reserve(tokens.size());
  for (const Token& t : tokens) {
    if (!t.is_space) words->push_back(t.In(text));
  }
}

}  // namespace winnow::text
