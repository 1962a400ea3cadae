// RemovalSet: the decisions of a dedup stage, as GlobalDecisions: which documents to drop,
// the id of the document each duplicates, and near-duplicate clusters.
//
// Built during a stage's group step (Add in any order, then Finish, which sorts and looks up
// the kept documents' ids in one scan of the DocDirectory); read by every thread of the next
// pass (Apply: a binary search per document). About 40 bytes per entry plus the kept ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/exchange.h"
#include "winnow/core/global_stage.h"

namespace winnow::dedup {

class RemovalSet final : public GlobalDecisions {
 public:
  struct Entry {
    DocRef doc = 0;
    DocRef kept = 0;          // the document `doc` duplicates (itself for a kept member)
    int64_t cluster_id = -1;  // -1: no cluster
    uint64_t cluster_size = 0;
    bool remove = true;     // false: a kept cluster member, only annotated
    uint32_t id_index = 0;  // set by Finish(): the kept document's id
  };

  // `reason`: static storage, such as "exact:duplicate".
  explicit RemovalSet(std::string_view reason) : reason_(reason) {}

  void Add(const Entry& e) { entries_.push_back(e); }
  // Sorts the entries and resolves the kept documents' ids. REQUIRES: at most one entry per
  // document.
  Status Finish(const DocDirectory& docs);
  // The same over ranks: every entry moves to the rank that owns its document's shard, and the
  // kept documents' ids are asked of the ranks that own theirs. `docs` lists this rank's
  // documents. Collective; with a world of one it is Finish(docs).
  Status Finish(const DocDirectory& docs, Exchange* exchange);

  bool Removes(DocRef doc) const override;
  Status Apply(Batch& batch) const override;
  // The k removed entries with the smallest hash of their DocRef.
  std::vector<std::pair<DocRef, DocRef>> ExamplePairs(size_t k) const override;
  void Save(std::string* out) const override;
  // Replaces the entries with those Save() wrote (the result of Finish() included).
  Status Load(std::string_view bytes);

  const std::vector<Entry>& entries() const { return entries_; }
  uint64_t removed() const { return removed_; }
  // The id of the kept document of `e`. REQUIRES: Finish() succeeded.
  std::string_view KeptId(const Entry& e) const { return ids_[e.id_index]; }

 private:
  const Entry* Find(DocRef doc) const;

  std::string_view reason_;
  std::vector<Entry> entries_;
  std::vector<std::string> ids_;
  uint64_t removed_ = 0;
};

}  // namespace winnow::dedup
