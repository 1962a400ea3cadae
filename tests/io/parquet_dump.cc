// parquet_dump FILE: the rows of a Parquet file as winnow's reader turns them into JSON, one
// per line, or "ERROR <kind>: <message>" for what cannot be read (a row group, the file). A
// test tool: tests/io/parquet_duckdb_test.sh compares its lines with DuckDB's reading.
#include <cstdio>
#include <string>

#include "winnow/core/batch.h"
#include "winnow/io/parquet_reader.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parquet_dump FILE\n");
    return 2;
  }
  winnow::io::ReaderOptions options;
  options.text_field = "";  // any schema: no text column is required here
  auto reader = winnow::io::OpenParquetReader(argv[1], 0, UINT32_MAX, options);
  bool more = true;
  while (more) {
    winnow::Batch batch;
    more = reader->Next(batch);
    // Rows and rejections in ordinal order.
    size_t r = 0, j = 0;
    while (r < batch.records.size() || j < batch.rejected.size()) {
      const bool row =
          j >= batch.rejected.size() ||
          (r < batch.records.size() && batch.records[r].ordinal < batch.rejected[j].ordinal);
      if (row) {
        const winnow::RecordRef& ref = batch.records[r++];
        std::fwrite(batch.input.data() + ref.begin, 1, ref.size, stdout);
        std::fputc('\n', stdout);
      } else {
        const winnow::Rejected& rej = batch.rejected[j++];
        std::printf("ERROR %.*s: %s\n", static_cast<int>(rej.kind.size()), rej.kind.data(),
                    rej.error.c_str());
      }
    }
  }
  return 0;
}
