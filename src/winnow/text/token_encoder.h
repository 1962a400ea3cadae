// TokenEncoder: text to the token ids a model was trained on, whatever the tokenizer:
// byte-level BPE as tiktoken and Hugging Face's tokenizers encode (bpe.h, hf_tokenizer.h) or a
// SentencePiece model (sentencepiece_encoder.h).
// Immutable and shared by threads; each thread brings the scratch NewScratch() makes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::text {

class EncodeScratch {
 public:
  virtual ~EncodeScratch() = default;
};

class TokenEncoder {
 public:
  virtual ~TokenEncoder() = default;
  virtual std::unique_ptr<EncodeScratch> NewScratch() const = 0;
  // Appends the ids of `text` (valid UTF-8) to *ids. No BOS/EOS: the caller adds them.
  virtual void Encode(std::string_view text, EncodeScratch& scratch,
                      std::vector<uint32_t>* ids) const = 0;
  // The id of a special token ("<|endoftext|>", "</s>"), if the vocabulary has it.
  virtual std::optional<uint32_t> SpecialToken(std::string_view token) const = 0;
  // The token that ends a document: tiktoken's "<|endoftext|>", a SentencePiece model's EOS.
  virtual std::string DefaultEos() const = 0;
  // One more than the largest id.
  virtual uint32_t vocab_size() const = 0;
  virtual std::string_view name() const = 0;
};

// The id a BOS/EOS option names: a special token of `encoder`, "none" (or empty: no token), or
// "auto" (the encoder's DefaultEos()). InvalidArgument when the vocabulary lacks the token or
// the tokenizer names no end-of-text token for "auto".
Result<std::optional<uint32_t>> SpecialTokenId(const TokenEncoder& encoder, std::string token);

// A tokenizer file's bytes: NotFound when it cannot be opened, IOError when it cannot be read.
Result<std::string> ReadTokenizerFile(const std::string& path);

// The tokenizer in `path`: a Hugging Face tokenizer.json (`.json`), a SentencePiece model
// (`.model`), a tiktoken rank file (with `encoding`, or the encoding its name implies), or a
// directory holding tokenizer.json or tokenizer.model. NotFound, IOError, InvalidArgument.
Result<std::unique_ptr<TokenEncoder>> LoadTokenEncoder(const std::string& path,
                                                       std::string_view encoding);

}  // namespace winnow::text
