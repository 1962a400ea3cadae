#include "winnow/filter/fineweb_quality.h"

#include "winnow/filter/duplicates.h"
#include "winnow/filter/ngram_hashes.h"
#include "winnow/text/document_tokens.h"
#include "winnow/text/py_str.h"
#include "winnow/text/utf8.h"

namespace winnow::filter {
namespace {

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

struct FineWebState final : FilterState {
  text::TokenizerScratch tokenizer;
  std::vector<std::string_view> words, lines, pieces;
  NGramCounter counter;
};

// The non-blank lines of `text`: [l for l in text.split("\n") if l.strip()].
void NonBlankLines(std::string_view text, std::vector<std::string_view>& pieces,
                   std::vector<std::string_view>& lines) {
  text::SplitOn(text, '\n', &pieces);
  lines.clear();
  for (std::string_view l : pieces) {
    if (!text::PyStrip(l).empty()) lines.push_back(l);
  }
}

}  // namespace

std::unique_ptr<FilterState> FineWebQualityFilter::NewState() const {
  return std::make_unique<FineWebState>();
}

// The last code point of `line` (non-empty) is a sentence terminal.
bool FineWebQualityFilter::EndsWithTerminal(std::string_view line) const {
  size_t start = line.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
  size_t len = 0;
  return tokenizer_->IsSentenceTerminal(text::DecodeAt(line, start, &len));
}

bool FineWebQualityFilter::IsShort(std::string_view line) const {
  const auto n = static_cast<size_t>(short_line_length_);
  return line.size() <= n || text::PyLen(line) <= n;
}

const StageSpec& FineWebQualityFilter::Spec() {
  static const StageSpec spec{
      "fineweb_quality",
      "FineWeb line heuristics with datatrove's decisions (terminal punctuation, short lines, "
      "duplicate lines, list-like pages).",
      {
          {"line_punct_thr", "0.12", "share of lines ending in terminal punctuation below"},
          {"line_punct_exclude_zero", "false", "let a share of exactly 0 pass"},
          {"short_line_thr", "0.67", "share of short lines above: short_line_ratio"},
          {"short_line_length", "30", "a line this long or shorter is short"},
          {"char_duplicates_ratio", "0.01", "duplicate-line characters / length above"},
          {"new_line_ratio", "0.3", "newlines per word above: list_ratio"},
      }};
  return spec;
}

Result<std::unique_ptr<FineWebQualityFilter>> FineWebQualityFilter::Create(const Options& o) {
  auto f = std::make_unique<FineWebQualityFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->line_punct_thr_, o.Double("line_punct_thr"));
  WINNOW_ASSIGN_OR_RETURN(f->line_punct_exclude_zero_, o.Bool("line_punct_exclude_zero"));
  WINNOW_ASSIGN_OR_RETURN(f->short_line_thr_, o.Double("short_line_thr"));
  WINNOW_ASSIGN_OR_RETURN(f->short_line_length_, o.Int("short_line_length"));
  WINNOW_ASSIGN_OR_RETURN(f->char_duplicates_ratio_, o.Double("char_duplicates_ratio"));
  WINNOW_ASSIGN_OR_RETURN(f->new_line_ratio_, o.Double("new_line_ratio"));
  f->tokenizer_ = &text::SpacyTokenizer::English();
  return f;
}

std::vector<Threshold> FineWebQualityFilter::Thresholds() const {
  return {{"line_punct_ratio", line_punct_thr_, true, "fineweb_quality:line_punct_ratio"},
          {"short_line_ratio", short_line_thr_, false, "fineweb_quality:short_line_ratio"},
          {"char_dup_ratio", char_duplicates_ratio_, false, "fineweb_quality:char_dup_ratio"},
          {"list_ratio", new_line_ratio_, false, "fineweb_quality:list_ratio"}};
}

TextSpans FineWebQualityFilter::Evidence(Document& doc, std::string_view reason) const {
  FineWebState s;
  NonBlankLines(doc.text, s.pieces, s.lines);
  std::vector<size_t> marked;
  if (reason == "fineweb_quality:char_dup_ratio") {
    FindDuplicates(s.lines, s.counter, &marked);
  } else {
    for (size_t i = 0; i < s.lines.size(); ++i) {
      if ((reason == "fineweb_quality:line_punct_ratio" && !EndsWithTerminal(s.lines[i])) ||
          (reason == "fineweb_quality:short_line_ratio" && IsShort(s.lines[i]))) {
        marked.push_back(i);
      }
    }
  }
  TextSpans spans;
  for (size_t i : marked) {
    const auto at = static_cast<size_t>(s.lines[i].data() - doc.text.data());
    spans.emplace_back(at, at + s.lines[i].size());
  }
  return spans;
}

Decision FineWebQualityFilter::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<FineWebState&>(state);
  const std::string_view text = doc.text;
  std::vector<std::string_view>& lines = scratch.lines;
  NonBlankLines(text, scratch.pieces, lines);
  if (lines.empty()) return {false, "fineweb_quality:empty"};
  const double n = static_cast<double>(lines.size());
  size_t punct = 0, short_lines = 0;
  for (std::string_view l : lines) {
    punct += EndsWithTerminal(l);
    short_lines += IsShort(l);
  }
  const double punct_ratio = punct / n;
  const double short_ratio = short_lines / n;
  Duplicates dups = FindDuplicates(lines, scratch.counter);
  const size_t newlines = text::CountOccurrences(text, "\n");
  const double dup_ratio =
      Ratio(static_cast<double>(dups.chars), static_cast<double>(text::PyLen(text) - newlines));
  std::vector<std::string_view>& words = scratch.words;
  text::DocumentWords(doc, *tokenizer_, scratch.tokenizer, &words);
  const double list_ratio = Ratio(static_cast<double>(newlines), static_cast<double>(words.size()));
  doc.SetSignal("line_punct_ratio", punct_ratio);
  doc.SetSignal("short_line_ratio", short_ratio);
  doc.SetSignal("char_dup_ratio", dup_ratio);
  doc.SetSignal("list_ratio", list_ratio);

  if (punct_ratio < line_punct_thr_ && !(punct_ratio == 0 && line_punct_exclude_zero_)) {
    return {false, "fineweb_quality:line_punct_ratio"};
  }
  if (short_ratio > short_line_thr_) return {false, "fineweb_quality:short_line_ratio"};
  if (dup_ratio > char_duplicates_ratio_) return {false, "fineweb_quality:char_dup_ratio"};
  if (list_ratio > new_line_ratio_) return {false, "fineweb_quality:list_ratio"};
  return {};
}

}  // namespace winnow::filter
