// Token shards: tokenized documents in the files training loaders read.
//
//   megatron   Megatron-LM's indexed dataset: PREFIX.bin (the ids, uint16 when the vocabulary
//              has fewer than 65,500 ids, else int32) and PREFIX.idx: magic "MMIDIDX\0\0",
//              version 1 (u64), dtype code (u8: 8 uint16, 4 int32), sequence count (u64),
//              document-index count (u64), sequence lengths (i32), byte pointers (i64),
//              document indices (i64: 0, 1, ..., one document per sequence)
//   datatrove  datatrove's DocumentTokenizer layout: PREFIX.ds (ids, little-endian uint16 when
//              the vocabulary fits, else uint32), PREFIX.ds.index (u64 end of each document, in
//              tokens), PREFIX.ds.metadata ("<tokenizer>|<token size>", token count, count in
//              words), as DatatroveFolderDataset reads them
//   npy        PREFIX.npy: one flat array of ids (<u2 or <u4), and PREFIX.offsets.npy: <u8
//              start of each document and, last, the total (documents + 1 entries)
//
// Documents are appended in order; a shard closes when adding a document would take its ids
// past `max_shard_bytes` (a document larger than that gets a shard of its own), and the next
// one opens as NAME-00001, NAME-00002... Files are written under a temporary name and renamed
// when their shard closes, so a file with its final name is complete.
//
// With a shuffle seed each shard's documents are put in a random order when it closes (as
// datatrove's DocumentTokenizer shuffles within each file): the same seed and shard contents
// give the same order on every machine (the permutation is ShufflePermutation's, not the
// standard library's, whose shuffle is implementation-defined).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::io {

enum class ShardFormat { kMegatron, kDatatrove, kNpy };

struct ShardOptions {
  ShardFormat format = ShardFormat::kMegatron;
  uint64_t max_shard_bytes = uint64_t{1} << 30;
  uint32_t vocab_size = 0;               // one more than the largest id
  std::string tokenizer_name;            // datatrove's metadata
  std::optional<uint64_t> shuffle_seed;  // none: documents in the order added
};

// A uniformly random permutation of 0..n-1 determined by (seed, stream): Fisher-Yates over
// SplitMix64 with Lemire's unbiased bounded draws. For a shard, stream is its index.
std::vector<uint32_t> ShufflePermutation(size_t n, uint64_t seed, uint64_t stream);

// "megatron", "datatrove", "npy"; InvalidArgument otherwise.
Result<ShardFormat> ParseShardFormat(const std::string& name);
// A shuffle seed as options spell it: a non-negative integer, or "" / "none" for no shuffle.
Result<std::optional<uint64_t>> ParseShuffleSeed(const std::string& text);

class TokenShardWriter {
 public:
  // Shards DIR/NAME-00000..., DIR created when missing.
  static Result<std::unique_ptr<TokenShardWriter>> Create(const std::string& dir,
                                                          const std::string& name,
                                                          const ShardOptions& options);
  ~TokenShardWriter();

  // Appends one document's ids. InvalidArgument for an id past the vocabulary.
  Status Add(const uint32_t* ids, size_t count);
  // Closes the last shard. Call once; without it (an error) the open shard's files are removed.
  Status Finish();

  uint64_t documents() const { return documents_; }
  uint64_t tokens() const { return tokens_; }
  size_t token_bytes() const { return token_bytes_; }               // 2 or 4
  const std::vector<std::string>& files() const { return files_; }  // final names, in order

 private:
  struct Shard;
  TokenShardWriter() = default;
  Status Open();
  Status Close();
  Status Shuffle();

  std::string dir_, name_;
  ShardOptions options_;
  size_t token_bytes_ = 2;
  std::unique_ptr<Shard> shard_;
  int next_index_ = 0;
  uint64_t documents_ = 0, tokens_ = 0;
  std::vector<std::string> files_;
  std::vector<char> buffer_;
};

}  // namespace winnow::io
