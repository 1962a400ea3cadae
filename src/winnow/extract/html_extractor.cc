#include "winnow/extract/html_extractor.h"

#include <algorithm>
#include <vector>

#include "winnow/extract/page_tree.h"

namespace winnow::extract {
namespace {

// Headings of comment boxes that page anatomy's thread cues do not cover (they head lists of
// readers' comments rather than a thread under the article).
bool CommentWidgetHeading(std::string_view heading) {
  std::string h;
  for (char c : heading) {
    if (c == ':' || c == '.') continue;
    h.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
  while (!h.empty() && h.back() == ' ') h.pop_back();
  while (!h.empty() && h.front() == ' ') h.erase(0, 1);
  static constexpr std::string_view kHeadings[] = {
      "latest comments", "recent comments",   "most recent comments",
      "reader comments", "readers' comments", "readers comments",
      "user comments",   "your comments",     "have your say",
      "your say",        "talkback",          "comments"};
  for (std::string_view k : kHeadings) {
    if (h == k) return true;
  }
  return false;
}

// Writes the text of subtrees, block by block.
class Writer {
 public:
  Writer(const Tree& t, bool comments_mode) : t_(t), comments_mode_(comments_mode) {}

  void Subtree(uint32_t root) {
    // Iterative walk: (node, entering).
    std::vector<std::pair<uint32_t, bool>> stack{{root, true}};
    while (!stack.empty()) {
      auto [id, entering] = stack.back();
      stack.pop_back();
      const Node& n = t_.nodes[id];
      if (!entering) {
        Leave(n);
        continue;
      }
      if (n.tag == kText) {
        std::string_view s(t_.text.data() + n.text_begin, n.text_size);
        if (pre_ > 0) {
          line_.append(s);
        } else {
          AppendCollapsed(s, &line_);
        }
        if (link_ > 0) link_chars_ += NonSpaceCount(s);
        continue;
      }
      // The main text skips whatever was set aside; a comment section, which may sit in a
      // set-aside sidebar, skips only what was set aside inside it (its reply form).
      if (id != root && (comments_mode_ ? n.removed_self : n.removed)) continue;
      if (!comments_mode_ && n.comment && id != root) continue;
      Enter(n);
      stack.push_back({id, false});
      // Children in order: push in reverse.
      size_t mark = stack.size();
      for (uint32_t c = n.first_child; c != kNone; c = t_.nodes[c].next) stack.push_back({c, true});
      std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
    }
    Flush();
  }

  std::string Take() {
    Flush();
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return std::move(out_);
  }

 private:
  static uint32_t NonSpaceCount(std::string_view s) {
    uint32_t commas = 0;
    return NonSpace(s, &commas);
  }

  void Enter(const Node& n) {
    if (n.tag == kBr) {
      Flush();
      return;
    }
    if (IsBlock(n.tag)) Flush();
    if (n.tag == kCell && !line_.empty() && line_.back() != ' ') line_.push_back(' ');
    if (n.tag == kPre) ++pre_;
    if (n.tag == kA) ++link_;
    if (n.tag == kTime) has_time_ = true;
  }
  void Leave(const Node& n) {
    if (n.tag == kPre) --pre_;
    if (n.tag == kA) --link_;
    if (IsBlock(n.tag)) Flush();
    if (n.tag == kCell) line_.push_back(' ');
  }

  void Flush() {
    if (pre_ > 0 && !line_.empty()) {
      // Pre-formatted: keep its lines, trim only the ends.
      size_t b = line_.find_first_not_of("\n\r");
      size_t e = line_.find_last_not_of(" \n\r\t");
      if (b != std::string::npos && e != std::string::npos && e >= b) {
        out_.append(line_, b, e - b + 1);
        out_.push_back('\n');
      }
      line_.clear();
      link_chars_ = 0;
      return;
    }
    size_t b = line_.find_first_not_of(' ');
    if (b == std::string::npos) {
      line_.clear();
      link_chars_ = 0;
      return;
    }
    size_t e = line_.find_last_not_of(' ');
    std::string_view l(line_.data() + b, e - b + 1);
    uint32_t chars = NonSpaceCount(l);
    // A line that is mostly link text is navigation (a menu, a tag list, "Reply"); a short
    // one around a <time> is a dateline.
    bool linky = chars > 0 && link_chars_ * 10 > chars * 6;
    bool dateline = has_time_ && chars < 100;
    has_time_ = false;
    if (!linky && !dateline) {
      out_.append(l);
      out_.push_back('\n');
    }
    line_.clear();
    link_chars_ = 0;
  }

  const Tree& t_;
  bool comments_mode_;
  std::string out_, line_;
  int pre_ = 0, link_ = 0;
  uint32_t link_chars_ = 0;
  bool has_time_ = false;
};

// Link text's share of a subtree's text.
float LinkDensity(const Node& x) {
  return x.text_len == 0 ? 0.0f : static_cast<float>(x.link_len) / static_cast<float>(x.text_len);
}

// Bottom-up: visible text and link text per subtree; text not inside a block child. Returns
// the page's visible text.
uint32_t MeasureText(Tree& t) {
  std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());
  for (uint32_t i = n; i-- > 1;) {
    Node& x = nodes[i];
    if (x.tag == kText) {
      x.text_len =
          NonSpace(std::string_view(t.text.data() + x.text_begin, x.text_size), &x.inline_commas);
      x.inline_len = x.text_len;
    }
    if (x.tag == kA) x.link_len = x.text_len;
    Node& p = nodes[x.parent];
    p.text_len += x.text_len;
    p.link_len += x.link_len;
    if (!IsBlock(x.tag)) {
      p.inline_len += x.inline_len;
      p.inline_commas += x.inline_commas;
    }
  }
  return nodes[0].text_len;
}

// Per subtree: 1 when it holds an article, main or articleBody element; 2 (or 3) when it
// holds a block of prose whose class words say content ("post-body entry-content": at least
// kPositiveProse bytes of text, mostly not links). A weak negative word on a wrapper
// ("date-outer" around a blog's post) does not set such a subtree aside.
constexpr uint32_t kPositiveProse = 500;
std::vector<uint8_t> HoldsArticle(const std::vector<Node>& nodes) {
  const auto n = static_cast<uint32_t>(nodes.size());
  std::vector<uint8_t> holds(n, 0);
  for (uint32_t i = n; i-- > 1;) {
    const Node& x = nodes[i];
    if (x.tag == kArticle || x.tag == kMain || (x.hints & kHintArticleBody)) holds[i] |= 1;
    if (x.tag != kText && (x.hints & kHintPositive) &&
        !(x.hints & (kHintStrongNegative | kHintWeakNegative | kHintComment)) &&
        x.text_len >= kPositiveProse && LinkDensity(x) < 0.3f) {
      holds[i] |= 2;
    }
    holds[x.parent] |= holds[i];
  }
  return holds;
}

// Top-down: boilerplate and comment subtrees set aside. A subtree holding most of the page's
// text is never set aside (a wrapper whose class happens to say "sidebar-right").
void SetAside(std::vector<Node>& nodes, const std::vector<uint8_t>& holds_article, uint32_t total) {
  const auto n = static_cast<uint32_t>(nodes.size());
  std::vector<uint8_t> article_depth(n, 0);
  for (uint32_t i = 1; i < n; ++i) {
    Node& x = nodes[i];
    const Node& p = nodes[x.parent];
    article_depth[i] = static_cast<uint8_t>(
        article_depth[x.parent] |
        ((x.tag == kArticle || x.tag == kMain || (x.hints & kHintArticleBody)) ? 1 : 0));
    if (x.tag == kText) {
      x.removed = p.removed;
      x.comment = p.comment;
      continue;
    }
    x.removed = p.removed;
    x.comment = p.comment;
    if (x.removed) {
      // A comment box inside a set-aside region (a sidebar's "Latest comments") is still a
      // comment section.
      if ((x.hints & kHintComment) && !(x.hints & kHintStrongNegative) && !p.comment) {
        x.comment = true;
      }
      continue;
    }
    // Never set aside: the document's skeleton, a subtree holding the article, or one with
    // a third of the page's text (a wrapper whose class says "sidebar-first-only").
    const bool big = total > 0 && x.text_len * 3 > total;
    const bool structural = x.tag == kBody || x.tag == kMain || x.tag == kArticle;
    if (!structural && !(holds_article[i] & 1)) {
      bool by_tag = x.tag == kNav || x.tag == kAside || x.tag == kFooter || x.tag == kFigcaption ||
                    (x.tag == kFigure && x.text_len < 300) ||
                    (x.tag == kHeader && !article_depth[x.parent]);
      const bool positive = (x.hints & kHintPositive) != 0;
      bool strong = (x.hints & kHintStrongNegative) && !positive;
      bool weak = (x.hints & kHintWeakNegative) && !positive && !(holds_article[i] & 2);
      if (x.hints & kHintComment) {
        if (x.hints & kHintStrongNegative) {
          if (!big) x.removed = x.removed_self = true;  // the comment form, not the comments
        } else if (total == 0 || x.text_len * 10 < total * 6) {
          x.comment = true;  // unless the thread is the page (a forum)
        }
      } else if ((by_tag || strong || weak) && !big) {
        x.removed = x.removed_self = true;
      }
    }
  }
}

// The headline (an h1 the <title> repeats) goes to the title, not the text.
void DropHeadline(Tree& t) {
  std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());
  std::string title, h1;
  AppendCollapsed(t.title, &title);
  for (uint32_t i = 1; i < n && !title.empty(); ++i) {
    if (nodes[i].tag != kH1 || nodes[i].removed || nodes[i].text_len == 0) continue;
    h1.clear();
    for (uint32_t j = i + 1; j < n; ++j) {  // descendants follow their ancestor
      uint32_t a = nodes[j].parent;
      while (a != kNone && a > i) a = nodes[a].parent;
      if (a != i) break;
      if (nodes[j].tag == kText) {
        AppendCollapsed(std::string_view(t.text.data() + nodes[j].text_begin, nodes[j].text_size),
                        &h1);
      }
    }
    while (!h1.empty() && h1.back() == ' ') h1.pop_back();
    size_t b = h1.find_first_not_of(' ');
    if (b != std::string::npos && title.find(h1.substr(b)) != std::string::npos) {
      nodes[i].removed = true;
    }
  }
}

// Paragraph-like text scores, flowing to its container and the levels above it; the best
// container.
struct Scores {
  std::vector<uint8_t> candidate;  // per node: it received a score
  uint32_t best = kNone;
  float best_score = 0;
};

Scores Score(std::vector<Node>& nodes) {
  const auto n = static_cast<uint32_t>(nodes.size());
  Scores scores;
  std::vector<uint8_t>& candidate = scores.candidate;
  candidate.assign(n, 0);
  for (uint32_t i = 1; i < n; ++i) {
    Node& x = nodes[i];
    if (x.tag == kText || x.removed || x.comment) continue;
    if (x.inline_len < 25 || x.tag == kA) continue;
    if (!IsBlock(x.tag) && x.tag != kCell && x.tag != kSpan && x.tag != kOther) continue;
    float s = 1.0f + static_cast<float>(x.inline_commas) +
              std::min(3.0f, static_cast<float>(x.inline_len) / 100.0f);
    s *= 1.0f - std::min(1.0f, static_cast<float>(x.link_len) /
                                   static_cast<float>(std::max<uint32_t>(1, x.text_len)));
    // Container tags hold their own text too.
    uint32_t up = (x.tag == kP || x.tag == kLi || x.tag == kSpan || x.tag == kOther ||
                   x.tag == kHeading || x.tag == kH1 || x.tag == kDt || x.tag == kDd)
                      ? x.parent
                      : i;
    // Five levels up, as readability.js: full to the container, half to its parent, then
    // a third of that per level (sites nest each paragraph in wrappers of its own).
    static constexpr float kShare[] = {1.0f, 0.5f, 1.0f / 6, 1.0f / 9, 1.0f / 12};
    for (int level = 0; level < 5 && up != kNone && up != 0; ++level) {
      nodes[up].score += s * kShare[level];
      candidate[up] = 1;
      up = nodes[up].parent;
    }
  }
  for (uint32_t i = 1; i < n; ++i) {
    Node& x = nodes[i];
    if (!candidate[i] || x.removed || x.comment) continue;
    float init = 0;
    switch (x.tag) {
      case kDiv:
        init = 5;
        break;
      case kArticle:
      case kMain:
        init = 10;
        break;
      case kPre:
      case kCell:
      case kBlockquote:
        init = 3;
        break;
      case kList:
      case kLi:
      case kForm:
      case kDl:
      case kDd:
      case kDt:
      case kAddress:
        init = -3;
        break;
      case kHeading:
      case kH1:
        init = -5;
        break;
      default:
        break;
    }
    // Class words count in proportion to the text they label: a "post-content" div with one
    // line in it must not outscore a table of paragraphs.
    const float weight = std::min(1.0f, static_cast<float>(x.text_len) / 1000.0f);
    if (x.hints & kHintPositive) init += 25 * weight;
    if (x.hints & kHintArticleBody) init += 50;
    if (x.hints & kHintWeakNegative) init -= 25 * weight;
    x.score = (x.score + init) * (1.0f - LinkDensity(x));
    if (x.score > scores.best_score) {
      scores.best_score = x.score;
      scores.best = i;
    }
  }
  return scores;
}

// The main content: the best container (or the ancestor its runners-up share) and its
// siblings that score alike.
std::string WriteMainText(const Tree& t, const Scores& scores) {
  const std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());
  Writer main_writer(t, /*comments_mode=*/false);
  const std::vector<uint8_t>& candidate = scores.candidate;
  uint32_t best = scores.best;
  const float best_score = scores.best_score;
  if (best != kNone) {
    // Content split over several containers (forum posts, article sections): when three of
    // the runners-up score within 75% of the best, the best becomes their common ancestor
    // that holds at least three of them (readability.js does the same).
    std::vector<uint32_t> top;
    for (uint32_t i = 1; i < n; ++i) {
      if (i != best && candidate[i] && !nodes[i].removed && !nodes[i].comment &&
          nodes[i].score >= 0.75f * best_score) {
        top.push_back(i);
      }
    }
    std::sort(top.begin(), top.end(),
              [&](uint32_t a, uint32_t b) { return nodes[a].score > nodes[b].score; });
    if (top.size() > 8) top.resize(8);
    auto inside = [&](uint32_t node, uint32_t ancestor) {
      for (uint32_t a = node; a != kNone; a = nodes[a].parent) {
        if (a == ancestor) return true;
      }
      return false;
    };
    if (top.size() >= 3) {
      for (uint32_t a = nodes[best].parent; a != kNone && a != 0 && nodes[a].tag != kBody;
           a = nodes[a].parent) {
        if (nodes[a].removed || nodes[a].comment) break;
        int held = 0;
        for (uint32_t c : top) held += inside(c, a) ? 1 : 0;
        if (held >= 3) {
          best = a;
          break;
        }
      }
    }
    // Climb while the parent is little more than this container (its text is mostly here).
    while (nodes[best].parent != kNone && nodes[best].parent != 0) {
      const Node& p = nodes[nodes[best].parent];
      if (p.removed || p.comment || p.tag == kBody) break;
      if (p.text_len == 0 || nodes[best].text_len * 10 < p.text_len * 8) break;
      best = nodes[best].parent;
    }
    const float threshold = std::max(10.0f, nodes[best].score * 0.2f);
    uint32_t parent = nodes[best].parent;
    for (uint32_t s = parent == kNone ? best : nodes[parent].first_child; s != kNone;
         s = nodes[s].next) {
      const Node& x = nodes[s];
      bool take = s == best;
      if (!take && !x.removed && !x.comment && x.tag != kText) {
        float ld = LinkDensity(x);
        if (candidate[s] && x.score >= threshold) take = true;
        if (x.tag == kP && x.text_len > 80 && ld < 0.25f) take = true;
        if (x.tag == kP && x.text_len > 0 && x.text_len <= 80 && ld == 0.0f) take = true;
      }
      if (take) main_writer.Subtree(s);
      if (parent == kNone) break;
    }
  }
  return main_writer.Take();
}

// Comments: the outermost comment sections with some text.
std::string WriteComments(const Tree& t) {
  const std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());
  Writer comment_writer(t, /*comments_mode=*/true);
  for (uint32_t i = 1; i < n; ++i) {
    const Node& x = nodes[i];
    if (x.tag == kText || !x.comment || x.removed_self) continue;
    if (nodes[x.parent].comment) continue;
    if (x.text_len < 10) continue;
    comment_writer.Subtree(i);
  }
  return comment_writer.Take();
}

// <title> with its white space collapsed and trimmed.
std::string CleanTitle(std::string_view raw) {
  std::string title;
  AppendCollapsed(raw, &title);
  while (!title.empty() && title.back() == ' ') title.pop_back();
  if (!title.empty() && title.front() == ' ') title.erase(0, 1);
  return title;
}

}  // namespace

ExtractScratch::ExtractScratch() : tree_(std::make_unique<Tree>()) {}
ExtractScratch::~ExtractScratch() = default;

HtmlExtractor::HtmlExtractor(ExtractOptions options)
    : options_(options), cues_(std::move(anatomy::Analyzer::Create()).value()) {}

// A section whose heading is a comment header ("3 Comments", "Your say") is a comment
// section.
void HtmlExtractor::MarkCommentHeadings(ExtractScratch& scratch,
                                        const std::vector<uint8_t>& holds_article,
                                        uint32_t total) const {
  Tree& t = *scratch.tree_;
  std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());
  std::string heading;
  for (uint32_t i = 1; i < n; ++i) {
    const Node& h = nodes[i];
    if ((h.tag != kHeading && h.tag != kH1) || h.text_len == 0 || h.text_len > 40) continue;
    heading.clear();
    for (uint32_t c = h.first_child; c != kNone; c = nodes[c].next) {
      if (nodes[c].tag == kText) {
        AppendCollapsed(std::string_view(t.text.data() + nodes[c].text_begin, nodes[c].text_size),
                        &heading);
      } else {
        for (uint32_t g = nodes[c].first_child; g != kNone; g = nodes[g].next) {
          if (nodes[g].tag == kText) {
            AppendCollapsed(
                std::string_view(t.text.data() + nodes[g].text_begin, nodes[g].text_size),
                &heading);
          }
        }
      }
    }
    if (!cues_->IsCommentHeader(heading, scratch.anatomy_) && !CommentWidgetHeading(heading)) {
      continue;
    }
    Node& section = nodes[h.parent];
    if (h.parent != 0 && section.tag != kBody && !(holds_article[h.parent] & 1) &&
        (total == 0 || section.text_len * 10 < total * 6)) {
      section.hints |= kHintComment;
    } else if (h.parent != 0) {
      // The heading shares its parent with the article (a blog post's comments written
      // straight after it, "<h2>Comments</h2><p>...</p><p class=posted>..."): the heading and
      // its following siblings are the comments.
      for (uint32_t c = i; c != kNone; c = nodes[c].next) {
        if (nodes[c].tag != kText) nodes[c].hints |= kHintComment;
      }
    }
  }
}

Status HtmlExtractor::Extract(std::string_view html, ExtractScratch& scratch,
                              Extracted* out) const {
  *out = Extracted{};
  if (html.size() > options_.max_bytes) {
    return Status::InvalidArgument("too_large: page of " + std::to_string(html.size()) +
                                   " bytes, over max_bytes");
  }
  Tree& t = *scratch.tree_;
  ParsePage(html, options_.max_nodes, &t);
  if (t.too_many) {
    return Status::InvalidArgument("too_many_nodes: over " + std::to_string(options_.max_nodes) +
                                   " elements and text runs");
  }
  if (html.empty()) return Status::OK();
  const uint32_t total = MeasureText(t);
  const std::vector<uint8_t> holds_article = HoldsArticle(t.nodes);
  if (options_.comments) MarkCommentHeadings(scratch, holds_article, total);
  SetAside(t.nodes, holds_article, total);
  DropHeadline(t);
  out->text = WriteMainText(t, Score(t.nodes));
  if (options_.comments) out->comments = WriteComments(t);
  out->title = CleanTitle(t.title);
  out->author = t.author;
  out->published = t.published;
  return Status::OK();
}

}  // namespace winnow::extract
