// The `sentence_dedup` stage: C4's and datatrove's SentenceDedup — every span of
// `n_sentences` consecutive sentences seen before in the corpus is removed from the text, as
// datatrove's three steps (SentenceDedupSignature, SentenceFindDedups, SentenceDedupFilter)
// do with their defaults, as a global stage that edits text.
//
// Map: a document's sentences are datatrove's sent_tokenize (spaCy's sentencizer, stripped,
// empty ones dropped); each is simplify_text'ed (text/simplify.h); every run of n of them,
// joined by " ", unless blank, is hashed with XXH64 (datatrove's xxhash64) and recorded with
// its document and the index of its first sentence: (hash, DocRef, index), 24 bytes, through
// SortedRuns under the memory budget.
// Group: every occurrence of a hash after the first in corpus order (document by provenance,
// then sentence) marks its span duplicate — within one document too.
// Apply: over the spans of spaCy's sentences (datatrove's span_tokenize: every sentence, blank
// ones included, so an index counts the same sentences datatrove's filter step counts), each
// duplicate index drops that sentence and the n - 1 after it; a kept sentence keeps the text
// since the end of the previous one; the result is left-stripped. A document whose text
// changed is removed (sentence_dedup:too_short) when it has fewer than `min_doc_words`
// datatrove words or fewer than `min_num_sentences` sentences, or nothing is left.
// Signal: duplicate_sentences_removed.
//
// Not offered: datatrove's index of another corpus (only_dedup_in_index) and splitting on
// lines instead of sentences. Order ties across several ranks follow provenance (datatrove's
// follow each task's own document numbers).
#pragma once

#include <memory>

#include "winnow/core/global_stage.h"
#include "winnow/core/options.h"

namespace winnow::dedup {

class SortedRuns;

class SentenceDedup final : public GlobalStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<SentenceDedup>> Create(const Options& options);
  ~SentenceDedup() override;

  std::string_view name() const override { return "sentence_dedup"; }
  bool edits_text() const override { return true; }
  Status Begin(const GlobalContext& context) override;
  Result<std::unique_ptr<GlobalMapper>> NewMapper(const WorkerContext& ctx) override;
  Result<std::unique_ptr<GlobalDecisions>> Group(const DocDirectory& docs,
                                                 const std::vector<const GlobalDecisions*>& earlier,
                                                 Counters* counters) override;
  Result<std::unique_ptr<GlobalDecisions>> LoadDecisions(std::string_view bytes) const override;

  struct Settings {
    int n_sentences = 3;
    int64_t min_doc_words = 50;
    int64_t min_num_sentences = 3;
    int64_t min_words_to_remove_span = 0;
  };
  const Settings& settings() const { return settings_; }

 private:
  class Mapper;
  Settings settings_;
  GlobalContext context_;
  std::unique_ptr<SortedRuns> keys_;
};

// The span hashes of `text` (datatrove's SentenceDedupSignature.get_hashes): (hash, index of
// the span's first sentence) in sentence order. Exposed for tests.
void SentenceSpanHashes(std::string_view text, int n_sentences,
                        std::vector<std::pair<uint64_t, uint32_t>>* out);

// datatrove's SentenceDedupFilter on one document: `text` without the spans starting at the
// sorted sentence indices `duplicates`; *keep says whether the document stays. Exposed for
// tests.
std::string RemoveDuplicateSentences(std::string_view text, const std::vector<uint32_t>& duplicates,
                                     const SentenceDedup::Settings& settings, bool* keep,
                                     size_t* removed_sentences);

}  // namespace winnow::dedup
