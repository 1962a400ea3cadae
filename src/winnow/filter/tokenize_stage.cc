#include "winnow/filter/tokenize_stage.h"

#include <vector>

namespace winnow::filter {
namespace {

class TokenizeWorker final : public StageWorker {
 public:
  TokenizeWorker(const TokenizeStage& stage, Counters* counters)
      : stage_(stage), counters_(counters), scratch_(stage.encoder().NewScratch()) {}

  // Parallel mode: the counts.
  Status Process(Batch& batch) override {
    if (!stage_.shards().empty()) return Append(batch);
    for (Document& doc : batch.docs) {
      if (doc.removed()) continue;
      ids_.clear();
      stage_.encoder().Encode(doc.text, *scratch_, &ids_);
      Count(doc, ids_.size());
    }
    return Status::OK();
  }

  // Ordered mode, in parallel: each kept document's ids into batch.scratch as
  // [documents, (count, ids...) per kept document].
  Status Prepare(Batch& batch) override {
    batch.scratch.clear();
    batch.scratch.push_back(0);
    for (Document& doc : batch.docs) {
      if (doc.removed()) continue;
      ids_.clear();
      if (stage_.bos()) ids_.push_back(*stage_.bos());
      size_t first = ids_.size();
      stage_.encoder().Encode(doc.text, *scratch_, &ids_);
      Count(doc, ids_.size() - first);
      if (stage_.eos()) ids_.push_back(*stage_.eos());
      batch.scratch.push_back(ids_.size());
      batch.scratch.insert(batch.scratch.end(), ids_.begin(), ids_.end());
      ++batch.scratch[0];
    }
    return Status::OK();
  }

  Status Finish() override { return writer_ ? writer_->Finish() : Status::OK(); }

 private:
  // Ordered mode, one worker, batches in input order: the ids to the shards.
  Status Append(Batch& batch) {
    if (!writer_) {
      WINNOW_ASSIGN_OR_RETURN(writer_,
                              io::TokenShardWriter::Create(stage_.shards(), stage_.shard_name(),
                                                           stage_.shard_options()));
    }
    if (batch.scratch.empty()) return Status::OK();
    size_t at = 1;
    for (uint64_t d = 0; d < batch.scratch[0]; ++d) {
      const auto n = static_cast<size_t>(batch.scratch[at++]);
      ids_.assign(batch.scratch.begin() + static_cast<std::ptrdiff_t>(at),
                  batch.scratch.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      WINNOW_RETURN_IF_ERROR(writer_->Add(ids_.data(), ids_.size()));
    }
    if (counters_ != nullptr) {
      counters_->Add("tokenize.shard_documents", static_cast<int64_t>(batch.scratch[0]));
    }
    return Status::OK();
  }

  void Count(Document& doc, size_t tokens) {
    doc.SetSignal("token_count", static_cast<double>(tokens));
    if (counters_ != nullptr) counters_->Add("tokenize.tokens", static_cast<int64_t>(tokens));
  }

  const TokenizeStage& stage_;
  Counters* counters_;
  std::unique_ptr<text::EncodeScratch> scratch_;
  std::vector<uint32_t> ids_;
  std::unique_ptr<io::TokenShardWriter> writer_;
};

}  // namespace

const StageSpec& TokenizeStage::Spec() {
  static const StageSpec spec{
      "tokenize",
      "Token ids of each kept document (tiktoken, Hugging Face tokenizer.json or SentencePiece): "
      "its token_count signal and, with shards, training shards in input order. Put it last.",
      {
          {"tokenizer", "",
           "a .tiktoken rank file (gpt2, r50k_base, p50k_base, cl100k_base, o200k_base), a "
           "Hugging Face tokenizer.json, a SentencePiece .model, or a model directory"},
          {"encoding", "", "the encoding; empty: from the file name"},
          {"shards", "", "directory of token shards; empty: counts only"},
          {"format", "megatron", "megatron (.bin/.idx), datatrove (.ds) or npy"},
          {"eos", "auto",
           "token after each document in the shards, none, or auto (the tokenizer's end of "
           "text)"},
          {"bos", "none", "token before each document in the shards, or none"},
          {"shard_size", "1G", "bytes of ids per shard"},
          {"name", "tokens", "shard file prefix"},
          {"shuffle", "none",
           "a seed: each shard's documents in a random order; none: input order"},
      }};
  return spec;
}

Result<std::unique_ptr<TokenizeStage>> TokenizeStage::Create(const Options& o) {
  auto stage = std::make_unique<TokenizeStage>();
  WINNOW_ASSIGN_OR_RETURN(std::string tokenizer, o.String("tokenizer"));
  WINNOW_ASSIGN_OR_RETURN(std::string encoding, o.String("encoding"));
  if (tokenizer.empty()) {
    return Status::InvalidArgument(
        "tokenize: option tokenizer: give a .tiktoken rank file, a tokenizer.json or a .model");
  }
  Result<std::unique_ptr<text::TokenEncoder>> encoder = text::LoadTokenEncoder(tokenizer, encoding);
  if (!encoder.ok()) return encoder.status().WithContext("tokenize");
  stage->encoder_ = std::move(encoder).value();
  WINNOW_ASSIGN_OR_RETURN(stage->shards_, o.String("shards"));
  WINNOW_ASSIGN_OR_RETURN(std::string eos, o.String("eos"));
  WINNOW_ASSIGN_OR_RETURN(std::string bos, o.String("bos"));
  if (!stage->shards_.empty()) {  // BOS/EOS only go into shards: counting needs neither
    Result<std::optional<uint32_t>> eos_id = text::SpecialTokenId(*stage->encoder_, eos);
    if (!eos_id.ok()) return eos_id.status().WithContext("tokenize: option eos");
    Result<std::optional<uint32_t>> bos_id = text::SpecialTokenId(*stage->encoder_, bos);
    if (!bos_id.ok()) return bos_id.status().WithContext("tokenize: option bos");
    stage->eos_ = *eos_id;
    stage->bos_ = *bos_id;
  }
  WINNOW_ASSIGN_OR_RETURN(stage->shard_name_, o.String("name"));
  WINNOW_ASSIGN_OR_RETURN(std::string format, o.String("format"));
  Result<io::ShardFormat> parsed = io::ParseShardFormat(format);
  if (!parsed.ok()) return parsed.status().WithContext("tokenize: option format");
  WINNOW_ASSIGN_OR_RETURN(std::string size, o.String("shard_size"));
  Result<uint64_t> bytes = ParseByteSize(size);
  if (!bytes.ok() || *bytes < 4096) {
    return Status::InvalidArgument("tokenize: option shard_size: expected a size of at least 4K");
  }
  stage->shard_options_.format = *parsed;
  stage->shard_options_.max_shard_bytes = *bytes;
  stage->shard_options_.vocab_size = stage->encoder_->vocab_size();
  stage->shard_options_.tokenizer_name = std::string(stage->encoder_->name());
  WINNOW_ASSIGN_OR_RETURN(std::string shuffle, o.String("shuffle"));
  Result<std::optional<uint64_t>> seed = io::ParseShuffleSeed(shuffle);
  if (!seed.ok()) return seed.status().WithContext("tokenize: option shuffle");
  stage->shard_options_.shuffle_seed = *seed;
  return stage;
}

Result<std::unique_ptr<StageWorker>> TokenizeStage::NewWorker(const WorkerContext& ctx) const {
  return std::unique_ptr<StageWorker>(new TokenizeWorker(*this, ctx.counters));
}

}  // namespace winnow::filter
