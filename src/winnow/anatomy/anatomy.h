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
    kNameThread,          // a run of names, each over its comment, ending the page
  };
  Section section = Section::kNone;
  bool posts_from_top = false;  // opens with a post's byline: a forum thread or a blog's posts
  size_t comment_lines = 0;     // non-blank lines labelled comment
  size_t templated_lines = 0;   // comment lines in a cluster (strong or weak)
  size_t question_lines = 0;    // comment lines that ask a question (bait)
  double templated_fraction() const {
    return comment_lines ? static_cast<double>(templated_lines) / static_cast<double>(comment_lines)
                         : 0;
  }
  double question_fraction() const {
    return comment_lines ? static_cast<double>(question_lines) / static_cast<double>(comment_lines)
                         : 0;
  }
};

// The structural thresholds of the analysis, named, at the values it was tuned with on the
// development pages (README: "Page anatomy"). Counts of lines are of content lines (blank
// lines skipped); words are runs between spaces.
struct Thresholds {
  // -- a comment section after a header ("22 Comments") --
  // A header with fewer words of article before it is a comment counter under the title
  // ("52 comments"), not the section.
  uint32_t header_min_words_before = 50;
  // Comments after the header: a byline within this many lines, or a line that is neither
  // boilerplate nor a header within this many.
  uint32_t header_byline_lookahead = 6;
  uint32_t header_text_lookahead = 3;
  // A header right after a line of more than this many words that does not end a sentence
  // is the end of that sentence ("... declined to" / "comment.").
  uint32_t broken_sentence_min_words = 6;
  // A byline within this many lines before the header: a post's meta block (title, "by X
  // on <date>", "52 comments"), not a comment section.
  uint32_t meta_block_lines = 3;

  // -- hard-wrapped text (mail, news) --
  // A line whose previous line is wrap_min_bytes..wrap_max_bytes long, of at least
  // wrap_min_words words and not ending a sentence, continues that sentence: it is neither
  // a byline nor boilerplate.
  uint32_t wrap_min_bytes = 50;
  uint32_t wrap_max_bytes = 90;
  uint32_t wrap_min_words = 8;

  // -- a page of posts from the top (forum, Q&A, a blog's dated posts) --
  // It opens with a byline within its first top_byline_lines lines, before
  // top_byline_max_words words; one of the next top_shape_bylines bylines has that byline's
  // shape; and its first turn is at most first_turn_factor x the median later turn +
  // first_turn_slack words (an article opening with its own byline is far longer).
  uint32_t top_byline_lines = 3;
  uint32_t top_byline_max_words = 50;
  uint32_t top_shape_bylines = 3;
  uint32_t first_turn_factor = 3;
  uint32_t first_turn_slack = 30;

  // -- a thread of comments after the article, without a header --
  // Its first byline comes after at least this many lines of article, and not right after
  // another byline.
  uint32_t thread_min_article_lines = 2;
  // Judged on the next thread_window lines, while bylines are at most thread_max_gap lines
  // apart: at least thread_min_turns bylines follow a comment's text (a line of
  // turn_min_words words or more), and they are at least half of the bylines (a listing of
  // dated titles is bylines one after another).
  uint32_t thread_window = 200;
  uint32_t thread_max_gap = 8;
  uint32_t turn_min_words = 4;
  uint32_t thread_min_turns = 2;
  // Lines with a comment counter ("[ 11 Comments ]") at the byline and in the window: this
  // many or more make a blog's front page listing posts, not a thread.
  uint32_t front_page_counters = 2;
  // Of the next conversation_lines lines of text, at least this share speak in the first or
  // second person (people talking, not a listing with a date beside each item).
  uint32_t conversation_lines = 40;
  double conversational_min_share = 0.25;
  // A line before a date-only byline, of at most author_max_words words and
  // author_max_bytes bytes and not ending a sentence, is the author's name: the thread
  // starts there.
  uint32_t author_max_words = 4;
  uint32_t author_max_bytes = 40;

  // -- a thread of names without dates: "Al" / comment / "Subversive" / comment ... --
  // A name line: at most name_max_words words and name_max_bytes bytes, not a sentence, no
  // cue of its own. The thread: at least name_thread_min_names of them, each followed by
  // text, at most thread_max_gap lines apart, running to the end of the page (comments come
  // last), after at least name_thread_min_article_words words of article; its median turn
  // at most name_turn_max_words words (an article's subheads head longer sections); a name
  // that comes back (a second comment, or a word of a later one: people answering); and
  // people talking in its turns (name_conversational_min_share of their lines).
  uint32_t name_max_words = 3;
  uint32_t name_max_bytes = 32;
  uint32_t name_thread_min_names = 3;
  uint32_t name_thread_min_article_words = 100;
  uint32_t name_turn_max_words = 90;
  double name_conversational_min_share = 0.4;

  // -- the comments --
  // A comment asks a question: a '?' in a line of at most this many words.
  uint32_t question_max_words = 30;
};

class AnalyzerScratch;

class Analyzer {
 public:
  ~Analyzer();
  // The built-in cues with `thresholds`. Internal when a built-in pattern does not compile
  // (a bug).
  static Result<std::unique_ptr<Analyzer>> Create(const Thresholds& thresholds = {});
  const Thresholds& thresholds() const { return t_; }

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
  // The per-line facts of `out->lines` (trimmed text, words, header, byline, boilerplate)
  // into the scratch.
  void MarkLines(std::string_view text, AnalyzerScratch& scratch, const Analysis& out) const;

  struct Patterns;
  Analyzer(std::unique_ptr<Patterns> p, const Thresholds& t);
  std::unique_ptr<Patterns> p_;
  Thresholds t_;
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
void ClusterTemplates(const std::vector<std::string_view>& lines,
                      const std::vector<uint32_t>& index,
                      std::vector<std::vector<uint32_t>>* strong,
                      std::vector<std::vector<uint32_t>>* weak);

}  // namespace winnow::anatomy
