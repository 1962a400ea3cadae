#include "winnow/extract/page_tree.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace winnow::extract {
namespace {

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
      if (n == "code" || n == "font" || n == "mark" || n == "cite" || n == "samp" || n == "abbr" ||
          n == "small" || n == "big") {
        return kInline;
      }
      if (n == "math") return kSkip;
      return kOther;
    case 5:
      if (n == "table") return kTable;
      if (n == "aside") return kAside;
      if (n == "title") return kTitle;
      if (n == "style" || n == "input" || n == "embed" || n == "video" || n == "audio")
        return kSkip;
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

std::unordered_map<std::string_view, uint8_t> BuildHintTable() {
  static constexpr std::string_view kPositive[] = {
      "article",      "articlebody",    "content",     "main",        "post",
      "entry",        "story",          "body",        "text",        "blog",
      "prose",        "hentry",         "maincontent", "postcontent", "entrycontent",
      "storycontent", "articlecontent", "newsarticle", "single"};
  static constexpr std::string_view kStrong[] = {
      "nav",         "navbar",       "navigation", "menu",        "menus",         "footer",
      "sidebar",     "widget",       "widgets",    "share",       "sharing",       "social",
      "socials",     "cookie",       "cookies",    "consent",     "gdpr",          "newsletter",
      "subscribe",   "subscription", "signup",     "related",     "recommended",   "breadcrumb",
      "breadcrumbs", "pagination",   "pager",      "advert",      "advertisement", "ads",
      "sponsor",     "sponsored",    "popup",      "modal",       "outbrain",      "taboola",
      "toolbar",     "login",        "respond",    "commentform", "skiplink",      "shoutbox",
      "sitemap",     "copyright",    "dropdown",   "offcanvas",   "trending",      "popular",
      "promoted"};
  static constexpr std::string_view kWeak[] = {
      "header",     "masthead", "ad",         "banner",    "promo",    "tags",        "tagcloud",
      "meta",       "print",    "skip",       "hidden",    "byline",   "author",      "date",
      "caption",    "credit",   "disclaimer", "contact",   "hide",     "aside",       "more",
      "links",      "teaser",   "rating",     "timestamp", "dateline", "textresizer", "reprints",
      "figcaption", "photo",    "image",      "img",       "gallery",  "video",       "subscribe",
      "readmore",   "next",     "prev",       "previous"};
  static constexpr std::string_view kComment[] = {"comment",     "comments",   "commentlist",
                                                  "disqus",      "discussion", "replies",
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
  if (it != table.end()) return it->second;
  // Words run together with "comment" ("commentbody", "commenttext", "commentsblock"): a
  // comment's part. The comment form's words ("commentform", "respond") are in the table.
  if (w.size() > 7 && w.substr(0, 7) == "comment") return kHintComment;
  return 0;
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

// libxml2 wants xmlInitParser() once before threads parse.
struct InitParser {
  InitParser() { xmlInitParser(); }
};

}  // namespace

bool IsBlock(Tag t) {
  switch (t) {
    case kP:
    case kDiv:
    case kHeading:
    case kH1:
    case kLi:
    case kList:
    case kTable:
    case kTr:
    case kPre:
    case kBlockquote:
    case kArticle:
    case kMain:
    case kSection:
    case kNav:
    case kAside:
    case kFooter:
    case kHeader:
    case kForm:
    case kBody:
    case kDl:
    case kDt:
    case kDd:
    case kFigure:
    case kFigcaption:
    case kHr:
    case kAddress:
    case kBlock:
    case kRoot:
      return true;
    default:
      return false;
  }
}

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

void ParsePage(std::string_view html, size_t max_nodes, Tree* tree) {
  static const InitParser parser_init;
  Tree& t = *tree;
  t.Reset(max_nodes);
  if (html.empty()) return;
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.startElement = OnStart;
  sax.endElement = OnEnd;
  sax.characters = OnText;
  sax.ignorableWhitespace = OnText;
  sax.cdataBlock = OnCdata;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html.data(), static_cast<int>(html.size()));
  if (ctxt == nullptr) return;
  std::memcpy(ctxt->sax, &sax, sizeof sax);
  ctxt->_private = &t;
  htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlParseDocument(ctxt);
  htmlFreeParserCtxt(ctxt);
}

}  // namespace winnow::extract
