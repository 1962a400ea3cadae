#include "winnow/dedup/exact_dedup.h"

#include <xxhash.h>

#include "winnow/text/normalize.h"

namespace winnow::dedup {
namespace {

class ExactWorker final : public StageWorker {
 public:
  explicit ExactWorker(Counters* counters) : counters_(counters) {}

  // In parallel: two words of scratch per document, its key.
  Status Prepare(Batch& batch) override {
    batch.scratch.assign(2 * batch.docs.size(), 0);
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      if (batch.docs[i].removed()) continue;
      Key128 k = ExactKey(batch.docs[i].text, &normalized_);
      batch.scratch[2 * i] = k.lo;
      batch.scratch[2 * i + 1] = k.hi;
    }
    return Status::OK();
  }

  // In input order: first seen wins.
  Status Process(Batch& batch) override {
    for (size_t i = 0; i < batch.docs.size(); ++i) {
      Document& doc = batch.docs[i];
      if (doc.removed()) continue;
      Key128 k{batch.scratch[2 * i], batch.scratch[2 * i + 1]};
      bool inserted = false;
      std::string_view first = table_.FindOrInsert(k, doc.id, &inserted);
      if (!inserted) {
        doc.duplicate_of.assign(first);
        batch.Drop(i, "exact:duplicate");
      }
    }
    return Status::OK();
  }

  Status Finish() override {
    if (counters_ != nullptr && table_.size() > 0) {
      counters_->Add("exact.distinct_keys", static_cast<int64_t>(table_.size()));
      counters_->Add("exact.table_bytes", static_cast<int64_t>(table_.memory_bytes()));
    }
    return Status::OK();
  }

 private:
  Counters* counters_;
  std::string normalized_;
  KeyTable table_;
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
      "Removes exact duplicates (same text up to whitespace) in input order; the first copy "
      "is kept and later ones name it in duplicate_of.",
      {}};
  return spec;
}

Result<std::unique_ptr<ExactDedup>> ExactDedup::Create(const Options&) {
  return std::make_unique<ExactDedup>();
}

Result<std::unique_ptr<StageWorker>> ExactDedup::NewWorker(const WorkerContext& ctx) const {
  return std::unique_ptr<StageWorker>(new ExactWorker(ctx.counters));
}

}  // namespace winnow::dedup
