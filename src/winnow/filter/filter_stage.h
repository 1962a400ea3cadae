// FilterStage: the shared shape of a per-document filter.
//
// A filter decides one document at a time (Decide), recording the quantities it thresholds
// as signals on the document, so users can re-threshold without re-running. Every signal is
// computed even when an earlier check already failed; the decision is the first failing check
// in the reference tool's order. The generic worker applies Decide() to the live documents of
// a batch. Filters are immutable after Create() and shared by threads; per-thread buffers and
// the tokenizer's memo live in a FilterScratch.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/anatomy/anatomy.h"
#include "winnow/core/document.h"
#include "winnow/core/stage.h"
#include "winnow/extract/html_extractor.h"
#include "winnow/filter/ngram_hashes.h"
#include "winnow/lang/language_id.h"
#include "winnow/text/pii.h"
#include "winnow/text/regex.h"
#include "winnow/text/spacy_tokenizer.h"

namespace winnow::filter {

// The outcome of a filter on one document: kept, or the reason it was dropped.
struct Decision {
  bool keep = true;
  std::string_view reason;  // "<stage>:<reason>", static or stage-owned storage; empty if kept
};

// A threshold a filter applies to one of its signals, for reports: the document is removed
// (with `reason`) when the signal is below `value` (removes_below) or above it.
struct Threshold {
  std::string_view signal;  // static storage
  double value = 0;
  bool removes_below = false;
  std::string_view reason;  // static storage
  bool Removes(double v) const { return removes_below ? v < value : v > value; }
};

struct FilterScratch {
  text::TokenizerScratch tokenizer;
  text::RegexScratch regex;
  std::vector<std::string_view> words, lines, pieces;
  std::vector<uint32_t> lengths;
  std::string buffer, lower;
  NGramHashes ngrams;  // gopher_repetition's n-gram identities
  std::vector<uint32_t> candidates, next_candidates, slots;
  std::string joined;                           // "".join(words)
  std::vector<uint64_t> seen_once, seen_twice;  // bitmaps over prefix hashes
  NGramCounter counter;
  anatomy::AnalyzerScratch anatomy_scratch;  // the anatomy stage's
  anatomy::Analysis anatomy;
  lang::LanguageScratch lang;  // language ID and fastText classifiers
  std::vector<lang::LanguageGuess> guesses, segment_guesses;
  std::string lang_sample;  // the part of a text language ID reads
  text::PiiScratch pii;
  extract::ExtractScratch extract;  // the extract stage's
  extract::Extracted extracted;
  std::vector<text::PiiMatch> pii_matches;
};

class FilterStage : public Stage {
 public:
  // Decides `doc` and records its signals. Thread-safe with a per-thread scratch.
  virtual Decision Decide(Document& doc, FilterScratch& scratch) const = 0;

  // Like Decide(), but never changes the document's text (a text-editing filter reports what
  // it would do): what `winnow annotate` runs, so every filter sees the input as given.
  virtual Decision Annotate(Document& doc, FilterScratch& scratch) const {
    return Decide(doc, scratch);
  }

  // The thresholds this filter applies to its signals (those that are on), in the order it
  // checks them. For reports; a filter whose checks are not thresholds on signals has none.
  virtual std::vector<Threshold> Thresholds() const { return {}; }

  // Convenience for tests and tools: Decide() with a fresh scratch.
  Decision Check(Document& doc) const {
    FilterScratch scratch;
    return Decide(doc, scratch);
  }

  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const override;
};

}  // namespace winnow::filter
