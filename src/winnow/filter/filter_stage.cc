#include "winnow/filter/filter_stage.h"

namespace winnow::filter {
namespace {

class FilterWorker final : public StageWorker {
 public:
  explicit FilterWorker(const FilterStage* stage) : stage_(stage) {}
  Status Process(Batch& batch) override {
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      if (batch.docs[i].removed()) continue;
      Decision d = stage_->Decide(batch.docs[i], scratch_);
      if (!d.keep) batch.Drop(i, d.reason);
    }
    return Status::OK();
  }

 private:
  const FilterStage* stage_;
  FilterScratch scratch_;
};

}  // namespace

Result<std::unique_ptr<StageWorker>> FilterStage::NewWorker(const WorkerContext&) const {
  return std::unique_ptr<StageWorker>(new FilterWorker(this));
}

}  // namespace winnow::filter
