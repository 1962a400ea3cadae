#include "winnow/text/sentencepiece_encoder.h"

#include <sentencepiece_processor.h>

#include <filesystem>

namespace winnow::text {
namespace {

struct SpScratch final : EncodeScratch {
  std::vector<int> ids;
};

}  // namespace

SentencePieceEncoder::SentencePieceEncoder()
    : sp_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {}
SentencePieceEncoder::~SentencePieceEncoder() = default;

Result<std::unique_ptr<SentencePieceEncoder>> SentencePieceEncoder::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("cannot open tokenizer file " + path);
  }
  std::unique_ptr<SentencePieceEncoder> e(new SentencePieceEncoder());
  const auto status = e->sp_->Load(path);
  if (!status.ok()) {
    return Status::InvalidArgument(path + ": not a SentencePiece model: " + status.ToString());
  }
  e->name_ = std::filesystem::path(path).filename().string();
  return e;
}

std::unique_ptr<EncodeScratch> SentencePieceEncoder::NewScratch() const {
  return std::make_unique<SpScratch>();
}

void SentencePieceEncoder::Encode(std::string_view text, EncodeScratch& scratch,
                                  std::vector<uint32_t>* ids) const {
  auto& s = static_cast<SpScratch&>(scratch);
  s.ids.clear();
  // Encode is const in the library and keeps no state between calls: threads share it.
  (void)sp_->Encode(text, &s.ids);
  for (int id : s.ids) ids->push_back(static_cast<uint32_t>(id));
}

std::optional<uint32_t> SentencePieceEncoder::SpecialToken(std::string_view token) const {
  const int id = sp_->PieceToId(token);
  // PieceToId gives the unknown id for a piece the vocabulary lacks.
  if (id < 0 || (id == sp_->unk_id() && token != sp_->IdToPiece(sp_->unk_id()))) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(id);
}

std::string SentencePieceEncoder::DefaultEos() const {
  return sp_->eos_id() >= 0 ? sp_->IdToPiece(sp_->eos_id()) : "none";
}

uint32_t SentencePieceEncoder::vocab_size() const {
  return static_cast<uint32_t>(sp_->GetPieceSize());
}

}  // namespace winnow::text
