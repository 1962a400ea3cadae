#include "winnow/extract/html_extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <cstring>
#include <vector>

namespace winnow::extract {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

enum Tag : uint8_t {
  kOther, kText, kRoot, kA, kP, kDiv, kSpan, kHeading, kLi, kList, kTable, kTr, kCell, kPre,
  kBlockquote, kBr, kArticle, kMain, kSection, kNav, kAside, kFooter, kHeader, kForm, kBody,
  kDl, kDt, kDd, kFigure, kFigcaption, kHr, kAddress, kInline, kTitle, kHead, kSkip, kBlock,
  kH1, kTime,
};

// Tag of an element name (libxml2 lowercases HTML names).
Tag TagOf(std::string_view n) {
  switch (n.size()) {
    case 1:
      if (n == "a") return kA;
      if (n == "p") return kP;
      if (n == "b" || n == "i" || n == "u" || n == "s" || n == "q") return kInline;
      return kOther;
    case 2:
      if (n == "li") return kLi;
      if (n == "ul" || n == "ol") return kList;
      if (n == "tr") return kTr;
      if (n == "td" || n == "th") return kCell;
      if (n == "br") return kBr;
      if (n == "h1") return kH1;
      if (n[0] == 'h' && n[1] >= '2' && n[1] <= '6') return kHeading;
      if (n == "dl") return kDl;
      if (n == "dt") return kDt;
      if (n == "dd") return kDd;
      if (n == "hr") return kHr;
      if (n == "em") return kInline;
      return kOther;
    case 3:
      if (n == "div") return kDiv;
      if (n == "pre") return kPre;
      if (n == "nav") return kNav;
      if (n == "svg") return kSkip;
      if (n == "img") return kOther;
      if (n == "sup" || n == "sub" || n == "del" || n == "ins" || n == "abbr" || n == "dfn" ||
          n == "kbd" || n == "var") {
        return kInline;
      }
      return kOther;
    case 4:
      if (n == "span") return kSpan;
      if (n == "main") return kMain;
      if (n == "form") return kForm;
      if (n == "body") return kBody;
      if (n == "head") return kHead;
      if (n == "time") return kTime;
      if (n == "code" || n == "font" || n == "mark" || n == "cite" ||
          n == "samp" || n == "abbr" || n == "small" || n == "big") {
        return kInline;
      }
      if (n == "math") return kSkip;
      return kOther;
    case 5:
      if (n == "table") return kTable;
      if (n == "aside") return kAside;
      if (n == "title") return kTitle;
      if (n == "style" || n == "input" || n == "embed" || n == "video" || n == "audio") return kSkip;
      if (n == "small") return kInline;
      if (n == "tbody" || n == "thead" || n == "tfoot") return kOther;
      if (n == "label") return kInline;
      return kOther;
    case 6:
      if (n == "footer") return kFooter;
      if (n == "header") return kHeader;
      if (n == "figure") return kFigure;
      if (n == "script" || n == "select" || n == "button" || n == "iframe" || n == "object" ||
          n == "canvas") {
        return kSkip;
      }
      if (n == "strong") return kInline;
      if (n == "center") return kBlock;
      return kOther;
    case 7:
      if (n == "article") return kArticle;
      if (n == "section") return kSection;
      if (n == "address") return kAddress;
      if (n == "caption" || n == "details" || n == "summary") return kBlock;
      if (n == "option") return kSkip;
      return kOther;
    case 8:
      // <noscript> stays: crawlers get the content there on some sites (Discourse).
      if (n == "template" || n == "textarea" || n == "datalist") return kSkip;
      if (n == "optgroup" || n == "frameset") return kSkip;
      return kOther;
    case 10:
      if (n == "blockquote") return kBlockquote;
      if (n == "figcaption") return kFigcaption;
      return kOther;
    default:
      return kOther;
  }
}

bool IsBlock(Tag t) {
  switch (t) {
    case kP: case kDiv: case kHeading: case kH1: case kLi: case kList: case kTable: case kTr:
    case kPre: case kBlockquote: case kArticle: case kMain: case kSection: case kNav:
    case kAside: case kFooter: case kHeader: case kForm: case kBody: case kDl: case kDt:
    case kDd: case kFigure: case kFigcaption: case kHr: case kAddress: case kBlock: case kRoot:
      return true;
    default:
      return false;
  }
}

// Words in class, id and role values.
enum Hint : uint8_t {
  kHintPositive = 1,
  kHintWeakNegative = 2,
  kHintStrongNegative = 4,
  kHintComment = 8,
  kHintArticleBody = 16,
};

std::unordered_map<std::string_view, uint8_t> BuildHintTable() {
  static constexpr std::string_view kPositive[] = {
      "article", "articlebody", "content", "main", "post", "entry", "story", "body", "text",
      "blog", "prose", "hentry", "maincontent", "postcontent", "entrycontent", "storycontent",
      "articlecontent", "newsarticle", "single"};
  static constexpr std::string_view kStrong[] = {
      "nav", "navbar", "navigation", "menu", "menus", "footer", "sidebar", "widget", "widgets",
      "share", "sharing", "social", "socials", "cookie", "cookies", "consent", "gdpr",
      "newsletter", "subscribe", "subscription", "signup", "related", "recommended",
      "breadcrumb", "breadcrumbs", "pagination", "pager", "advert", "advertisement", "ads",
      "sponsor", "sponsored", "popup", "modal", "outbrain", "taboola", "toolbar", "login",
      "respond", "commentform", "skiplink", "shoutbox", "sitemap", "copyright", "dropdown",
      "offcanvas", "trending", "popular", "promoted"};
  static constexpr std::string_view kWeak[] = {
      "header", "masthead", "ad", "banner", "promo", "tags", "tagcloud", "meta", "print", "skip",
      "hidden", "byline", "author", "date", "caption", "credit", "disclaimer", "contact",
      "hide", "aside", "more", "links", "teaser", "rating", "timestamp", "dateline",
      "textresizer", "reprints", "figcaption", "photo", "image", "img", "gallery", "video",
      "subscribe", "readmore", "next", "prev", "previous"};
  static constexpr std::string_view kComment[] = {"comment", "comments", "commentlist",
                                                  "disqus", "discussion", "replies",
                                                  "commentlist", "commentary", "thread"};
  std::unordered_map<std::string_view, uint8_t> table;
  for (std::string_view p : kStrong) table[p] |= kHintStrongNegative;
  for (std::string_view p : kWeak) table[p] |= kHintWeakNegative;
  for (std::string_view p : kComment) table[p] |= kHintComment;
  for (std::string_view p : kPositive) table[p] |= kHintPositive;
  table["articlebody"] |= kHintArticleBody;
  return table;
}

uint8_t HintOfWord(std::string_view w) {
  static const std::unordered_map<std::string_view, uint8_t> table = BuildHintTable();
  auto it = table.find(w);
  return it == table.end() ? 0 : it->second;
}

// Hints of a class/id/role value: split into words at anything not a letter or digit and at
// camelCase humps ("site-footer" -> site, footer; "articleComments" -> article, comments), and
// also the whole value squeezed ("entry-content" -> entrycontent).
uint8_t HintsOf(std::string_view value, std::string& word, std::string& squeezed) {
  uint8_t h = 0;
  word.clear();
  squeezed.clear();
  auto flush = [&] {
    if (!word.empty() && word.size() <= 24) h |= HintOfWord(word);
    word.clear();
  };
  char prev = 0;
  for (char c : value) {
    const bool upper = c >= 'A' && c <= 'Z';
    char l = static_cast<char>(upper ? c + 32 : c);
    bool alnum = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (upper && prev >= 'a' && prev <= 'z') flush();  // camelCase: articleComments
    prev = c;
    if (alnum) {
      word.push_back(l);
      squeezed.push_back(l);
    } else {
      flush();
      if (c == ' ' || c == '\t' || c == '\n') {
        if (!squeezed.empty() && squeezed.size() <= 24) h |= HintOfWord(squeezed);
        squeezed.clear();
      }
    }
  }
  flush();
  if (!squeezed.empty() && squeezed.size() <= 24) h |= HintOfWord(squeezed);
  return h;
}

struct Node {
  uint32_t parent = kNone, first_child = kNone, last_child = kNone, next = kNone;
  uint32_t text_begin = 0, text_size = 0;  // text nodes: a range of Tree::text
  Tag tag = kOther;
  uint8_t hints = 0;
  bool removed = false, comment = false;
  bool removed_self = false;  // set aside by its own tag or words (not by an ancestor's)
  // Bottom-up statistics (visible text only).
  uint32_t text_len = 0, link_len = 0;  // non-space bytes; of which inside links
  uint32_t inline_len = 0, inline_commas = 0;  // not inside a block descendant
  float score = 0;
};

}  // namespace

struct ExtractScratch::Tree {
  std::vector<Node> nodes;
  std::string text;
  std::vector<uint32_t> open;  // stack of open element nodes
  uint32_t skip_depth = 0;     // > 0 inside script, style, hidden...
  uint32_t overflow = 0;       // elements past the node limit or depth, still open
  bool in_title = false;
  std::string title, author, published;
  std::string word, squeezed;
  size_t max_nodes = 0;
  bool too_many = false;

  void Reset(size_t limit) {
    nodes.clear();
    text.clear();
    open.clear();
    skip_depth = overflow = 0;
    in_title = too_many = false;
    title.clear();
    author.clear();
    published.clear();
    max_nodes = limit;
    nodes.push_back(Node{});
    nodes[0].tag = kRoot;
    open.push_back(0);
  }

  uint32_t Add(Tag tag, uint32_t parent) {
    auto id = static_cast<uint32_t>(nodes.size());
    Node n;
    n.tag = tag;
    n.parent = parent;
    nodes.push_back(n);
    Node& p = nodes[parent];
    if (p.last_child == kNone) {
      p.first_child = id;
    } else {
      nodes[p.last_child].next = id;
    }
    p.last_child = id;
    return id;
  }
};

namespace {

using Tree = ExtractScratch::Tree;

bool HiddenByAttributes(const xmlChar** attrs) {
  if (attrs == nullptr) return false;
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    const char* name = reinterpret_cast<const char*>(attrs[i]);
    const char* value = attrs[i + 1] ? reinterpret_cast<const char*>(attrs[i + 1]) : "";
    if (std::strcmp(name, "hidden") == 0) return true;
    if (std::strcmp(name, "style") == 0) {
      std::string v(value);
      v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
      for (char& c : v) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      if (v.find("display:none") != std::string::npos ||
          v.find("visibility:hidden") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

void OnStart(void* ctx, const xmlChar* name, const xmlChar** attrs) {
  auto* t = static_cast<Tree*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
  if (t->skip_depth > 0) {
    ++t->skip_depth;
    return;
  }
  std::string_view n(reinterpret_cast<const char*>(name));
  if (n == "meta" && attrs != nullptr) {
    std::string_view key, content;
    for (size_t i = 0; attrs[i] != nullptr; i += 2) {
      if (attrs[i + 1] == nullptr) continue;
      std::string_view a(reinterpret_cast<const char*>(attrs[i]));
      std::string_view v(reinterpret_cast<const char*>(attrs[i + 1]));
      if (a == "name" || a == "property" || a == "itemprop") key = v;
      if (a == "content") content = v.substr(0, 256);
    }
    if ((key == "author" || key == "article:author") && t->author.empty()) {
      t->author.assign(content);
    } else if ((key == "article:published_time" || key == "date" || key == "datePublished" ||
                key == "pubdate") &&
               t->published.empty()) {
      t->published.assign(content);
    }
  }
  Tag tag = TagOf(n);
  if (tag == kSkip || HiddenByAttributes(attrs)) {
    t->skip_depth = 1;
    return;
  }
  if (tag == kTitle) t->in_title = t->title.empty();
  if (t->overflow > 0 || t->nodes.size() >= t->max_nodes || t->open.size() >= 1024) {
    if (t->nodes.size() >= t->max_nodes) t->too_many = true;
    ++t->overflow;
    return;
  }
  uint8_t hints = 0;
  if (attrs != nullptr) {
    for (size_t i = 0; attrs[i] != nullptr; i += 2) {
      const char* a = reinterpret_cast<const char*>(attrs[i]);
      if (attrs[i + 1] == nullptr) continue;
      std::string_view v(reinterpret_cast<const char*>(attrs[i + 1]));
      if (std::strcmp(a, "class") == 0 || std::strcmp(a, "id") == 0) {
        hints |= HintsOf(v, t->word, t->squeezed);
      } else if (std::strcmp(a, "role") == 0) {
        if (v == "navigation" || v == "complementary" || v == "contentinfo" || v == "banner" ||
            v == "menu" || v == "menubar" || v == "dialog" || v == "search") {
          hints |= kHintStrongNegative;
        } else if (v == "main" || v == "article") {
          hints |= kHintPositive;
        }
      } else if (std::strcmp(a, "itemprop") == 0) {
        if (v == "articleBody" || v == "text" || v == "reviewBody") {
          hints |= kHintArticleBody | kHintPositive;
        } else if (v == "comment") {
          hints |= kHintComment;
        }
      }
    }
  }
  uint32_t id = t->Add(tag, t->open.back());
  t->nodes[id].hints = hints;
  t->open.push_back(id);
}

void OnEnd(void* ctx, const xmlChar*) {
  auto* t = static_cast<Tree*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
  if (t->skip_depth > 0) {
    --t->skip_depth;
    return;
  }
  if (t->overflow > 0) {
    --t->overflow;
    return;
  }
  if (t->open.size() > 1) {
    if (t->nodes[t->open.back()].tag == kTitle) t->in_title = false;
    t->open.pop_back();
  }
}

void OnText(void* ctx, const xmlChar* ch, int len) {
  auto* t = static_cast<Tree*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
  if (t->skip_depth > 0 || len <= 0) return;
  std::string_view s(reinterpret_cast<const char*>(ch), static_cast<size_t>(len));
  uint32_t parent = t->open.back();
  if (t->in_title && t->nodes[parent].tag == kTitle) {
    if (t->title.size() < 4096) t->title.append(s);
    return;
  }
  Node& p = t->nodes[parent];
  if (p.last_child != kNone && t->nodes[p.last_child].tag == kText &&
      t->nodes[p.last_child].text_begin + t->nodes[p.last_child].text_size == t->text.size()) {
    t->text.append(s);
    t->nodes[p.last_child].text_size += static_cast<uint32_t>(len);
    return;
  }
  if (t->nodes.size() >= t->max_nodes) {
    t->too_many = true;
    return;
  }
  uint32_t id = t->Add(kText, parent);
  t->nodes[id].text_begin = static_cast<uint32_t>(t->text.size());
  t->nodes[id].text_size = static_cast<uint32_t>(len);
  t->text.append(s);
}

void OnCdata(void*, const xmlChar*, int) {}  // script and style bodies

uint32_t NonSpace(std::string_view s, uint32_t* commas) {
  uint32_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') continue;
    if (c == ',') ++*commas;
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) == 0x8C) {
      ++*commas;  // U+FF0C fullwidth comma
    }
    if ((c & 0xC0) != 0x80) ++n;  // count characters, not bytes
  }
  return n;
}

// Appends `s` with runs of whitespace collapsed to one space.
void AppendCollapsed(std::string_view s, std::string* line) {
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      if (!line->empty() && line->back() != ' ') line->push_back(' ');
    } else {
      line->push_back(c);
    }
  }
}

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
      "latest comments", "recent comments", "most recent comments", "reader comments",
      "readers' comments", "readers comments", "user comments", "your comments",
      "have your say", "your say", "talkback", "comments"};
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

struct InitParser {
  InitParser() { xmlInitParser(); }
};

}  // namespace

ExtractScratch::ExtractScratch() : tree_(std::make_unique<Tree>()) {}
ExtractScratch::~ExtractScratch() = default;

HtmlExtractor::HtmlExtractor(ExtractOptions options)
    : options_(options), cues_(std::move(anatomy::Analyzer::Create()).value()) {}

Status HtmlExtractor::Extract(std::string_view html, ExtractScratch& scratch,
                              Extracted* out) const {
  static const InitParser parser_init;
  out->title.clear();
  out->author.clear();
  out->published.clear();
  out->text.clear();
  out->comments.clear();
  if (html.size() > options_.max_bytes) {
    return Status::InvalidArgument("too_large: page of " + std::to_string(html.size()) +
                                   " bytes, over max_bytes");
  }
  Tree& t = *scratch.tree_;
  t.Reset(options_.max_nodes);
  if (html.empty()) return Status::OK();

  // 1. Parse (SAX) into the tree.
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.startElement = OnStart;
  sax.endElement = OnEnd;
  sax.characters = OnText;
  sax.ignorableWhitespace = OnText;
  sax.cdataBlock = OnCdata;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html.data(), static_cast<int>(html.size()));
  if (ctxt == nullptr) return Status::OK();
  std::memcpy(ctxt->sax, &sax, sizeof sax);
  ctxt->_private = &t;
  htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlParseDocument(ctxt);
  htmlFreeParserCtxt(ctxt);
  if (t.too_many) {
    return Status::InvalidArgument("too_many_nodes: over " + std::to_string(options_.max_nodes) +
                                   " elements and text runs");
  }
  std::vector<Node>& nodes = t.nodes;
  const auto n = static_cast<uint32_t>(nodes.size());

  // 2. Bottom-up: visible text and link text per subtree; text not inside a block child.
  for (uint32_t i = n; i-- > 1;) {
    Node& x = nodes[i];
    if (x.tag == kText) {
      x.text_len = NonSpace(std::string_view(t.text.data() + x.text_begin, x.text_size),
                            &x.inline_commas);
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
  const uint32_t total = nodes[0].text_len;
  // Subtrees holding an article, main or articleBody element.
  std::vector<uint8_t> holds_article(n, 0);
  for (uint32_t i = n; i-- > 1;) {
    const Node& x = nodes[i];
    if (x.tag == kArticle || x.tag == kMain || (x.hints & kHintArticleBody)) holds_article[i] = 1;
    if (holds_article[i]) holds_article[x.parent] = 1;
  }

  // A section whose heading is a comment header ("3 Comments", "Your say") is a comment
  // section.
  if (options_.comments) {
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
      if (h.parent != 0 && section.tag != kBody && !holds_article[h.parent] &&
          (total == 0 || section.text_len * 10 < total * 6)) {
        section.hints |= kHintComment;
      }
    }
  }

  // 3. Top-down: boilerplate and comment subtrees. A subtree holding most of the page's text
  // is never set aside (a wrapper whose class happens to say "sidebar-right").
  std::vector<uint8_t> article_depth(n, 0);
  for (uint32_t i = 1; i < n; ++i) {
    Node& x = nodes[i];
    const Node& p = nodes[x.parent];
    article_depth[i] = static_cast<uint8_t>(
        article_depth[x.parent] | ((x.tag == kArticle || x.tag == kMain ||
                                    (x.hints & kHintArticleBody)) ? 1 : 0));
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
    if (!structural && !holds_article[i]) {
      bool by_tag = x.tag == kNav || x.tag == kAside || x.tag == kFooter ||
                    x.tag == kFigcaption || (x.tag == kFigure && x.text_len < 300) ||
                    (x.tag == kHeader && !article_depth[x.parent]);
      const bool positive = (x.hints & kHintPositive) != 0;
      bool strong = (x.hints & kHintStrongNegative) && !positive;
      bool weak = (x.hints & kHintWeakNegative) && !positive;
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

  // The headline (an h1 the <title> repeats) goes to the title, not the text.
  {
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
          AppendCollapsed(std::string_view(t.text.data() + nodes[j].text_begin, nodes[j].text_size), &h1);
        }
      }
      while (!h1.empty() && h1.back() == ' ') h1.pop_back();
      size_t b = h1.find_first_not_of(' ');
      if (b != std::string::npos && title.find(h1.substr(b)) != std::string::npos) {
        nodes[i].removed = true;
      }
    }
  }

  // 4. Scores: paragraph-like text flows to its container and the two above it.
  auto link_density = [&](const Node& x) {
    return x.text_len == 0 ? 0.0f : static_cast<float>(x.link_len) / static_cast<float>(x.text_len);
  };
  std::vector<uint8_t> candidate(n, 0);
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
  uint32_t best = kNone;
  float best_score = 0;
  for (uint32_t i = 1; i < n; ++i) {
    Node& x = nodes[i];
    if (!candidate[i] || x.removed || x.comment) continue;
    float init = 0;
    switch (x.tag) {
      case kDiv: init = 5; break;
      case kArticle: case kMain: init = 10; break;
      case kPre: case kCell: case kBlockquote: init = 3; break;
      case kList: case kLi: case kForm: case kDl: case kDd: case kDt: case kAddress: init = -3; break;
      case kHeading: case kH1: init = -5; break;
      default: break;
    }
    // Class words count in proportion to the text they label: a "post-content" div with one
    // line in it must not outscore a table of paragraphs.
    const float weight = std::min(1.0f, static_cast<float>(x.text_len) / 1000.0f);
    if (x.hints & kHintPositive) init += 25 * weight;
    if (x.hints & kHintArticleBody) init += 50;
    if (x.hints & kHintWeakNegative) init -= 25 * weight;
    x.score = (x.score + init) * (1.0f - link_density(x));
    if (x.score > best_score) {
      best_score = x.score;
      best = i;
    }
  }

  // 5. The main content: the best container and its siblings that score alike.
  Writer main_writer(t, /*comments_mode=*/false);
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
        float ld = link_density(x);
        if (candidate[s] && x.score >= threshold) take = true;
        if (x.tag == kP && x.text_len > 80 && ld < 0.25f) take = true;
        if (x.tag == kP && x.text_len > 0 && x.text_len <= 80 && ld == 0.0f) take = true;
      }
      if (take) main_writer.Subtree(s);
      if (parent == kNone) break;
    }
  }
  out->text = main_writer.Take();

  // 6. Comments: the outermost comment sections with some text.
  if (options_.comments) {
    Writer comment_writer(t, /*comments_mode=*/true);
    for (uint32_t i = 1; i < n; ++i) {
      const Node& x = nodes[i];
      if (x.tag == kText || !x.comment || x.removed_self) continue;
      if (nodes[x.parent].comment) continue;
      if (x.text_len < 10) continue;
      comment_writer.Subtree(i);
    }
    out->comments = comment_writer.Take();
  }

  // 7. Title.
  std::string title;
  AppendCollapsed(t.title, &title);
  while (!title.empty() && title.back() == ' ') title.pop_back();
  if (!title.empty() && title.front() == ' ') title.erase(0, 1);
  out->title = std::move(title);
  out->author = t.author;
  out->published = t.published;
  return Status::OK();
}

}  // namespace winnow::extract
