// JSONL parse (simdjson On-Demand with full validation), output encoding, zstd write, and
// decompression + line splitting, on generated documents.
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "corpus_fixture.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"
#include "winnow/io/zstd_frame.h"

namespace winnow {
namespace {

// Splits the corpus into one batch of records, as the reader would.
Batch MakeBatch(const std::string& jsonl) {
  Batch b;
  b.input = jsonl;
  size_t pos = 0;
  uint64_t ordinal = 0;
  while (pos < jsonl.size()) {
    size_t nl = jsonl.find('\n', pos);
    RecordRef r;
    r.begin = pos;
    r.size = nl - pos;
    r.ordinal = ordinal++;
    b.records.push_back(r);
    pos = nl + 1;
  }
  b.input.append(Batch::kInputPadding, ' ');
  return b;
}

// About one pipeline batch (4 MB) of generated documents. Buffers are reused across
// iterations, as the pipeline's batch pool does: a fresh multi-MB buffer per iteration would
// measure the VM's page faults, not the code.
const std::string& BatchJsonl() {
  static const std::string s = [] {
    const std::string& all = bench::CorpusJsonl();
    size_t end = all.find('\n', 4 << 20);
    return all.substr(0, end + 1);
  }();
  return s;
}

void BM_ParseJsonl(benchmark::State& state) {
  const std::string& jsonl = BatchJsonl();
  Batch b = MakeBatch(jsonl);
  io::RecordParser parser;
  for (auto _ : state) {
    b.docs.clear();
    parser.ParseBatch(b);
    benchmark::DoNotOptimize(b.docs.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * jsonl.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.records.size()));
}
BENCHMARK(BM_ParseJsonl)->Unit(benchmark::kMillisecond);

void BM_EncodeLines(benchmark::State& state) {
  const std::string& jsonl = BatchJsonl();
  Batch b = MakeBatch(jsonl);
  io::RecordParser parser;
  parser.ParseBatch(b);
  for (Document& d : b.docs) d.SetSignal("chars", 1234);
  std::string out;
  out.reserve(2 * jsonl.size());
  for (auto _ : state) {
    out.clear();
    for (const Document& d : b.docs) io::AppendDocumentLine(d, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * jsonl.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.docs.size()));
}
BENCHMARK(BM_EncodeLines)->Unit(benchmark::kMillisecond);

void BM_ZstdFrameWrite(benchmark::State& state) {
  const std::string& jsonl = bench::CorpusJsonl();
  io::ZstdFrameCompressor z(static_cast<int>(state.range(0)));
  std::string out;
  out.reserve(jsonl.size());
  for (auto _ : state) {
    out.clear();
    // 4 MB frames, as the pipeline writes them.
    for (size_t pos = 0; pos < jsonl.size(); pos += 4 << 20) {
      benchmark::DoNotOptimize(z.Compress(std::string_view(jsonl).substr(pos, 4 << 20), out).ok());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * jsonl.size()));
  state.counters["ratio"] = static_cast<double>(jsonl.size()) / static_cast<double>(out.size());
}
BENCHMARK(BM_ZstdFrameWrite)->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_ReadZstdLines(benchmark::State& state) {
  const std::string& jsonl = bench::CorpusJsonl();
  std::string path =
      (std::filesystem::temp_directory_path() / "winnow-bench-read.jsonl.zst").string();
  {
    std::string z(ZSTD_compressBound(jsonl.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), jsonl.data(), jsonl.size(), 3));
    std::ofstream(path, std::ios::binary) << z;
  }
  size_t records = 0;
  for (auto _ : state) {
    auto reader = io::OpenRecordReader(path, io::InputFormat::kJsonl, io::ReaderOptions{});
    Batch b;
    bool more = true;
    records = 0;
    while (more) {
      b.records.clear();
      more = reader->Next(b);
      records += b.records.size();
    }
    benchmark::DoNotOptimize(records);
  }
  std::filesystem::remove(path);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * jsonl.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
}
BENCHMARK(BM_ReadZstdLines)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow
