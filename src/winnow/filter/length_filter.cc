#include "winnow/filter/length_filter.h"

#include "winnow/text/normalize.h"
#include "winnow/text/utf8.h"

namespace winnow::filter {
const StageSpec& LengthFilter::Spec() {
  static const StageSpec spec{
      "length",
      "Drops documents with too few or too many characters (code points) or whitespace "
      "words.",
      {
          {"min_chars", "0", "fewer code points than this: length:too_few_chars (0: off)"},
          {"max_chars", "0", "more code points than this: length:too_many_chars (0: off)"},
          {"min_words", "50", "fewer words than this: length:too_few_words (0: off)"},
          {"max_words", "100000", "more words than this: length:too_many_words (0: off)"},
      }};
  return spec;
}

Result<std::unique_ptr<LengthFilter>> LengthFilter::Create(const Options& options) {
  auto f = std::make_unique<LengthFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->min_chars_, options.Int("min_chars"));
  WINNOW_ASSIGN_OR_RETURN(f->max_chars_, options.Int("max_chars"));
  WINNOW_ASSIGN_OR_RETURN(f->min_words_, options.Int("min_words"));
  WINNOW_ASSIGN_OR_RETURN(f->max_words_, options.Int("max_words"));
  for (int64_t v : {f->min_chars_, f->max_chars_, f->min_words_, f->max_words_}) {
    if (v < 0) return Status::InvalidArgument("length: bounds must be >= 0");
  }
  if (f->max_chars_ > 0 && f->min_chars_ > f->max_chars_) {
    return Status::InvalidArgument("length: min_chars is greater than max_chars");
  }
  if (f->max_words_ > 0 && f->min_words_ > f->max_words_) {
    return Status::InvalidArgument("length: min_words is greater than max_words");
  }
  return f;
}

std::vector<Threshold> LengthFilter::Thresholds() const {
  std::vector<Threshold> t;
  auto add = [&](int64_t v, std::string_view signal, bool below, std::string_view reason) {
    if (v > 0) t.push_back({signal, static_cast<double>(v), below, reason});
  };
  add(min_chars_, "chars", true, "length:too_few_chars");
  add(max_chars_, "chars", false, "length:too_many_chars");
  add(min_words_, "whitespace_words", true, "length:too_few_words");
  add(max_words_, "whitespace_words", false, "length:too_many_words");
  return t;
}

Decision LengthFilter::Decide(Document& doc, FilterState&) const {
  auto chars = static_cast<int64_t>(text::CountCodePoints(doc.text));
  auto words = static_cast<int64_t>(text::CountWhitespaceWords(doc.text));
  doc.SetSignal("chars", static_cast<double>(chars));
  doc.SetSignal("whitespace_words", static_cast<double>(words));
  if (min_chars_ > 0 && chars < min_chars_) return {false, "length:too_few_chars"};
  if (max_chars_ > 0 && chars > max_chars_) return {false, "length:too_many_chars"};
  if (min_words_ > 0 && words < min_words_) return {false, "length:too_few_words"};
  if (max_words_ > 0 && words > max_words_) return {false, "length:too_many_words"};
  return {};
}

}  // namespace winnow::filter
