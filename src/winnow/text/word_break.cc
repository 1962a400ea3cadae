#include "winnow/text/word_break.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "winnow/text/py_str.h"

namespace winnow::text {

bool UsesDictionaryWordBreak(std::string_view language) {
  return language == "zh" || language.starts_with("zh-") || language == "ja" || language == "th" ||
         language == "lo" || language == "km" || language == "my";
}

struct WordBreaker::Impl {
  UBreakIterator* iterator = nullptr;
  UText* text = nullptr;
  ~Impl() {
    if (iterator != nullptr) ubrk_close(iterator);
    if (text != nullptr) utext_close(text);
  }
};

WordBreaker::WordBreaker() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // The root locale's rules already use the CJK and South-East Asian dictionaries.
  impl_->iterator = ubrk_open(UBRK_WORD, "", nullptr, 0, &status);
  if (U_FAILURE(status)) impl_->iterator = nullptr;
}

WordBreaker::~WordBreaker() = default;

void WordBreaker::Tokenize(std::string_view text, std::vector<Token>* out) {
  out->clear();
  UErrorCode status = U_ZERO_ERROR;
  if (impl_->iterator != nullptr) {
    impl_->text =
        utext_openUTF8(impl_->text, text.data(), static_cast<int64_t>(text.size()), &status);
    if (U_SUCCESS(status)) ubrk_setUText(impl_->iterator, impl_->text, &status);
  }
  if (impl_->iterator == nullptr || U_FAILURE(status)) {
    // Whitespace words; never reached on valid UTF-8 with ICU's data present.
    std::vector<std::string_view> words;
    PySplitWhitespace(text, &words);
    for (std::string_view w : words) {
      auto b = static_cast<uint32_t>(w.data() - text.data());
      out->push_back({b, b + static_cast<uint32_t>(w.size()), false, false});
    }
    return;
  }
  // With a UTF-8 UText, ICU's boundaries are byte offsets into `text`.
  int32_t begin = ubrk_first(impl_->iterator);
  for (int32_t end = ubrk_next(impl_->iterator); end != UBRK_DONE;
       begin = end, end = ubrk_next(impl_->iterator)) {
    std::string_view segment = text.substr(begin, end - begin);
    bool space = PyStrip(segment).empty();
    if (space && segment == " " && !out->empty() && !out->back().is_space &&
        !out->back().space_after) {
      out->back().space_after = true;  // spaCy's convention: one ' ' after a token is no token
      continue;
    }
    out->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), false, space});
  }
}

}  // namespace winnow::text
