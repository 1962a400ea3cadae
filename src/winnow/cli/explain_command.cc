// `winnow explain FILE|- [--json]`: one document at a time, what the default `clean` pipeline
// sees and decides: the page's segments (article, boilerplate, comments header, comments), the
// template clusters of its comments, every signal, every filter's verdict on the text anatomy
// leaves, and the pipeline's decision, in words or (--json) in CLI.md's format.
#include <cstdio>
#include <map>
#include <string>

#include "winnow/cli/commands.h"
#include "winnow/core/json_writer.h"
#include "winnow/filter/anatomy_filter.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/pipeline/builtin_stages.h"
#include "winnow/pipeline/config.h"

namespace winnow::cli {
namespace {

struct Segment {
  anatomy::Label label;
  size_t first, last;  // 1-based lines
};

// Runs of equal labels; blank lines carry their neighbour's label already.
std::vector<Segment> Segments(const anatomy::Analysis& a) {
  std::vector<Segment> out;
  for (size_t i = 0; i < a.labels.size(); ++i) {
    if (!out.empty() && out.back().label == a.labels[i]) {
      out.back().last = i + 1;
    } else {
      out.push_back({a.labels[i], i + 1, i + 1});
    }
  }
  return out;
}

std::vector<std::vector<uint32_t>> Templates(const anatomy::Analysis& a) {
  std::vector<std::vector<uint32_t>> all = a.strong;
  all.insert(all.end(), a.weak.begin(), a.weak.end());
  for (auto& c : all) {
    for (auto& x : c) ++x;  // 1-based
  }
  std::sort(all.begin(), all.end());
  return all;
}

struct Verdict {
  std::string name;
  bool keep = true;
  std::string reason;  // without the "<stage>:" prefix
};

struct Explained {
  std::string id;
  anatomy::Analysis anatomy;
  std::string text, kept_text;
  std::vector<Verdict> filters;
  bool keep = true;
  std::string reason;
  std::vector<Signal> signals;
  std::vector<Threshold> thresholds;  // every filter's, for the words
  std::string language;               // from the language stage, when it ran
};

std::string StripStage(std::string_view reason) {
  size_t colon = reason.find(':');
  return std::string(colon == std::string_view::npos ? reason : reason.substr(colon + 1));
}

// Each filter's state, made by the filter (filter_stage.h), kept across documents.
class FilterStates {
 public:
  filter::FilterState& Of(const filter::FilterStage* f) {
    std::unique_ptr<filter::FilterState>& state = states_[f];
    if (!state) state = f->NewState();
    return *state;
  }

 private:
  std::map<const filter::FilterStage*, std::unique_ptr<filter::FilterState>> states_;
};

Explained Explain(const Document& input, const filter::AnatomyFilter* anatomy,
                  const std::vector<const filter::FilterStage*>& filters, FilterStates& states) {
  Explained e;
  e.id = input.id;
  e.text = input.text;
  anatomy::AnalyzerScratch as;
  if (anatomy != nullptr) anatomy->analyzer().Analyze(input.text, as, &e.anatomy);
  // The pipeline's own run: every stage in order, until one removes the document.
  Document chain = input;
  chain.memos.Clear();
  for (const filter::FilterStage* f : filters) {
    filter::Decision d = f->Decide(chain, states.Of(f));
    if (!d.keep) {
      e.keep = false;
      e.reason = std::string(d.reason);
      break;
    }
  }
  e.kept_text = chain.text;
  // Each filter's own verdict on what anatomy leaves (as `annotate` judges them).
  Document after = input;
  after.memos.Clear();
  if (anatomy != nullptr) {
    filter::Decision d = anatomy->Decide(after, states.Of(anatomy));
    e.filters.push_back({"anatomy", d.keep, d.keep ? "" : StripStage(d.reason)});
  }
  std::map<std::string_view, double> signals;
  for (const Signal& s : after.signals) signals[s.name] = s.value;
  for (const filter::FilterStage* f : filters) {
    if (f == anatomy) continue;
    Document d = after;
    filter::Decision v = f->Annotate(d, states.Of(f));
    e.filters.push_back({std::string(f->name()), v.keep, v.keep ? "" : StripStage(v.reason)});
    for (const Signal& s : d.signals) signals[s.name] = s.value;
    for (const Threshold& t : f->Thresholds()) e.thresholds.push_back(t);
    // Later stages see the language (word splitting and per-language options depend on it).
    if (!d.language().empty() && d.language() != after.language()) {
      after.SetField("language", std::string(d.language()));
      e.language = std::string(d.language());
    }
  }
  for (const auto& [name, value] : signals) e.signals.push_back({name, value});
  return e;
}

void PrintJson(const Explained& e) {
  JsonWriter w(/*pretty=*/false);
  w.BeginObject();
  w.Key("id").String(e.id);
  w.Key("segments").BeginArray();
  for (const Segment& s : Segments(e.anatomy)) {
    w.BeginObject();
    w.Key("label").String(anatomy::LabelName(s.label));
    w.Key("start_line").Int(static_cast<int64_t>(s.first));
    w.Key("end_line").Int(static_cast<int64_t>(s.last));
    w.EndObject();
  }
  w.EndArray();
  w.Key("templates").BeginArray();
  for (const auto& c : Templates(e.anatomy)) {
    w.BeginArray();
    for (uint32_t l : c) w.Int(l);
    w.EndArray();
  }
  w.EndArray();
  if (!e.language.empty()) w.Key("language").String(e.language);
  w.Key("signals").BeginObject();
  for (const Signal& s : e.signals) w.Key(s.name).Number(s.value);
  w.EndObject();
  w.Key("filters").BeginObject();
  for (const Verdict& v : e.filters) {
    w.Key(v.name).BeginObject();
    w.Key("keep").Bool(v.keep);
    w.Key("reason");
    if (v.keep) {
      w.Null();
    } else {
      w.String(v.reason);
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("decision").BeginObject();
  w.Key("keep").Bool(e.keep);
  w.Key("reason");
  if (e.keep) {
    w.Null();
  } else {
    w.String(e.reason);
  }
  w.EndObject();
  w.EndObject();
  std::printf("%s\n", w.str().c_str());
}

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

void PrintWords(const Explained& e) {
  const anatomy::Analysis& a = e.anatomy;
  std::printf("%s\n", e.id.c_str());
  std::printf("  anatomy: %zu lines\n", a.lines.size());
  for (const Segment& s : Segments(a)) {
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
  for (const Verdict& v : e.filters) {
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
      if (StripStage(t.reason) != v.reason || !signals.count(t.signal)) continue;
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
  std::vector<std::unique_ptr<Stage>> stages;
  std::vector<const filter::FilterStage*> filters;
  const filter::AnatomyFilter* anatomy = nullptr;
  for (const pipeline::StageConfig& sc : cfg.stages) {
    Result<std::unique_ptr<Stage>> stage =
        pipeline::BuiltinStages().Create(sc.name, sc.options, sc.per_language);
    if (!stage.ok()) return ReportError(stage.status());
    if (auto* f = dynamic_cast<const filter::FilterStage*>(stage->get())) {
      filters.push_back(f);
      if (auto* a = dynamic_cast<const filter::AnatomyFilter*>(f)) anatomy = a;
    }
    stages.push_back(std::move(stage).value());
  }
  FilterStates states;
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
        Explained e = Explain(d, anatomy, filters, states);
        if (args.json) {
          PrintJson(e);
        } else {
          PrintWords(e);
        }
      }
    }
  }
  return 0;
}

}  // namespace winnow::cli
