// `winnow tokenize`: clean documents to token shards a trainer loads (io/token_shards.h), with
// the ids a tiktoken encoding (text/bpe.h) or a SentencePiece model gives.
//
// A oneTBB pipeline as in `extract`: a serial reader cuts the inputs into batches, each batch
// is parsed and encoded on any thread, and a serial writer appends the documents' ids to the
// shards in input order, so the shards are byte-identical for any --threads.
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "winnow/cli/commands.h"
#include "winnow/core/json_writer.h"
#include "winnow/core/options.h"
#include "winnow/io/inputs.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/io/token_shards.h"
#include "winnow/text/token_encoder.h"

namespace winnow::cli {
namespace {

// A batch of documents and their ids.
struct Tokens {
  Batch batch;
  std::vector<uint32_t> ids;
  std::vector<size_t> ends;  // per document, into ids
  std::string messages;
  uint64_t skipped = 0;
};

struct Local {
  io::RecordParser parser;
  std::unique_ptr<text::EncodeScratch> scratch;
};

}  // namespace

int RunTokenize(const TokenizeArgs& args) {
  auto t0 = std::chrono::steady_clock::now();
  Result<io::ShardFormat> format = io::ParseShardFormat(args.format);
  if (!format.ok()) return ReportError(format.status());
  Result<uint64_t> shard_size = ParseByteSize(args.shard_size);
  if (!shard_size.ok() || *shard_size < 4096) {
    return ReportError(
        Status::InvalidArgument("--shard-size: expected a size of at least 4K, such as 1G"));
  }
  Result<std::unique_ptr<text::TokenEncoder>> bpe =
      text::LoadTokenEncoder(args.tokenizer, args.encoding);
  if (!bpe.ok()) return ReportError(bpe.status());
  Result<std::optional<uint32_t>> eos = text::SpecialTokenId(**bpe, args.eos);
  if (!eos.ok()) return ReportError(eos.status().WithContext("--eos"));
  Result<std::optional<uint32_t>> bos = text::SpecialTokenId(**bpe, args.bos);
  if (!bos.ok()) return ReportError(bos.status().WithContext("--bos"));
  Result<io::InputList> inputs = io::ExpandInputs(args.inputs);
  if (!inputs.ok()) return ReportError(inputs.status());
  if (inputs->shards.empty()) {
    return ReportError(Status::InvalidArgument("no input files with a known format"));
  }
  io::ShardOptions options;
  options.format = *format;
  options.max_shard_bytes = *shard_size;
  options.vocab_size = (*bpe)->vocab_size();
  options.tokenizer_name = std::string((*bpe)->name());
  Result<std::optional<uint64_t>> seed = io::ParseShuffleSeed(args.shuffle);
  if (!seed.ok()) return ReportError(seed.status().WithContext("--shuffle"));
  options.shuffle_seed = *seed;
  Result<std::unique_ptr<io::TokenShardWriter>> writer =
      io::TokenShardWriter::Create(args.output, args.name, options);
  if (!writer.ok()) return ReportError(writer.status());

  const int threads = args.threads > 0
                          ? args.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const text::TokenEncoder& encoder = **bpe;
  tbb::enumerable_thread_specific<Local> locals;
  io::ReaderOptions reader_options;
  uint64_t skipped = 0, input_bytes = 0;
  std::vector<uint64_t> histogram(24, 0);  // documents by tokens, in powers of two
  Status failure;
  size_t shard = 0;
  std::unique_ptr<io::RecordReader> reader;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    auto read = [&](tbb::flow_control& fc) -> Tokens* {
      while (shard < inputs->shards.size() && failure.ok()) {
        const io::Shard& s = inputs->shards[shard];
        if (!reader) reader = io::OpenShardReader(s, reader_options);
        auto t = std::make_unique<Tokens>();
        t->batch.source = s.path;
        if (!reader->Next(t->batch)) {
          reader.reset();
          ++shard;
        }
        if (!t->batch.records.empty() || !t->batch.rejected.empty()) return t.release();
      }
      fc.stop();
      return nullptr;
    };
    auto work = [&](Tokens* t) {
      Local& local = locals.local();
      if (!local.scratch) local.scratch = encoder.NewScratch();
      local.parser.ParseBatch(t->batch);
      for (const Rejected& r : t->batch.rejected) {
        ++t->skipped;
        t->messages += "winnow tokenize: skipped: " + r.error + "\n";
      }
      for (const Document& doc : t->batch.docs) {
        if (bos.value()) t->ids.push_back(*bos.value());
        encoder.Encode(doc.text, *local.scratch, &t->ids);
        if (eos.value()) t->ids.push_back(*eos.value());
        t->ends.push_back(t->ids.size());
      }
      return t;
    };
    auto write = [&](Tokens* t) {
      std::unique_ptr<Tokens> owned(t);
      skipped += t->skipped;
      input_bytes += t->batch.input_bytes;
      if (!args.quiet) std::fputs(t->messages.c_str(), stderr);
      size_t begin = 0;
      for (size_t end : t->ends) {
        if (failure.ok()) failure = (*writer)->Add(t->ids.data() + begin, end - begin);
        size_t bucket = 0;
        while ((size_t{2} << bucket) <= end - begin && bucket + 1 < histogram.size()) ++bucket;
        ++histogram[bucket];
        begin = end;
      }
    };
    tbb::parallel_pipeline(
        static_cast<size_t>(2 * threads + 2),
        tbb::make_filter<void, Tokens*>(tbb::filter_mode::serial_in_order, read) &
            tbb::make_filter<Tokens*, Tokens*>(tbb::filter_mode::parallel, work) &
            tbb::make_filter<Tokens*, void>(tbb::filter_mode::serial_in_order, write));
  });
  if (failure.ok()) failure = (*writer)->Finish();
  if (!failure.ok()) return ReportError(failure);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // OUT/tokenize.json: what was written, for the run's records.
  JsonWriter w(/*pretty=*/true);
  w.BeginObject();
  w.Key("tokenizer").String(args.tokenizer);
  w.Key("encoding").String(std::string((*bpe)->name()));
  w.Key("format").String(args.format);
  w.Key("token_bytes").Int(static_cast<int64_t>((*writer)->token_bytes()));
  if (*seed) {
    w.Key("shuffle_seed").Int(static_cast<int64_t>(**seed));
  } else {
    w.Key("shuffle_seed").Null();
  }
  w.Key("documents").Int(static_cast<int64_t>((*writer)->documents()));
  w.Key("tokens").Int(static_cast<int64_t>((*writer)->tokens()));
  w.Key("skipped_records").Int(static_cast<int64_t>(skipped));
  w.Key("input_bytes").Int(static_cast<int64_t>(input_bytes));
  w.Key("wall_seconds").Number(seconds);
  w.Key("documents_by_tokens").BeginObject();
  for (size_t b = 0; b < histogram.size(); ++b) {
    if (histogram[b] == 0) continue;
    w.Key(b == 0 ? "0-1"
                 : std::to_string(size_t{1} << b) + "-" + std::to_string((size_t{2} << b) - 1))
        .Int(static_cast<int64_t>(histogram[b]));
  }
  w.EndObject();
  w.Key("files").BeginArray();
  for (const std::string& f : (*writer)->files()) {
    w.String(std::filesystem::path(f).filename().string());
  }
  w.EndArray();
  w.EndObject();
  std::ofstream(std::filesystem::path(args.output) / "tokenize.json") << w.str() << "\n";
  if (!args.quiet) {
    double mb = static_cast<double>(input_bytes) / 1e6;
    std::printf(
        "winnow tokenize: %llu documents, %llu tokens (%s), %.1f MB in %.2f s (%.1f MB/s, %d "
        "threads); %zu files in %s\n",
        static_cast<unsigned long long>((*writer)->documents()),
        static_cast<unsigned long long>((*writer)->tokens()), std::string((*bpe)->name()).c_str(),
        mb, seconds, mb / std::max(seconds, 1e-9), threads, (*writer)->files().size(),
        args.output.c_str());
    if (skipped > 0) {
      std::printf("  skipped %llu unreadable records\n", static_cast<unsigned long long>(skipped));
    }
  }
  return 0;
}

}  // namespace winnow::cli
