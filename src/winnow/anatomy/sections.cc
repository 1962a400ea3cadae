#include "winnow/anatomy/sections.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include <utf8proc.h>

#include "winnow/anatomy/line_shape.h"
#include "winnow/text/utf8.h"

namespace winnow::anatomy {

size_t Page::PreviousContent(size_t i) const {
  while (i > 0 && is_blank(i - 1)) --i;
  return i > 0 ? i - 1 : n;
}

size_t FindSectionAfterHeader(const Page& page, const Thresholds& t) {
  for (size_t i = 0; i < page.n; ++i) {
    // A header right under the title is a comment counter ("52 comments"), not the section.
    if (!page.is_header(i) || page.words_before(i) < t.header_min_words_before) continue;
    // Not the end of a sentence broken across lines ("... declined to" / "comment.").
    if (i > 0 && !page.is_blank(i - 1) && !EndsSentence(page.text(i - 1)) &&
        !page.is_boiler(i - 1) && page.words_of(i - 1) > t.broken_sentence_min_words) {
      continue;
    }
    // Comment-like: a byline soon, or at least one line that is not boilerplate.
    const bool bylines = page.AnyOfNext(i + 1, t.header_byline_lookahead,
                                        [&](size_t k) { return page.is_byline(k); });
    const bool text_after = page.AnyOfNext(i + 1, t.header_text_lookahead, [&](size_t k) {
      return !page.is_boiler(k) && !page.is_header(k);
    });
    // A post's meta block (title, "by X on <date>", "52 comments") is not a comment section.
    bool meta_block = false;
    for (size_t k = i, seen = 0; k > 0 && seen < t.meta_block_lines; --k) {
      if (page.is_blank(k - 1)) continue;
      ++seen;
      meta_block = meta_block || page.is_byline(k - 1);
    }
    // Unless the header is a bare title ("Comments", no count, date or name in it) and
    // comments' bylines follow: then the byline before was the post's footer ("Posted by X
    // at <date>", "Email This", "Comments").
    const std::string_view h = page.text(i);
    const bool bare_title =
        std::none_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; });
    if ((!meta_block || (bare_title && bylines)) && (bylines || text_after)) return i;
  }
  return page.n;
}

// An article's own byline ("by X on June 25, 2012") opens a page too: there the first turn
// (the article) is far longer than the turns after it; in a thread it is one of them.
bool OpensWithPosts(const Page& page, const Thresholds& t) {
  const size_t n = page.n;
  size_t top = n;
  for (size_t i = 0, seen = 0; i < n && seen < t.top_byline_lines && top == n; ++i) {
    if (page.is_blank(i)) continue;
    ++seen;
    if (page.words_before(i) >= t.top_byline_max_words) break;
    if (page.is_byline(i)) top = i;
  }
  if (top == n) return false;
  std::vector<size_t> turn_words(1, 0);  // words said after each byline, before the next
  const std::string top_shape = BylineShape(page.text(top));
  size_t alike = 0, later = 0;  // of the next few bylines, how many have the top's shape
  for (size_t k = top + 1; k < n; ++k) {
    if (page.is_blank(k) || page.is_boiler(k)) continue;
    if (page.is_byline(k)) {
      if (later < t.top_shape_bylines) alike += BylineShape(page.text(k)) == top_shape;
      ++later;
      if (turn_words.back() > 0) turn_words.push_back(0);
    } else {
      turn_words.back() += page.words_of(k);
    }
  }
  if (turn_words.size() < 3) return false;
  std::vector<size_t> rest(turn_words.begin() + 1, turn_words.end());
  std::nth_element(rest.begin(), rest.begin() + static_cast<ptrdiff_t>(rest.size() / 2),
                   rest.end());
  return alike > 0 &&
         turn_words[0] <= t.first_turn_factor * rest[rest.size() / 2] + t.first_turn_slack;
}

size_t FindThreadAfterArticle(const Page& page, const Thresholds& t) {
  const size_t n = page.n;
  std::vector<int8_t>
      counter;  // HasCommentCounter per line (-1: not asked yet), made when first asked
  auto has_counter = [&](size_t k) {
    if (counter.empty()) counter.assign(n, -1);
    if (counter[k] < 0) counter[k] = HasCommentCounter(page.text(k)) ? 1 : 0;
    return counter[k] == 1;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!page.is_byline(i) || page.article_before(i) < t.thread_min_article_lines) continue;
    // A thread starts after text, not in the middle of a run of dated lines.
    const size_t prev = page.PreviousContent(i);
    if (prev < n && page.is_byline(prev)) continue;
    // A thread: bylines that each follow a comment's text (not a block of dates or times,
    // such as mail headers or a score sheet), at least one in every few lines. Judged on
    // a window of lines, so a page of thousands of dated lines stays linear.
    // A byline over two lines ("Mark says:" then "November 3, 2012 at 11:27 am", no blank line
    // between) counts once; a listing's dated items, one per paragraph, count each.
    size_t turns = 0, gap = 0, dated = 1, counters = 0, last_byline = i;
    size_t speakers = page.is_speaker(i);
    bool speaking = page.is_speaker(i);  // the current byline block names its speaker
    bool said = false;                   // the gap holds a line of at least turn_min_words words
    for (size_t k = i + 1, seen = 0; k < n && gap <= t.thread_max_gap && seen < t.thread_window;
         ++k) {
      if (page.is_blank(k)) continue;
      ++seen;
      counters += !page.is_header(k) && has_counter(k);
      if (page.is_byline(k)) {
        turns += gap > 0 && said;
        speakers += page.is_speaker(k);
        const bool new_block = gap > 0 || k != last_byline + 1;
        dated += new_block;
        speaking = (speaking && !new_block) || page.is_speaker(k);
        last_byline = k;
        gap = 0;
        said = false;
      } else {
        ++gap;
        // Under a speaker's byline any reply is a turn ("Adorable!").
        said = said || page.words_of(k) >= t.turn_min_words || speaking;
      }
    }
    // Most bylines follow a comment: a listing of dated titles ("Top Men of 2006 December
    // 13, 2006") is mostly bylines, one after another.
    if (turns < t.thread_min_turns || 2 * turns < dated) continue;
    // A blog's front page lists posts, each with its byline and a link to its own comments
    // ("Hot Fixes [ 11 Comments ]"): posts, not a thread.
    if (counters + has_counter(i) >= t.front_page_counters) continue;
    // People talking, not a listing with a date beside each item (bylines that name their
    // speakers, most of them, say so already).
    if (2 * speakers >= dated) {
      return i;
    }
    // Lines of one word (a name, "BY", "AT", "Reply") are not speech either way.
    size_t lines_seen = 0, spoken = 0;
    for (size_t k = i + 1; k < n && lines_seen < t.conversation_lines; ++k) {
      if (page.is_blank(k) || page.is_byline(k) || page.is_boiler(k) || page.words_of(k) < 2) {
        continue;
      }
      ++lines_seen;
      spoken += Conversational(page.text(k));
    }
    if (static_cast<double>(spoken) <
        t.conversational_min_share * static_cast<double>(lines_seen)) {
      continue;
    }
    // The author's name may stand on the line before a date-only byline.
    if (prev < n && !page.is_boiler(prev) && !page.is_header(prev) &&
        page.words_of(prev) <= t.author_max_words && !EndsSentence(page.text(prev)) &&
        page.text(prev).size() <= t.author_max_bytes) {
      return prev;
    }
    return i;
  }
  return n;
}

size_t FindNameThread(const Page& page, const Thresholds& t) {
  const size_t n = page.n;
  // A name starts with a letter (not a dash, a bullet or a list number) and is not a
  // sentence or a label ("Ingredients:").
  auto is_name = [&](size_t k) {
    if (page.is_blank(k) || page.is_header(k) || page.is_boiler(k) || page.is_byline(k) ||
        page.words_of(k) > t.name_max_words || page.text(k).size() > t.name_max_bytes) {
      return false;
    }
    const std::string_view s = page.text(k);
    size_t len;
    const char32_t c = text::DecodeAt(s, 0, &len);
    const utf8proc_category_t cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    const bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    return letter && !EndsSentence(s) && s.back() != ':' && s.back() != ',';
  };
  // The thread runs to the end of the page: walk back from the end over turns, each a name
  // line over at most thread_max_gap lines of text, and keep the earliest name reached.
  size_t end = n;
  while (end > 0 && (page.is_blank(end - 1) || page.is_boiler(end - 1))) --end;
  size_t start = n, names = 0, gap = 0;
  std::vector<size_t> turn_words;
  std::vector<uint8_t> opens;  // per line from `start`: a name opening a turn
  size_t words = 0;
  for (size_t k = end; k-- > 0;) {
    if (page.is_blank(k)) continue;
    if (is_name(k) && gap > 0) {
      if (page.words_before(k) < t.name_thread_min_article_words) break;
      ++names;
      start = k;
      turn_words.push_back(words);
      words = gap = 0;
      if (opens.empty()) opens.assign(end, 0);
      opens[k] = 1;
      continue;
    }
    if (page.is_header(k) || page.is_byline(k) || ++gap > t.thread_max_gap) break;
    words += page.words_of(k);
  }
  if (names < t.name_thread_min_names) return n;
  std::nth_element(turn_words.begin(),
                   turn_words.begin() + static_cast<ptrdiff_t>(turn_words.size() / 2),
                   turn_words.end());
  if (turn_words[turn_words.size() / 2] > t.name_turn_max_words) return n;
  // People answering each other: a name comes back, as a later name line (one person's
  // second comment) or as a word of a later comment ("I agree with Subversive"). An
  // article's subheads ("Briefing", "Access", "Data") do not come back so.
  std::unordered_set<std::string_view> seen;
  bool answered = false;
  for (size_t k = start; k < end && !answered; ++k) {
    if (page.is_blank(k)) continue;
    const std::string_view s = page.text(k);
    if (opens[k]) {
      const std::string_view first = s.substr(0, s.find(' '));
      answered = first.size() >= 3 && !seen.insert(first).second;
      continue;
    }
    for (size_t at = 0; at < s.size() && !answered;) {
      size_t e = at;
      while (e < s.size() && s[e] != ' ' && s[e] != ',' && s[e] != '.' && s[e] != '!' &&
             s[e] != '?' && s[e] != ':' && s[e] != ';') {
        ++e;
      }
      answered = e - at >= 3 && seen.count(s.substr(at, e - at)) > 0;
      at = e + 1;
    }
  }
  if (!answered) return n;
  // People talking in the turns.
  size_t said_lines = 0, spoken = 0;
  for (size_t k = start; k < end; ++k) {
    if (page.is_blank(k) || opens[k]) continue;
    ++said_lines;
    spoken += Conversational(page.text(k));
  }
  if (static_cast<double>(spoken) <
      t.name_conversational_min_share * static_cast<double>(said_lines)) {
    return n;
  }
  return start;
}

void LabelLines(const Page& page, size_t start, Analysis* out) {
  const size_t n = page.n;
  // It ends before a trailing footer of boilerplate.
  size_t end = n;
  if (start < n) {
    while (end > start + 1 && (page.is_blank(end - 1) || page.is_boiler(end - 1))) --end;
  }
  out->labels.assign(n, Label::kArticle);
  for (size_t i = 0; i < n; ++i) {
    if (page.is_blank(i)) continue;
    if (i >= start && i < end) {
      out->labels[i] = page.is_header(i) ? Label::kCommentsHeader : Label::kComment;
    } else {
      out->labels[i] = page.is_boiler(i) ? Label::kBoilerplate : Label::kArticle;
    }
  }
  // A blank line belongs with the line before it (the first ones with the first content).
  for (size_t i = 0; i < n; ++i) {
    if (!page.is_blank(i)) continue;
    if (i > 0) {
      out->labels[i] = out->labels[i - 1];
    } else {
      size_t k = 0;
      while (k < n && page.is_blank(k)) ++k;
      if (k < n) out->labels[i] = out->labels[k];
    }
  }
}

void DescribeComments(const Page& page, const Thresholds& t, Analysis* out) {
  std::vector<std::string_view> comments;
  std::vector<uint32_t> index;
  for (size_t i = 0; i < page.n; ++i) {
    if (page.is_blank(i) || out->labels[i] != Label::kComment) continue;
    ++out->comment_lines;
    if (page.words_of(i) <= t.question_max_words &&
        page.text(i).find('?') != std::string_view::npos) {
      ++out->question_lines;
    }
    if (page.is_byline(i)) continue;  // names and dates repeat in every thread: not templates
    comments.push_back(page.text(i));
    index.push_back(static_cast<uint32_t>(i));
  }
  if (comments.size() >= 2) ClusterTemplates(comments, index, &out->strong, &out->weak);
  for (const auto& c : out->strong) out->templated_lines += c.size();
  for (const auto& c : out->weak) out->templated_lines += c.size();
}

}  // namespace winnow::anatomy
