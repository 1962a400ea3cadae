#include "winnow/pipeline/explain.h"

#include <algorithm>
#include <map>

#include "winnow/core/json_writer.h"
#include "winnow/filter/anatomy_filter.h"
#include "winnow/filter/filter_stage.h"

namespace winnow::pipeline {

// Each filter's state, made by the filter (filter_stage.h), kept across documents.
class Explainer::FilterStates {
 public:
  filter::FilterState& Of(const filter::FilterStage* f) {
    std::unique_ptr<filter::FilterState>& state = states_[f];
    if (!state) state = f->NewState();
    return *state;
  }

 private:
  std::map<const filter::FilterStage*, std::unique_ptr<filter::FilterState>> states_;
};

Explainer::Explainer() : states_(std::make_unique<FilterStates>()) {}
Explainer::~Explainer() = default;

Result<std::unique_ptr<Explainer>> Explainer::Create(const RunConfig& config,
                                                     const StageRegistry& registry) {
  std::unique_ptr<Explainer> e(new Explainer());
  for (const StageConfig& sc : config.stages) {
    WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<Stage> stage,
                            registry.Create(sc.name, sc.options, sc.per_language));
    if (auto* f = dynamic_cast<const filter::FilterStage*>(stage.get())) {
      e->filters_.push_back(f);
      if (auto* a = dynamic_cast<const filter::AnatomyFilter*>(f)) e->anatomy_ = a;
    }
    e->stages_.push_back(std::move(stage));
  }
  return e;
}

// Runs of equal labels; blank lines carry their neighbour's label already.
std::vector<ExplainSegment> Segments(const anatomy::Analysis& a) {
  std::vector<ExplainSegment> out;
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

std::string StripStage(std::string_view reason) {
  size_t colon = reason.find(':');
  return std::string(colon == std::string_view::npos ? reason : reason.substr(colon + 1));
}

Explained Explainer::Explain(const Document& input) {
  Explained e;
  e.id = input.id;
  e.text = input.text;
  anatomy::AnalyzerScratch as;
  if (anatomy_ != nullptr) anatomy_->analyzer().Analyze(input.text, as, &e.anatomy);
  // The pipeline's own run: every stage in order, until one removes the document.
  Document chain = input;
  chain.memos.Clear();
  for (const filter::FilterStage* f : filters_) {
    filter::Decision d = f->Decide(chain, states_->Of(f));
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
  if (anatomy_ != nullptr) {
    filter::Decision d = anatomy_->Decide(after, states_->Of(anatomy_));
    e.filters.push_back({"anatomy", d.keep, d.keep ? "" : StripStage(d.reason)});
  }
  std::map<std::string_view, double> signals;
  for (const Signal& s : after.signals) signals[s.name] = s.value;
  for (const filter::FilterStage* f : filters_) {
    if (f == anatomy_) continue;
    Document d = after;
    filter::Decision v = f->Annotate(d, states_->Of(f));
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

std::string ExplainJson(const Explained& e) {
  JsonWriter w(/*pretty=*/false);
  w.BeginObject();
  w.Key("id").String(e.id);
  w.Key("segments").BeginArray();
  for (const ExplainSegment& s : Segments(e.anatomy)) {
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
  return w.str();
}

}  // namespace winnow::pipeline
