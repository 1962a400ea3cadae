// The structure of a page: where its comment section starts and ends, given the facts the
// line cues found on each line (anatomy.cc: Analyzer::MarkLines). Each step is one question
// about the page, with the thresholds it uses named in anatomy.h (Thresholds). Internal to
// the anatomy module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "winnow/anatomy/anatomy.h"

namespace winnow::anatomy {

// The per-line facts of one page (views of the analyzer's scratch, valid while it is).
struct Page {
  size_t n = 0;                               // lines
  const std::vector<std::string_view>* line;  // trimmed
  const std::vector<uint8_t>*blank, *header, *byline, *boiler;
  const std::vector<uint32_t>* words;
  // Lines of article (not blank, boilerplate or a header) before each line, and their
  // words: prefix sums, so the scans stay linear on pages of many thousand lines.
  const std::vector<uint32_t>*article_prefix, *words_prefix;

  bool is_blank(size_t i) const { return (*blank)[i] != 0; }
  bool is_header(size_t i) const { return (*header)[i] != 0; }
  bool is_byline(size_t i) const { return (*byline)[i] != 0; }
  // A byline naming its speaker ("Mark says:", "X said..."): only comments have them.
  bool is_speaker(size_t i) const { return (*byline)[i] == 2; }
  bool is_boiler(size_t i) const { return (*boiler)[i] != 0; }
  std::string_view text(size_t i) const { return (*line)[i]; }
  uint32_t words_of(size_t i) const { return (*words)[i]; }
  uint32_t article_before(size_t i) const { return (*article_prefix)[i]; }
  uint32_t words_before(size_t i) const { return (*words_prefix)[i]; }
  // The content line before `i` (skipping blank lines), or n when there is none.
  size_t PreviousContent(size_t i) const;
  // Whether any of the next `count` content lines from `from` satisfies `pred`.
  template <typename Pred>
  bool AnyOfNext(size_t from, size_t count, Pred pred) const {
    for (size_t i = from; i < n && count > 0; ++i) {
      if (is_blank(i)) continue;
      if (pred(i)) return true;
      --count;
    }
    return false;
  }
};

// The first comment header with comments after it, or n.
size_t FindSectionAfterHeader(const Page& page, const Thresholds& t);

// Whether the page opens with a post's byline and goes on as a thread of posts of its shape
// (a forum or Q&A page, a blog's dated posts): its posts are content.
bool OpensWithPosts(const Page& page, const Thresholds& t);

// The start of a thread of comments after the article (bylines people talk under), or n.
size_t FindThreadAfterArticle(const Page& page, const Thresholds& t);

// The start of a thread of names without dates ending the page ("Al", a comment,
// "Subversive", a comment, ...), or n.
size_t FindNameThread(const Page& page, const Thresholds& t);

// Labels every line given the comment section [start, end of the page but a trailing
// footer): comments and their header inside, boilerplate and article outside; a blank line
// goes with the line before it.
void LabelLines(const Page& page, size_t start, Analysis* out);

// Counts the comment lines and the questions among them, and clusters their templates.
void DescribeComments(const Page& page, const Thresholds& t, Analysis* out);

}  // namespace winnow::anatomy
