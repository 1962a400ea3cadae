#include "winnow/text/token_encoder.h"

#include <filesystem>

#include "winnow/text/bpe.h"
#include "winnow/text/sentencepiece_encoder.h"

namespace winnow::text {

Result<std::optional<uint32_t>> SpecialTokenId(const TokenEncoder& encoder, std::string token) {
  if (token == "auto") token = encoder.DefaultEos();
  if (token == "none" || token.empty()) return std::optional<uint32_t>();
  std::optional<uint32_t> id = encoder.SpecialToken(token);
  if (!id) {
    return Status::InvalidArgument(std::string(encoder.name()) + " has no special token '" + token +
                                   "'");
  }
  return id;
}

Result<std::unique_ptr<TokenEncoder>> LoadTokenEncoder(const std::string& path,
                                                       std::string_view encoding) {
  if (std::filesystem::path(path).extension() == ".model") {
    if (!encoding.empty()) {
      return Status::InvalidArgument("--encoding names a tiktoken encoding; " + path +
                                     " is a SentencePiece model");
    }
    WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<SentencePieceEncoder> sp,
                            SentencePieceEncoder::Load(path));
    return std::unique_ptr<TokenEncoder>(std::move(sp));
  }
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<BytePairEncoder> bpe,
                          BytePairEncoder::Load(path, encoding));
  return std::unique_ptr<TokenEncoder>(std::move(bpe));
}

}  // namespace winnow::text
