// RunConfig: what a run reads, which stages it applies, and where it writes; from YAML.
//
//     inputs: [corpus/]            # files or directories (clean takes them as arguments)
//     output: out/
//     threads: 0                   # 0: every core
//     on_error: skip               # skip | fail
//     reader: {batch_bytes: 4194304, max_record_bytes: 67108864, text_column: text}
//     writer: {format: jsonl, compression: zstd, level: 3}
//     memory_budget: 1G            # keys the global stages (dedup) hold before spilling
//     stages:
//       - length: {min_words: 50}
//       - exact
//
// Parsing checks the shape and every top-level key; stage names and options are checked when
// the stages are created from the registry. Errors are InvalidArgument naming the file and
// the YAML line ("cfg.yaml:7: stages[1]: expected a name or a one-key map").
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/exchange.h"
#include "winnow/core/options.h"
#include "winnow/core/registry.h"
#include "winnow/core/status.h"
#include "winnow/io/record_reader.h"

namespace winnow::pipeline {

enum class OnError { kSkip, kFail };
enum class OutputFormat { kJsonl, kParquet };

struct StageConfig {
  std::string name;
  std::map<std::string, OptionValue> options;
  PerLanguageOptions per_language;  // from `per_language: {zh: {...}}`
};

struct RunConfig {
  std::vector<std::string> inputs;
  std::string output;
  int threads = 0;  // 0: std::thread::hardware_concurrency()
  OnError on_error = OnError::kSkip;
  io::ReaderOptions reader;
  // writer: kept and removed parts as JSONL (zstd-compressed unless compression: none) or
  // Parquet (compression: zstd, snappy, gzip or none; row groups of row_group_bytes; a page
  // index on request).
  OutputFormat output_format = OutputFormat::kJsonl;
  bool compress = true;
  std::string compression = "zstd";
  int compression_level = 3;
  uint64_t row_group_bytes = uint64_t{64} << 20;
  bool page_index = false;
  bool overwrite = false;  // replace the outputs of an earlier run in `output`
  // Continue the run in `output` from its checkpoint (a fresh run when there is none). The
  // configuration and the inputs must be those it started with; threads and memory_budget
  // may differ (the output does not depend on them).
  bool resume = false;
  // Memory the global stages (dedup) may hold for their keys; past it they sort what they
  // hold, spill it to OUT/.winnow-work/ and merge at the end.
  uint64_t memory_budget = uint64_t{1} << 30;
  std::vector<StageConfig> stages;

  // `winnow annotate`: every filter stage judges every document on its input text, nothing is
  // dropped or edited, and one line per document (verdicts and signals) goes to
  // `annotate_writer` when it is set (in input order, from one thread; the CLI's standard
  // output), else to the file `annotate_output` (compressed when `compress`). Stages that are
  // not per-document filters (dedup) are skipped.
  bool annotate = false;
  std::string annotate_output;
  std::function<Status(std::string_view bytes)> annotate_writer;

  // The ranks of an MPI run (core/exchange.h), owned by the caller; null or a world of one:
  // a single process. Every rank is given the same configuration and writes its own shards'
  // parts into the same `output`; rank 0 writes stats.json and report.html.
  Exchange* exchange = nullptr;

  // When set and true, the run stops at the next batch with Status::Cancelled; shards already
  // committed stay in the checkpoint, so `resume` continues it (the Python API's
  // KeyboardInterrupt). Owned by the caller.
  const std::atomic<bool>* cancel = nullptr;
};

// Parses a YAML configuration. `source` names it in error messages.
Result<RunConfig> ParseConfig(std::string_view yaml, std::string_view source);
Result<RunConfig> LoadConfig(const std::string& path);

// The YAML of the default `clean` pipeline, with every option of every stage at its default
// and a comment saying what it does. ParseConfig() of it gives DefaultCleanConfig().
std::string DefaultConfigYaml(const StageRegistry& registry);

// `cfg` as YAML that ParseConfig() reads back (options as given; defaults are not spelled out).
std::string ConfigYaml(const RunConfig& cfg);
RunConfig DefaultCleanConfig(const StageRegistry& registry);

}  // namespace winnow::pipeline
