// libFuzzer target: the dedup stages' saved decisions (a resumed run loads them instead of
// grouping again): RemovalSet (exact, minhash) and repeated_lines' unit removals, picked by
// the first byte. What loads is then applied to a batch of documents, so decisions that
// decode but point anywhere (documents, units, ids) are exercised too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/registry.h"
#include "winnow/dedup/register.h"
#include "winnow/dedup/removal_set.h"

namespace {

winnow::Batch SampleBatch() {
  winnow::Batch batch;
  for (uint64_t i = 0; i < 8; ++i) {
    winnow::Document d;
    d.id = "doc" + std::to_string(i);
    d.where = winnow::Provenance{static_cast<uint32_t>(i % 2), i};
    d.text = "line one\nline two\n\nparagraph " + std::to_string(i) + "\nline one";
    batch.docs.push_back(std::move(d));
  }
  return batch;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::unique_ptr<winnow::GlobalDecisions> decisions;
  if ((data[0] & 1) == 0) {
    auto set = std::make_unique<winnow::dedup::RemovalSet>("exact:duplicate");
    if (!set->Load(bytes).ok()) return 0;
    (void)set->ExamplePairs(3);
    decisions = std::move(set);
  } else {
    static const std::unique_ptr<winnow::Stage> stage = [] {
      winnow::StageRegistry registry;
      winnow::dedup::RegisterStages(registry);
      return std::move(registry.Create("repeated_lines", {})).value();
    }();
    auto loaded = static_cast<const winnow::GlobalStage*>(stage.get())->LoadDecisions(bytes);
    if (!loaded.ok()) return 0;
    decisions = std::move(loaded).value();
  }
  winnow::Batch batch = SampleBatch();
  (void)decisions->Apply(batch);
  std::string saved;
  decisions->Save(&saved);
  return 0;
}
