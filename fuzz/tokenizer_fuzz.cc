// libFuzzer target: the spaCy-compatible tokenizer, sentencizer and ICU word break on arbitrary
// valid UTF-8 (invalid input never reaches them: readers reject or repair it first).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "winnow/core/json_writer.h"
#include "winnow/text/spacy_tokenizer.h"
#include "winnow/text/word_break.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text =
      winnow::ToValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  static winnow::text::TokenizerScratch scratch;
  const auto& tokenizer = winnow::text::SpacyTokenizer::English();
  std::vector<winnow::text::Token> tokens;
  tokenizer.Tokenize(text, scratch, &tokens);
  (void)tokenizer.CountSentences(text, scratch);
  scratch.word_breaker().Tokenize(text, &tokens);
  return 0;
}
