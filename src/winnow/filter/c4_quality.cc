#include "winnow/filter/c4_quality.h"

#include <algorithm>

#include "winnow/text/document_tokens.h"
#include "winnow/text/py_str.h"

namespace winnow::filter {
namespace {

constexpr std::string_view kPolicy[] = {"terms of use", "privacy policy", "cookie policy",
                                        "uses cookies", "use of cookies", "use cookies"};

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool EndsWithTerminalPunct(std::string_view line) {
  if (line.empty()) return false;
  char c = line.back();
  return c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
}

}  // namespace

const StageSpec& C4QualityFilter::Spec() {
  static const StageSpec spec{
      "c4_quality",
      "C4 line and document heuristics with datatrove's decisions; removes the lines it "
      "rejects.",
      {
          {"split_paragraph", "true", "units are lines (true) or spaCy sentences (false)"},
          {"remove_citations", "true", "remove [1], [edit], [citation needed]"},
          {"filter_no_terminal_punct", "true",
           "drop lines without terminal punctuation (FineWeb: false)"},
          {"min_num_sentences", "5", "fewer sentences kept: too_few_sentences (-1: off)"},
          {"min_words_per_line", "3", "drop lines with fewer words (-1: off)"},
          {"max_word_length", "1000", "drop lines with a longer word (-1: off)"},
          {"filter_lorem_ipsum", "true", "\"lorem ipsum\" drops the document: lorem_ipsum"},
          {"filter_javascript", "true", "drop lines mentioning javascript"},
          {"filter_curly_bracket", "true", "\"{\" drops the document: curly_bracket"},
          {"filter_policy", "true", "drop lines with cookie and terms-of-use phrases"},
      }};
  return spec;
}

Result<std::unique_ptr<C4QualityFilter>> C4QualityFilter::Create(const Options& o) {
  auto f = std::make_unique<C4QualityFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->split_paragraph_, o.Bool("split_paragraph"));
  WINNOW_ASSIGN_OR_RETURN(f->remove_citations_, o.Bool("remove_citations"));
  WINNOW_ASSIGN_OR_RETURN(f->filter_no_terminal_punct_, o.Bool("filter_no_terminal_punct"));
  WINNOW_ASSIGN_OR_RETURN(f->min_num_sentences_, o.Int("min_num_sentences"));
  WINNOW_ASSIGN_OR_RETURN(f->min_words_per_line_, o.Int("min_words_per_line"));
  WINNOW_ASSIGN_OR_RETURN(f->max_word_length_, o.Int("max_word_length"));
  WINNOW_ASSIGN_OR_RETURN(f->filter_lorem_ipsum_, o.Bool("filter_lorem_ipsum"));
  WINNOW_ASSIGN_OR_RETURN(f->filter_javascript_, o.Bool("filter_javascript"));
  WINNOW_ASSIGN_OR_RETURN(f->filter_curly_bracket_, o.Bool("filter_curly_bracket"));
  WINNOW_ASSIGN_OR_RETURN(f->filter_policy_, o.Bool("filter_policy"));
  // datatrove's CITATION_REGEX; \d is Unicode decimal digits, as in Python.
  WINNOW_ASSIGN_OR_RETURN(f->citation_,
                          text::Regex::FromPython(R"(\[\d*]|\[edit]|\[citation needed])"));

  f->tokenizer_ = &text::SpacyTokenizer::English();
  return f;
}

namespace {

struct C4State final : FilterState {
  text::TokenizerScratch tokenizer;
  text::RegexScratch regex;
  std::vector<std::string_view> lines;
  std::string buffer, lower;
};

}  // namespace

std::unique_ptr<FilterState> C4QualityFilter::NewState() const {
  return std::make_unique<C4State>();
}

Decision C4QualityFilter::Evaluate(Document& doc, FilterState& state, std::string* kept_text,
                                   std::vector<text::Token>* kept_tokens, Marks* marks) const {
  auto& scratch = static_cast<C4State&>(state);
  kept_text->clear();
  if (kept_tokens != nullptr) kept_tokens->clear();
  bool tokens_valid = split_paragraph_;
  // Lines are cut at whitespace, so a stripped line's tokens are the document's tokens in its
  // byte range: sentence counts (and the kept text's tokens) come from one tokenization.
  const std::vector<text::Token>* doc_tokens = nullptr;
  if (split_paragraph_) doc_tokens = &text::DocumentTokens(doc, *tokenizer_, scratch.tokenizer);
  std::vector<std::string_view>& units = scratch.lines;
  if (split_paragraph_) {
    units.clear();
    for (auto [at, size] : text::DocumentLines(doc))
      units.push_back(std::string_view(doc.text).substr(at, size));
  } else {
    tokenizer_->Sentences(doc.text, scratch.tokenizer, &units);
  }
  std::string& line_buf = scratch.buffer;
  text::RegexScratch& rx = scratch.regex;
  size_t sentences = 0, kept = 0;
  Decision decision;
  auto mark = [&](std::string_view unit, bool fatal) {
    if (marks == nullptr) return;
    const auto at = static_cast<size_t>(unit.data() - doc.text.data());
    (fatal ? marks->fatal : marks->kept).emplace_back(at, at + unit.size());
  };
  for (std::string_view raw : units) {
    std::string_view line = text::PyStrip(raw);
    bool too_long = false;
    const size_t n_words = text::CountWhitespaceWordsMax(
        line, max_word_length_ < 0 ? SIZE_MAX : static_cast<size_t>(max_word_length_), &too_long,
        min_words_per_line_ < 0 ? 0 : static_cast<size_t>(min_words_per_line_));
    if (max_word_length_ != -1 && too_long) continue;
    if (remove_citations_ && line.find('[') != std::string_view::npos) {
      line_buf.clear();
      size_t pos = 0, b = 0, e = 0;
      // re.sub: every alternative starts with '[', so no match is empty.
      while (pos < line.size() && citation_.Find(line, pos, false, rx, &b, &e)) {
        line_buf.append(line.substr(pos, b - pos));
        pos = e;
      }
      if (pos < line.size()) line_buf.append(line.substr(pos));
      line = line_buf;
    }
    if (filter_no_terminal_punct_ && (!EndsWithTerminalPunct(line) || EndsWith(line, "..."))) {
      continue;
    }
    if (static_cast<int64_t>(n_words) < min_words_per_line_) continue;
    // (A single caseless regex screen for the phrases was measured slower than lowering the
    // line and searching it: every phrase starts with a common letter.)
    std::string& lower = scratch.lower;
    text::LowerForAsciiMatch(line, &lower);
    if (filter_lorem_ipsum_ && lower.find("lorem ipsum") != std::string::npos) {
      decision = {false, "c4_quality:lorem_ipsum"};
      mark(text::PyStrip(raw), true);
      break;
    }
    if (filter_javascript_ && lower.find("javascript") != std::string::npos) continue;
    if (filter_curly_bracket_ && line.find('{') != std::string_view::npos) {
      decision = {false, "c4_quality:curly_bracket"};
      mark(text::PyStrip(raw), true);
      break;
    }
    if (filter_policy_) {
      bool policy = false;
      for (std::string_view p : kPolicy) policy = policy || lower.find(p) != std::string::npos;
      if (policy) continue;
    }
    if (kept > 0) {
      kept_text->push_back(split_paragraph_ ? '\n' : ' ');
      if (kept_tokens != nullptr && tokens_valid) {
        text::Token nl;
        nl.begin = static_cast<uint32_t>(kept_text->size() - 1);
        nl.end = nl.begin + 1;
        nl.is_space = true;
        kept_tokens->push_back(nl);
      }
    }
    const size_t out_at = kept_text->size();
    if (!split_paragraph_) {
      ++sentences;
    } else if (line.data() >= doc.text.data() &&
               line.data() + line.size() <= doc.text.data() + doc.text.size()) {
      // The line is a piece of the text (no citation removed): use the document's tokens.
      const auto lb = static_cast<uint32_t>(line.data() - doc.text.data());
      const auto le = static_cast<uint32_t>(lb + line.size());
      const text::Token* first =
          std::lower_bound(doc_tokens->data(), doc_tokens->data() + doc_tokens->size(), lb,
                           [](const text::Token& t, uint32_t at) { return t.begin < at; });
      const text::Token* last = first;
      while (last != doc_tokens->data() + doc_tokens->size() && last->end <= le) ++last;
      sentences += tokenizer_->CountSentences(doc.text, first, last);
      if (kept_tokens != nullptr) {
        for (const text::Token* t = first; t != last; ++t) {
          text::Token moved = *t;
          moved.begin = moved.begin - lb + static_cast<uint32_t>(out_at);
          moved.end = moved.end - lb + static_cast<uint32_t>(out_at);
          kept_tokens->push_back(moved);
        }
        if (first != last) kept_tokens->back().space_after = false;
      }
    } else {
      // Citations were removed: the line is new text, tokenized on its own.
      sentences += tokenizer_->CountSentences(line, scratch.tokenizer);
      tokens_valid = false;
    }
    kept_text->append(line);
    mark(text::PyStrip(raw), false);
    ++kept;
  }
  doc.SetSignal("c4_lines", static_cast<double>(units.size()));
  doc.SetSignal("c4_kept_lines", static_cast<double>(kept));
  doc.SetSignal("c4_sentences", static_cast<double>(sentences));
  if (decision.keep && static_cast<int64_t>(sentences) < min_num_sentences_) {
    decision = {false, "c4_quality:too_few_sentences"};
  }
  std::string_view stripped = text::PyStrip(*kept_text);
  if (stripped.size() != kept_text->size()) {
    *kept_text = std::string(stripped);
    tokens_valid = false;  // offsets moved; rare (only when empty lines are kept)
  }
  if (kept_tokens != nullptr && !tokens_valid) kept_tokens->clear();
  return decision;
}

Decision C4QualityFilter::Annotate(Document& doc, FilterState& state) const {
  std::string kept;
  return Evaluate(doc, state, &kept, nullptr);
}

TextSpans C4QualityFilter::Evidence(Document& doc, std::string_view reason) const {
  std::unique_ptr<FilterState> state = NewState();
  std::string kept;
  Marks marks;
  Evaluate(doc, *state, &kept, nullptr, &marks);
  // The line that removed the document, or the lines that counted (too few sentences).
  if (reason == "c4_quality:lorem_ipsum" || reason == "c4_quality:curly_bracket")
    return marks.fatal;
  if (reason == "c4_quality:too_few_sentences") return marks.kept;
  return {};
}

std::vector<Threshold> C4QualityFilter::Thresholds() const {
  // The line rules are per line; only the sentence count is a threshold on a document signal.
  if (min_num_sentences_ < 0) return {};
  return {{"c4_sentences", static_cast<double>(min_num_sentences_), true,
           "c4_quality:too_few_sentences"}};
}

Decision C4QualityFilter::Decide(Document& doc, FilterState& state) const {
  std::string kept;
  std::vector<text::Token> tokens;
  Decision d = Evaluate(doc, state, &kept, &tokens);
  if (d.keep && kept != doc.text) {
    bool have_tokens = !tokens.empty() || kept.empty();
    doc.SetText(std::move(kept));
    if (have_tokens) text::SetDocumentTokens(doc, std::move(tokens));
  }
  return d;
}

}  // namespace winnow::filter
