// libFuzzer target: the ids files the group step reads back (io/id_file.h) and the scratch
// envelope's block parser (io/scratch_file.h): blocks with their checksums, then records.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "winnow/io/id_file.h"
#include "winnow/io/scratch_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  uint64_t sum = 0;
  auto count = [&](uint64_t ordinal, std::string_view id) {
    sum += ordinal + id.size();
    return winnow::Status::OK();
  };
  if ((data[0] & 1) == 0) {  // one block's records
    (void)winnow::io::ForEachIdRecord(bytes, "fuzz", count);
    return 0;
  }
  // A file's blocks: the header is checked, then each block, then its records.
  if (!winnow::io::CheckScratchHeader(bytes, winnow::io::ScratchKind::kIds, winnow::io::kIdsVersion,
                                      "fuzz")
           .ok()) {
    std::string file =
        winnow::io::ScratchHeader(winnow::io::ScratchKind::kIds, winnow::io::kIdsVersion);
    winnow::io::AppendBlock({bytes}, file);
    winnow::io::BlockParser blocks(std::string_view(file).substr(winnow::io::kScratchHeaderBytes),
                                   "fuzz");
    std::string_view payload;
    while (true) {
      auto more = blocks.Next(&payload);
      if (!more.ok() || !*more) break;
      (void)winnow::io::ForEachIdRecord(payload, "fuzz", count);
    }
    return 0;
  }
  winnow::io::BlockParser blocks(bytes.substr(winnow::io::kScratchHeaderBytes), "fuzz");
  std::string_view payload;
  for (int i = 0; i < 100000; ++i) {
    auto more = blocks.Next(&payload);
    if (!more.ok() || !*more) break;
    (void)winnow::io::ForEachIdRecord(payload, "fuzz", count);
  }
  return 0;
}
