// What report.html shows beyond the counts, gathered while the last pass writes the documents
// (no second pass): signal histograms, how many documents each threshold removes, examples per
// reason with the text that triggered it, and near-duplicate cluster sizes. It goes into
// stats.json under "report", from which report.html is rendered (report.h), so the page and
// the stats never disagree.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "winnow/core/document.h"
#include "winnow/core/global_stage.h"
#include "winnow/core/stage.h"
#include "winnow/core/wire.h"

namespace winnow::pipeline {

// A histogram with the same fine bins for every signal, so histograms from threads and ranks
// add up: negatives; [0, 1] in 500 steps of 0.002 (ratios); (1, 1e7) in 40 log steps per
// decade (counts, lengths); and beyond. NaN (an undefined ratio) is counted apart.
class SignalHistogram {
 public:
  static constexpr int kLinear = 500;
  static constexpr int kPerDecade = 40;
  static constexpr int kDecades = 7;
  static constexpr int kBins = 1 + kLinear + kPerDecade * kDecades + 1;

  static int Bin(double v);
  // [low, high) of `bin` (the last linear bin includes 1.0).
  static double Low(int bin);
  static double High(int bin);

  void Add(double v);
  void Combine(const SignalHistogram& o);

  std::vector<uint64_t> counts = std::vector<uint64_t>(kBins, 0);
  uint64_t n = 0, missing = 0;
  double min = 0, max = 0, sum = 0;
};

// The parts of a removed document's text that made `reason` fire, as the stage that removed it
// sees them (Stage::Evidence); the executor finds the stage by the reason's "<stage>:" prefix.
using EvidenceFn = std::function<TextSpans(Document& doc, std::string_view reason)>;

class ReportCollector {
 public:
  struct StageThreshold {
    std::string stage;
    Threshold threshold;
  };
  // `sample` maps removed documents chosen as dedup examples to the document each duplicates;
  // `evidence` highlights the examples' text (none when empty).
  ReportCollector(std::vector<StageThreshold> thresholds, std::map<DocRef, DocRef> sample,
                  EvidenceFn evidence = {}, size_t examples_per_reason = 3);

  // Every document the last pass writes, kept or removed, in output order.
  void Observe(const Document& d);

  // The "report" object of stats.json (compact JSON).
  std::string ToJson() const;

  // What the collector has observed so far, for a checkpoint; Load() restores it into a
  // collector constructed with the same thresholds and sample. Load returns false (and
  // leaves the collector empty) when the bytes do not decode.
  void Save(WireWriter& w) const;
  bool Load(WireReader& r);

  // Adds what another collector (same thresholds and sample) observed of documents that come
  // after this one's in output order: another rank's, whose shards follow this rank's.
  void Merge(const ReportCollector& o);

 private:
  struct Example {
    uint64_t rank = 0;  // smaller first (a hash of the id: a deterministic sample)
    DocRef doc = 0;
    std::string id, reason, excerpt, duplicate_of, partner_excerpt;
    std::vector<std::pair<size_t, size_t>> marks;  // in excerpt bytes
    int64_t cluster_id = -1;
    uint64_t cluster_size = 0;
    bool truncated_front = false, truncated_back = false;
  };
  struct Cluster {
    uint64_t size = 0;
    int64_t id = -1;
    std::string kept_id, excerpt;
  };
  Example MakeExample(const Document& d, uint64_t rank) const;

  std::vector<StageThreshold> thresholds_;
  std::vector<uint64_t> threshold_docs_, threshold_removes_;
  std::map<std::string, SignalHistogram, std::less<>> signals_;
  std::map<DocRef, DocRef> sample_;
  EvidenceFn evidence_;
  std::unordered_set<DocRef> partners_;
  std::unordered_map<DocRef, std::string> partner_excerpts_;
  size_t per_reason_;
  std::map<std::string, std::vector<Example>, std::less<>> examples_;
  std::map<uint64_t, uint64_t> cluster_sizes_;  // size -> clusters (counted at the kept member)
  struct LanguageCount {
    uint64_t kept = 0, removed = 0, kept_bytes = 0;
  };
  std::map<std::string, LanguageCount, std::less<>> languages_;  // by the language stage's label
  std::vector<Cluster> largest_;
};

}  // namespace winnow::pipeline
