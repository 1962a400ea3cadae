// DocumentStream: a configuration's per-document stages applied to documents handed over in
// memory, batch after batch, with no files (the Python API's Pipeline.annotate and .clean).
//
// Records go in as JSONL (the bytes a caller serialised), and come out as the lines the CLI
// writes: `winnow annotate`'s lines, or the kept and removed documents' lines of `clean`,
// in the order the records came. The work is the executor's: the same record parser, stage
// workers and encoders, so a document gets the same verdict here as in a run over files.
//
//   parse + stages (parallel)   the records are cut into one slice per thread; each slice is
//                               parsed and run through a segment's parallel stages (and the
//                               ordered stage's Prepare) on any thread
//   ordered stage (serial)      slices in input order: "first seen" means first handed over
//   encode (parallel)           each slice's lines
//
// Global stages (dedup across the corpus) need the whole input before they can decide on any
// document, so a stream refuses them (InvalidArgument naming the stage): run them over files
// with RunPipeline. Ordered stages keep their state across calls: a stream is one corpus.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/registry.h"
#include "winnow/core/status.h"
#include "winnow/pipeline/config.h"

namespace winnow::pipeline {

class DocumentStream {
 public:
  enum class Mode {
    kAnnotate,  // every filter judges every document; nothing is dropped or edited
    kClean,     // the pipeline: documents edited, dropped with a reason, or kept
  };
  // What became of one record.
  enum class Kind : uint8_t { kKept = 0, kRemoved = 1, kRejected = 2 };

  struct Output {
    std::string lines;        // one '\n'-terminated line per record, in input order
    std::vector<Kind> kinds;  // per line
    void Clear() {
      lines.clear();
      kinds.clear();
    }
  };

  // `config.threads` threads (0: every core). InvalidArgument for a global stage or a bad
  // configuration.
  static Result<std::unique_ptr<DocumentStream>> Create(const RunConfig& config,
                                                        const StageRegistry& registry, Mode mode);
  ~DocumentStream();
  DocumentStream(const DocumentStream&) = delete;
  DocumentStream& operator=(const DocumentStream&) = delete;

  // Runs `records` (JSON objects, each ending in '\n') through the stages and appends their
  // lines to *out: the annotate line (kKept) in annotate mode; the document's output line
  // (kKept or kRemoved, with the reason in its "winnow" object) in clean mode; for a record
  // that is not a document, its rejected line (kRejected: {"file": "documents", "line": N,
  // "kind", "error", ...}, N counting records from 1 over the stream's life). A non-OK
  // status is a stage's failure. One caller at a time.
  Status Process(std::string_view records, Output* out);

  // Records handed over so far.
  uint64_t records() const { return records_; }

 private:
  struct Slice;
  struct ThreadState;
  DocumentStream() = default;
  Status Run(Slice& slice, size_t stage, bool prepare);

  RunConfig config_;
  Mode mode_ = Mode::kClean;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<std::vector<size_t>> parallel_;  // per segment: its parallel stages
  std::vector<int> ordered_;                   // per segment: its ordered stage, or -1
  std::vector<std::unique_ptr<ThreadState>> threads_;
  std::vector<std::unique_ptr<StageWorker>> ordered_workers_;
  std::vector<std::unique_ptr<Slice>> slices_;
  uint64_t records_ = 0;
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

}  // namespace winnow::pipeline
