// HtmlExtractor: the main text of a web page, and separately its user comments.
//
// libxml2's HTML parser (the one lxml, and so trafilatura, use) runs in SAX mode and feeds a
// compact tree of our own: one array of nodes and one text buffer per page, no per-node
// allocation, script/style/form controls never stored (SAX is about twice as fast as
// libxml2's own DOM here). On that tree:
//   1. boilerplate subtrees are set aside by tag (nav, aside, footer, header outside the
//      article, menus, forms' controls) and by class/id/role words (navigation, sidebar,
//      share, cookie, newsletter, related, pagination, ads...); comment sections (class/id
//      words comment, disqus, replies..., or a heading such as "3 Comments" or "Your say")
//      are set aside for the comments;
//   2. paragraph-like blocks score by length, commas and link density, their scores flow to
//      their parent and grandparent, and the best-scoring container (article, main and
//      articleBody get a bonus) is the main content, with its siblings that score alike;
//   3. the container is written out block by block (headings, paragraphs, list items, table
//      rows, pre-formatted code keeping its newlines), dropping link lists and
//      boilerplate-sized blocks.
// Title from <title>; author and publication date from the page's <meta> elements. Bounded: a page
// over max_bytes or max_nodes is refused with a reason; nesting deeper than libxml2's limit (256)
// is cut there, never recursed into. Thread-safe: the extractor is immutable; scratch per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/anatomy/anatomy.h"
#include "winnow/core/status.h"

namespace winnow::extract {

struct ExtractOptions {
  size_t max_bytes = size_t{32} << 20;  // larger pages: "too_large"
  size_t max_nodes = 2'000'000;         // more elements and text runs: "too_many_nodes"
  bool comments = true;                 // extract the comment section too
};

struct Extracted {
  std::string title;
  std::string author;     // <meta name="author"> (or article:author), when given
  std::string published;  // article:published_time, <meta name="date">, when given
  std::string text;       // main content, blocks separated by newlines
  std::string comments;   // the user comments, blocks separated by newlines ("" if none)
};

class ExtractScratch {
 public:
  ExtractScratch();
  ~ExtractScratch();
  ExtractScratch(const ExtractScratch&) = delete;
  ExtractScratch& operator=(const ExtractScratch&) = delete;

  struct Tree;  // the parsed page (opaque)

 private:
  friend class HtmlExtractor;
  std::unique_ptr<Tree> tree_;
  anatomy::AnalyzerScratch anatomy_;
};

class HtmlExtractor {
 public:
  explicit HtmlExtractor(ExtractOptions options = {});

  // Extracts from `html` (UTF-8). Errors: InvalidArgument "too_large" / "too_many_nodes".
  // An empty page gives empty text, not an error.
  Status Extract(std::string_view html, ExtractScratch& scratch, Extracted* out) const;

 private:
  ExtractOptions options_;
  void MarkCommentHeadings(ExtractScratch& scratch, const std::vector<uint8_t>& holds_article,
                           uint32_t total) const;

  // Page anatomy's comment-header cues ("22 Comments", "Your say", "Kommentare"): a section
  // headed so is a comment section whatever its class names say.
  std::unique_ptr<anatomy::Analyzer> cues_;
};

// libxml2 wants xmlInitParser() once before threads parse; Extract() calls it through a
// function-local static (page_tree.cc), so callers need not.

}  // namespace winnow::extract
