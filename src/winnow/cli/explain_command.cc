// `winnow explain FILE|- [--json]`: one document at a time, what the default `clean` pipeline
// sees and decides: the page's segments (article, boilerplate, comments header, comments), the
// template clusters of its comments, every signal, every filter's verdict on the text anatomy
// leaves, and the pipeline's decision, in words or (--json) in CLI.md's format.
#include <cstdio>
#include <map>
#include <string>

#include "winnow/cli/commands.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"
#include "winnow/pipeline/explain.h"

namespace winnow::cli {
namespace {

std::string Lines(size_t a, size_t b) {
  return a == b ? "line " + std::to_string(a)
                : "lines " + std::to_string(a) + "-" + std::to_string(b);
}

std::string Preview(std::string_view s, size_t n = 60) {
  std::string out;
  for (char c : s.substr(0, n)) out.push_back(c == '\n' || c == '\t' ? ' ' : c);
  if (s.size() > n) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

void PrintWords(const pipeline::Explained& e) {
  const anatomy::Analysis& a = e.anatomy;
  std::printf("%s\n", e.id.c_str());
  std::printf("  anatomy: %zu lines\n", a.lines.size());
  for (const pipeline::ExplainSegment& s : pipeline::Segments(a)) {
    std::string_view first = std::string_view(e.text).substr(
        a.lines[s.first - 1].first, a.lines[s.first - 1].second - a.lines[s.first - 1].first);
    std::printf("    %-12s %-16s \"%s\"\n", Lines(s.first, s.last).c_str(),
                std::string(anatomy::LabelName(s.label)).c_str(), Preview(first).c_str());
  }
  {
    size_t kept = 0, total = 0;
    for (size_t i = 0; i < a.lines.size(); ++i) {
      bool blank = a.lines[i].second == a.lines[i].first;
      total += !blank;
      kept += !blank && a.labels[i] == anatomy::Label::kArticle;
    }
    std::printf("  anatomy keeps %zu of %zu lines as the article%s\n", kept, total,
                kept < total ? "; the clean pipeline strips the rest before the filters" : "");
  }
  if (a.section == anatomy::Analysis::Section::kAfterHeader) {
    std::printf(
        "  comment section: after its header, to the end of the page (but a trailing footer)\n");
  } else if (a.section == anatomy::Analysis::Section::kThreadAfterArticle) {
    std::printf("  comment section: a thread of bylines after the article, people talking\n");
  } else if (a.section == anatomy::Analysis::Section::kNameThread) {
    std::printf(
        "  comment section: a thread of names, each over its comment, ending the page, people "
        "talking\n");
  } else if (a.posts_from_top) {
    std::printf(
        "  a page of posts from the top (forum or Q&A thread, a blog's posts): its posts are "
        "content\n");
  }
  if (a.comment_lines > 0) {
    std::printf("  comments: %zu; %.0f%% in template clusters, %.0f%% ask a question\n",
                a.comment_lines, 100 * a.templated_fraction(), 100 * a.question_fraction());
    auto print = [&](const char* kind, const std::vector<std::vector<uint32_t>>& clusters) {
      for (const auto& c : clusters) {
        std::string lines;
        for (uint32_t l : c) lines += (lines.empty() ? "" : ", ") + std::to_string(l + 1);
        std::printf("    %s template: lines %s\n", kind, lines.c_str());
      }
    };
    print("strong", a.strong);
    print("weak", a.weak);
  }
  std::map<std::string_view, double> signals;
  for (const Signal& s : e.signals) signals[s.name] = s.value;
  for (const pipeline::Verdict& v : e.filters) {
    std::string detail;
    if (v.name == "language" && !e.language.empty()) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), " (%s, score %.2f)", e.language.c_str(),
                    signals.count("language_score") ? signals["language_score"] : 0.0);
      detail = buf;
    }
    if (v.keep) {
      std::printf("  %-18s keep%s\n", v.name.c_str(), detail.c_str());
      continue;
    }
    std::string why;
    for (const Threshold& t : e.thresholds) {
      if (pipeline::StripStage(t.reason) != v.reason || !signals.count(t.signal)) continue;
      char buf[160];
      std::snprintf(buf, sizeof(buf), " (%s = %.4g, %s %.4g)", std::string(t.signal).c_str(),
                    signals[t.signal], t.removes_below ? "below" : "above", t.value);
      why = buf;
    }
    std::printf("  %-18s remove: %s%s%s\n", v.name.c_str(), v.reason.c_str(), detail.c_str(),
                why.c_str());
  }
  if (e.keep) {
    std::printf("  decision: keep, %zu of %zu bytes of text (\"%s\")\n", e.kept_text.size(),
                e.text.size(), Preview(e.kept_text).c_str());
  } else {
    std::printf("  decision: remove, %s\n", e.reason.c_str());
  }
}

}  // namespace

int RunExplain(const ExplainArgs& args) {
  Result<io::InputList> inputs = io::ExpandInputs({args.input});
  if (!inputs.ok()) return ReportError(inputs.status());
  if (inputs->shards.empty())
    return ReportError(Status::InvalidArgument("no input: " + args.input));
  // The per-document stages of the default clean pipeline (or --config's).
  pipeline::RunConfig cfg = pipeline::DefaultCleanConfig(pipeline::BuiltinStages());
  if (!args.config.empty()) {
    Result<pipeline::RunConfig> loaded = pipeline::LoadConfig(args.config);
    if (!loaded.ok()) return ReportError(loaded.status());
    cfg = std::move(loaded).value();
  }
  Result<std::unique_ptr<pipeline::Explainer>> explainer =
      pipeline::Explainer::Create(cfg, pipeline::BuiltinStages());
  if (!explainer.ok()) return ReportError(explainer.status());
  io::RecordParser parser;
  for (const io::Shard& shard : inputs->shards) {
    std::unique_ptr<io::RecordReader> reader = io::OpenShardReader(shard, cfg.reader);
    bool more = true;
    while (more) {
      Batch b;
      b.source = shard.path;
      more = reader->Next(b);
      parser.ParseBatch(b);
      for (const Rejected& r : b.rejected)
        std::fprintf(stderr, "winnow: skipped: %s\n", r.error.c_str());
      for (const Document& d : b.docs) {
        pipeline::Explained e = (*explainer)->Explain(d);
        if (args.json) {
          std::printf("%s\n", pipeline::ExplainJson(e).c_str());
        } else {
          PrintWords(e);
        }
      }
    }
  }
  return 0;
}

}  // namespace winnow::cli
