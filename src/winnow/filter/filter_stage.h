// FilterStage: the shared shape of a per-document filter.
//
// A filter decides one document at a time (Decide), recording the quantities it thresholds
// as signals on the document, so users can re-threshold without re-running. Every signal is
// computed even when an earlier check already failed; the decision is the first failing check
// in the reference tool's order. The generic worker applies Decide() to the live documents of
// a batch (or, in `winnow annotate`, Annotate() to every document, recording the verdicts).
//
// Filters are immutable after Create() and shared by threads. What a filter keeps between
// documents on one thread (buffers, the tokenizer's memo, PCRE2 JIT stacks) is its own
// FilterState, created by its NewState() for each worker, so a worker builds only the state
// of the filters it runs (DuckDB's local state).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/document.h"
#include "winnow/core/stage.h"

namespace winnow::filter {

// The outcome of a filter on one document: kept, or the reason it was dropped.
struct Decision {
  bool keep = true;
  std::string_view reason;  // "<stage>:<reason>", static or stage-owned storage; empty if kept
};

// A filter's per-worker state. Each filter that needs one derives its own (defined in its .cc)
// and creates it in NewState(); Decide() receives the state its own NewState() made.
class FilterState {
 public:
  virtual ~FilterState() = default;

  // The worker's counters (null outside a run): what a filter tallies besides decisions.
  Counters* counters = nullptr;
};

class FilterStage : public Stage {
 public:
  // A fresh state for one worker (or one caller). The default holds nothing.
  virtual std::unique_ptr<FilterState> NewState() const;

  // Decides `doc` and records its signals. Thread-safe with a per-thread state.
  // REQUIRES: `state` came from this filter's NewState().
  virtual Decision Decide(Document& doc, FilterState& state) const = 0;

  // Like Decide(), but never changes the document's text (a text-editing filter reports what
  // it would do): what `winnow annotate` runs, so every filter sees the input as given.
  virtual Decision Annotate(Document& doc, FilterState& state) const { return Decide(doc, state); }

  // Convenience for tests and tools: Decide() with a fresh state.
  Decision Check(Document& doc) const {
    std::unique_ptr<FilterState> state = NewState();
    return Decide(doc, *state);
  }

  bool annotates() const override { return true; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const override;
};

}  // namespace winnow::filter
