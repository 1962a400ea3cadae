// Page anatomy of extracted text: which lines are the article, which are boilerplate
// (navigation, newsletter and cookie boxes, share bars, footers), which are a comment section
// (its header and the comments), and which comments repeat a template the way bot threads do.
//
// Most text reaches a corpus already extracted (WET files, other people's JSONL), so the HTML
// cues are gone; the analyzer works from the lines alone:
//  - cues per line: comment headers ("22 Comments", "Leave a Reply", "Kommentare (3)", ...),
//    comment bylines (a name with a date or time, "X says:", "#3"), boilerplate phrasing
//    (newsletter, cookies, share, copyright, sign-up), navigation shapes ("Home | News | ...");
//  - structure: a comment section starts at a header followed by comment-like lines, or at a
//    run of bylines after the article, and runs to the end of the page but for a trailing
//    footer; boilerplate outside it is labelled line by line;
//  - templates: within the comments, near-duplicate lines are clustered ("strong": the same
//    words but for an emoji or a word or two; "weak": the same question template).
// Cheap tests screen every line first (length, a digit, a keyword byte), so long article
// paragraphs never reach a regular expression.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

struct hs_scratch;

namespace winnow::text {
class RegexScratch;
}

namespace winnow::anatomy {

enum class Label : uint8_t { kArticle, kBoilerplate, kCommentsHeader, kComment };
std::string_view LabelName(Label label);  // article, boilerplate, comments_header, comment

struct Analysis {
  std::vector<std::pair<size_t, size_t>> lines;  // [begin, end) of each line ("\n" split)
  std::vector<Label> labels;                     // one per line
  // Template clusters of comment lines, 0-based line indices, each sorted; clusters ordered
  // by their first line.
  std::vector<std::vector<uint32_t>> strong, weak;
  // How the comment section was found, or why a page of bylines has none.
  enum class Section : uint8_t {
    kNone,
    kAfterHeader,         // a comment header ("22 Comments") with comments after it
    kThreadAfterArticle,  // a run of bylines after the article, people talking
  };
  Section section = Section::kNone;
  bool posts_from_top = false;  // opens with a post's byline: a forum thread or a blog's posts
  size_t comment_lines = 0;       // non-blank lines labelled comment
  size_t templated_lines = 0;     // comment lines in a cluster (strong or weak)
  size_t question_lines = 0;      // comment lines that ask a question (bait)
  double templated_fraction() const {
    return comment_lines ? static_cast<double>(templated_lines) / static_cast<double>(comment_lines) : 0;
  }
  double question_fraction() const {
    return comment_lines ? static_cast<double>(question_lines) / static_cast<double>(comment_lines) : 0;
  }
};

class AnalyzerScratch;

class Analyzer {
 public:
  ~Analyzer();
  // The built-in cues. Internal when a built-in pattern does not compile (a bug).
  static Result<std::unique_ptr<Analyzer>> Create();

  // Analyses `text` into *out. Thread-safe with a per-thread scratch.
  void Analyze(std::string_view text, AnalyzerScratch& scratch, Analysis* out) const;

  // Line cues, exposed for tests.
  bool IsCommentHeader(std::string_view line, AnalyzerScratch& scratch) const;
  bool IsByline(std::string_view line, AnalyzerScratch& scratch) const;
  bool IsBoilerplate(std::string_view line, AnalyzerScratch& scratch) const;

 private:
  // The same, given the line's keyword cues (Cue bits, from ScanCues).
  bool IsCommentHeader(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const;
  bool IsByline(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const;
  bool IsBoilerplate(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const;
  // One vectorscan pass over `text` marking each line with the keyword sets it holds.
  void ScanCues(std::string_view text, const std::vector<std::pair<size_t, size_t>>& lines,
                AnalyzerScratch& scratch, std::vector<uint8_t>* cues) const;
  uint8_t LineCues(std::string_view line, AnalyzerScratch& scratch) const;

  struct Patterns;
  explicit Analyzer(std::unique_ptr<Patterns> p);
  std::unique_ptr<Patterns> p_;
};

class AnalyzerScratch {
 public:
  AnalyzerScratch();
  ~AnalyzerScratch();
  AnalyzerScratch(const AnalyzerScratch&) = delete;
  AnalyzerScratch& operator=(const AnalyzerScratch&) = delete;

 private:
  friend class Analyzer;
  std::unique_ptr<text::RegexScratch> regex;
  std::string lower;
  const void* hs_owner = nullptr;  // the analyzer `hs` was cloned for
  hs_scratch* hs = nullptr;        // vectorscan's scratch for the keyword pass
  std::vector<uint8_t> cues;
  // Per-line facts of the page being analysed, reused from page to page.
  std::vector<std::string_view> line;
  std::vector<uint8_t> blank, header, byline, boiler;
  std::vector<uint32_t> words, article_prefix, words_prefix;
};

// Clusters near-duplicate lines (already known to be comments) into strong and weak template
// clusters; `lines` are the texts, `index` their line numbers. Exposed for tests.
void ClusterTemplates(const std::vector<std::string_view>& lines, const std::vector<uint32_t>& index,
                      std::vector<std::vector<uint32_t>>* strong,
                      std::vector<std::vector<uint32_t>>* weak);

}  // namespace winnow::anatomy
