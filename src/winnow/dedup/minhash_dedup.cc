#include "winnow/dedup/minhash_dedup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>

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
  int fd = ::open(path.c_str(), create ? (O_RDWR | O_CREAT | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC), 0644);
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
    return Status::IOError("cannot write signatures to " + dir_ + " (disk full?): " +
                           std::strerror(errno));
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
  if (n < 0) return Status::IOError("cannot read signatures in " + dir_ + ": " + std::strerror(errno));
  if (n != static_cast<ssize_t>(slot_bytes_) || slot[0] != 1) return false;
  std::copy(slot.begin() + 1, slot.end(), sig);
  return true;
}

// ---- the stage ----

class MinHashDedup::Mapper final : public GlobalMapper {
 public:
  Mapper(const MinHasher& hasher, std::unique_ptr<SortedRuns::Writer> out, SignatureStore* store,
         Counters* counters)
      : hasher_(hasher), out_(std::move(out)), store_(store), counters_(counters),
        sig_(hasher.permutations()), keys_(static_cast<size_t>(hasher.config().bands)) {}

  Status Map(Batch& batch) override {
    for (const Document& d : batch.docs) {
      if (d.removed()) continue;
      if (!hasher_.Signature(d.text, scratch_, sig_.data())) {
        ++without_signature_;
        continue;
      }
      const DocRef doc = PackDoc(d.where);
      hasher_.BandKeys(sig_.data(), keys_.data());
      for (size_t band = 0; band < keys_.size(); ++band) out_->Add(KeyRecord{band, keys_[band], doc});
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
      return Status::InvalidArgument("minhash: bands and rows must be >= 1 with bands x rows <= 1024");
    }
    config.bands = static_cast<int>(*bands);
    config.rows = static_cast<int>(*rows);
  } else if (stage->threshold_) {
    BandsRows br = OptimalBandsRows(*stage->threshold_, static_cast<int>(permutations), fp_weight,
                                    fn_weight);
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
  DisjointSets sets(static_cast<size_t>(base.back()));
  std::vector<uint32_t> joined;  // every document in a join, with repeats

  const size_t k = hasher_->permutations();
  const bool verifying = threshold_.has_value() && verify_;
  double accept = 0;
  if (verifying) {
    const double t = *threshold_;
    accept = t - margin_ * std::sqrt(t * (1 - t) / static_cast<double>(k));
  }
  int64_t groups = 0, candidates = 0, rejected = 0;
  std::vector<uint64_t> first_sig(k), prev_sig(k), sig(k);
  std::vector<DocRef> members;
  auto close_group = [&]() -> Status {
    if (members.size() < 2) {
      members.clear();
      return Status::OK();
    }
    ++groups;
    if (verifying) {
      WINNOW_ASSIGN_OR_RETURN(bool have_first, signatures_->Get(members[0], first_sig.data()));
      prev_sig = first_sig;
      bool have_prev = have_first;
      for (size_t i = 1; i < members.size(); ++i) {
        ++candidates;
        WINNOW_ASSIGN_OR_RETURN(bool have, signatures_->Get(members[i], sig.data()));
        DocRef partner = 0;
        bool ok = false;
        if (have && have_first && EstimatedJaccard(first_sig.data(), sig.data(), k) >= accept) {
          partner = members[0];
          ok = true;
        } else if (have && have_prev && i > 1 &&
                   EstimatedJaccard(prev_sig.data(), sig.data(), k) >= accept) {
          partner = members[i - 1];
          ok = true;
        }
        if (ok) {
          sets.Union(dense(partner), dense(members[i]));
          joined.push_back(dense(partner));
          joined.push_back(dense(members[i]));
        } else {
          ++rejected;
        }
        prev_sig.swap(sig);
        have_prev = have;
      }
    } else {
      for (size_t i = 1; i < members.size(); ++i) {
        ++candidates;
        sets.Union(dense(members[0]), dense(members[i]));
        joined.push_back(dense(members[0]));
        joined.push_back(dense(members[i]));
      }
    }
    members.clear();
    return Status::OK();
  };
  bool have = false;
  uint64_t band = 0, key = 0;
  auto add = [&](const KeyRecord& r) -> Status {
    if (!have || r.a != band || r.b != key) {
      WINNOW_RETURN_IF_ERROR(close_group());
      have = true;
      band = r.a;
      key = r.b;
    }
    if (!RemovedByAny(earlier, r.c)) members.push_back(r.c);
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(keys_->Merge(add));
  WINNOW_RETURN_IF_ERROR(close_group());

  // Clusters: every joined document with its root; numbered in the order of their roots.
  std::sort(joined.begin(), joined.end());
  joined.erase(std::unique(joined.begin(), joined.end()), joined.end());
  std::vector<std::pair<uint32_t, uint32_t>> root_of;  // (root, doc)
  root_of.reserve(joined.size());
  for (uint32_t d : joined) root_of.emplace_back(sets.Find(d), d);
  std::sort(root_of.begin(), root_of.end());
  auto to_ref = [&](uint32_t d) {
    auto shard = static_cast<size_t>(std::upper_bound(base.begin(), base.end(), d) - base.begin() - 1);
    return PackDoc(Provenance{static_cast<uint32_t>(shard), d - base[shard]});
  };
  auto removals = std::make_unique<RemovalSet>("minhash:duplicate");
  int64_t cluster = -1;
  for (size_t i = 0; i < root_of.size();) {
    size_t j = i;
    while (j < root_of.size() && root_of[j].first == root_of[i].first) ++j;
    ++cluster;
    const DocRef kept = to_ref(root_of[i].first);
    for (size_t m = i; m < j; ++m) {
      const DocRef doc = to_ref(root_of[m].second);
      removals->Add(RemovalSet::Entry{doc, kept, cluster, j - i, doc != kept});
    }
    i = j;
  }
  WINNOW_RETURN_IF_ERROR(removals->Finish(docs));

  if (!signatures_file_.empty() || !clusters_file_.empty()) {
    std::unique_ptr<SideFile> sig_out, cluster_out;
    if (!signatures_file_.empty()) {
      WINNOW_ASSIGN_OR_RETURN(sig_out, SideFile::Create(signatures_file_));
    }
    if (!clusters_file_.empty()) {
      WINNOW_ASSIGN_OR_RETURN(cluster_out, SideFile::Create(clusters_file_));
    }
    const auto& entries = removals->entries();
    size_t next = 0;
    const auto rows = static_cast<size_t>(hasher_->config().rows);
    std::string line;
    auto write = [&](DocRef doc, std::string_view id) -> Status {
      if (RemovedByAny(earlier, doc)) return Status::OK();
      while (next < entries.size() && entries[next].doc < doc) ++next;
      const RemovalSet::Entry* e = next < entries.size() && entries[next].doc == doc ? &entries[next] : nullptr;
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
            if (i % rows == 0) line += i == 0 ? "[" : "],[";
            else line += ',';
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

  if (counters != nullptr) {
    counters->Add("minhash.band_records", static_cast<int64_t>(keys_->records()));
    counters->Add("minhash.spilled_bytes", static_cast<int64_t>(keys_->spilled_bytes()));
    counters->Add("minhash.candidate_groups", groups);
    counters->Add("minhash.candidate_pairs", candidates);
    counters->Add("minhash.rejected_pairs", rejected);
    counters->Add("minhash.clusters", cluster + 1);
    counters->Add("minhash.removed", static_cast<int64_t>(removals->removed()));
  }
  keys_.reset();
  signatures_.reset();
  return std::unique_ptr<GlobalDecisions>(std::move(removals));
}

// Verification over ranks: each candidate goes to the owner of its document, which holds that
// document's signature and asks the owners of the group's first member and of the member
// before it for theirs; then the same test as in one process (first, else the one before).
Status MinHashDedup::VerifyAcrossRanks(std::vector<Candidate> candidates,
                                       std::vector<std::pair<DocRef, DocRef>>* edges,
                                       int64_t* tried, int64_t* rejected) {
  Exchange& exchange = *context_.exchange;
  auto put = [](WireWriter& w, const Candidate& c) {
    w.PutVarint(c.doc);
    w.PutVarint(c.first);
    w.PutVarint(c.prev);
    w.PutBool(c.has_prev);
  };
  auto get = [](WireReader& r) {
    Candidate c;
    c.doc = r.GetVarint();
    c.first = r.GetVarint();
    c.prev = r.GetVarint();
    c.has_prev = r.GetBool();
    return c;
  };
  WINNOW_ASSIGN_OR_RETURN(
      candidates,
      RouteToShards(candidates, [](const Candidate& c) { return c.doc; }, put, get, exchange));
  // The partners' signatures, each asked once of its owner: the raw words, or empty when the
  // partner has none.
  std::vector<DocRef> wanted;
  for (const Candidate& c : candidates) {
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
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> bytes, AskOwners(wanted, signatures_of, exchange));
  std::vector<std::vector<uint64_t>> partner(wanted.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i].empty()) continue;
    if (bytes[i].size() != sig_bytes) return Status::Internal("minhash: a rank sent a short signature");
    partner[i].resize(k);
    std::memcpy(partner[i].data(), bytes[i].data(), sig_bytes);
  }
  // A partner's signature, or nullptr when it has none.
  auto find = [&](DocRef d) -> const uint64_t* {
    const auto& p = partner[static_cast<size_t>(std::lower_bound(wanted.begin(), wanted.end(), d) - wanted.begin())];
    return p.empty() ? nullptr : p.data();
  };
  const double t = *threshold_;
  const double accept = t - margin_ * std::sqrt(t * (1 - t) / static_cast<double>(k));
  for (const Candidate& c : candidates) {
    ++*tried;
    WINNOW_ASSIGN_OR_RETURN(bool have, signatures_->Get(c.doc, sig.data()));
    const uint64_t* first = find(c.first);
    if (have && first != nullptr && EstimatedJaccard(first, sig.data(), k) >= accept) {
      edges->emplace_back(c.first, c.doc);
      continue;
    }
    if (have && c.has_prev) {
      const uint64_t* prev = find(c.prev);
      if (prev != nullptr && EstimatedJaccard(prev, sig.data(), k) >= accept) {
        edges->emplace_back(c.prev, c.doc);
        continue;
      }
    }
    ++*rejected;
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
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SortedRuns> keys,
                          GroupRuns(std::move(keys_), context_, 2, 2, earlier));
  std::vector<std::pair<DocRef, DocRef>> edges;
  std::vector<Candidate> to_verify;
  std::vector<DocRef> members;
  int64_t groups = 0, candidates = 0, rejected = 0;
  const bool verifying = threshold_.has_value() && verify_;
  auto close_group = [&] {
    if (members.size() >= 2) {
      ++groups;
      for (size_t i = 1; i < members.size(); ++i) {
        if (verifying) {
          to_verify.push_back(Candidate{members[i], members[0], members[i - 1], i > 1});
        } else {
          edges.emplace_back(members[0], members[i]);
          ++candidates;
        }
      }
    }
    members.clear();
  };
  bool have = false;
  uint64_t band = 0, key = 0;
  WINNOW_RETURN_IF_ERROR(keys->Merge([&](const KeyRecord& r) {
    if (!have || r.a != band || r.b != key) {
      close_group();
      have = true;
      band = r.a;
      key = r.b;
    }
    members.push_back(r.c);
    return Status::OK();
  }));
  close_group();
  if (verifying) {
    WINNOW_RETURN_IF_ERROR(VerifyAcrossRanks(std::move(to_verify), &edges, &candidates, &rejected));
  }
  using Edges = std::vector<std::pair<DocRef, DocRef>>;
  int rounds = 0;
  WINNOW_ASSIGN_OR_RETURN(Edges stars, StarComponents(std::move(edges), exchange, &rounds));
  uint64_t roots = 0;
  for (size_t i = 0; i < stars.size(); ++i) roots += i == 0 || stars[i].first != stars[i - 1].first;
  WINNOW_ASSIGN_OR_RETURN(uint64_t first_cluster, RanksBefore(roots, exchange));
  auto removals = std::make_unique<RemovalSet>("minhash:duplicate");
  auto cluster = static_cast<int64_t>(first_cluster) - 1;
  for (size_t i = 0; i < stars.size();) {
    size_t j = i;
    while (j < stars.size() && stars[j].first == stars[i].first) ++j;
    ++cluster;
    const DocRef root = stars[i].first;
    const uint64_t size = j - i + 1;
    removals->Add(RemovalSet::Entry{root, root, cluster, size, false});
    for (size_t m = i; m < j; ++m) removals->Add(RemovalSet::Entry{stars[m].second, root, cluster, size, true});
    i = j;
  }
  WINNOW_RETURN_IF_ERROR(removals->Finish(docs, &exchange));
  if (counters != nullptr) {
    counters->Add("minhash.band_records", static_cast<int64_t>(mapped));
    counters->Add("minhash.spilled_bytes", static_cast<int64_t>(spilled + keys->spilled_bytes()));
    counters->Add("minhash.candidate_groups", groups);
    counters->Add("minhash.candidate_pairs", candidates);
    counters->Add("minhash.rejected_pairs", rejected);
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
