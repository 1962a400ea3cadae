// The pass plan: how a run's stage list becomes passes over the documents, and a pass's stages
// become steps of the parallel pipeline.
//
// A pass runs the per-document stages up to the next global stages (dedup) and their map
// step; the next pass applies their decisions first and goes on with the following stages.
// Consecutive global stages are mapped together, up to one that edits text (repeated_lines),
// whose edits the stages after it must see. The last pass maps nothing and writes the outputs.
// Within a pass, the stages run in segments: a run of parallel stages, closed by an ordered
// stage (first seen wins) that runs serially in input order.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "winnow/core/stage.h"

namespace winnow::pipeline {

// One pass over the documents. Indices are into the run's stage list.
struct PassPlan {
  bool from_input = true;      // the first pass reads the inputs; later ones the spill
  std::vector<size_t> apply;   // global stages whose decisions are applied first
  std::vector<size_t> stages;  // per-document stages, in order
  std::vector<size_t> map;     // global stages whose keys are taken at the end
  bool final() const { return map.empty(); }
};

// A run of stages executed by one parallel filter, optionally closed by an ordered stage
// whose Process() runs in the serial filter after it.
struct Segment {
  std::vector<size_t> parallel;  // indices into the stage list
  int ordered = -1;              // index of the closing ordered stage, or -1
};

// Cuts `stages` into passes (see above). Always at least one pass; the last one is final().
std::vector<PassPlan> PlanPasses(const std::vector<std::unique_ptr<Stage>>& stages);

// The segments of a pass's per-document stages: at least one (maybe empty).
std::vector<Segment> CutSegments(const std::vector<std::unique_ptr<Stage>>& stages,
                                 const PassPlan& pass);

}  // namespace winnow::pipeline
