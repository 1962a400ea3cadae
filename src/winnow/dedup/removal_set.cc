#include "winnow/dedup/removal_set.h"

#include <xxhash.h>

#include <algorithm>

#include "winnow/core/wire.h"
#include "winnow/dedup/distributed.h"

namespace winnow::dedup {

Status RemovalSet::Finish(const DocDirectory& docs, Exchange* exchange) {
  if (exchange == nullptr || exchange->size() == 1) return Finish(docs);
  auto put = [](WireWriter& w, const Entry& e) {
    w.PutVarint(e.doc);
    w.PutVarint(e.kept);
    w.PutSigned(e.cluster_id);
    w.PutVarint(e.cluster_size);
    w.PutBool(e.remove);
  };
  auto get = [](WireReader& r) {
    Entry e;
    e.doc = r.GetVarint();
    e.kept = r.GetVarint();
    e.cluster_id = r.GetSigned();
    e.cluster_size = r.GetVarint();
    e.remove = r.GetBool();
    return e;
  };
  WINNOW_ASSIGN_OR_RETURN(entries_,
                          RouteToShards(
                              entries_, [](const Entry& e) { return e.doc; }, put, get, *exchange));
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.doc < b.doc; });
  removed_ = 0;
  std::vector<DocRef> kept;
  for (const Entry& e : entries_) {
    kept.push_back(e.kept);
    removed_ += e.remove;
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());

  // The kept documents' ids, from their owners, each found in one scan of its directory.
  auto ids_of = [&](const std::vector<DocRef>& asked) -> Result<std::vector<std::string>> {
    std::vector<std::string> found(asked.size());
    size_t next = 0;
    WINNOW_RETURN_IF_ERROR(docs.ForEach([&](DocRef doc, std::string_view id) {
      while (next < asked.size() && asked[next] < doc) ++next;
      if (next < asked.size() && asked[next] == doc) found[next].assign(id);
      return Status::OK();
    }));
    return found;
  };
  WINNOW_ASSIGN_OR_RETURN(ids_, AskOwners(kept, ids_of, *exchange));
  for (Entry& e : entries_) {
    e.id_index =
        static_cast<uint32_t>(std::lower_bound(kept.begin(), kept.end(), e.kept) - kept.begin());
  }
  return Status::OK();
}

Status RemovalSet::Finish(const DocDirectory& docs) {
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.doc < b.doc; });
  removed_ = 0;
  std::vector<DocRef> kept;
  kept.reserve(entries_.size());
  for (const Entry& e : entries_) {
    kept.push_back(e.kept);
    removed_ += e.remove;
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  ids_.assign(kept.size(), std::string());
  size_t next = 0;
  WINNOW_RETURN_IF_ERROR(docs.ForEach([&](DocRef doc, std::string_view id) {
    while (next < kept.size() && kept[next] < doc) ++next;
    if (next < kept.size() && kept[next] == doc) ids_[next].assign(id);
    return Status::OK();
  }));
  for (Entry& e : entries_) {
    e.id_index =
        static_cast<uint32_t>(std::lower_bound(kept.begin(), kept.end(), e.kept) - kept.begin());
  }
  return Status::OK();
}

const RemovalSet::Entry* RemovalSet::Find(DocRef doc) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), doc,
                             [](const Entry& e, DocRef d) { return e.doc < d; });
  return it != entries_.end() && it->doc == doc ? &*it : nullptr;
}

bool RemovalSet::Removes(DocRef doc) const {
  const Entry* e = Find(doc);
  return e != nullptr && e->remove;
}

std::vector<std::pair<DocRef, DocRef>> RemovalSet::ExamplePairs(size_t k) const {
  std::vector<std::pair<uint64_t, const Entry*>> ranked;
  for (const Entry& e : entries_) {
    if (e.remove) ranked.emplace_back(XXH3_64bits(&e.doc, sizeof(e.doc)), &e);
  }
  const size_t n = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<ptrdiff_t>(n), ranked.end());
  std::vector<std::pair<DocRef, DocRef>> pairs;
  for (size_t i = 0; i < n; ++i) pairs.emplace_back(ranked[i].second->doc, ranked[i].second->kept);
  return pairs;
}

Status RemovalSet::Apply(Batch& batch) const {
  if (entries_.empty()) return Status::OK();
  for (size_t i = 0; i < batch.docs.size(); ++i) {
    Document& d = batch.docs[i];
    if (d.removed()) continue;
    const Entry* e = Find(PackDoc(d.where));
    if (e == nullptr) continue;
    if (e->cluster_id >= 0) {
      d.cluster_id = e->cluster_id;
      d.cluster_size = e->cluster_size;
    }
    if (e->remove) {
      d.duplicate_of = ids_[e->id_index];
      batch.Drop(i, reason_);
    }
  }
  return Status::OK();
}

void RemovalSet::Save(std::string* out) const {
  WireWriter w;
  w.PutVarint(entries_.size());
  for (const Entry& e : entries_) {
    w.PutVarint(e.doc);
    w.PutVarint(e.kept);
    w.PutSigned(e.cluster_id);
    w.PutVarint(e.cluster_size);
    w.PutBool(e.remove);
    w.PutVarint(e.id_index);
  }
  w.PutVarint(ids_.size());
  for (const std::string& id : ids_) w.PutString(id);
  out->append(w.bytes());
}

Status RemovalSet::Load(std::string_view bytes) {
  WireReader r(bytes);
  entries_.assign(r.GetCount(6), Entry{});
  removed_ = 0;
  for (Entry& e : entries_) {
    e.doc = r.GetVarint();
    e.kept = r.GetVarint();
    e.cluster_id = r.GetSigned();
    e.cluster_size = r.GetVarint();
    e.remove = r.GetBool();
    e.id_index = static_cast<uint32_t>(r.GetVarint());
    removed_ += e.remove;
  }
  ids_.assign(r.GetCount(1), std::string());
  for (std::string& id : ids_) id.assign(r.GetString());
  bool sane = r.ok() && r.at_end();
  for (size_t i = 0; sane && i < entries_.size(); ++i) {
    sane = entries_[i].id_index < ids_.size() && (i == 0 || entries_[i - 1].doc < entries_[i].doc);
  }
  if (!sane) {
    entries_.clear();
    ids_.clear();
    removed_ = 0;
    return Status::Corrupt(std::string(reason_) + ": saved decisions do not decode");
  }
  return Status::OK();
}

}  // namespace winnow::dedup
