#include "winnow/text/document_tokens.h"


namespace winnow::text {
namespace {

const char kTokensTag = 0;

struct TokensMemo final : DocumentMemo {
  std::vector<Token> tokens;
};

}  // namespace

const std::vector<Token>& DocumentTokens(Document& doc, const SpacyTokenizer& tokenizer,
                                         TokenizerScratch& scratch) {
  if (auto* memo = static_cast<TokensMemo*>(doc.memos.Get(&kTokensTag))) return memo->tokens;
  auto memo = std::make_unique<TokensMemo>();
  tokenizer.Tokenize(doc.text, scratch, &memo->tokens);
  return static_cast<TokensMemo*>(doc.memos.Set(&kTokensTag, std::move(memo)))->tokens;
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
