// The `extract` stage: turns HTML pages (from WARC responses and .html files) into their main
// text, and leaves every other document alone. The pipeline puts it first by itself when the
// inputs hold archives or pages.
//
// The page's text becomes `text`; "title" (and "author", "published" when the page's <meta>
// gives them) go into the winnow object and the comment
// section, with `comments: field`, into "comments" (dropped otherwise). Signals: html_bytes.
// Reasons: extract:no_content (nothing left), extract:too_large, extract:too_many_nodes
// (html_extractor.h's bounds).
#pragma once

#include <memory>

#include "winnow/core/options.h"
#include "winnow/extract/html_extractor.h"
#include "winnow/filter/filter_stage.h"

namespace winnow::filter {

class ExtractFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<ExtractFilter>> Create(const Options& options);

  std::string_view name() const override { return "extract"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;

 private:
  std::unique_ptr<extract::HtmlExtractor> extractor_;
  bool comments_field_ = false;
};

}  // namespace winnow::filter
