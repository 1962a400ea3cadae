// A document's tokens, computed once and shared by every stage that needs words: spaCy's
// English rules, or ICU's dictionary word break for languages written without spaces
// (word_break.h) when the language stage has found one.
//
// The first caller tokenizes doc.text and stores the tokens in the document's memo slots;
// later callers (other filters, in the same batch) reuse them. Editing the text
// (Document::SetText) drops the memo, so a stage after C4's line removal sees the new text.
#pragma once

#include <string_view>
#include <vector>

#include "winnow/core/document.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::text {

// All tokens of doc.text, whitespace tokens included.
const std::vector<Token>& DocumentTokens(Document& doc, const SpacyTokenizer& tokenizer,
                                         TokenizerScratch& scratch);

// datatrove's word_tokenize(doc.text) as views into doc.text (valid until the text changes).
void DocumentWords(Document& doc, const SpacyTokenizer& tokenizer, TokenizerScratch& scratch,
                   std::vector<std::string_view>* words);

// The code-point length of each of DocumentWords()'s words, computed once per text.
const std::vector<uint32_t>& DocumentWordLengths(Document& doc, const SpacyTokenizer& tokenizer,
                                                 TokenizerScratch& scratch);

// Records word lengths computed elsewhere (gopher_repetition computes them while hashing).
// REQUIRES: `lengths` are DocumentWords()'s code-point lengths for the current text.
void SetDocumentWordLengths(Document& doc, const SpacyTokenizer& tokenizer,
                            TokenizerScratch& scratch, std::vector<uint32_t> lengths);

// doc.text.splitlines() as (offset, length) pairs, computed once per text.
const std::vector<std::pair<uint32_t, uint32_t>>& DocumentLines(Document& doc);

// Stores `tokens` as the tokenization of doc.text (a stage that edited the text and knows
// its tokens, C4 joining kept lines, spares the next stage a tokenization).
void SetDocumentTokens(Document& doc, std::vector<Token> tokens);

}  // namespace winnow::text
