// libFuzzer target: the JSONL record reader and JSON record parser on arbitrary bytes.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/record_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The JSONL reader opens paths: one temporary file per process, rewritten per input.
  static const std::string path = [] {
    char name[] = "/tmp/winnow-fuzz-jsonl-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  winnow::io::ReaderOptions options;
  options.batch_bytes = 4096;
  options.max_record_bytes = 1 << 16;
  auto reader = winnow::io::OpenRecordReader(path, winnow::io::InputFormat::kJsonl, options);
  static winnow::io::RecordParser parser;
  for (int i = 0; i < 100000; ++i) {
    winnow::Batch batch;
    batch.source = "fuzz";
    bool more = reader->Next(batch);
    parser.ParseBatch(batch);
    if (!more) break;
  }
  return 0;
}
