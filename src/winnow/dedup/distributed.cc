#include "winnow/dedup/distributed.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace winnow::dedup {
namespace {

using Edge = std::pair<DocRef, DocRef>;

// A rank for a vertex: hashed, so components' vertices spread over the ranks.
int VertexOwner(DocRef v, int ranks) {
  return static_cast<int>(XXH3_64bits(&v, sizeof(v)) % static_cast<uint64_t>(ranks));
}

// Sends edges[i] to owners[i]; returns what arrived, sorted and without repeats.
Result<std::vector<Edge>> SendEdges(const std::vector<Edge>& edges, const std::vector<int>& owners,
                                    Exchange& exchange) {
  std::vector<std::string> out(static_cast<size_t>(exchange.size()));
  for (size_t i = 0; i < edges.size(); ++i) {
    std::string& o = out[static_cast<size_t>(owners[i])];
    o.append(reinterpret_cast<const char*>(&edges[i]), sizeof(Edge));
  }
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> in, exchange.AllToAll(std::move(out)));
  std::vector<Edge> received;
  for (const std::string& b : in) {
    if (b.size() % sizeof(Edge) != 0) return Status::Internal("a rank sent a partial edge");
    const size_t n = b.size() / sizeof(Edge);
    const size_t at = received.size();
    received.resize(at + n);
    if (n > 0) std::memcpy(static_cast<void*>(received.data() + at), b.data(), b.size());
  }
  std::sort(received.begin(), received.end());
  received.erase(std::unique(received.begin(), received.end()), received.end());
  return received;
}

}  // namespace

Result<std::unique_ptr<SortedRuns>> ShuffleRuns(SortedRuns& local, const ShuffleOptions& options,
                                                const std::vector<const GlobalDecisions*>& earlier,
                                                Exchange& exchange) {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("cannot create " + options.dir + ": " + ec.message());
  const auto ranks = static_cast<size_t>(exchange.size());
  // Half the budget receives (sorted runs spill past it), a quarter goes out per round.
  auto received = std::make_unique<SortedRuns>(options.dir, options.budget_bytes / 2, 1);
  std::unique_ptr<SortedRuns::Writer> writer = received->NewWriter();
  const size_t round_bytes =
      std::clamp<size_t>(options.budget_bytes / 4, size_t{1} << 20, size_t{64} << 20);
  // Each message starts with one byte: 1 when its sender will take part in another round
  // (it has records left), 0 when not. Rounds go on until every rank sent 0 in the same one.
  std::vector<std::string> out(ranks, std::string(1, '\0'));
  size_t pending = 0;
  auto round = [&](bool more) -> Result<bool> {
    for (std::string& o : out) o[0] = more ? 1 : 0;
    WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> in, exchange.AllToAll(std::move(out)));
    out.assign(ranks, std::string(1, '\0'));
    pending = 0;
    bool any_more = false;
    for (const std::string& b : in) {
      if (b.empty() || (b.size() - 1) % sizeof(KeyRecord) != 0) {
        return Status::Internal("a rank sent a malformed key message");
      }
      any_more |= b[0] != 0;
      for (size_t at = 1; at < b.size(); at += sizeof(KeyRecord)) {
        KeyRecord r;
        std::memcpy(&r, b.data() + at, sizeof(r));
        writer->Add(r);
      }
    }
    return any_more;
  };
  WINNOW_RETURN_IF_ERROR(local.Merge([&](const KeyRecord& r) -> Status {
    const DocRef doc = options.doc_field == 1 ? r.b : r.c;
    if (RemovedByAny(earlier, doc)) return Status::OK();
    const uint64_t group[2] = {r.a, r.b};
    const uint64_t h = XXH3_64bits(group, options.group_fields == 1 ? 8 : 16);
    out[h % ranks].append(reinterpret_cast<const char*>(&r), sizeof(r));
    pending += sizeof(r);
    if (pending >= round_bytes) {
      Result<bool> more = round(true);
      if (!more.ok()) return more.status();
    }
    return Status::OK();
  }));
  for (;;) {
    WINNOW_ASSIGN_OR_RETURN(bool more, round(false));
    if (!more) break;
  }
  WINNOW_RETURN_IF_ERROR(writer->Finish());
  return received;
}

Result<std::unique_ptr<SortedRuns>> GroupRuns(std::unique_ptr<SortedRuns> local,
                                              const GlobalContext& context, int group_fields,
                                              int doc_field,
                                              const std::vector<const GlobalDecisions*>& earlier) {
  if (!Distributed(context)) return local;
  ShuffleOptions options{group_fields, doc_field, context.work_dir + "/shuffled",
                         context.memory_budget};
  return ShuffleRuns(*local, options, earlier, *context.exchange);
}

Result<std::vector<std::pair<DocRef, DocRef>>> StarComponents(std::vector<Edge> edges,
                                                              Exchange& exchange, int* rounds) {
  const int ranks = exchange.size();
  std::vector<int> owners;
  int round = 0;
  for (;; ++round) {
    if (round > 1000) return Status::Internal("connected components did not converge");
    // Large star: every vertex u links its larger neighbours to the smallest of u and its
    // neighbours. Each vertex needs all its neighbours: send both directions.
    std::vector<Edge> both;
    both.reserve(2 * edges.size());
    owners.clear();
    for (const Edge& e : edges) {
      if (e.first == e.second) continue;
      both.emplace_back(e.first, e.second);
      owners.push_back(VertexOwner(e.first, ranks));
      both.emplace_back(e.second, e.first);
      owners.push_back(VertexOwner(e.second, ranks));
    }
    edges.clear();
    WINNOW_ASSIGN_OR_RETURN(std::vector<Edge> adjacent, SendEdges(both, owners, exchange));
    both.clear();
    uint64_t changed = 0;
    std::vector<Edge> large;
    for (size_t i = 0; i < adjacent.size();) {
      size_t j = i;
      const DocRef u = adjacent[i].first;
      DocRef m = u;
      while (j < adjacent.size() && adjacent[j].first == u) m = std::min(m, adjacent[j++].second);
      for (size_t k = i; k < j; ++k) {
        const DocRef v = adjacent[k].second;
        if (v <= u) continue;
        large.emplace_back(v, m);
        changed += m != u;
      }
      i = j;
    }
    adjacent.clear();
    // Small star: every vertex u links itself and its smaller neighbours to the smallest of
    // them. Each edge goes to its larger end.
    owners.clear();
    for (Edge& e : large) {
      if (e.second > e.first) std::swap(e.first, e.second);
      owners.push_back(VertexOwner(e.first, ranks));
    }
    WINNOW_ASSIGN_OR_RETURN(std::vector<Edge> smaller, SendEdges(large, owners, exchange));
    large.clear();
    for (size_t i = 0; i < smaller.size();) {
      size_t j = i;
      const DocRef u = smaller[i].first;
      const DocRef m = smaller[i].second;  // sorted: the smallest neighbour comes first
      for (; j < smaller.size() && smaller[j].first == u; ++j) {
        if (smaller[j].second != m) {
          edges.emplace_back(smaller[j].second, m);
          ++changed;
        }
      }
      edges.emplace_back(u, m);
      i = j;
    }
    WINNOW_ASSIGN_OR_RETURN(bool any, exchange.AnyAll(changed > 0));
    if (!any) break;
  }
  if (rounds != nullptr) *rounds = round + 1;
  // Converged: a forest of stars, each leaf (u, m) linked to its component's smallest vertex.
  std::vector<Edge> stars;
  stars.reserve(edges.size());
  for (const Edge& e : edges) stars.emplace_back(e.second, e.first);  // (root, member)
  auto key = [](const Edge& e) { return e.first; };
  auto put = [](WireWriter& w, const Edge& e) {
    w.PutVarint(e.first);
    w.PutVarint(e.second);
  };
  auto get = [](WireReader& r) {
    const DocRef root = r.GetVarint();
    return Edge{root, r.GetVarint()};
  };
  WINNOW_ASSIGN_OR_RETURN(std::vector<Edge> mine, RouteToShards(stars, key, put, get, exchange));
  std::sort(mine.begin(), mine.end());
  return mine;
}

Result<std::vector<std::string>> AskOwners(const std::vector<DocRef>& wanted,
                                           const OwnerAnswer& answer, Exchange& exchange) {
  const auto ranks = static_cast<size_t>(exchange.size());
  auto owner = [&](DocRef d) {
    return static_cast<size_t>(exchange.OwnerOfShard(UnpackDoc(d).shard));
  };
  std::vector<WireWriter> ask(ranks);
  for (DocRef d : wanted) ask[owner(d)].PutVarint(d);
  std::vector<std::string> out;
  for (WireWriter& w : ask) out.push_back(std::move(w.bytes()));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> asked, exchange.AllToAll(std::move(out)));
  std::vector<std::vector<DocRef>> by_source(ranks);
  std::vector<DocRef> all;
  for (size_t r = 0; r < ranks; ++r) {
    WireReader rd(asked[r]);
    while (rd.ok() && !rd.at_end()) by_source[r].push_back(rd.GetVarint());
    all.insert(all.end(), by_source[r].begin(), by_source[r].end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> values, answer(all));
  if (values.size() != all.size())
    return Status::Internal("AskOwners: one answer per document expected");
  std::vector<WireWriter> reply(ranks);
  for (size_t r = 0; r < ranks; ++r) {
    for (DocRef d : by_source[r]) {
      reply[r].PutString(
          values[static_cast<size_t>(std::lower_bound(all.begin(), all.end(), d) - all.begin())]);
    }
  }
  out.clear();
  for (WireWriter& w : reply) out.push_back(std::move(w.bytes()));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> answers, exchange.AllToAll(std::move(out)));
  std::vector<WireReader> readers(answers.begin(), answers.end());
  std::vector<std::string> result;
  result.reserve(wanted.size());
  for (DocRef d : wanted) {
    WireReader& rd = readers[owner(d)];
    result.emplace_back(rd.GetString());
    if (!rd.ok()) return Status::Internal("a rank answered fewer documents than asked");
  }
  return result;
}

Result<uint64_t> RanksBefore(uint64_t n, Exchange& exchange) {
  WireWriter w;
  w.PutVarint(n);
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> all, exchange.AllGather(w.bytes()));
  uint64_t before = 0;
  for (int r = 0; r < exchange.rank(); ++r) {
    WireReader rd(all[static_cast<size_t>(r)]);
    before += rd.GetVarint();
  }
  return before;
}

}  // namespace winnow::dedup
