#include "winnow/filter/gopher_quality.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "winnow/text/document_tokens.h"
#include "winnow/text/py_str.h"
#include "winnow/text/utf8.h"

namespace winnow::filter {
namespace {

// datatrove's PUNCTUATION (utils/text.py): these characters, plus U+0000..U+0008,
// U+000B..U+001F and U+007F..U+009F.
constexpr char32_t kPunctuation[] = {
    U'!',  U'/',  U'—',  U'”',  U':',  U'％', U'１', U'〈', U'&', U'(', U'、', U'━',  U'\\', U'【',
    U'#',  U'%',  U'「', U'」', U'，', U'】', U'；', U'+',  U'^', U']', U'~',  U'“',  U'《', U'„',
    U'\'', U';',  U'’',  U'{',  U'|',  U'∶',  U'´',  U'[',  U'=', U'-', U'`',  U'*',  U'．', U'（',
    U'–',  U'？', U'！', U'：', U'$',  U'～', U'«',  U'〉', U',', U'>', U'<',  U'》', U')',  U'?',
    U'）', U'。', U'…',  U'@',  U'_',  U'.',  U'"',  U'}',  U'►', U'»'};

bool InPunctuation(char32_t c) {
  if (c <= 0x08 || (c >= 0x0B && c <= 0x1F) || (c >= 0x7F && c <= 0x9F)) return true;
  for (char32_t p : kPunctuation) {
    if (p == c) return true;
  }
  return false;
}

constexpr std::array<bool, 128> MakeAsciiPunct() {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; ++c) {
    t[c] = c <= 0x08 || (c >= 0x0B && c <= 0x1F) || c == 0x7F;
  }
  for (char c : std::string_view("!/:&(\\#%+^]~';{|[=-`*$,><)?@_.\"}"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 128> kAsciiPunct = MakeAsciiPunct();

// Per byte: kLetter for ASCII letters, kPunct for ASCII bytes in PUNCTUATION, kHigh for bytes of
// non-ASCII code points (decoded on a side path).
enum : uint8_t { kLetter = 1, kPunct = 2, kHigh = 4 };
constexpr std::array<uint8_t, 256> MakeByteFlags() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') t[c] |= kLetter;
    if (kAsciiPunct[c]) t[c] |= kPunct;
  }
  for (int c = 128; c < 256; ++c) t[c] = kHigh;
  return t;
}
constexpr std::array<uint8_t, 256> kByteFlags = MakeByteFlags();

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The line tests of bullet_lines_ratio and end_ellipsis_lines_ratio.
bool IsBulletLine(std::string_view line) {
  std::string_view l = text::PyLStrip(line);
  return StartsWith(l, "•") || StartsWith(l, "-");
}
bool EndsWithEllipsis(std::string_view line) {
  std::string_view r = text::PyRStrip(line);
  return EndsWith(r, "...") || EndsWith(r, "…");
}

struct GopherQualityState final : FilterState {
  text::TokenizerScratch tokenizer;
  std::vector<std::string_view> words;
};

}  // namespace

std::unique_ptr<FilterState> GopherQualityFilter::NewState() const {
  return std::make_unique<GopherQualityState>();
}

TextSpans GopherQualityFilter::Evidence(Document& doc, std::string_view reason) const {
  TextSpans spans;
  const std::string_view text = doc.text;
  if (reason == "gopher_quality:gopher_too_many_bullets" ||
      reason == "gopher_quality:gopher_too_many_end_ellipsis") {
    const bool bullets = reason == "gopher_quality:gopher_too_many_bullets";
    for (auto [at, size] : text::DocumentLines(doc)) {
      std::string_view line = text.substr(at, size);
      if (bullets ? IsBulletLine(line) : EndsWithEllipsis(line)) spans.emplace_back(at, at + size);
    }
  } else if (reason == "gopher_quality:gopher_too_many_hashes" ||
             reason == "gopher_quality:gopher_too_many_ellipsis") {
    // As text.count(...) counts them: non-overlapping occurrences.
    const bool hashes = reason == "gopher_quality:gopher_too_many_hashes";
    for (std::string_view needle :
         hashes ? std::vector<std::string_view>{"#"} : std::vector<std::string_view>{"...", "…"}) {
      for (size_t at = text.find(needle); at != std::string_view::npos;
           at = text.find(needle, at + needle.size())) {
        spans.emplace_back(at, at + needle.size());
      }
    }
    std::sort(spans.begin(), spans.end());
  }
  return spans;
}

bool IsSymbolWord(std::string_view w) {
  size_t i = 0;
  while (i < w.size()) {
    unsigned char c = static_cast<unsigned char>(w[i]);
    if (c < 0x80) {
      if (!kAsciiPunct[c]) return false;
      ++i;
      continue;
    }
    size_t len = 0;
    if (!InPunctuation(text::DecodeAt(w, i, &len))) return false;
    i += len;
  }
  return true;
}

const StageSpec& GopherQualityFilter::Spec() {
  static const StageSpec spec{
      "gopher_quality",
      "Gopher quality heuristics with datatrove's decisions (word count and length, symbols, "
      "bullets, ellipses, alphabetic words, stop words).",
      {
          {"min_doc_words", "50", "fewer non-symbol words: gopher_short_doc"},
          {"max_doc_words", "100000", "more non-symbol words: gopher_long_doc"},
          {"min_avg_word_length", "3", "lower mean word length: gopher_below_avg_threshold"},
          {"max_avg_word_length", "10", "higher mean word length: gopher_above_avg_threshold"},
          {"max_symbol_word_ratio", "0.1", "'#' or ellipses per word above: gopher_too_many_*"},
          {"max_bullet_lines_ratio", "0.9", "share of lines starting with a bullet above"},
          {"max_ellipsis_lines_ratio", "0.3", "share of lines ending with an ellipsis above"},
          {"max_non_alpha_words_ratio", "0.8",
           "share of words with a letter below: gopher_below_alpha_threshold"},
          {"min_stop_words", "2", "fewer distinct stop words: gopher_enough_stop_words"},
          {"stop_words", "[the, be, to, of, and, that, have, with]", "the stop words"},
      }};
  return spec;
}

Result<std::unique_ptr<GopherQualityFilter>> GopherQualityFilter::Create(const Options& o) {
  auto f = std::make_unique<GopherQualityFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->min_doc_words_, o.OptionalInt("min_doc_words"));
  WINNOW_ASSIGN_OR_RETURN(f->max_doc_words_, o.OptionalInt("max_doc_words"));
  WINNOW_ASSIGN_OR_RETURN(f->min_avg_word_length_, o.OptionalDouble("min_avg_word_length"));
  WINNOW_ASSIGN_OR_RETURN(f->max_avg_word_length_, o.OptionalDouble("max_avg_word_length"));
  WINNOW_ASSIGN_OR_RETURN(f->max_symbol_word_ratio_, o.OptionalDouble("max_symbol_word_ratio"));
  WINNOW_ASSIGN_OR_RETURN(f->max_bullet_lines_ratio_, o.OptionalDouble("max_bullet_lines_ratio"));
  WINNOW_ASSIGN_OR_RETURN(f->max_ellipsis_lines_ratio_,
                          o.OptionalDouble("max_ellipsis_lines_ratio"));
  WINNOW_ASSIGN_OR_RETURN(f->max_non_alpha_words_ratio_,
                          o.OptionalDouble("max_non_alpha_words_ratio"));
  WINNOW_ASSIGN_OR_RETURN(f->min_stop_words_, o.OptionalInt("min_stop_words"));
  WINNOW_ASSIGN_OR_RETURN(f->stop_words_, o.StringList("stop_words"));
  if (f->stop_words_.size() > 64) {
    return Status::InvalidArgument("gopher_quality: at most 64 stop words");
  }
  // A cheap screen before comparing a word with every stop word.
  f->stop_min_len_ = SIZE_MAX;
  for (const std::string& sw : f->stop_words_) {
    if (sw.empty()) continue;
    f->stop_min_len_ = std::min(f->stop_min_len_, sw.size());
    f->stop_max_len_ = std::max(f->stop_max_len_, sw.size());
    f->stop_first_[static_cast<unsigned char>(sw[0])] = true;
  }
  f->tokenizer_ = &text::SpacyTokenizer::English();
  return f;
}

std::vector<Threshold> GopherQualityFilter::Thresholds() const {
  std::vector<Threshold> t;
  auto add = [&](const auto& v, std::string_view signal, bool below, std::string_view reason) {
    if (v.has_value() && *v != 0) t.push_back({signal, static_cast<double>(*v), below, reason});
  };
  add(min_doc_words_, "non_symbol_words", true, "gopher_quality:gopher_short_doc");
  add(max_doc_words_, "non_symbol_words", false, "gopher_quality:gopher_long_doc");
  add(min_avg_word_length_, "mean_word_length", true, "gopher_quality:gopher_below_avg_threshold");
  add(max_avg_word_length_, "mean_word_length", false, "gopher_quality:gopher_above_avg_threshold");
  add(max_symbol_word_ratio_, "hash_ratio", false, "gopher_quality:gopher_too_many_hashes");
  add(max_symbol_word_ratio_, "ellipsis_ratio", false, "gopher_quality:gopher_too_many_ellipsis");
  add(max_bullet_lines_ratio_, "bullet_lines_ratio", false,
      "gopher_quality:gopher_too_many_bullets");
  add(max_ellipsis_lines_ratio_, "end_ellipsis_lines_ratio", false,
      "gopher_quality:gopher_too_many_end_ellipsis");
  add(max_non_alpha_words_ratio_, "alpha_words_ratio", true,
      "gopher_quality:gopher_below_alpha_threshold");
  add(min_stop_words_, "stop_words", true, "gopher_quality:gopher_enough_stop_words");
  return t;
}

Decision GopherQualityFilter::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<GopherQualityState&>(state);
  std::vector<std::string_view>& words = scratch.words;
  text::DocumentWords(doc, *tokenizer_, scratch.tokenizer, &words);
  const std::string_view text = doc.text;
  const double n_words = static_cast<double>(words.size());

  const std::vector<uint32_t>& lengths =
      text::DocumentWordLengths(doc, *tokenizer_, scratch.tokenizer);
  size_t non_symbol = 0, non_symbol_chars = 0, alpha_words = 0;
  uint64_t stop_seen = 0;  // bit i: stop_words_[i] occurs
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    // One pass over the word's bytes: ASCII letters make it alphabetic and non-symbol at once;
    // anything else non-ASCII is decoded once for both tests.
    uint8_t any = 0, all = kLetter | kPunct | kHigh;
    for (char ch : w) {
      uint8_t f = kByteFlags[static_cast<unsigned char>(ch)];
      any |= f;
      all &= f;
    }
    bool alpha = any & kLetter;
    bool symbol = all & kPunct;  // every byte ASCII punctuation
    if (any & kHigh) {
      // Non-ASCII code points: decode the word once for both tests.
      alpha = false;
      symbol = true;
      for (size_t k = 0; k < w.size();) {
        unsigned char c = static_cast<unsigned char>(w[k]);
        if (c < 0x80) {
          alpha = alpha || (kByteFlags[c] & kLetter);
          symbol = symbol && (kByteFlags[c] & kPunct);
          ++k;
          continue;
        }
        size_t len = 0;
        char32_t cp = text::DecodeAt(w, k, &len);
        alpha = alpha || text::PyIsAlpha(cp);
        symbol = symbol && InPunctuation(cp);
        k += len;
      }
    }
    if (!symbol) {
      ++non_symbol;
      non_symbol_chars += lengths[i];
    }
    alpha_words += alpha;
    if (w.size() >= stop_min_len_ && w.size() <= stop_max_len_ &&
        stop_first_[static_cast<unsigned char>(w[0])]) {
      for (size_t s = 0; s < stop_words_.size(); ++s) {
        if (w == stop_words_[s]) stop_seen |= uint64_t{1} << s;
      }
    }
  }
  const double mean_len = non_symbol > 0 ? static_cast<double>(non_symbol_chars) / non_symbol : NAN;
  const double hash_ratio = Ratio(static_cast<double>(text::CountOccurrences(text, "#")), n_words);
  const double ellipsis_ratio = Ratio(
      static_cast<double>(text::CountOccurrences(text, "...") + text::CountOccurrences(text, "…")),
      n_words);
  const auto& lines = text::DocumentLines(doc);
  size_t bullet = 0, end_ellipsis = 0;
  for (auto [at, size] : lines) {
    std::string_view line = text.substr(at, size);
    bullet += IsBulletLine(line);
    end_ellipsis += EndsWithEllipsis(line);
  }
  const double n_lines = static_cast<double>(lines.size());
  const double bullet_ratio = Ratio(static_cast<double>(bullet), n_lines);
  const double end_ellipsis_ratio = Ratio(static_cast<double>(end_ellipsis), n_lines);
  const double alpha_ratio = Ratio(static_cast<double>(alpha_words), n_words);
  const int64_t stop_words = __builtin_popcountll(stop_seen);

  doc.SetSignal("words", n_words);
  doc.SetSignal("non_symbol_words", static_cast<double>(non_symbol));
  doc.SetSignal("mean_word_length", mean_len);
  doc.SetSignal("hash_ratio", hash_ratio);
  doc.SetSignal("ellipsis_ratio", ellipsis_ratio);
  doc.SetSignal("bullet_lines_ratio", bullet_ratio);
  doc.SetSignal("end_ellipsis_lines_ratio", end_ellipsis_ratio);
  doc.SetSignal("alpha_words_ratio", alpha_ratio);
  doc.SetSignal("stop_words", static_cast<double>(stop_words));

  // Python's truthiness: None and 0 switch a check off. NaN compares false, as in numpy.
  auto on = [](const auto& v) { return v.has_value() && *v != 0; };
  const auto ns = static_cast<int64_t>(non_symbol);
  if (on(min_doc_words_) && ns < *min_doc_words_) return {false, "gopher_quality:gopher_short_doc"};
  if (on(max_doc_words_) && ns > *max_doc_words_) return {false, "gopher_quality:gopher_long_doc"};
  if (on(min_avg_word_length_) && mean_len < *min_avg_word_length_) {
    return {false, "gopher_quality:gopher_below_avg_threshold"};
  }
  if (on(max_avg_word_length_) && mean_len > *max_avg_word_length_) {
    return {false, "gopher_quality:gopher_above_avg_threshold"};
  }
  if (on(max_symbol_word_ratio_) && hash_ratio > *max_symbol_word_ratio_) {
    return {false, "gopher_quality:gopher_too_many_hashes"};
  }
  if (on(max_symbol_word_ratio_) && ellipsis_ratio > *max_symbol_word_ratio_) {
    return {false, "gopher_quality:gopher_too_many_ellipsis"};
  }
  if (on(max_bullet_lines_ratio_) && bullet_ratio > *max_bullet_lines_ratio_) {
    return {false, "gopher_quality:gopher_too_many_bullets"};
  }
  if (on(max_ellipsis_lines_ratio_) && end_ellipsis_ratio > *max_ellipsis_lines_ratio_) {
    return {false, "gopher_quality:gopher_too_many_end_ellipsis"};
  }
  if (on(max_non_alpha_words_ratio_) && alpha_ratio < *max_non_alpha_words_ratio_) {
    return {false, "gopher_quality:gopher_below_alpha_threshold"};
  }
  if (on(min_stop_words_) && stop_words < *min_stop_words_) {
    return {false, "gopher_quality:gopher_enough_stop_words"};
  }
  return {};
}

}  // namespace winnow::filter
