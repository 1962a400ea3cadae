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
// Splitting ASCII text by hand: for every built-in encoding, SplitAscii() decides a
// piece that starts at an ASCII character and whose every examined character is ASCII (where
// the Unicode classes are plain byte classes); a piece that touches a non-ASCII character
// goes to PCRE2. The two agree by construction and by test (bpe_fuzz, the tiktoken oracle
// test). A pattern given otherwise (none yet) always goes to PCRE2.
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
#include "winnow/text/token_encoder.h"

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

class BpeScratch final : public EncodeScratch {
 public:
  BpeScratch();
  ~BpeScratch() override;

 private:
  friend class BytePairEncoder;
  RegexScratch regex;
  // Pieces of up to 16 bytes that are one token, direct-mapped by hash: the common words and
  // punctuation hit here, in L2, instead of missing the cache in the multi-MB rank table.
  struct HotPiece {
    char bytes[16];
    uint32_t size = 0;  // 0: empty slot
    uint32_t id = 0;
  };
  static constexpr size_t kHotPieces = 16384;
  std::vector<HotPiece> hot;
  std::vector<std::pair<uint32_t, uint32_t>> parts;  // (start, rank of the pair starting here)
  // Merged pieces: piece -> (offset, count) into cached_ids.
  FlatStringMap<std::pair<uint32_t, uint32_t>> cache;
  std::vector<uint32_t> cached_ids;
};

// Token bytes -> rank: open addressing with the key inline in the slot when it has at most 8
// bytes (most tokens), so a lookup costs one cache miss, not the three of a map whose keys and
// values live apart (FlatStringMap: measured as half the encoder's time).
class RankTable {
 public:
  void Reserve(size_t tokens);
  void Insert(std::string_view bytes, uint32_t rank);  // the bytes must not be present
  // The rank of `bytes` (whose XXH3 is `hash`), or UINT32_MAX.
  uint32_t Find(std::string_view bytes, uint64_t hash) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t key = 0;  // the bytes (<= 8), zero-padded, or their offset in long_keys_
    uint32_t size = 0;
    uint32_t rank = UINT32_MAX;  // UINT32_MAX: empty
  };
  static uint64_t Pack(std::string_view bytes);
  void Grow();
  std::vector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
  std::string long_keys_;
};

class BytePairEncoder final : public TokenEncoder {
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

  // TokenEncoder.
  std::unique_ptr<EncodeScratch> NewScratch() const override {
    return std::make_unique<BpeScratch>();
  }
  void Encode(std::string_view text, EncodeScratch& scratch,
              std::vector<uint32_t>* ids) const override {
    Encode(text, static_cast<BpeScratch&>(scratch), ids);
  }
  std::string DefaultEos() const override { return "<|endoftext|>"; }

  // The bytes of `ids` concatenated: Decode(Encode(text)) == text. InvalidArgument for an id
  // that is neither a rank nor a special token.
  Result<std::string> Decode(const uint32_t* ids, size_t count) const;

  // Where the piece starting at `pos` ends, by the fast ASCII splitter; 0 when it cannot say
  // (a non-ASCII character is involved, or the encoding has no fast splitter). For tests.
  size_t SplitAscii(std::string_view text, size_t pos) const;
  // The same, by the encoding's regular expression (PCRE2).
  size_t SplitRegex(std::string_view text, size_t pos, BpeScratch& scratch) const;

  // The id of a special token ("<|endoftext|>"), if the encoding has it.
  std::optional<uint32_t> SpecialToken(std::string_view token) const override;
  // One more than the largest id (ranks and special tokens).
  uint32_t vocab_size() const override { return vocab_size_; }
  std::string_view name() const override { return name_; }

 private:
  BytePairEncoder() = default;
  void MergePiece(std::string_view piece, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  uint32_t Rank(std::string_view bytes) const;

  static constexpr uint32_t kNoRank = UINT32_MAX;
  enum class FastSplit { kNone, kR50k, kCl100k, kO200k };
  std::string name_;
  FastSplit fast_ = FastSplit::kNone;
  std::string token_bytes_;              // every rank's bytes, concatenated
  std::vector<uint32_t> token_offsets_;  // rank -> start in token_bytes_ (ranks + 1 entries)
  Regex split_;
  RankTable ranks_;
  uint32_t byte_rank_[256];  // rank of each single byte (every byte-level vocabulary has them)
  std::vector<std::pair<std::string, uint32_t>> special_;
  uint32_t vocab_size_ = 0;
};

}  // namespace winnow::text
