// The subcommands of the winnow binary. main.cc parses the command line (CLI11 lives only
// there: it costs seconds to compile) and calls these; each returns the process exit code:
// 0 success, 1 runtime failure, 2 usage or configuration error. This layer is the only one
// that prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::cli {

struct CommonRunArgs {
  std::string output;
  int threads = -1;      // -1: from the config (default 0: every core)
  std::string on_error;  // "" (from the config), "skip" or "fail"
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
  std::string memory_budget;  // "" (from the config) or a size such as 2G
  std::string output_format;  // "" (from the config), "jsonl" or "parquet"
};

struct CleanArgs {
  std::vector<std::string> inputs;
  std::string config;  // optional YAML
  CommonRunArgs run;
};

struct RunArgs {
  std::string pipeline;  // YAML
  CommonRunArgs run;
};

struct DedupArgs {
  std::vector<std::string> inputs;
  std::string mode = "minhash";   // exact | minhash | bloom
  double threshold = 0;           // 0: none (minhash: datatrove's unverified 14 x 8)
  bool no_verify = false;         // with --threshold: join LSH candidates unverified
  std::string preset = "native";  // native | datatrove
  int bands = 0, rows = 0;        // 0: default or derived
  std::string signatures, clusters;
  uint64_t expected_docs = 0;  // bloom: 0 = the stage's default
  CommonRunArgs run;
};

struct AnnotateArgs {
  std::vector<std::string> inputs;
  std::string output;  // "" or "-": standard output
  std::string config;  // optional YAML: its filter stages are the ones judged
  int threads = -1;
  std::string on_error;
  bool quiet = false;
};

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string output;           // "" or "-": standard output
  std::string format = "text";  // text | jsonl
  bool comments = false;
  int threads = 0;  // 0: every core
  bool quiet = false;
};

struct TokenizeArgs {
  std::vector<std::string> inputs;
  std::string output;               // directory of shards
  std::string tokenizer;            // .tiktoken, tokenizer.json, .model or a model directory
  std::string encoding;             // "": from the file's name
  std::string format = "megatron";  // megatron | datatrove | npy
  std::string eos = "auto";  // a special token, "none", or "auto": the tokenizer's end of text
  std::string bos = "none";
  std::string shard_size = "1G";
  std::string name = "tokens";  // shard file prefix
  std::string shuffle;          // a seed: each shard's documents in a random order
  int threads = 0;
  bool quiet = false;
};

struct GenArgs {
  uint64_t docs = 20000;
  uint64_t seed = 1;
  std::string output;
  std::string truth;
  int threads = 0;
  int level = 3;
  bool quiet = false;
};

struct BenchArgs {
  uint64_t docs = 100000;
  int threads = 0;
  std::string workdir;  // "" : a temporary directory, removed afterwards
};

int RunClean(const CleanArgs& args);
int RunRun(const RunArgs& args);
int RunAnnotate(const AnnotateArgs& args);
int RunDedup(const DedupArgs& args);
int RunGen(const GenArgs& args);
int RunBench(const BenchArgs& args);
int RunConfigDefaults();
int RunReport(const std::string& output, bool quiet = false);

struct ExplainArgs {
  std::string input;   // a .txt page, a JSONL or Parquet file, or "-"
  std::string config;  // optional pipeline YAML (default: clean's)
  bool json = false;
};
int RunExplain(const ExplainArgs& args);

// Prints "winnow: <message>" on stderr and returns the exit code for `status`.
int ReportError(const Status& status);
// The exit code for `status`: 2 for usage and configuration errors, 1 for the others.
int ExitCode(const Status& status);
int RunExtract(const ExtractArgs& args);
int RunTokenize(const TokenizeArgs& args);

}  // namespace winnow::cli
