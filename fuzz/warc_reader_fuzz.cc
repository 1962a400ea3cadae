// libFuzzer target: the WARC/ARC reader and record parser on arbitrary bytes. Everything must
// come out as documents or Rejected entries: no crash, no hang, no unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "winnow/core/batch.h"
#include "winnow/io/byte_source.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/warc_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  winnow::io::ReaderOptions options;
  options.batch_bytes = 4096;
  options.max_record_bytes = 1 << 20;
  // The first byte picks WARC or ARC mode.
  bool arc = size > 0 && (data[0] & 1);
  auto reader = winnow::io::OpenWarcReader(arc ? "fuzz.arc" : "fuzz.warc",
                                           winnow::io::NewMemoryByteSource(bytes), options);
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
