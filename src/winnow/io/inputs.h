// Expanding the user's INPUT arguments into the run's ordered list of shards.
//
// A file is one shard; a directory is walked recursively and its recognised files sorted by
// path; "-" is standard input (JSONL). The order of shards is the order of the arguments, each
// directory's files sorted: this order defines Provenance::shard, the tie-break of every
// "first seen" decision.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/record_reader.h"

namespace winnow::io {

struct Shard {
  std::string path;
  InputFormat format = InputFormat::kJsonl;
  uint64_t size = 0;  // bytes on disk (0 for standard input); Parquet: of its row groups
  // Parquet: the shard's row groups (a large file is several shards).
  uint32_t first_group = 0, groups = UINT32_MAX;
};

struct InputList {
  std::vector<Shard> shards;
  std::vector<std::string> skipped;  // files inside directories with no recognised format
  // What the user should know before trusting the output (Parquet files whose columns differ
  // from the first one's), one line each.
  std::vector<std::string> notes;
  uint64_t total_bytes = 0;  // sum of shard sizes: the denominator of progress
};

// Recognises a format by name (optionally .gz/.zst/.lz4): .jsonl/.json/.ndjson, .txt, web
// archives (.warc, .wet, .arc), .html/.htm pages, and .parquet (cut into shards of about
// options.parquet_shard_bytes by row groups; a file whose footer cannot be read is one shard,
// whose reader reports it).
// Returns NotFound when an argument does not exist, InvalidArgument for an unknown format
// given explicitly.
Result<InputList> ExpandInputs(const std::vector<std::string>& args,
                               const ReaderOptions& options = {});

// A reader of `shard` (its row groups, for Parquet).
std::unique_ptr<RecordReader> OpenShardReader(const Shard& shard, const ReaderOptions& options);

}  // namespace winnow::io
