// The `decontaminate` stage: documents that carry benchmark text are removed, by datatrove's
// NGramsDecontFilter rule (GPT-3's 13-gram rule with datatrove's normalisation): a document is
// contaminated when any run of `n` consecutive words of it is a run of `n` words of a
// benchmark text. Words are datatrove's: simplify_text (lowercase, numbers to 0, punctuation
// out, diacritics off; text/simplify.h), then its word_tokenize (spaCy's rules, which also
// split "dont" into "do nt"); an n-gram is its words joined by " ", hashed with XXH64 (so
// datatrove's own `*.index.hashes` files load as they are).
//
// The index is built when the stage is created, before any document is read: from
// `benchmarks` (JSONL or Parquet files or directories; the text in `field`, the id in
// `id_field`) and from `indexes` (datatrove's *.index.hashes files or directories of them; the
// file's name is the benchmark). Memory: 12 bytes a slot at load <= 0.7 and a Bloom filter of
// ~1.6 bytes per n-gram, about 22 bytes per distinct benchmark n-gram (10 M n-grams: 218 MB),
// plus the benchmark names. n-grams are XXH64 when datatrove's index files are loaded, XXH3
// (faster) when winnow builds the whole index itself.
//
// A contaminated document is removed with decontaminate:benchmark_ngram; the winnow object
// records `contaminated_benchmark` ("<file>:<id>" of the first benchmark text that has the
// n-gram) and `contaminated_ngram` (the normalised n-gram). With `mode: remove_ngrams` the
// document stays and the text of every matching n-gram is cut instead (each word traced back
// through simplify_text to the input bytes it came from; overlapping matches cut once);
// signal contaminated_ngrams counts the matching n-grams; a document left without a letter
// or digit is removed (decontaminate:benchmark_ngram).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

// Benchmark n-gram hashes, each with the benchmark text it came from first.
class NGramIndex {
 public:
  NGramIndex();
  // Adds `hash` for source `source` (an index into sources()); the first source stays.
  void Add(uint64_t hash, uint32_t source);
  // Builds the Bloom filter Find() consults first (call after the last Add; an Add after it
  // drops the filter until the next Seal). Almost every n-gram of a document is in no
  // benchmark: the filter, about 1.6 bytes per n-gram (10 M: 16 MB), mostly answers from the
  // L3 cache, and the table (in DRAM) is probed only for the ~0.5% it lets through.
  void Seal();
  // The source of `hash`, or -1.
  int64_t Find(uint64_t hash) const;
  // Fetches the Bloom block (after Seal) or the table slot of `hash` ahead of Find().
  void Prefetch(uint64_t hash) const {
    if (!bloom_.empty()) {
      __builtin_prefetch(&bloom_[BloomBlock(hash) * 8]);
    } else {
      __builtin_prefetch(&keys_[Slot(hash)]);
    }
  }
  size_t size() const { return size_; }
  size_t memory_bytes() const { return keys_.size() * 12 + bloom_.size() * 8; }

  std::vector<std::string>& sources() { return sources_; }
  const std::vector<std::string>& sources() const { return sources_; }

 private:
  size_t Slot(uint64_t hash) const { return (hash * 0x9E3779B97F4A7C15ULL) >> shift_; }
  size_t BloomBlock(uint64_t hash) const { return (hash >> 36) & bloom_mask_; }
  bool MayContain(uint64_t hash) const;
  void Grow();

  std::vector<uint64_t> bloom_;  // blocks of 512 bits (8 words), 4 bits set per hash
  size_t bloom_mask_ = 0;
  std::vector<uint64_t> keys_;    // 0 marks an empty slot; the hash 0 lives in zero_source_
  std::vector<uint32_t> values_;  // source of each slot
  int shift_ = 0;
  size_t size_ = 0;
  int64_t zero_source_ = -1;
  std::vector<std::string> sources_;
};

// Per-thread buffers of NGramHashes: after a call, `words` (views into `simplified`) are the
// normalised words, and the n-gram of hash i is words[i..i+n) joined by " ".
struct NGramScratch {
  text::TokenizerScratch tokenizer;
  std::string simplified, joined;
  std::vector<std::string_view> words;
  std::vector<uint64_t> word_hashes;  // kWords: each word's hash
  std::vector<uint32_t> breaks;       // breaks[i]: joints before word i that are not one ' '
  // With `origins` asked for: the input bytes each byte of `simplified` came from.
  std::vector<std::pair<uint32_t, uint32_t>> origins;
};

// The hashes of the `n`-word runs of `text` under datatrove's normalisation, in order:
//   kXxh64  XXH64 of the words joined by ' ' (datatrove's, for its index files)
//   kWords  each word's XXH3 once, the n-gram's hash rolled over them (a polynomial in the
//           word hashes, mixed): O(1) per n-gram instead of rehashing its ~70 bytes, for the
//           indexes winnow builds itself. The same words give the same hash, as joining does.
enum class NGramHash { kXxh64, kWords };
void NGramHashes(std::string_view text, size_t n, NGramScratch& scratch, std::vector<uint64_t>* out,
                 bool origins = false, NGramHash kind = NGramHash::kXxh64);

class Decontaminate final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<Decontaminate>> Create(const Options& options);

  std::string_view name() const override { return "decontaminate"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  Decision Annotate(Document& doc, FilterState& state) const override;

  const NGramIndex& index() const { return index_; }

 private:
  Decision Run(Document& doc, FilterState& state, bool edit) const;

  size_t n_ = 13;
  bool cut_ = false;                    // mode remove_ngrams
  NGramHash hash_ = NGramHash::kWords;  // XXH64 when datatrove's index files are loaded
  NGramIndex index_;
};

}  // namespace winnow::filter
