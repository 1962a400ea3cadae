// libFuzzer target: the document spill between passes. The first byte picks the decoder: the
// raw records of one frame (DecodeSpillRecords, what a damaged scratch file would feed the
// next pass), or a whole spill file read frame by frame (SpillReader: envelope, checksums,
// zstd frames). Damage must be an error, never a crash or an unbounded allocation.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "winnow/core/batch.h"
#include "winnow/core/name_table.h"
#include "winnow/io/doc_spill.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  winnow::NameTable names;
  if ((data[0] & 1) == 0) {
    winnow::Batch batch;
    batch.input = bytes + std::string(winnow::Batch::kInputPadding, '\0');
    batch.input_bytes = bytes.size();
    (void)winnow::io::DecodeSpillRecords(batch, names);
    return 0;
  }
  // SpillReader opens a path: one temporary file per process, rewritten per input.
  static const std::string path = [] {
    char name[] = "/tmp/winnow-fuzz-spill-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  auto reader = winnow::io::SpillReader::Open(path);
  if (!reader.ok()) return 0;
  for (int i = 0; i < 1000; ++i) {
    winnow::Batch batch;
    auto more = (*reader)->Next(batch);
    if (!more.ok() || !*more) break;
    (void)winnow::io::DecodeSpillRecords(batch, names);
  }
  return 0;
}
