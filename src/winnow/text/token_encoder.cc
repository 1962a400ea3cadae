#include "winnow/text/token_encoder.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "winnow/text/bpe.h"
#include "winnow/text/hf_tokenizer.h"
#include "winnow/text/sentencepiece_encoder.h"

namespace winnow::text {

Result<std::optional<uint32_t>> SpecialTokenId(const TokenEncoder& encoder, std::string token) {
  if (token == "auto") {
    token = encoder.DefaultEos();
    if (token.empty()) {
      return Status::InvalidArgument(std::string(encoder.name()) +
                                     " does not say which token ends a document: pass --eos TOKEN "
                                     "(or none)");
    }
  }
  if (token == "none" || token.empty()) return std::optional<uint32_t>();
  std::optional<uint32_t> id = encoder.SpecialToken(token);
  if (!id) {
    return Status::InvalidArgument(std::string(encoder.name()) + " has no special token '" + token +
                                   "'");
  }
  return id;
}

Result<std::string> ReadTokenizerFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open tokenizer file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read tokenizer file " + path);
  return ss.str();
}

Result<std::unique_ptr<TokenEncoder>> LoadTokenEncoder(const std::string& path,
                                                       std::string_view encoding) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    // A model's directory, as Hugging Face repositories hold them.
    for (const char* file : {"tokenizer.json", "tokenizer.model"}) {
      if (fs::exists(fs::path(path) / file, ec)) {
        return LoadTokenEncoder((fs::path(path) / file).string(), encoding);
      }
    }
    return Status::NotFound(path + " holds neither tokenizer.json nor tokenizer.model");
  }
  const fs::path extension = fs::path(path).extension();
  if (extension == ".model" || extension == ".json") {
    if (!encoding.empty()) {
      return Status::InvalidArgument("--encoding names a tiktoken encoding; " + path +
                                     " defines its own tokenizer");
    }
    if (extension == ".json") {
      WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<BytePairEncoder> hf, LoadHfTokenizer(path));
      return std::unique_ptr<TokenEncoder>(std::move(hf));
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
