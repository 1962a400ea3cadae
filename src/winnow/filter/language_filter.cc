#include "winnow/filter/language_filter.h"

#include <algorithm>

#include "winnow/text/utf8.h"

namespace winnow::filter {

const StageSpec& LanguageFilter::Spec() {
  static const StageSpec spec{
      "language",
      "Identifies the language (CLD2 built in, or a fastText model) and keeps documents in "
      "the listed languages whose score passes the threshold, as datatrove's LanguageFilter.",
      {
          {"backend", "cld2", "cld2 (built in) or fasttext (needs model)"},
          {"model", "", "path of a fastText language-ID model (lid.176.bin, GlotLID)"},
          {"languages", "[en]",
           "languages to keep (ISO 639-1 codes as the engine reports them); [] keeps any "
           "language whose score passes the threshold"},
          {"language_threshold", "0.65", "a listed language must score above this"},
          {"label_only", "false", "only write language and language_score; drop nothing"},
          {"max_bytes", "1024",
           "judge longer texts on three windows (start, middle, end) of this many bytes in "
           "all; 0: the whole text"},
      }};
  return spec;
}

Result<std::unique_ptr<LanguageFilter>> LanguageFilter::Create(const Options& options) {
  auto f = std::make_unique<LanguageFilter>();
  WINNOW_ASSIGN_OR_RETURN(std::string backend, options.String("backend"));
  WINNOW_ASSIGN_OR_RETURN(std::string model, options.String("model"));
  if (backend == "cld2") {
    if (!model.empty()) {
      return Status::InvalidArgument(
          "language: model is given but backend is cld2; set "
          "backend: fasttext to use it");
    }
    f->identifier_ = lang::NewCld2Identifier();
  } else if (backend == "fasttext") {
    if (model.empty()) {
      return Status::InvalidArgument("language: backend fasttext needs model: PATH");
    }
    WINNOW_ASSIGN_OR_RETURN(f->identifier_, lang::LoadFastTextIdentifier(model));
  } else {
    return Status::InvalidArgument("language: option backend: expected cld2 or fasttext, got '" +
                                   backend + "'");
  }
  WINNOW_ASSIGN_OR_RETURN(f->languages_, options.StringList("languages"));
  WINNOW_ASSIGN_OR_RETURN(f->threshold_, options.Double("language_threshold"));
  WINNOW_ASSIGN_OR_RETURN(f->label_only_, options.Bool("label_only"));
  WINNOW_ASSIGN_OR_RETURN(f->max_bytes_, options.Int("max_bytes"));
  if (f->max_bytes_ < 0 || (f->max_bytes_ > 0 && f->max_bytes_ < 64)) {
    return Status::InvalidArgument("language: max_bytes must be 0 (whole text) or >= 64");
  }
  return f;
}

std::vector<Threshold> LanguageFilter::Thresholds() const {
  if (label_only_) return {};
  return {{"language_score", threshold_, true, "language:below_threshold"}};
}

namespace {

// Three windows of `budget` / 3 bytes from the start, middle and end of `text`, each cut at
// whitespace (and so at character boundaries), joined by newlines.
std::string_view Sample(std::string_view text, size_t budget, std::string& out) {
  if (budget == 0 || text.size() <= budget) return text;
  size_t w = budget / 3;
  out.clear();
  for (size_t start : {size_t{0}, (text.size() - w) / 2, text.size() - w}) {
    size_t b = start, e = start + w;
    if (b > 0) {
      size_t sp = text.find_first_of(" \n\t", b);
      b = sp == std::string_view::npos || sp >= e ? b : sp + 1;
    }
    if (e < text.size()) {
      size_t sp = text.find_last_of(" \n\t", e);
      e = sp == std::string_view::npos || sp <= b ? e : sp;
    }
    // A window with no whitespace (Chinese, Thai) is cut at character boundaries.
    while (b < e && text::IsUtf8Continuation(text[b])) ++b;
    while (e < text.size() && e > b && text::IsUtf8Continuation(text[e])) --e;
    out.append(text.substr(b, e - b));
    out.push_back('\n');
  }
  return out;
}

}  // namespace

namespace {

struct LanguageState final : FilterState {
  lang::LanguageScratch lang;
  std::vector<lang::LanguageGuess> guesses, segment_guesses;
  std::string lang_sample;  // the part of a text language ID reads
};

}  // namespace

std::unique_ptr<FilterState> LanguageFilter::NewState() const {
  return std::make_unique<LanguageState>();
}

Decision LanguageFilter::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<LanguageState&>(state);
  std::vector<lang::LanguageGuess>& guesses = scratch.guesses;
  std::string_view sample = Sample(doc.text, static_cast<size_t>(max_bytes_), scratch.lang_sample);
  identifier_->Identify(sample, scratch.lang, guesses);
  std::string_view best = guesses.empty() ? std::string_view("un") : guesses.front().code;
  double best_score = guesses.empty() ? 0.0 : guesses.front().score;
  doc.SetField("language", std::string(best));
  doc.SetSignal("language_score", best_score);
  // Segments anatomy moved out of the text (its `field` mode) get their own label: a page's
  // comments are often in another language than its article.
  static constexpr struct {
    std::string_view field, language, score;
  } kSegments[] = {{"comments", "comments_language", "comments_language_score"},
                   {"boilerplate", "boilerplate_language", "boilerplate_language_score"}};
  for (const auto& seg : kSegments) {
    std::string_view segment_text = doc.Field(seg.field);
    if (segment_text.empty()) continue;
    std::string_view part =
        Sample(segment_text, static_cast<size_t>(max_bytes_), scratch.lang_sample);
    identifier_->Identify(part, scratch.lang, scratch.segment_guesses);
    const auto& g = scratch.segment_guesses;
    doc.SetField(seg.language, std::string(g.empty() ? std::string_view("un") : g.front().code));
    doc.SetSignal(seg.score, g.empty() ? 0.0 : g.front().score);
  }
  if (label_only_) return {};
  if (languages_.empty()) {
    if (best_score > threshold_) return {};
    return {false, "language:below_threshold"};
  }
  for (const lang::LanguageGuess& g : guesses) {
    if (g.score > threshold_ &&
        std::find(languages_.begin(), languages_.end(), g.code) != languages_.end()) {
      return {};
    }
  }
  bool listed = std::find(languages_.begin(), languages_.end(), best) != languages_.end();
  return {false, listed ? "language:below_threshold" : "language:other_language"};
}

}  // namespace winnow::filter
