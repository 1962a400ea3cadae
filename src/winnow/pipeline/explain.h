// Explaining one document: what a pipeline's per-document filters see and decide, for
// `winnow explain` and the Python API's winnow.explain. The page's segments (article,
// boilerplate, comments header, comments), the template clusters of its comments, every
// signal, every filter's verdict on the text anatomy leaves, and the pipeline's decision.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/anatomy/anatomy.h"
#include "winnow/core/document.h"
#include "winnow/core/registry.h"
#include "winnow/core/stage.h"
#include "winnow/core/status.h"
#include "winnow/pipeline/config.h"

namespace winnow::filter {
class AnatomyFilter;
class FilterStage;
}  // namespace winnow::filter

namespace winnow::pipeline {

// A run of lines with one label; lines are 1-based.
struct ExplainSegment {
  anatomy::Label label;
  size_t first, last;  // 1-based lines
};

// Runs of equal labels; blank lines carry their neighbour's label already.
std::vector<ExplainSegment> Segments(const anatomy::Analysis& a);
// The template clusters (strong, then weak), 1-based line numbers, sorted.
std::vector<std::vector<uint32_t>> Templates(const anatomy::Analysis& a);

// One filter's verdict.
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

// The reason without its "<stage>:" prefix.
std::string StripStage(std::string_view reason);

class Explainer {
 public:
  // The per-document filters of `config` (its other stages are ignored).
  static Result<std::unique_ptr<Explainer>> Create(const RunConfig& config,
                                                   const StageRegistry& registry);
  ~Explainer();
  // The pipeline's own run (every filter in order until one removes the document), then each
  // filter's own verdict on what anatomy leaves (as `annotate` judges them). Not thread-safe.
  Explained Explain(const Document& input);

 private:
  class FilterStates;
  Explainer();
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<const filter::FilterStage*> filters_;
  const filter::AnatomyFilter* anatomy_ = nullptr;
  std::unique_ptr<FilterStates> states_;
};

// CLI.md's `winnow explain --json` object, on one line (no newline).
std::string ExplainJson(const Explained& e);

}  // namespace winnow::pipeline
