// The `repeated_lines` stage: lines (or paragraphs) repeated across documents, counted over
// the whole corpus (CCNet-style paragraph dedup), as a global stage that edits text.
//
// A unit's key is a 64-bit XXH3 of its normalised form: case folded, punctuation and spacing
// ignored, digits made 0 (so "Posted on 3 May 2021 | Share" and "posted on 7 May 2021 - share"
// meet). Units that normalise to nothing (blank or punctuation-only lines) and units shorter
// than `min_chars` code points are never removed.
//
// Policies:
//  - first (CCNet): every occurrence after the first is removed; the first is the one in the
//    first document by provenance, and the first line within it.
//  - boilerplate: every occurrence of a unit that appears in at least `min_docs` documents is
//    removed, the first included (the same newsletter box on every page of a site).
// Map records (key, DocRef, unit index), 24 bytes per unit, go through SortedRuns under the
// memory budget. The next pass removes the units from the text (lines rejoined with "\n",
// paragraphs with "\n\n"); signals repeated_units_removed and repeated_chars_removed record
// what went; a document left with no text is removed with reason repeated_lines:empty.
// The decisions are held in memory: 16 bytes per removed unit.
#pragma once

#include <memory>

#include "winnow/core/global_stage.h"
#include "winnow/core/options.h"

namespace winnow::dedup {

class SortedRuns;

// Units of `text`: lines (split at "\n") or paragraphs (split at runs of two or more "\n").
void SplitUnits(std::string_view text, bool paragraphs, std::vector<std::string_view>* units);

// The normalised key of one unit; false when the unit normalises to nothing or to fewer than
// `min_chars` code points (it is then never removed).
bool UnitKey(std::string_view unit, size_t min_chars, std::string* scratch,
             std::vector<std::string_view>* tokens, uint64_t* key);

class RepeatedLines final : public GlobalStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<RepeatedLines>> Create(const Options& options);
  ~RepeatedLines() override;

  std::string_view name() const override { return "repeated_lines"; }
  bool edits_text() const override { return true; }
  Status Begin(const GlobalContext& context) override;
  Result<std::unique_ptr<GlobalMapper>> NewMapper(const WorkerContext& ctx) override;
  Result<std::unique_ptr<GlobalDecisions>> Group(const DocDirectory& docs,
                                                 const std::vector<const GlobalDecisions*>& earlier,
                                                 Counters* counters) override;
  Result<std::unique_ptr<GlobalDecisions>> LoadDecisions(std::string_view bytes) const override;

  bool paragraphs() const { return paragraphs_; }
  size_t min_chars() const { return min_chars_; }

 private:
  class Mapper;
  bool paragraphs_ = false;
  bool boilerplate_ = false;  // policy boilerplate; else first
  uint64_t min_docs_ = 3;
  size_t min_chars_ = 0;
  GlobalContext context_;
  std::unique_ptr<SortedRuns> keys_;
};

}  // namespace winnow::dedup
