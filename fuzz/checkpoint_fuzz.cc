// libFuzzer target: the checkpoint decoder (a resumed run reads it back). The first byte picks
// what the rest is: a whole file (envelope checks: magic, kind, version, checksum), or a
// payload wrapped in a valid envelope, so the fuzzer reaches the fields' decoding behind the
// checksum. Either way: an error or a checkpoint, never a crash or a huge allocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "winnow/core/name_table.h"
#include "winnow/io/scratch_file.h"
#include "winnow/pipeline/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file;
  if (data[0] & 1) {
    file = winnow::io::EncodeScratchFile(winnow::io::ScratchKind::kCheckpoint,
                                         winnow::pipeline::kCheckpointVersion, bytes);
    bytes = file;
  }
  winnow::NameTable names;
  auto c = winnow::pipeline::DecodeCheckpoint(bytes, names, "fuzz");
  if (c.ok()) {
    // What decodes must encode and decode back to the same.
    std::string again = winnow::pipeline::EncodeCheckpoint(*c);
    auto d = winnow::pipeline::DecodeCheckpoint(again, names, "fuzz");
    if (!d.ok() || d->pass != c->pass || d->shards_done != c->shards_done ||
        d->report != c->report) {
      __builtin_trap();
    }
  }
  return 0;
}
