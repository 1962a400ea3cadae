// Byte-level BPE as OpenAI's tiktoken encodes text: the token ids GPT-2 (r50k_base),
// p50k_base, cl100k_base and o200k_base models were trained on.
//
//   split     the encoding's pattern cuts the text into pieces (words with their leading
//             space, digit groups, punctuation runs, whitespace runs); PCRE2, JIT-compiled
//   merge     a piece that is a token is that token; otherwise its bytes are merged pairwise,
//             lowest rank first (leftmost on ties), until no adjacent pair is a token
//   cache     each thread remembers the ids of the pieces it has merged (bounded)
//
// Ranks come from a `.tiktoken` file (one "<base64 bytes> <rank>" line per token, as OpenAI
// publishes them). Text is encoded as tiktoken's encode_ordinary: special-token strings in a
// document ("<|endoftext|>") are ordinary text, so a document cannot inject control tokens;
// the caller adds EOS/BOS ids itself (SpecialToken()).
//
// Input must be valid UTF-8 (documents are: the readers reject anything else), as tiktoken's
// own input is a Unicode string. The patterns are tiktoken's, with one rewrite: Rust's \s is
// Unicode White_Space, which includes U+0085 (NEL), PCRE2's is not, so \s and \S are spelled
// out as classes that include it. Both regex engines follow the Unicode version they were
// built with (PCRE2 10.42: Unicode 14); characters assigned later may split differently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/text/flat_string_map.h"
#include "winnow/text/regex.h"

namespace winnow::text {

// A tiktoken encoding's definition: its split pattern (tiktoken's, in Rust regex syntax) and
// special tokens. The ranks are not here: they are the encoding's file.
struct BpeEncoding {
  std::string_view name;
  std::string_view pattern;
  std::vector<std::pair<std::string_view, uint32_t>> special_tokens;
};

// gpt2, r50k_base, p50k_base, cl100k_base, o200k_base; nullptr for another name.
const BpeEncoding* FindBpeEncoding(std::string_view name);
// The encoding a rank file's name implies ("cl100k_base.tiktoken" -> cl100k_base), or nullptr.
const BpeEncoding* BpeEncodingForFile(std::string_view path);

// The Rust-regex pattern as a PCRE2 pattern with Rust's \s (see above).
std::string TiktokenPatternToPcre(std::string_view pattern);

class BpeScratch {
 public:
  BpeScratch();
  ~BpeScratch();

 private:
  friend class BytePairEncoder;
  RegexScratch regex;
  std::vector<std::pair<uint32_t, uint32_t>> parts;  // (start, rank of the pair starting here)
  // Merged pieces: piece -> (offset, count) into cached_ids.
  FlatStringMap<std::pair<uint32_t, uint32_t>> cache;
  std::vector<uint32_t> cached_ids;
};

class BytePairEncoder {
 public:
  // `ranks`: a .tiktoken file's contents. InvalidArgument naming the line for a malformed
  // line, a repeated token or rank, or a pattern PCRE2 does not compile.
  static Result<std::unique_ptr<BytePairEncoder>> FromTiktoken(std::string_view ranks,
                                                               const BpeEncoding& encoding);
  // Reads `path`; `encoding` names the pattern and special tokens (empty: from the file
  // name). NotFound / IOError for the file, InvalidArgument for an unknown encoding.
  static Result<std::unique_ptr<BytePairEncoder>> Load(const std::string& path,
                                                       std::string_view encoding);

  // Appends the ids of `text` (valid UTF-8) to *ids. Thread-safe; one scratch per thread.
  void Encode(std::string_view text, BpeScratch& scratch, std::vector<uint32_t>* ids) const;

  // The id of a special token ("<|endoftext|>"), if the encoding has it.
  std::optional<uint32_t> SpecialToken(std::string_view token) const;
  // One more than the largest id (ranks and special tokens).
  uint32_t vocab_size() const { return vocab_size_; }
  std::string_view name() const { return name_; }

 private:
  BytePairEncoder() = default;
  void MergePiece(std::string_view piece, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  uint32_t Rank(std::string_view bytes) const {
    const uint32_t* r = ranks_.Find(bytes);
    return r == nullptr ? kNoRank : *r;
  }

  static constexpr uint32_t kNoRank = UINT32_MAX;
  std::string name_;
  Regex split_;
  FlatStringMap<uint32_t> ranks_;
  uint32_t byte_rank_[256];  // rank of each single byte (every byte-level vocabulary has them)
  std::vector<std::pair<std::string, uint32_t>> special_;
  uint32_t vocab_size_ = 0;
};

}  // namespace winnow::text
