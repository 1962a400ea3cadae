#include "winnow/filter/extract_filter.h"

namespace winnow::filter {

const StageSpec& ExtractFilter::Spec() {
  static const StageSpec spec{
      "extract",
      "Extracts the main text (and the comments) of HTML pages read from WARC files or .html "
      "files; other documents pass untouched. First in any pipeline whose inputs hold pages.",
      {
          {"comments", "drop", "drop the comment section, or field (winnow.comments)"},
          {"max_bytes", "33554432", "larger pages: extract:too_large"},
          {"max_nodes", "2000000",
           "pages with more elements and text runs: extract:too_many_nodes"},
      }};
  return spec;
}

Result<std::unique_ptr<ExtractFilter>> ExtractFilter::Create(const Options& options) {
  auto f = std::make_unique<ExtractFilter>();
  WINNOW_ASSIGN_OR_RETURN(std::string comments, options.String("comments"));
  if (comments != "drop" && comments != "field") {
    return Status::InvalidArgument("extract: option comments: expected drop or field, got '" +
                                   comments + "'");
  }
  f->comments_field_ = comments == "field";
  extract::ExtractOptions o;
  WINNOW_ASSIGN_OR_RETURN(int64_t max_bytes, options.Int("max_bytes"));
  WINNOW_ASSIGN_OR_RETURN(int64_t max_nodes, options.Int("max_nodes"));
  if (max_bytes <= 0 || max_nodes <= 0) {
    return Status::InvalidArgument("extract: max_bytes and max_nodes must be positive");
  }
  o.max_bytes = static_cast<size_t>(max_bytes);
  o.max_nodes = static_cast<size_t>(max_nodes);
  o.comments = f->comments_field_;
  f->extractor_ = std::make_unique<extract::HtmlExtractor>(o);
  return f;
}

namespace {

struct ExtractState final : FilterState {
  extract::ExtractScratch extract;
  extract::Extracted extracted;
};

}  // namespace

std::unique_ptr<FilterState> ExtractFilter::NewState() const {
  return std::make_unique<ExtractState>();
}

Decision ExtractFilter::Decide(Document& doc, FilterState& state) const {
  auto& scratch = static_cast<ExtractState&>(state);
  if (!doc.needs_extraction) return {};
  doc.needs_extraction = false;
  doc.SetSignal("html_bytes", static_cast<double>(doc.text.size()));
  extract::Extracted& out = scratch.extracted;
  Status st = extractor_->Extract(doc.text, scratch.extract, &out);
  if (!st.ok()) {
    doc.SetText("");
    std::string_view m = st.message();
    return {false,
            m.starts_with("too_many_nodes") ? "extract:too_many_nodes" : "extract:too_large"};
  }
  if (!out.title.empty()) doc.SetField("title", out.title);
  if (!out.author.empty()) doc.SetField("author", out.author);
  if (!out.published.empty()) doc.SetField("published", out.published);
  if (comments_field_ && !out.comments.empty()) doc.SetField("comments", out.comments);
  doc.SetText(std::move(out.text));
  if (doc.text.empty()) return {false, "extract:no_content"};
  return {};
}

}  // namespace winnow::filter
