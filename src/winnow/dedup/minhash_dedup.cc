#include "winnow/dedup/minhash_dedup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>

#include "winnow/core/json_writer.h"
#include "winnow/dedup/distributed.h"
#include "winnow/dedup/removal_set.h"
#include "winnow/dedup/sorted_runs.h"

namespace winnow::dedup {
namespace {

// A JSONL side file written to "<path>.tmp" and renamed when complete.
class SideFile {
 public:
  static Result<std::unique_ptr<SideFile>> Create(const std::string& path) {
    std::unique_ptr<SideFile> f(new SideFile());
    f->path_ = path;
    f->file_ = std::fopen((path + ".tmp").c_str(), "wb");
    if (f->file_ == nullptr) {
      return Status::IOError("cannot create " + path + ".tmp: " + std::strerror(errno));
    }
    return f;
  }
  ~SideFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::remove((path_ + ".tmp").c_str());
    }
  }
  Status Write(const std::string& line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return Status::IOError("cannot write " + path_ + ".tmp (disk full?)");
    }
    return Status::OK();
  }
  Status Commit() {
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0 || std::rename((path_ + ".tmp").c_str(), path_.c_str()) != 0) {
      return Status::IOError("cannot complete " + path_ + ": " + std::strerror(errno));
    }
    return Status::OK();
  }

 private:
  SideFile() = default;
  std::string path_;
  std::FILE* file_ = nullptr;
};

// Union-find over dense document indices; the smaller index becomes the root, so a cluster's
// root is its first document by provenance.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // path halving
      x = parent_[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<uint32_t> parent_;
};

// ---- the clustering rule, for one process and for ranks alike ----
//
// Documents sharing a band key form a group, its members in DocRef order (first seen first).
// Every member after the first is a candidate: joined to the group's first member or, when
// candidates are verified on their whole signatures and that pair falls short, to the member
// before it (so a chain of near duplicates stays one cluster). A cluster is a connected
// component of the joins; its smallest DocRef is kept, the others are removed.

// Calls fn(members) for each band group of two or more documents that no stage in `earlier`
// removes, in key order.
Status ForEachBandGroup(SortedRuns& keys, const std::vector<const GlobalDecisions*>& earlier,
                        const std::function<Status(const std::vector<DocRef>&)>& fn) {
  std::vector<DocRef> members;
  bool have = false;
  uint64_t band = 0, key = 0;
  auto close = [&]() -> Status {
    Status st = members.size() >= 2 ? fn(members) : Status::OK();
    members.clear();
    return st;
  };
  auto add = [&](const KeyRecord& r) -> Status {
    if (!have || r.a != band || r.b != key) {
      WINNOW_RETURN_IF_ERROR(close());
      have = true;
      band = r.a;
      key = r.b;
    }
    if (!RemovedByAny(earlier, r.c)) members.push_back(r.c);
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(keys.Merge(add));
  return close();
}

// A group's candidates, in member order.
void AddCandidates(const std::vector<DocRef>& members, std::vector<MinHashCandidate>* out) {
  for (size_t i = 1; i < members.size(); ++i) {
    out->push_back(MinHashCandidate{members[i], members[0], members[i - 1], i > 1});
  }
}

// The document a verified candidate joins, or none. Signatures are null when a document has
// none (too short to shingle).
std::optional<DocRef> VerifiedPartner(const MinHashCandidate& c, const uint64_t* sig,
                                      const uint64_t* first, const uint64_t* prev, size_t k,
                                      double accept) {
  if (sig == nullptr) return std::nullopt;
  if (first != nullptr && EstimatedJaccard(first, sig, k) >= accept) return c.first;
  if (c.has_prev && prev != nullptr && EstimatedJaccard(prev, sig, k) >= accept) return c.prev;
  return std::nullopt;
}

// Clusters from star edges (root, member), sorted, roots the components' smallest DocRefs:
// numbered from `first` in root order, the root kept and the members removed. Returns the
// number of clusters.
uint64_t AddClusters(const std::vector<std::pair<DocRef, DocRef>>& stars, int64_t first,
                     RemovalSet* removals) {
  uint64_t clusters = 0;
  for (size_t i = 0; i < stars.size();) {
    size_t j = i;
    while (j < stars.size() && stars[j].first == stars[i].first) ++j;
    const auto cluster = first + static_cast<int64_t>(clusters++);
    const DocRef root = stars[i].first;
    const uint64_t size = j - i + 1;
    removals->Add(RemovalSet::Entry{root, root, cluster, size, false});
    for (size_t m = i; m < j; ++m) {
      removals->Add(RemovalSet::Entry{stars[m].second, root, cluster, size, true});
    }
    i = j;
  }
  return clusters;
}

}  // namespace

// ---- SignatureStore ----

SignatureStore::SignatureStore(std::string dir, size_t permutations)
    : dir_(std::move(dir)), permutations_(permutations), slot_bytes_(8 * (permutations + 1)) {}

SignatureStore::~SignatureStore() {
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

Result<int> SignatureStore::File(uint32_t shard, bool create) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (fds_.size() <= shard) fds_.resize(shard + 1, -1);
  if (fds_[shard] >= 0 || (fds_[shard] == -2 && !create)) return fds_[shard];
  char name[32];
  std::snprintf(name, sizeof(name), "/sig-%05u.bin", shard);
  std::string path = dir_ + name;
  int fd =
      ::open(path.c_str(), create ? (O_RDWR | O_CREAT | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC), 0644);
  if (fd < 0) {
    if (!create && errno == ENOENT) return fds_[shard] = -2;
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  return fds_[shard] = fd;
}

Status SignatureStore::Put(DocRef doc, const uint64_t* sig) {
  const Provenance p = UnpackDoc(doc);
  WINNOW_ASSIGN_OR_RETURN(int fd, File(p.shard, /*create=*/true));
  std::vector<uint64_t> slot(permutations_ + 1);
  slot[0] = 1;  // present (a sparse file reads zeros where nothing was written)
  std::copy(sig, sig + permutations_, slot.begin() + 1);
  const off_t at = static_cast<off_t>(p.ordinal * slot_bytes_);
  if (::pwrite(fd, slot.data(), slot_bytes_, at) != static_cast<ssize_t>(slot_bytes_)) {
    return Status::IOError("cannot write signatures to " + dir_ +
                           " (disk full?): " + std::strerror(errno));
  }
  return Status::OK();
}

Result<bool> SignatureStore::Get(DocRef doc, uint64_t* sig) const {
  const Provenance p = UnpackDoc(doc);
  WINNOW_ASSIGN_OR_RETURN(int fd, File(p.shard, /*create=*/false));
  if (fd < 0) return false;
  thread_local std::vector<uint64_t> slot;
  slot.resize(permutations_ + 1);
  const off_t at = static_cast<off_t>(p.ordinal * slot_bytes_);
  ssize_t n = ::pread(fd, slot.data(), slot_bytes_, at);
  if (n < 0)
    return Status::IOError("cannot read signatures in " + dir_ + ": " + std::strerror(errno));
  if (n != static_cast<ssize_t>(slot_bytes_) || slot[0] != 1) return false;
  std::copy(slot.begin() + 1, slot.end(), sig);
  return true;
}

// ---- the stage ----

class MinHashDedup::Mapper final : public GlobalMapper {
 public:
  Mapper(const MinHasher& hasher, std::unique_ptr<SortedRuns::Writer> out, SignatureStore* store,
         Counters* counters)
      : hasher_(hasher),
        out_(std::move(out)),
        store_(store),
        counters_(counters),
        sig_(hasher.permutations()),
        keys_(static_cast<size_t>(hasher.config().bands)) {}

  Status Map(Batch& batch) override {
    for (const Document& d : batch.docs) {
      if (d.removed()) continue;
      if (!hasher_.Signature(d.text, scratch_, sig_.data())) {
        ++without_signature_;
        continue;
      }
      const DocRef doc = PackDoc(d.where);
      hasher_.BandKeys(sig_.data(), keys_.data());
      for (size_t band = 0; band < keys_.size(); ++band)
        out_->Add(KeyRecord{band, keys_[band], doc});
      if (store_ != nullptr) WINNOW_RETURN_IF_ERROR(store_->Put(doc, sig_.data()));
    }
    return Status::OK();
  }
  Status Finish() override {
    if (counters_ != nullptr) counters_->Add("minhash.without_signature", without_signature_);
    return out_->Finish();
  }

 private:
  const MinHasher& hasher_;
  std::unique_ptr<SortedRuns::Writer> out_;
  SignatureStore* store_;
  Counters* counters_;
  MinHashScratch scratch_;
  std::vector<uint64_t> sig_, keys_;
  int64_t without_signature_ = 0;
};

const StageSpec& MinHashDedup::Spec() {
  static const StageSpec spec{
      "minhash",
      "Removes near duplicates with MinHash-LSH across the whole input; each cluster keeps its "
      "first document and the others name it in duplicate_of.",
      {
          {"preset", "native",
           "native (fast: case folding, XXH3) or datatrove (bit-identical signatures to "
           "datatrove's MinhashDedupSignature)"},
          {"n_grams", "5", "words per shingle"},
          {"bands", "null", "LSH bands; null: 14, or derived from threshold"},
          {"rows", "null", "permutations per band; null: 8, or derived from threshold"},
          {"permutations", "112", "signature length when bands x rows are derived"},
          {"seed", "1", "seed of the permutations"},
          {"threshold", "null",
           "target Jaccard similarity: derives bands x rows and verifies candidates; null: "
           "every pair with an equal band is a duplicate (datatrove)"},
          {"verify", "true", "with a threshold: check candidates' estimated Jaccard"},
          {"margin", "2", "standard errors below the threshold a verified pair may estimate"},
          {"fp_weight", "0.02",
           "weight of false positives when deriving bands x rows (low: verification removes "
           "them, so the derivation favours recall)"},
          {"fn_weight", "0.98", "weight of false negatives when deriving bands x rows"},
          {"signatures_file", "", "write {id, sig} per document to this JSONL file"},
          {"clusters_file", "", "write {id, kept, cluster_id, cluster_size} per document"},
      }};
  return spec;
}

Result<std::unique_ptr<MinHashDedup>> MinHashDedup::Create(const Options& o) {
  auto stage = std::make_unique<MinHashDedup>();
  MinHashConfig config;
  WINNOW_ASSIGN_OR_RETURN(std::string preset, o.String("preset"));
  if (preset == "datatrove") {
    config.preset = MinHashPreset::kDatatrove;
  } else if (preset != "native") {
    return Status::InvalidArgument("minhash: option preset: expected native or datatrove, got '" +
                                   preset + "'");
  }
  WINNOW_ASSIGN_OR_RETURN(int64_t n_grams, o.Int("n_grams"));
  WINNOW_ASSIGN_OR_RETURN(int64_t seed, o.Int("seed"));
  WINNOW_ASSIGN_OR_RETURN(stage->threshold_, o.OptionalDouble("threshold"));
  WINNOW_ASSIGN_OR_RETURN(stage->verify_, o.Bool("verify"));
  WINNOW_ASSIGN_OR_RETURN(stage->margin_, o.Double("margin"));
  WINNOW_ASSIGN_OR_RETURN(std::optional<int64_t> bands, o.OptionalInt("bands"));
  WINNOW_ASSIGN_OR_RETURN(std::optional<int64_t> rows, o.OptionalInt("rows"));
  WINNOW_ASSIGN_OR_RETURN(int64_t permutations, o.Int("permutations"));
  WINNOW_ASSIGN_OR_RETURN(double fp_weight, o.Double("fp_weight"));
  WINNOW_ASSIGN_OR_RETURN(double fn_weight, o.Double("fn_weight"));
  WINNOW_ASSIGN_OR_RETURN(stage->signatures_file_, o.String("signatures_file"));
  WINNOW_ASSIGN_OR_RETURN(stage->clusters_file_, o.String("clusters_file"));
  if (stage->threshold_ && (*stage->threshold_ <= 0 || *stage->threshold_ >= 1)) {
    return Status::InvalidArgument("minhash: option threshold: expected a value in (0, 1)");
  }
  if (n_grams < 1 || n_grams > 64 || permutations < 1 || permutations > 1024) {
    return Status::InvalidArgument("minhash: n_grams must be 1..64 and permutations 1..1024");
  }
  config.n_grams = static_cast<int>(n_grams);
  config.seed = static_cast<uint64_t>(seed);
  if (bands.has_value() != rows.has_value()) {
    return Status::InvalidArgument("minhash: give both bands and rows, or neither");
  }
  if (bands) {
    if (*bands < 1 || *rows < 1 || *bands * *rows > 1024) {
      return Status::InvalidArgument(
          "minhash: bands and rows must be >= 1 with bands x rows <= 1024");
    }
    config.bands = static_cast<int>(*bands);
    config.rows = static_cast<int>(*rows);
  } else if (stage->threshold_) {
    BandsRows br =
        OptimalBandsRows(*stage->threshold_, static_cast<int>(permutations), fp_weight, fn_weight);
    config.bands = br.bands;
    config.rows = br.rows;
  }
  WINNOW_ASSIGN_OR_RETURN(stage->hasher_, MinHasher::Create(config));
  return stage;
}

MinHashDedup::~MinHashDedup() = default;

Status MinHashDedup::Begin(const GlobalContext& context) {
  context_ = context;
  keys_ = std::make_unique<SortedRuns>(context.work_dir, context.memory_budget, context.threads);
  const bool verifying = threshold_.has_value() && verify_;
  if (Distributed(context) && (!signatures_file_.empty() || !clusters_file_.empty())) {
    // One JSONL file in document order, written by the process that groups.
    return Status::InvalidArgument(
        "minhash: signatures_file and clusters_file are written by one process; leave them "
        "out when running over several ranks");
  }
  if (verifying || !signatures_file_.empty()) {
    signatures_ = std::make_unique<SignatureStore>(context.work_dir, hasher_->permutations());
  }
  return Status::OK();
}

Result<std::unique_ptr<GlobalMapper>> MinHashDedup::NewMapper(const WorkerContext& ctx) {
  if (!keys_) return Status::Internal("minhash: NewMapper before Begin");
  return std::unique_ptr<GlobalMapper>(
      new Mapper(*hasher_, keys_->NewWriter(), signatures_.get(), ctx.counters));
}

double MinHashDedup::Accept() const {
  const double t = *threshold_;
  return t - margin_ * std::sqrt(t * (1 - t) / static_cast<double>(hasher_->permutations()));
}

Result<std::unique_ptr<GlobalDecisions>> MinHashDedup::Group(
    const DocDirectory& docs, const std::vector<const GlobalDecisions*>& earlier,
    Counters* counters) {
  if (Distributed(context_)) return GroupAcrossRanks(docs, earlier, counters);
  // Dense document indices: shard bases over the shards' record counts.
  const std::vector<uint64_t>& records = docs.shard_records();
  std::vector<uint64_t> base(records.size() + 1, 0);
  for (size_t s = 0; s < records.size(); ++s) base[s + 1] = base[s] + records[s];
  if (base.back() >= (uint64_t{1} << 32)) {
    return Status::ResourceExhausted("minhash: more than 2^32 records in one process");
  }
  auto dense = [&](DocRef d) {
    Provenance p = UnpackDoc(d);
    return static_cast<uint32_t>(base[p.shard] + p.ordinal);
  };
  auto to_ref = [&](uint32_t d) {
    auto shard =
        static_cast<size_t>(std::upper_bound(base.begin(), base.end(), d) - base.begin() - 1);
    return PackDoc(Provenance{static_cast<uint32_t>(shard), d - base[shard]});
  };
  // Per record: its union-find parent (4 bytes) and whether it is in a join (1 bit; a list
  // of the joins' documents held each once per join: 8 bytes per candidate pair, about 12
  // bytes a document at FineWeb's 14 bands).
  auto sets = std::make_unique<DisjointSets>(static_cast<size_t>(base.back()));
  std::vector<uint64_t> joined((static_cast<size_t>(base.back()) + 63) / 64);
  auto join = [&](DocRef a, DocRef b) {
    const uint32_t x = dense(a), y = dense(b);
    sets->Union(x, y);
    joined[x >> 6] |= uint64_t{1} << (x & 63);
    joined[y >> 6] |= uint64_t{1} << (y & 63);
  };

  const size_t k = hasher_->permutations();
  const bool verifying = threshold_.has_value() && verify_;
  const double accept = verifying ? Accept() : 0;
  Tally tally;
  // A group's candidates are verified in order, so each signature is read once: the first
  // member's, and each member's, kept as the next one's `prev`.
  std::vector<uint64_t> first_sig(k), prev_sig(k), sig(k);
  std::vector<MinHashCandidate> candidates;
  auto group = [&](const std::vector<DocRef>& members) -> Status {
    ++tally.groups;
    candidates.clear();
    AddCandidates(members, &candidates);
    bool have_first = false, have_prev = false;
    if (verifying) {
      WINNOW_ASSIGN_OR_RETURN(have_first, signatures_->Get(members[0], first_sig.data()));
      prev_sig = first_sig;
      have_prev = have_first;
    }
    for (const MinHashCandidate& c : candidates) {
      ++tally.candidates;
      if (!verifying) {
        join(c.first, c.doc);
        continue;
      }
      WINNOW_ASSIGN_OR_RETURN(bool have, signatures_->Get(c.doc, sig.data()));
      std::optional<DocRef> partner =
          VerifiedPartner(c, have ? sig.data() : nullptr, have_first ? first_sig.data() : nullptr,
                          have_prev ? prev_sig.data() : nullptr, k, accept);
      if (partner) {
        join(*partner, c.doc);
      } else {
        ++tally.rejected;
      }
      prev_sig.swap(sig);
      have_prev = have;
    }
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(ForEachBandGroup(*keys_, earlier, group));

  // The components as stars (root, member): every joined document but the root with its root.
  std::vector<std::pair<DocRef, DocRef>> stars;
  for (size_t w = 0; w < joined.size(); ++w) {
    for (uint64_t bits = joined[w]; bits != 0; bits &= bits - 1) {
      const auto d = static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
      const uint32_t root = sets->Find(d);
      if (root != d) stars.emplace_back(to_ref(root), to_ref(d));
    }
  }
  sets.reset();
  joined = {};
  std::sort(stars.begin(), stars.end());
  auto removals = std::make_unique<RemovalSet>("minhash:duplicate");
  const uint64_t clusters = AddClusters(stars, 0, removals.get());
  WINNOW_RETURN_IF_ERROR(removals->Finish(docs));
  if (!signatures_file_.empty() || !clusters_file_.empty()) {
    WINNOW_RETURN_IF_ERROR(WriteSideFiles(docs, earlier, *removals));
  }
  if (counters != nullptr) {
    counters->Add("minhash.band_records", static_cast<int64_t>(keys_->records()));
    counters->Add("minhash.spilled_bytes", static_cast<int64_t>(keys_->spilled_bytes()));
    counters->Add("minhash.candidate_groups", tally.groups);
    counters->Add("minhash.candidate_pairs", tally.candidates);
    counters->Add("minhash.rejected_pairs", tally.rejected);
    counters->Add("minhash.clusters", static_cast<int64_t>(clusters));
    counters->Add("minhash.removed", static_cast<int64_t>(removals->removed()));
  }
  keys_.reset();
  signatures_.reset();
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

Status MinHashDedup::WriteSideFiles(const DocDirectory& docs,
                                    const std::vector<const GlobalDecisions*>& earlier,
                                    const RemovalSet& removals) {
  const size_t k = hasher_->permutations();
  std::vector<uint64_t> sig(k);
  {
    std::unique_ptr<SideFile> sig_out, cluster_out;
    if (!signatures_file_.empty()) {
      WINNOW_ASSIGN_OR_RETURN(sig_out, SideFile::Create(signatures_file_));
    }
    if (!clusters_file_.empty()) {
      WINNOW_ASSIGN_OR_RETURN(cluster_out, SideFile::Create(clusters_file_));
    }
    const auto& entries = removals.entries();
    size_t next = 0;
    const auto rows = static_cast<size_t>(hasher_->config().rows);
    std::string line;
    auto write = [&](DocRef doc, std::string_view id) -> Status {
      if (RemovedByAny(earlier, doc)) return Status::OK();
      while (next < entries.size() && entries[next].doc < doc) ++next;
      const RemovalSet::Entry* e =
          next < entries.size() && entries[next].doc == doc ? &entries[next] : nullptr;
      if (cluster_out) {
        line = "{\"id\":";
        AppendJsonString(line, id);
        line += e != nullptr && e->remove ? ",\"kept\":false" : ",\"kept\":true";
        line += ",\"cluster_id\":";
        line += std::to_string(e != nullptr ? e->cluster_id : -1);
        line += ",\"cluster_size\":";
        line += std::to_string(e != nullptr ? e->cluster_size : 1);
        line += "}\n";
        WINNOW_RETURN_IF_ERROR(cluster_out->Write(line));
      }
      if (sig_out) {
        line = "{\"id\":";
        AppendJsonString(line, id);
        line += ",\"sig\":";
        WINNOW_ASSIGN_OR_RETURN(bool has, signatures_->Get(doc, sig.data()));
        if (!has) {
          line += "null";
        } else {
          line += '[';
          for (size_t i = 0; i < k; ++i) {
            if (i % rows == 0)
              line += i == 0 ? "[" : "],[";
            else
              line += ',';
            line += std::to_string(sig[i]);
          }
          line += "]]";
        }
        line += "}\n";
        WINNOW_RETURN_IF_ERROR(sig_out->Write(line));
      }
      return Status::OK();
    };
    WINNOW_RETURN_IF_ERROR(docs.ForEach(write));
    if (sig_out) WINNOW_RETURN_IF_ERROR(sig_out->Commit());
    if (cluster_out) WINNOW_RETURN_IF_ERROR(cluster_out->Commit());
  }

  return Status::OK();
}

// Verification over ranks: each candidate goes to the owner of its document, which holds that
// document's signature and asks the owners of the group's first member and of the member
// before it for theirs; then the same test as in one process (first, else the one before).
Status MinHashDedup::VerifyAcrossRanks(std::vector<MinHashCandidate> candidates,
                                       std::vector<std::pair<DocRef, DocRef>>* edges,
                                       Tally* tally) {
  Exchange& exchange = *context_.exchange;
  auto put = [](WireWriter& w, const MinHashCandidate& c) {
    w.PutVarint(c.doc);
    w.PutVarint(c.first);
    w.PutVarint(c.prev);
    w.PutBool(c.has_prev);
  };
  auto get = [](WireReader& r) {
    MinHashCandidate c;
    c.doc = r.GetVarint();
    c.first = r.GetVarint();
    c.prev = r.GetVarint();
    c.has_prev = r.GetBool();
    return c;
  };
  WINNOW_ASSIGN_OR_RETURN(
      candidates,
      RouteToShards(
          candidates, [](const MinHashCandidate& c) { return c.doc; }, put, get, exchange));
  // The partners' signatures, each asked once of its owner: the raw words, or empty when the
  // partner has none.
  std::vector<DocRef> wanted;
  for (const MinHashCandidate& c : candidates) {
    wanted.push_back(c.first);
    if (c.has_prev) wanted.push_back(c.prev);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const size_t k = hasher_->permutations();
  const size_t sig_bytes = k * sizeof(uint64_t);
  std::vector<uint64_t> sig(k);
  auto signatures_of = [&](const std::vector<DocRef>& asked) -> Result<std::vector<std::string>> {
    std::vector<std::string> found(asked.size());
    for (size_t i = 0; i < asked.size(); ++i) {
      WINNOW_ASSIGN_OR_RETURN(bool have, signatures_->Get(asked[i], sig.data()));
      if (have) found[i].assign(reinterpret_cast<const char*>(sig.data()), sig_bytes);
    }
    return found;
  };
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> bytes,
                          AskOwners(wanted, signatures_of, exchange));
  std::vector<std::vector<uint64_t>> partner(wanted.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i].empty()) continue;
    if (bytes[i].size() != sig_bytes)
      return Status::Internal("minhash: a rank sent a short signature");
    partner[i].resize(k);
    std::memcpy(partner[i].data(), bytes[i].data(), sig_bytes);
  }
  // A partner's signature, or nullptr when it has none.
  auto find = [&](DocRef d) -> const uint64_t* {
    const auto& p = partner[static_cast<size_t>(std::lower_bound(wanted.begin(), wanted.end(), d) -
                                                wanted.begin())];
    return p.empty() ? nullptr : p.data();
  };
  const double accept = Accept();
  for (const MinHashCandidate& c : candidates) {
    ++tally->candidates;
    WINNOW_ASSIGN_OR_RETURN(bool have, signatures_->Get(c.doc, sig.data()));
    std::optional<DocRef> joins = VerifiedPartner(c, have ? sig.data() : nullptr, find(c.first),
                                                  c.has_prev ? find(c.prev) : nullptr, k, accept);
    if (joins) {
      edges->emplace_back(*joins, c.doc);
    } else {
      ++tally->rejected;
    }
  }
  return Status::OK();
}

// Over ranks: band groups at their keys' owners, the joins as edges, components by star
// rounds (distributed.h), clusters numbered at their roots' owners in root order.
Result<std::unique_ptr<GlobalDecisions>> MinHashDedup::GroupAcrossRanks(
    const DocDirectory& docs, const std::vector<const GlobalDecisions*>& earlier,
    Counters* counters) {
  Exchange& exchange = *context_.exchange;
  const uint64_t mapped = keys_->records(), spilled = keys_->spilled_bytes();
  // Documents an earlier stage removes are dropped by their senders (the only ranks that know).
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SortedRuns> keys,
                          GroupRuns(std::move(keys_), context_, 2, 2, earlier));
  std::vector<std::pair<DocRef, DocRef>> edges;
  std::vector<MinHashCandidate> candidates;
  Tally tally;
  const bool verifying = threshold_.has_value() && verify_;
  WINNOW_RETURN_IF_ERROR(ForEachBandGroup(*keys, {}, [&](const std::vector<DocRef>& members) {
    ++tally.groups;
    AddCandidates(members, &candidates);
    return Status::OK();
  }));
  if (verifying) {
    WINNOW_RETURN_IF_ERROR(VerifyAcrossRanks(std::move(candidates), &edges, &tally));
  } else {
    for (const MinHashCandidate& c : candidates) edges.emplace_back(c.first, c.doc);
    tally.candidates = static_cast<int64_t>(candidates.size());
  }
  using Edges = std::vector<std::pair<DocRef, DocRef>>;
  int rounds = 0;
  WINNOW_ASSIGN_OR_RETURN(Edges stars, StarComponents(std::move(edges), exchange, &rounds));
  uint64_t roots = 0;
  for (size_t i = 0; i < stars.size(); ++i) roots += i == 0 || stars[i].first != stars[i - 1].first;
  WINNOW_ASSIGN_OR_RETURN(uint64_t first_cluster, RanksBefore(roots, exchange));
  auto removals = std::make_unique<RemovalSet>("minhash:duplicate");
  AddClusters(stars, static_cast<int64_t>(first_cluster), removals.get());
  WINNOW_RETURN_IF_ERROR(removals->Finish(docs, &exchange));
  if (counters != nullptr) {
    counters->Add("minhash.band_records", static_cast<int64_t>(mapped));
    counters->Add("minhash.spilled_bytes", static_cast<int64_t>(spilled + keys->spilled_bytes()));
    counters->Add("minhash.candidate_groups", tally.groups);
    counters->Add("minhash.candidate_pairs", tally.candidates);
    counters->Add("minhash.rejected_pairs", tally.rejected);
    counters->Add("minhash.clusters", static_cast<int64_t>(roots));
    counters->Add("minhash.removed", static_cast<int64_t>(removals->removed()));
    // Over ranks only (the "exchange." counters are the distributed run's own).
    if (exchange.rank() == 0) counters->Add("exchange.minhash.star_rounds", rounds);
  }
  signatures_.reset();
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

Result<std::unique_ptr<GlobalDecisions>> MinHashDedup::LoadDecisions(std::string_view bytes) const {
  auto removals = std::make_unique<RemovalSet>("minhash:duplicate");
  WINNOW_RETURN_IF_ERROR(removals->Load(bytes));
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

}  // namespace winnow::dedup
