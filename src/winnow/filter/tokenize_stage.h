// The `tokenize` stage: the token ids of every kept document with a tiktoken encoding
// (text/bpe.h) or a SentencePiece model. It writes the document's count under "winnow": {"signals":
// {"token_count"}} and, with `shards: DIR`, appends the ids to training shards (io/token_shards.h)
// in input order. Put it last: documents a later stage removes would be in the shards.
//
// Without shards the stage is parallel. With shards it is ordered: ids are computed in
// parallel (Prepare), then one worker appends each batch's documents in input order, so the
// shards are byte-identical for any thread count; like every ordered stage it runs in one
// process (not over MPI ranks): tokenize the run's output with `winnow tokenize` instead.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "winnow/core/options.h"
#include "winnow/core/stage.h"
#include "winnow/io/token_shards.h"
#include "winnow/text/token_encoder.h"

namespace winnow::filter {

class TokenizeStage final : public Stage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<TokenizeStage>> Create(const Options& options);

  std::string_view name() const override { return "tokenize"; }
  Mode mode() const override { return shards_.empty() ? Mode::kParallel : Mode::kOrdered; }
  Result<std::unique_ptr<StageWorker>> NewWorker(const WorkerContext& ctx) const override;

  const text::TokenEncoder& encoder() const { return *encoder_; }
  std::optional<uint32_t> bos() const { return bos_; }
  std::optional<uint32_t> eos() const { return eos_; }
  const std::string& shards() const { return shards_; }
  const std::string& shard_name() const { return shard_name_; }
  const io::ShardOptions& shard_options() const { return shard_options_; }

 private:
  std::unique_ptr<text::TokenEncoder> encoder_;
  std::optional<uint32_t> bos_, eos_;
  std::string shards_, shard_name_;
  io::ShardOptions shard_options_;
};

}  // namespace winnow::filter
