// Parquet reading and writing, per core. The file read is $WINNOW_BENCH_PARQUET when set (the
// end-to-end script bench/e2e/parquet.sh points it at a FineWeb-layout file DuckDB wrote), and
// otherwise one written here from the generated corpus (text and id, zstd, 1,000-row groups).
//   BM_ParquetReadTextColumn  the text column of every row group: pages, codec, values
//   BM_ParquetReadRecords     every column of every row as the JSON records the pipeline reads
//   BM_ParquetWrite/codec     texts and ids written as Parquet (row groups by bytes)
//   BM_JsonlZstdWrite         the same documents as .jsonl.zst lines, for comparison
// MB are the text column's bytes (reads) or the JSONL bytes of the same documents (writes).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "corpus_fixture.h"
#include "winnow/core/json_writer.h"
#include "winnow/io/parquet_file.h"
#include "winnow/io/parquet_reader.h"
#include "winnow/io/parquet_writer.h"
#include "winnow/io/part_file.h"
#include "winnow/io/zstd_frame.h"

namespace winnow {
namespace {

namespace pq = io::parquet;

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(name) + "-" + std::to_string(getpid())))
      .string();
}

std::vector<pq::ColumnSpec> TextAndId() {
  std::vector<pq::ColumnSpec> specs(2);
  specs[0].name = "text";
  specs[1].name = "id";
  for (pq::ColumnSpec& s : specs) s.logical.kind = pq::LogicalType::Kind::kString;
  return specs;
}

// Writes the generated corpus's texts and ids to `path`, `rows_per_group` rows per Append.
Status WriteCorpus(const std::string& path, const pq::WriterOptions& options,
                   size_t rows_per_append) {
  const std::vector<std::string>& texts = bench::CorpusTexts();
  WINNOW_ASSIGN_OR_RETURN(auto w, pq::ParquetWriter::Create(path, TextAndId(), options));
  std::vector<pq::ColumnData> data(2);
  for (size_t i = 0; i < texts.size(); i += rows_per_append) {
    const size_t n = std::min(rows_per_append, texts.size() - i);
    for (pq::ColumnData& c : data) c.Clear();
    for (size_t r = i; r < i + n; ++r) {
      data[0].AddBytes(texts[r]);
      data[1].AddBytes("doc-" + std::to_string(r));
    }
    WINNOW_RETURN_IF_ERROR(w->Append(data, n));
  }
  return w->Close();
}

// The file the read benchmarks read.
const std::string& ReadPath() {
  static const std::string path = [] {
    if (const char* p = std::getenv("WINNOW_BENCH_PARQUET")) return std::string(p);
    std::string out = TempPath("winnow-bench-read.parquet");
    pq::WriterOptions o;
    o.row_group_bytes = 3 << 20;  // about 1,000 generated documents per row group
    Status st = WriteCorpus(out, o, 1000);
    if (!st.ok()) std::abort();
    std::atexit([] { std::filesystem::remove(TempPath("winnow-bench-read.parquet")); });
    return out;
  }();
  return path;
}

void BM_ParquetReadTextColumn(benchmark::State& state) {
  auto file = pq::ParquetFile::Open(ReadPath());
  if (!file.ok()) return state.SkipWithError(file.status().ToString().c_str());
  size_t text = 0;
  while (text < (*file)->columns().size() && (*file)->columns()[text].path[0] != "text") ++text;
  if (text == (*file)->columns().size()) return state.SkipWithError("no text column");
  pq::ColumnValues values;
  uint64_t bytes = 0, rows = 0;
  for (auto _ : state) {
    for (size_t g = 0; g < (*file)->meta().row_groups.size(); ++g) {
      Status st = (*file)->ReadColumn(g, text, uint64_t{1} << 30, &values);
      if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
      for (std::string_view v : values.values) bytes += v.size();
      rows += values.values.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(rows));
}
BENCHMARK(BM_ParquetReadTextColumn)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ParquetReadRecords(benchmark::State& state) {
  auto layout = io::ParquetShards(ReadPath(), uint64_t{1} << 40);
  if (!layout.ok()) return state.SkipWithError(layout.status().ToString().c_str());
  uint64_t bytes = 0, rows = 0;
  io::ReaderOptions options;
  for (auto _ : state) {
    for (const io::RowGroupRange& r : layout->runs) {
      auto reader = io::OpenParquetReader(ReadPath(), r.first, r.count, options);
      Batch batch;
      bool more = true;
      while (more) {
        batch.records.clear();
        batch.rejected.clear();
        more = reader->Next(batch);
        if (!batch.rejected.empty()) return state.SkipWithError(batch.rejected[0].error.c_str());
        bytes += batch.input_bytes;
        rows += batch.records.size();
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(rows));
  state.counters["record_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ParquetReadRecords)->Unit(benchmark::kMillisecond)->UseRealTime();

// The JSONL bytes of the corpus's texts and ids: what both writers are measured by.
uint64_t JsonlBytes() {
  static const uint64_t n = [] {
    uint64_t total = 0;
    std::string line;
    const auto& texts = bench::CorpusTexts();
    for (size_t r = 0; r < texts.size(); ++r) {
      line.clear();
      line += "{\"text\":";
      AppendJsonString(line, texts[r]);
      line += ",\"id\":\"doc-" + std::to_string(r) + "\"}\n";
      total += line.size();
    }
    return total;
  }();
  return n;
}

void BM_ParquetWrite(benchmark::State& state) {
  pq::WriterOptions o;
  o.codec = state.range(0) == 0 ? pq::Codec::kZstd : pq::Codec::kSnappy;
  const std::string path = TempPath("winnow-bench-write.parquet");
  (void)JsonlBytes();  // the corpus is generated before the timing starts
  for (auto _ : state) {
    Status st = WriteCorpus(path, o, 2000);  // the pipeline appends a batch at a time
    if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
  }
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * JsonlBytes()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * bench::CorpusTexts().size()));
  state.SetLabel(state.range(0) == 0 ? "zstd-3" : "snappy");
}
BENCHMARK(BM_ParquetWrite)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_JsonlZstdWrite(benchmark::State& state) {
  const std::string path = TempPath("winnow-bench-write.jsonl.zst");
  const auto& texts = bench::CorpusTexts();
  (void)JsonlBytes();
  std::string lines, packed;
  for (auto _ : state) {
    auto part = io::PartFile::Create(path);
    if (!part.ok()) return state.SkipWithError(part.status().ToString().c_str());
    io::ZstdFrameCompressor zstd(3);
    for (size_t i = 0; i < texts.size(); i += 2000) {  // a batch at a time, as the sink does
      lines.clear();
      for (size_t r = i; r < std::min(texts.size(), i + 2000); ++r) {
        lines += "{\"text\":";
        AppendJsonString(lines, texts[r]);
        lines += ",\"id\":\"doc-" + std::to_string(r) + "\"}\n";
      }
      packed.clear();
      Status st = zstd.Compress(lines, packed);
      if (st.ok()) st = part->Append(packed);
      if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
    }
    Status st = part->Commit();
    if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
  }
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * JsonlBytes()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_JsonlZstdWrite)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace winnow
