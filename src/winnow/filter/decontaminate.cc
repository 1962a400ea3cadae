#include "winnow/filter/decontaminate.h"

#define XXH_INLINE_ALL  // the n-gram hash is the hot path: 13 words hashed per word
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/text/simplify.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndexSuffix = ".index.hashes";

struct DecontState final : FilterState {
  NGramScratch ngrams;
  std::vector<uint64_t> hashes;
};

std::string Stem(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (std::string_view ext : {".zst", ".gz", ".lz4", ".jsonl", ".json", ".ndjson", ".parquet"}) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      name.resize(name.size() - ext.size());
    }
  }
  return name;
}

// Every benchmark text of `paths` (JSONL or Parquet files, directories), into the index. A
// record that cannot be read is an error naming it: a benchmark read in part decontaminates
// in part.
Status AddBenchmarks(const std::vector<std::string>& paths, const std::string& field,
                     const std::string& id_field, size_t n, NGramHash kind, NGramIndex* index) {
  io::ReaderOptions options;
  options.text_field = field;
  options.id_field = id_field;
  WINNOW_ASSIGN_OR_RETURN(io::InputList inputs, io::ExpandInputs(paths, options));
  io::RecordParser parser(field, id_field);
  NGramScratch scratch;
  std::vector<uint64_t> hashes;
  for (const io::Shard& shard : inputs.shards) {
    std::unique_ptr<io::RecordReader> reader = io::OpenShardReader(shard, options);
    const std::string stem = Stem(shard.path);
    for (bool more = true; more;) {
      Batch batch;
      batch.source = shard.path;
      more = reader->Next(batch);
      parser.ParseBatch(batch);
      if (!batch.rejected.empty()) {
        return Status::InvalidArgument("decontaminate: benchmark record unreadable: " +
                                       batch.rejected.front().error);
      }
      for (const Document& d : batch.docs) {
        NGramHashes(d.text, n, scratch, &hashes, /*origins=*/false, kind);
        if (hashes.empty()) continue;
        const auto source = static_cast<uint32_t>(index->sources().size());
        index->sources().push_back(stem + ":" + d.id);
        for (uint64_t h : hashes) index->Add(h, source);
      }
    }
  }
  return Status::OK();
}

// datatrove's NGramsDecontIndexer output: *.index.hashes files of little-endian uint64, one
// benchmark (task) per file.
Status AddIndexFile(const std::string& path, NGramIndex* index) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("decontaminate: cannot read " + path);
  std::string name = fs::path(path).filename().string();
  if (name.size() > kIndexSuffix.size() &&
      name.compare(name.size() - kIndexSuffix.size(), kIndexSuffix.size(), kIndexSuffix) == 0) {
    name.resize(name.size() - kIndexSuffix.size());
  }
  const auto source = static_cast<uint32_t>(index->sources().size());
  index->sources().push_back(name);
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<size_t>(in.gcount());
    total += got;
    if (got % 8 != 0) {
      return Status::Corrupt("decontaminate: " + path + " is not a datatrove index (" +
                             std::to_string(total) + " bytes, not a multiple of 8)");
    }
    for (size_t k = 0; k < got; k += 8) {
      uint64_t h;
      std::memcpy(&h, buf.data() + k, 8);
      index->Add(h, source);
    }
  }
  if (in.bad()) return Status::IOError("decontaminate: cannot read " + path);
  return Status::OK();
}

Status AddIndexes(const std::vector<std::string>& paths, NGramIndex* index) {
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      WINNOW_RETURN_IF_ERROR(AddIndexFile(p, index));
      continue;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
      const std::string f = e.path().string();
      if (e.is_regular_file(ec) && f.size() > kIndexSuffix.size() &&
          f.compare(f.size() - kIndexSuffix.size(), kIndexSuffix.size(), kIndexSuffix) == 0) {
        files.push_back(f);
      }
    }
    if (files.empty()) return Status::NotFound("decontaminate: no *.index.hashes under " + p);
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) WINNOW_RETURN_IF_ERROR(AddIndexFile(f, index));
  }
  return Status::OK();
}

}  // namespace

NGramIndex::NGramIndex() : keys_(16, 0), values_(16, 0), shift_(64 - 4) {}

void NGramIndex::Add(uint64_t hash, uint32_t source) {
  bloom_.clear();  // sealed no more
  if (hash == 0) {
    if (zero_source_ < 0) zero_source_ = source;
    return;
  }
  if ((size_ + 1) * 10 > keys_.size() * 7) Grow();
  size_t i = Slot(hash);
  const size_t mask = keys_.size() - 1;
  while (keys_[i] != 0) {
    if (keys_[i] == hash) return;  // the first source stays
    i = (i + 1) & mask;
  }
  keys_[i] = hash;
  values_[i] = source;
  ++size_;
}

void NGramIndex::Seal() {
  // 12.8 bits per n-gram or more, in 64-byte blocks: about 0.5% false positives with 4 bits.
  size_t blocks = 1;
  while (blocks * 512 < size_ * 12) blocks *= 2;
  bloom_.assign(blocks * 8, 0);
  bloom_mask_ = blocks - 1;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == 0) continue;
    const uint64_t h = keys_[i];
    uint64_t* block = &bloom_[BloomBlock(h) * 8];
    for (int k = 0; k < 4; ++k) {
      const uint32_t bit = (h >> (9 * k)) & 511;
      block[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }
}

bool NGramIndex::MayContain(uint64_t hash) const {
  const uint64_t* block = &bloom_[BloomBlock(hash) * 8];
  for (int k = 0; k < 4; ++k) {
    const uint32_t bit = (hash >> (9 * k)) & 511;
    if ((block[bit >> 6] & (uint64_t{1} << (bit & 63))) == 0) return false;
  }
  return true;
}

int64_t NGramIndex::Find(uint64_t hash) const {
  if (hash == 0) return zero_source_;
  if (!bloom_.empty() && !MayContain(hash)) return -1;
  const size_t mask = keys_.size() - 1;
  for (size_t i = Slot(hash);; i = (i + 1) & mask) {
    if (keys_[i] == hash) return values_[i];
    if (keys_[i] == 0) return -1;
  }
}

void NGramIndex::Grow() {
  std::vector<uint64_t> keys(keys_.size() * 2, 0);
  std::vector<uint32_t> values(keys.size(), 0);
  keys.swap(keys_);
  values.swap(values_);
  --shift_;
  const size_t mask = keys_.size() - 1;
  for (size_t k = 0; k < keys.size(); ++k) {
    if (keys[k] == 0) continue;
    size_t i = Slot(keys[k]);
    while (keys_[i] != 0) i = (i + 1) & mask;
    keys_[i] = keys[k];
    values_[i] = values[k];
  }
}

void NGramHashes(std::string_view text, size_t n, NGramScratch& s, std::vector<uint64_t>* out,
                 bool origins, NGramHash kind) {
  auto hash = [](const char* p, size_t len) { return XXH64(p, len, 0); };
  out->clear();
  if (n == 0) return;
  text::SimplifyText(text, &s.simplified, origins ? &s.origins : nullptr);
  const text::SpacyTokenizer& tokenizer = text::SpacyTokenizer::English();
  if (!tokenizer.PlainWords(s.simplified, s.tokenizer, &s.words)) {
    tokenizer.Words(s.simplified, s.tokenizer, &s.words);
  }
  const std::vector<std::string_view>& w = s.words;
  if (w.size() < n) return;
  out->reserve(w.size() - n + 1);
  if (kind == NGramHash::kWords) {
    // H(i) = sum over k < n of h(w[i + k]) * P^(n - 1 - k) (mod 2^64), rolled: drop the
    // first word's term, shift, add the next word; then murmur3's finaliser spreads the bits.
    constexpr uint64_t kP = 0x9E3779B97F4A7C15ULL;  // odd: a unit mod 2^64
    uint64_t top = 1;                               // P^(n - 1)
    for (size_t k = 1; k < n; ++k) top *= kP;
    auto word = [&](size_t i) { return XXH3_64bits(w[i].data(), w[i].size()); };
    auto mix = [](uint64_t h) {
      h ^= h >> 33;
      h *= 0xFF51AFD7ED558CCDULL;
      h ^= h >> 33;
      h *= 0xC4CEB9FE1A85EC53ULL;
      return h ^ (h >> 33);
    };
    s.word_hashes.resize(w.size());
    for (size_t i = 0; i < w.size(); ++i) s.word_hashes[i] = word(i);
    const std::vector<uint64_t>& wh = s.word_hashes;
    uint64_t h = 0;
    for (size_t k = 0; k < n; ++k) h = h * kP + wh[k];
    out->push_back(mix(h));
    for (size_t i = 1; i + n <= w.size(); ++i) {
      h = (h - wh[i - 1] * top) * kP + wh[i + n - 1];
      out->push_back(mix(h));
    }
    return;
  }
  // An n-gram is its words joined by " ": where the words already stand so in the simplified
  // text (almost always: simplify_text leaves single spaces), it is hashed in place.
  s.breaks.assign(w.size(), 0);
  for (size_t i = 1; i < w.size(); ++i) {
    const char* end = w[i - 1].data() + w[i - 1].size();
    s.breaks[i] = s.breaks[i - 1] + (w[i].data() == end + 1 && *end == ' ' ? 0 : 1);
  }
  for (size_t i = 0; i + n <= w.size(); ++i) {
    const std::string_view first = w[i], last = w[i + n - 1];
    if (s.breaks[i + n - 1] == s.breaks[i]) {
      const size_t len = static_cast<size_t>(last.data() + last.size() - first.data());
      out->push_back(hash(first.data(), len));
      continue;
    }
    s.joined.clear();
    for (size_t k = i; k < i + n; ++k) {
      if (k > i) s.joined.push_back(' ');
      s.joined.append(w[k]);
    }
    out->push_back(hash(s.joined.data(), s.joined.size()));
  }
}

const StageSpec& Decontaminate::Spec() {
  static const StageSpec spec{
      "decontaminate",
      "Removes documents that share a run of n words (datatrove's normalisation) with a "
      "benchmark text: decontaminate:benchmark_ngram.",
      {
          {"benchmarks", "[]", "JSONL or Parquet files or directories of benchmark texts"},
          {"field", "text", "the benchmark records' text field (or column)"},
          {"id_field", "id", "the benchmark records' id field, recorded with a match"},
          {"indexes", "[]", "datatrove NGramsDecontIndexer *.index.hashes files or directories"},
          {"n", "13", "words per n-gram (GPT-3: 13; datatrove's default: 12)"},
          {"mode", "remove",
           "remove: drop contaminated documents; remove_ngrams: cut the matching n-grams' text"},
      }};
  return spec;
}

Result<std::unique_ptr<Decontaminate>> Decontaminate::Create(const Options& options) {
  auto stage = std::make_unique<Decontaminate>();
  WINNOW_ASSIGN_OR_RETURN(int64_t n, options.Int("n"));
  if (n < 1 || n > 1000) return Status::InvalidArgument("decontaminate: n must be in 1..1000");
  stage->n_ = static_cast<size_t>(n);
  WINNOW_ASSIGN_OR_RETURN(std::string mode, options.String("mode"));
  if (mode != "remove" && mode != "remove_ngrams") {
    return Status::InvalidArgument(
        "decontaminate: option mode: expected remove or remove_ngrams, got '" + mode + "'");
  }
  stage->cut_ = mode == "remove_ngrams";
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> benchmarks, options.StringList("benchmarks"));
  WINNOW_ASSIGN_OR_RETURN(std::vector<std::string> indexes, options.StringList("indexes"));
  WINNOW_ASSIGN_OR_RETURN(std::string field, options.String("field"));
  WINNOW_ASSIGN_OR_RETURN(std::string id_field, options.String("id_field"));
  if (benchmarks.empty() && indexes.empty()) {
    return Status::InvalidArgument(
        "decontaminate: give benchmarks: [files or directories] or indexes: [...]");
  }
  // datatrove's index files hold XXH64 hashes: with any of them, every n-gram is hashed so.
  stage->hash_ = indexes.empty() ? NGramHash::kWords : NGramHash::kXxh64;
  if (!benchmarks.empty()) {
    WINNOW_RETURN_IF_ERROR(
        AddBenchmarks(benchmarks, field, id_field, stage->n_, stage->hash_, &stage->index_));
  }
  WINNOW_RETURN_IF_ERROR(AddIndexes(indexes, &stage->index_));
  stage->index_.Seal();
  return stage;
}

std::unique_ptr<FilterState> Decontaminate::NewState() const {
  return std::make_unique<DecontState>();
}

Decision Decontaminate::Decide(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/true);
}

Decision Decontaminate::Annotate(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/false);
}

Decision Decontaminate::Run(Document& doc, FilterState& base, bool edit) const {
  auto& state = static_cast<DecontState&>(base);
  NGramHashes(doc.text, n_, state.ngrams, &state.hashes, cut_, hash_);
  const std::vector<uint64_t>& h = state.hashes;
  const std::vector<std::string_view>& w = state.ngrams.words;
  // Lookups run ahead of the probes: in an index of millions their slots are cache misses.
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < std::min(kAhead, h.size()); ++i) index_.Prefetch(h[i]);
  int64_t first = -1, first_source = -1, matches = 0;
  std::vector<std::pair<uint32_t, uint32_t>> cuts;  // input byte ranges, in order
  for (size_t i = 0; i < h.size(); ++i) {
    if (i + kAhead < h.size()) index_.Prefetch(h[i + kAhead]);
    const int64_t source = index_.Find(h[i]);
    if (source < 0) continue;
    if (first < 0) {
      first = static_cast<int64_t>(i);
      first_source = source;
    }
    ++matches;
    if (!cut_) break;
    const std::string& simplified = state.ngrams.simplified;
    const auto& origins = state.ngrams.origins;
    const auto begin = static_cast<size_t>(w[i].data() - simplified.data());
    const auto last =
        static_cast<size_t>(w[i + n_ - 1].data() - simplified.data()) + w[i + n_ - 1].size() - 1;
    const std::pair<uint32_t, uint32_t> range{origins[begin].first, origins[last].second};
    if (!cuts.empty() && range.first <= cuts.back().second) {
      cuts.back().second = std::max(cuts.back().second, range.second);
    } else {
      cuts.push_back(range);
    }
  }
  if (first < 0) return {};
  std::string ngram;
  for (size_t k = static_cast<size_t>(first); k < static_cast<size_t>(first) + n_; ++k) {
    if (!ngram.empty()) ngram.push_back(' ');
    ngram.append(w[k]);
  }
  doc.SetField("contaminated_benchmark", index_.sources()[static_cast<size_t>(first_source)]);
  doc.SetField("contaminated_ngram", std::move(ngram));
  if (!cut_) return {false, "decontaminate:benchmark_ngram"};
  doc.SetSignal("contaminated_ngrams", static_cast<double>(matches));
  std::string kept;
  size_t at = 0;
  for (const auto& [b, e] : cuts) {
    kept.append(doc.text, at, b - at);
    at = e;
  }
  kept.append(doc.text, at, std::string::npos);
  const bool empty = std::none_of(kept.begin(), kept.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x80 || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  });
  if (edit) doc.SetText(std::move(kept));
  return empty ? Decision{false, "decontaminate:benchmark_ngram"} : Decision{};
}

}  // namespace winnow::filter
