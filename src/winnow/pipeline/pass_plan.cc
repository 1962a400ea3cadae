#include "winnow/pipeline/pass_plan.h"

#include "winnow/core/global_stage.h"

namespace winnow::pipeline {

std::vector<PassPlan> PlanPasses(const std::vector<std::unique_ptr<Stage>>& stages) {
  std::vector<PassPlan> passes(1);
  for (size_t s = 0; s < stages.size(); ++s) {
    PassPlan& cur = passes.back();
    const bool global = stages[s]->mode() == Stage::Mode::kGlobal;
    bool cut = false;
    if (!cur.map.empty()) {
      const auto* last = static_cast<const GlobalStage*>(stages[cur.map.back()].get());
      cut = !global || last->edits_text();
    }
    if (cut) {
      PassPlan next;
      next.from_input = false;
      next.apply = cur.map;
      passes.push_back(std::move(next));
    }
    (global ? passes.back().map : passes.back().stages).push_back(s);
  }
  if (!passes.back().map.empty()) {
    PassPlan last;
    last.from_input = false;
    last.apply = passes.back().map;
    passes.push_back(std::move(last));
  }
  return passes;
}

std::vector<Segment> CutSegments(const std::vector<std::unique_ptr<Stage>>& stages,
                                 const PassPlan& pass) {
  std::vector<Segment> segments(1);
  for (size_t s : pass.stages) {
    if (stages[s]->mode() == Stage::Mode::kOrdered) {
      segments.back().ordered = static_cast<int>(s);
      segments.emplace_back();
    } else {
      segments.back().parallel.push_back(s);
    }
  }
  return segments;
}

}  // namespace winnow::pipeline
