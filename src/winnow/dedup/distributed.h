// The distributed halves of the global stages' group step (ARCHITECTURE.md: over MPI,
// all-to-all by key owner). Each takes the run's Exchange; with none, or a world of one, the
// stages do not call them and group in one process as before.
//
//   ShuffleRuns      map keys -> the rank that owns their group (a hash of the group's key),
//                    batched into rounds of bounded size, merged there into sorted runs
//   RouteToShards    decisions -> the rank that owns the document's shard
//   StarComponents   connected components of candidate edges without any rank holding all
//                    edges: alternating large-star / small-star rounds (Kiveris et al.,
//                    "Connected Components in MapReduce and Beyond", SoCC 2014), each one
//                    all-to-all by vertex; O(log^2 n) rounds, usually a handful
//
// Everything here is deterministic: what a rank receives is ordered by source rank and then
// sorted, so results do not depend on message timing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "winnow/core/exchange.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/wire.h"
#include "winnow/dedup/sorted_runs.h"

namespace winnow::dedup {

struct ShuffleOptions {
  int group_fields = 2;  // records with equal fields a (and b, when 2) belong to one group
  int doc_field = 2;     // the field holding the record's DocRef (1: b, 2: c)
  std::string dir;       // work directory for the received runs
  uint64_t budget_bytes = 0;
};

// Drains `local` (records of this rank's documents) and returns the records of the groups this
// rank owns, from every rank, ready to Merge. Records of documents that `earlier` removes are
// not sent (a document's shard owner is the only rank that knows). Collective.
Result<std::unique_ptr<SortedRuns>> ShuffleRuns(SortedRuns& local, const ShuffleOptions& options,
                                                const std::vector<const GlobalDecisions*>& earlier,
                                                Exchange& exchange);

inline bool Distributed(const GlobalContext& context) {
  return context.exchange != nullptr && context.exchange->size() > 1;
}

// What a stage's group step reads: its own `local` runs in a world of one, else ShuffleRuns of
// them into context.work_dir/shuffled with the context's budget. Collective.
Result<std::unique_ptr<SortedRuns>> GroupRuns(std::unique_ptr<SortedRuns> local,
                                              const GlobalContext& context, int group_fields,
                                              int doc_field,
                                              const std::vector<const GlobalDecisions*>& earlier);

// Sends each item to the owner of the shard of key(item) and returns what this rank received,
// in source-rank order. `put` appends an item to a WireWriter, `get` reads one back. Collective.
template <typename T, typename Key, typename Put, typename Get>
Result<std::vector<T>> RouteToShards(const std::vector<T>& items, Key key, Put put, Get get,
                                     Exchange& exchange);

// Edges (a, b) between documents, any orientation, repeats allowed, spread over the ranks.
// Returns (root, member) for every member of a component that is not its root, where the root
// is the component's smallest DocRef, on the rank that owns the root's shard, sorted. `rounds`
// (optional) receives the number of star rounds. Collective.
Result<std::vector<std::pair<DocRef, DocRef>>> StarComponents(
    std::vector<std::pair<DocRef, DocRef>> edges, Exchange& exchange, int* rounds = nullptr);

// Looks documents up on the ranks that own their shards. `wanted`: sorted, distinct DocRefs.
// Every rank gets the documents asked of it, from all ranks, sorted and distinct, and
// `answer` returns one value per document in that order. Returns the value for each of
// `wanted`, in its order. Collective.
using OwnerAnswer =
    std::function<Result<std::vector<std::string>>(const std::vector<DocRef>& asked)>;
Result<std::vector<std::string>> AskOwners(const std::vector<DocRef>& wanted,
                                           const OwnerAnswer& answer, Exchange& exchange);

// Exclusive prefix sum of `n` over the ranks (the sum of the lower ranks' values). Collective.
Result<uint64_t> RanksBefore(uint64_t n, Exchange& exchange);

// ---- template definition ----

template <typename T, typename Key, typename Put, typename Get>
Result<std::vector<T>> RouteToShards(const std::vector<T>& items, Key key, Put put, Get get,
                                     Exchange& exchange) {
  std::vector<WireWriter> out(static_cast<size_t>(exchange.size()));
  for (const T& item : items) {
    const int owner = exchange.OwnerOfShard(UnpackDoc(key(item)).shard);
    put(out[static_cast<size_t>(owner)], item);
  }
  std::vector<std::string> bytes;
  bytes.reserve(out.size());
  for (WireWriter& w : out) bytes.push_back(std::move(w.bytes()));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> in, exchange.AllToAll(std::move(bytes)));
  std::vector<T> received;
  for (const std::string& b : in) {
    WireReader r(b);
    while (!r.at_end() && r.ok()) received.push_back(get(r));
    if (!r.ok()) return Status::Internal("a rank sent decisions that do not decode");
  }
  return received;
}

}  // namespace winnow::dedup
