#include "winnow/filter/anatomy_filter.h"

#include <algorithm>

namespace winnow::filter {
namespace {

Result<AnatomyFilter::Action> ParseAction(const Options& o, std::string_view name) {
  WINNOW_ASSIGN_OR_RETURN(std::string v, o.String(name));
  if (v == "strip") return AnatomyFilter::Action::kStrip;
  if (v == "keep") return AnatomyFilter::Action::kKeep;
  if (v == "field") return AnatomyFilter::Action::kField;
  return Status::InvalidArgument("anatomy: option " + std::string(name) +
                                 ": expected strip, keep or field, got '" + v + "'");
}

}  // namespace

const StageSpec& AnatomyFilter::Spec() {
  static const StageSpec spec{
      "anatomy",
      "Labels lines article, boilerplate, comments header or comment (and finds templated "
      "bot comments); strips, keeps or moves the non-article segments.",
      {
          {"boilerplate", "strip", "strip, keep, or field (moved to winnow.boilerplate)"},
          {"comments", "strip", "strip, keep, or field (moved to winnow.comments)"},
      }};
  return spec;
}

Result<std::unique_ptr<AnatomyFilter>> AnatomyFilter::Create(const Options& o) {
  auto f = std::make_unique<AnatomyFilter>();
  WINNOW_ASSIGN_OR_RETURN(f->boilerplate_, ParseAction(o, "boilerplate"));
  WINNOW_ASSIGN_OR_RETURN(f->comments_, ParseAction(o, "comments"));
  WINNOW_ASSIGN_OR_RETURN(f->analyzer_, anatomy::Analyzer::Create());
  return f;
}

namespace {

struct AnatomyState final : FilterState {
  anatomy::AnalyzerScratch scratch;
  anatomy::Analysis analysis;
};

}  // namespace

std::unique_ptr<FilterState> AnatomyFilter::NewState() const {
  return std::make_unique<AnatomyState>();
}

Decision AnatomyFilter::Run(Document& doc, FilterState& state, bool edit) const {
  auto& s = static_cast<AnatomyState&>(state);
  anatomy::Analysis& a = s.analysis;
  analyzer_->Analyze(doc.text, s.scratch, &a);
  std::string_view text = doc.text;
  size_t boiler = 0, content = 0;
  auto action_of = [&](anatomy::Label label) {
    return label == anatomy::Label::kArticle       ? Action::kKeep
           : label == anatomy::Label::kBoilerplate ? boilerplate_
                                                   : comments_;
  };
  // Most pages are article from top to bottom: the text is rebuilt only when a line goes.
  const bool rebuild = std::any_of(a.labels.begin(), a.labels.end(),
                                   [&](anatomy::Label l) { return action_of(l) != Action::kKeep; });
  std::string kept, moved_boilerplate, moved_comments;
  bool changed = false;
  for (size_t i = 0; i < a.lines.size(); ++i) {
    std::string_view line = text.substr(a.lines[i].first, a.lines[i].second - a.lines[i].first);
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    content += !blank;
    const anatomy::Label label = a.labels[i];
    boiler += !blank && label == anatomy::Label::kBoilerplate;
    const Action action = action_of(label);
    if (action == Action::kKeep) {
      if (!rebuild) continue;
      if (i > 0) kept.push_back('\n');  // trimmed below where it leads
      kept.append(line);
      continue;
    }
    changed = true;
    if (action == Action::kField && !blank) {
      std::string& field =
          label == anatomy::Label::kBoilerplate ? moved_boilerplate : moved_comments;
      if (!field.empty()) field.push_back('\n');
      field.append(line);
    }
  }
  // Blank lines next to removed segments are gone with them; trim what is left.
  while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' ' || kept.back() == '\t'))
    kept.pop_back();
  size_t lead = 0;
  while (lead < kept.size() && (kept[lead] == '\n' || kept[lead] == '\r')) ++lead;
  kept.erase(0, lead);
  const size_t removed_chars =
      changed ? (doc.text.size() > kept.size() ? doc.text.size() - kept.size() : 0) : 0;
  doc.SetSignal("anatomy_lines", static_cast<double>(content));
  doc.SetSignal("anatomy_boilerplate_lines", static_cast<double>(boiler));
  doc.SetSignal("comment_count", static_cast<double>(a.comment_lines));
  doc.SetSignal("templated_fraction", a.templated_fraction());
  doc.SetSignal("question_fraction", a.question_fraction());
  doc.SetSignal("anatomy_removed_chars", static_cast<double>(removed_chars));
  const bool empty =
      rebuild && kept.find_first_not_of(" \t\r\n") == std::string::npos && content > 0;
  if (edit && changed) {
    if (!moved_boilerplate.empty())
      doc.fields.emplace_back("boilerplate", std::move(moved_boilerplate));
    if (!moved_comments.empty()) doc.fields.emplace_back("comments", std::move(moved_comments));
    if (!empty) doc.SetText(std::move(kept));
  }
  if (empty) return {false, "anatomy:empty"};
  return {};
}

Decision AnatomyFilter::Decide(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/true);
}

Decision AnatomyFilter::Annotate(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/false);
}

}  // namespace winnow::filter
