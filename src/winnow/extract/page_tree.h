// The parsed page the extractor works on: one array of nodes (elements and text runs, in
// document order: children always follow their parent) and one text buffer, built from
// libxml2's SAX events with script, style, form controls and hidden elements left out as they
// come, within a node limit and libxml2's depth limit. Internal to the extract module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/extract/html_extractor.h"

namespace winnow::extract {

inline constexpr uint32_t kNone = UINT32_MAX;

enum Tag : uint8_t {
  kOther,
  kText,
  kRoot,
  kA,
  kP,
  kDiv,
  kSpan,
  kHeading,
  kLi,
  kList,
  kTable,
  kTr,
  kCell,
  kPre,
  kBlockquote,
  kBr,
  kArticle,
  kMain,
  kSection,
  kNav,
  kAside,
  kFooter,
  kHeader,
  kForm,
  kBody,
  kDl,
  kDt,
  kDd,
  kFigure,
  kFigcaption,
  kHr,
  kAddress,
  kInline,
  kTitle,
  kHead,
  kSkip,
  kBlock,
  kH1,
  kTime,
};

// Whether a tag starts a block of text (a line of its own when written).
bool IsBlock(Tag t);

// Words in class, id and role values.
enum Hint : uint8_t {
  kHintPositive = 1,
  kHintWeakNegative = 2,
  kHintStrongNegative = 4,
  kHintComment = 8,
  kHintArticleBody = 16,
};

struct Node {
  uint32_t parent = kNone, first_child = kNone, last_child = kNone, next = kNone;
  uint32_t text_begin = 0, text_size = 0;  // text nodes: a range of Tree::text
  Tag tag = kOther;
  uint8_t hints = 0;
  bool removed = false, comment = false;
  bool removed_self = false;  // set aside by its own tag or words (not by an ancestor's)
  // Bottom-up statistics (visible text only).
  uint32_t text_len = 0, link_len = 0;         // non-space bytes; of which inside links
  uint32_t inline_len = 0, inline_commas = 0;  // not inside a block descendant
  float score = 0;
};

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

using Tree = ExtractScratch::Tree;

// Parses `html` (UTF-8) into `t` (reset first, to at most `max_nodes` nodes); sets
// t->too_many when the page has more.
void ParsePage(std::string_view html, size_t max_nodes, Tree* t);

// Characters of `s` that are not white space; commas (ASCII and fullwidth) counted into
// *commas.
uint32_t NonSpace(std::string_view s, uint32_t* commas);

// Appends `s` with runs of whitespace collapsed to one space.
void AppendCollapsed(std::string_view s, std::string* line);

}  // namespace winnow::extract
