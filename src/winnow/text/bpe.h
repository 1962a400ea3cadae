// Byte-level BPE: the token ids GPT-2, GPT-3.5/4 (cl100k_base), GPT-4o (o200k_base), Llama 3,
// Qwen 2 and Mistral Nemo style models were trained on, as OpenAI's tiktoken and Hugging Face's
// tokenizers encode text.
//
//   added     (Hugging Face) added tokens found in the text are their ids; the text between
//             them is normalized (NFC) when the tokenizer says so
//   split     the pre-tokenizer's patterns cut the text into pieces (words with their leading
//             space, digit groups, punctuation runs, whitespace runs); PCRE2, JIT-compiled
//   merge     tiktoken: a piece that is a token is that token; otherwise its bytes are merged
//             pairwise, the pair making the lowest-ranked token first (leftmost on ties), until
//             no adjacent pair is a token. Hugging Face: the adjacent pair earliest in the
//             merges list merges first (leftmost on ties); with ignore_merges a piece that is a
//             token is that token first
//   cache     each thread remembers the ids of the pieces it has merged (bounded)
//
// Tokenizers come from a `.tiktoken` rank file (one "<base64 bytes> <rank>" line per token, as
// OpenAI publishes them; FromTiktoken) or a Hugging Face tokenizer.json (hf_tokenizer.h); both
// become a BpeDefinition. Text from a rank file is encoded as tiktoken's encode_ordinary:
// special-token strings in a document ("<|endoftext|>") are ordinary text, so a document cannot
// inject control tokens; the caller adds EOS/BOS ids itself (SpecialToken()). A tokenizer.json
// encodes as its library does: its added tokens are matched in the text.
//
// Splitting ASCII text by hand: for the built-in patterns (tiktoken's three, and the
// single-digit variants of cl100k's and o200k's that Qwen 2 and Mistral Nemo use),
// SplitAscii() decides a piece that starts at an ASCII character and whose every examined
// character is ASCII (where the Unicode classes are plain byte classes); a piece that touches
// a non-ASCII character goes to PCRE2. The two agree by construction and by test (bpe_fuzz,
// the tiktoken and tokenizers oracle tests). Any other pattern always goes to PCRE2.
//
// Input must be valid UTF-8 (documents are: the readers reject anything else), as both
// references take Unicode strings. The patterns are used as written, with one rewrite: Rust's
// and Oniguruma's \s is Unicode White_Space, which includes U+0085 (NEL), PCRE2's is not, so
// \s and \S are spelled out as classes that include it. The regex engines follow the Unicode
// version they were built with (PCRE2 10.42: Unicode 14); characters assigned later may split
// differently.
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

// A byte-level BPE tokenizer, whichever file defines it (a tiktoken rank file, a Hugging Face
// tokenizer.json: hf_tokenizer.h): what BytePairEncoder::Build() needs.
struct BpeDefinition {
  std::string name;
  // Each id's token bytes; empty: no token has the id (a gap, or an added token's id).
  std::vector<std::string> vocab;
  // Hugging Face: the merges in priority order, as the ids of the pair; their result is the
  // token of the two tokens' bytes. Empty: tiktoken's rule, a pair merges by the rank (the id)
  // of the token it makes.
  std::vector<std::pair<uint32_t, uint32_t>> merges;
  // A piece that is one token is that token, whatever the merges say (tiktoken always;
  // Hugging Face's ignore_merges).
  bool whole_piece_lookup = true;
  // The pre-tokenizer: each step cuts every piece the step before made.
  struct Split {
    std::string pattern;  // Rust/Oniguruma syntax as tiktoken and HF write it; empty: no cut
    bool add_prefix_space = false;  // first prepend ' ' to a piece that does not start with one
  };
  std::vector<Split> splits;
  bool nfc = false;  // the text between added tokens is normalized to NFC (Hugging Face)
  // Tokens matched in the text before anything else (Hugging Face's added vocabulary:
  // leftmost-longest, those with `normalized` in the normalized text).
  struct AddedToken {
    std::string content;
    uint32_t id = 0;
    bool single_word = false, lstrip = false, rstrip = false, normalized = false;
  };
  std::vector<AddedToken> added;
  // Names for ids that text never produces here but --bos/--eos may ask for.
  std::vector<std::pair<std::string, uint32_t>> special;
  std::string default_eos;  // empty: the tokenizer does not say
};

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
  // Merging: (start, rank of the pair starting here) for tiktoken's rule, (id, merge rank of
  // the pair this symbol starts) for merges.
  std::vector<std::pair<uint32_t, uint32_t>> parts;
  // Merged pieces: piece -> (offset, count) into cached_ids.
  FlatStringMap<std::pair<uint32_t, uint32_t>> cache;
  std::vector<uint32_t> cached_ids;
  std::string normalized;             // a stretch of text in NFC
  std::vector<std::string> prefixed;  // per pre-tokenizer step: a piece with ' ' prepended
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
  uint32_t Find(std::string_view bytes) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t key = 0;  // the bytes (<= 8), zero-padded, or their offset in long_keys_
    uint32_t size = 0;
    uint32_t rank = UINT32_MAX;  // UINT32_MAX: empty
  };
  static uint64_t Pack(std::string_view bytes);
  std::vector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
  std::string long_keys_;
};

class BytePairEncoder final : public TokenEncoder {
 public:
  // InvalidArgument when a byte has no token, two ids share bytes, a merge's parts or result
  // are not tokens, or a pattern does not compile.
  static Result<std::unique_ptr<BytePairEncoder>> Build(BpeDefinition def);
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
  std::string DefaultEos() const override { return default_eos_; }

  // The bytes of `ids` concatenated: Decode(Encode(text)) == text (for a tokenizer without
  // normalizer or added prefix spaces). InvalidArgument for an id that is no token.
  Result<std::string> Decode(const uint32_t* ids, size_t count) const;

  // Where the piece starting at `pos` ends, by the first step's fast ASCII splitter; 0 when it
  // cannot say (a non-ASCII character is involved, or the pattern has no fast splitter). For
  // tests.
  size_t SplitAscii(std::string_view text, size_t pos) const;
  // The same, by the first step's regular expression (PCRE2).
  size_t SplitRegex(std::string_view text, size_t pos, BpeScratch& scratch) const;

  // The id of a special or added token ("<|endoftext|>"), if the tokenizer has it.
  std::optional<uint32_t> SpecialToken(std::string_view token) const override;
  // One more than the largest id (ranks and special tokens).
  uint32_t vocab_size() const override { return vocab_size_; }
  std::string_view name() const override { return name_; }

 private:
  BytePairEncoder() = default;
  struct Step;
  struct AddedSet;
  void EncodeText(std::string_view text, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  void PreTokenize(size_t step, std::string_view text, BpeScratch& scratch,
                   std::vector<uint32_t>* ids) const;
  void CutAndEncode(const Step& step, std::string_view text, BpeScratch& scratch,
                    std::vector<uint32_t>* ids) const;
  void EncodePiece(std::string_view piece, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  void MergeByRank(std::string_view piece, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  void MergeByPairs(std::string_view piece, BpeScratch& scratch, std::vector<uint32_t>* ids) const;
  uint32_t Rank(std::string_view bytes) const { return ranks_.Find(bytes); }
  uint32_t PairRank(uint32_t left, uint32_t right) const;

  static constexpr uint32_t kNoRank = UINT32_MAX;
  std::string name_;
  std::string token_bytes_;              // every id's bytes, concatenated
  std::vector<uint32_t> token_offsets_;  // id -> start in token_bytes_ (ids + 1 entries)
  std::vector<Step> steps_;
  RankTable ranks_;          // token bytes -> id
  uint32_t byte_rank_[256];  // the id of each single byte (every byte-level vocabulary has them)
  bool by_pairs_ = false;    // merge by the merges' order (Hugging Face), not by token rank
  bool whole_piece_lookup_ = true;
  RankTable pair_ranks_;              // (left id, right id) as 8 bytes -> merge rank
  std::vector<uint32_t> merge_into_;  // merge rank -> the merged token's id
  bool nfc_ = false;
  std::unique_ptr<AddedSet> added_raw_, added_normalized_;  // null: none
  std::vector<std::pair<std::string, uint32_t>> special_;
  std::string default_eos_;
  uint32_t vocab_size_ = 0;

 public:
  ~BytePairEncoder() override;
};

}  // namespace winnow::text
