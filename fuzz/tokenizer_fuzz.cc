// libFuzzer target: the spaCy-compatible tokenizer, sentencizer and ICU word break on arbitrary
// valid UTF-8 (invalid input never reaches them: readers reject or repair it first); and a
// differential check: the tokens of English() (with its fast paths for "(word" and "word,"
// spans) equal those of the same rules interpreted without them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/json_writer.h"
#include "winnow/text/spacy_tokenizer.h"
#include "winnow/text/word_break.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::text::SpacyTokenizer;
  std::string text =
      winnow::ToValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  static winnow::text::TokenizerScratch scratch, rules_scratch;
  static const SpacyTokenizer* rules_only =
      SpacyTokenizer::FromRulesJson(SpacyTokenizer::EnglishRulesJson(), /*mark_fast_paths=*/false)
          .value()
          .release();
  const auto& tokenizer = SpacyTokenizer::English();
  std::vector<winnow::text::Token> tokens, want;
  tokenizer.Tokenize(text, scratch, &tokens);
  rules_only->Tokenize(text, rules_scratch, &want);
  if (tokens.size() != want.size()) std::abort();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].begin != want[i].begin || tokens[i].end != want[i].end ||
        tokens[i].space_after != want[i].space_after || tokens[i].is_space != want[i].is_space) {
      std::abort();
    }
  }
  (void)tokenizer.CountSentences(text, scratch);
  scratch.word_breaker().Tokenize(text, &tokens);
  return 0;
}
