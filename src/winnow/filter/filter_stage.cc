#include "winnow/filter/filter_stage.h"

namespace winnow::filter {
namespace {

class FilterWorker final : public StageWorker {
 public:
  FilterWorker(const FilterStage* stage, const WorkerContext& ctx)
      : stage_(stage), state_(stage->NewState()), annotate_(ctx.annotate) {
    state_->counters = ctx.counters;
  }

  Status Process(Batch& batch) override {
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      Document& doc = batch.docs[i];
      if (doc.removed()) continue;
      if (annotate_) {
        Record(doc, stage_->Annotate(doc, *state_));
        continue;
      }
      Decision d = stage_->Decide(doc, *state_);
      if (!d.keep) batch.Drop(i, d.reason);
    }
    return Status::OK();
  }

 private:
  // The verdict for the annotate line: the reason without its "<stage>:" prefix.
  void Record(Document& doc, const Decision& d) const {
    std::string_view reason = d.reason;
    if (size_t colon = reason.find(':'); colon != std::string_view::npos) {
      reason.remove_prefix(colon + 1);
    }
    doc.outcomes.push_back(
        FilterOutcome{stage_->name(), d.keep, d.keep ? std::string_view() : reason});
  }

  const FilterStage* stage_;
  std::unique_ptr<FilterState> state_;
  bool annotate_;
};

}  // namespace

std::unique_ptr<FilterState> FilterStage::NewState() const {
  return std::make_unique<FilterState>();
}

Result<std::unique_ptr<StageWorker>> FilterStage::NewWorker(const WorkerContext& ctx) const {
  return std::unique_ptr<StageWorker>(new FilterWorker(this, ctx));
}

}  // namespace winnow::filter
