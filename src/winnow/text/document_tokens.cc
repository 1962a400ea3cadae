#include "winnow/text/document_tokens.h"

#include "winnow/text/py_str.h"

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

void DocumentWords(Document& doc, const SpacyTokenizer& tokenizer, TokenizerScratch& scratch,
                   std::vector<std::string_view>* words) {
  const std::vector<Token>& tokens = DocumentTokens(doc, tokenizer, scratch);
  words->clear();
  std::string_view text = doc.text;
  for (const Token& t : tokens) {
    if (t.is_space) continue;
    std::string_view w = PyStrip(t.In(text));
    if (!w.empty()) words->push_back(w);
  }
}

}  // namespace winnow::text
