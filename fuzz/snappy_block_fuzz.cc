// libFuzzer target: the hand-written snappy decoder against libsnappy. The input read as a
// block (its decoded size taken from its own preamble, and one byte off it) gets libsnappy's
// verdict, and the same bytes when both accept; the input compressed by libsnappy decodes
// back to itself.
#include <snappy.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "winnow/io/snappy_block.h"

namespace {

void Check(std::string_view block, size_t size) {
  std::string want(size, '\0'), got(size, '\0');
  size_t n = 0;
  const bool ok = snappy::GetUncompressedLength(block.data(), block.size(), &n) && n == size &&
                  snappy::RawUncompress(block.data(), block.size(), want.data());
  if (winnow::io::SnappyDecodeBlock(block, size, got.data()) != ok) std::abort();
  if (ok && got != want) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t n = 0;
  if (snappy::GetUncompressedLength(input.data(), input.size(), &n) && n <= (1u << 20)) {
    Check(input, n);
    Check(input, n + 1);
    if (n > 0) Check(input, n - 1);
  }
  std::string block;
  snappy::Compress(input.data(), input.size(), &block);
  std::string back(size, '\0');
  if (!winnow::io::SnappyDecodeBlock(block, size, back.data()) || back != input) std::abort();
  return 0;
}
