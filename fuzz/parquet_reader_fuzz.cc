// libFuzzer target: the Parquet reader, on the bytes a user's file could hold. The first byte
// picks what reads the rest: 0, a whole file (ParquetShards, then the reader over every row
// group: footer, schema, page headers, levels, encodings, codecs, nested assembly); 1, a footer
// alone (DecodeFileMetaData); 2, a page header (DecodePageHeader). Damage must be an error
// (a rejected row group), never a crash, a hang or an unbounded allocation.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "winnow/core/batch.h"
#include "winnow/io/parquet_meta.h"
#include "winnow/io/parquet_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 1:
      (void)winnow::io::parquet::DecodeFileMetaData(bytes);
      return 0;
    case 2: {
      size_t header = 0;
      (void)winnow::io::parquet::DecodePageHeader(bytes, &header);
      return 0;
    }
    default:
      break;
  }
  // The reader opens a path: one temporary file per process, rewritten per input.
  static const std::string path = [] {
    char name[] = "/tmp/winnow-fuzz-parquet-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  auto layout = winnow::io::ParquetShards(path, 1 << 20);
  if (!layout.ok()) return 0;
  winnow::io::ReaderOptions options;
  options.text_field = "";                 // any schema: every column is read
  options.max_row_group_bytes = 64 << 20;  // the cap a user sets; the fuzzer's memory is 2 GB
  for (const winnow::io::RowGroupRange& r : layout->runs) {
    auto reader = winnow::io::OpenParquetReader(path, r.first, r.count, options);
    for (int i = 0; i < 10000; ++i) {
      winnow::Batch batch;
      if (!reader->Next(batch)) break;
    }
  }
  return 0;
}
