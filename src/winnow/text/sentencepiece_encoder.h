// A SentencePiece model (`*.model`: Llama 2, Mistral, Gemma, T5 style) through Debian's
// libsentencepiece: the ids its own Encode gives (and `spm_encode --output_format=id`).
#pragma once

#include <memory>
#include <string>

#include "winnow/text/token_encoder.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace winnow::text {

class SentencePieceEncoder final : public TokenEncoder {
 public:
  static Result<std::unique_ptr<SentencePieceEncoder>> Load(const std::string& path);
  ~SentencePieceEncoder() override;

  std::unique_ptr<EncodeScratch> NewScratch() const override;
  void Encode(std::string_view text, EncodeScratch& scratch,
              std::vector<uint32_t>* ids) const override;
  std::optional<uint32_t> SpecialToken(std::string_view token) const override;
  std::string DefaultEos() const override;
  uint32_t vocab_size() const override;
  std::string_view name() const override { return name_; }

 private:
  SentencePieceEncoder();
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  std::string name_;
};

}  // namespace winnow::text
