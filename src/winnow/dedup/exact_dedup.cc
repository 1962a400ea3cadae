#include "winnow/dedup/exact_dedup.h"

#include <xxhash.h>

#include "winnow/dedup/distributed.h"
#include "winnow/dedup/removal_set.h"
#include "winnow/dedup/sorted_runs.h"
#include "winnow/text/normalize.h"

namespace winnow::dedup {
namespace {

class ExactMapper final : public GlobalMapper {
 public:
  explicit ExactMapper(std::unique_ptr<SortedRuns::Writer> out) : out_(std::move(out)) {}

  Status Map(Batch& batch) override {
    for (const Document& d : batch.docs) {
      if (d.removed()) continue;
      Key128 k = ExactKey(d.text, &normalized_);
      out_->Add(KeyRecord{k.hi, k.lo, PackDoc(d.where)});
    }
    return Status::OK();
  }
  Status Finish() override { return out_->Finish(); }

 private:
  std::unique_ptr<SortedRuns::Writer> out_;
  std::string normalized_;
};

}  // namespace

Key128 ExactKey(std::string_view text, std::string* scratch) {
  text::NormalizeWhitespace(text, scratch);
  XXH128_hash_t h = XXH3_128bits(scratch->data(), scratch->size());
  return Key128{h.low64, h.high64};
}

const StageSpec& ExactDedup::Spec() {
  static const StageSpec spec{
      "exact",
      "Removes exact duplicates (same text up to whitespace) across the whole input; the "
      "first copy (first shard, then first line) is kept and later ones name it in "
      "duplicate_of.",
      {}};
  return spec;
}

Result<std::unique_ptr<ExactDedup>> ExactDedup::Create(const Options&) {
  return std::make_unique<ExactDedup>();
}

ExactDedup::~ExactDedup() = default;

Status ExactDedup::Begin(const GlobalContext& context) {
  context_ = context;
  keys_ = std::make_unique<SortedRuns>(context.work_dir, context.memory_budget, context.threads);
  return Status::OK();
}

Result<std::unique_ptr<GlobalMapper>> ExactDedup::NewMapper(const WorkerContext&) {
  if (!keys_) return Status::Internal("exact: NewMapper before Begin");
  return std::unique_ptr<GlobalMapper>(new ExactMapper(keys_->NewWriter()));
}

Result<std::unique_ptr<GlobalDecisions>> ExactDedup::Group(
    const DocDirectory& docs, const std::vector<const GlobalDecisions*>& earlier,
    Counters* counters) {
  const uint64_t mapped = keys_->records(), spilled = keys_->spilled_bytes();
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SortedRuns> keys,
                          GroupRuns(std::move(keys_), context_, 2, 2, earlier));
  auto removals = std::make_unique<RemovalSet>("exact:duplicate");
  bool have = false;
  uint64_t hi = 0, lo = 0, distinct = 0;
  DocRef kept = 0;
  WINNOW_RETURN_IF_ERROR(keys->Merge([&](const KeyRecord& r) {
    if (RemovedByAny(earlier, r.c)) return Status::OK();
    if (!have || r.a != hi || r.b != lo) {
      have = true;
      hi = r.a;
      lo = r.b;
      kept = r.c;
      ++distinct;
    } else {
      removals->Add(RemovalSet::Entry{r.c, kept});
    }
    return Status::OK();
  }));
  WINNOW_RETURN_IF_ERROR(removals->Finish(docs, context_.exchange));
  if (counters != nullptr) {
    counters->Add("exact.keys", static_cast<int64_t>(mapped));
    counters->Add("exact.distinct_keys", static_cast<int64_t>(distinct));
    counters->Add(
        "exact.spilled_bytes",
        static_cast<int64_t>(spilled + (Distributed(context_) ? keys->spilled_bytes() : 0)));
  }
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

Result<std::unique_ptr<GlobalDecisions>> ExactDedup::LoadDecisions(std::string_view bytes) const {
  auto removals = std::make_unique<RemovalSet>("exact:duplicate");
  WINNOW_RETURN_IF_ERROR(removals->Load(bytes));
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

}  // namespace winnow::dedup
