// ByteSource: a stream of decompressed bytes from a file or standard input.
//
// The codec is chosen by magic bytes first (gzip 1f 8b, zstd 28 b5 2f fd, LZ4 frame 04 22 4d
// 18) and checked against the name: a file named .gz, .zst or .lz4 whose bytes are not that
// codec is reported as corrupt rather than read as text. gzip goes through ISA-L (several
// times zlib's speed) and accepts multi-member files; zstd and LZ4 accept any number of frames
// (FastWARC writes .warc.lz4 as one LZ4 frame per record). A stream that ends inside a member or
// frame is reported as Corrupt ("truncated") after every complete byte before it was returned.
//
// Not thread-safe: one reader thread owns a source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::io {

enum class Codec { kNone, kGzip, kZstd, kLz4 };

std::string_view CodecName(Codec codec);

// The codec implied by a file name: ".gz" -> gzip, ".zst"/".zstd" -> zstd, ".lz4" -> LZ4,
// else none.
Codec CodecFromName(std::string_view name);

// The codec implied by the first bytes of a file (up to 4 are looked at).
Codec CodecFromMagic(std::string_view first_bytes);

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` decompressed bytes into `buf`. Returns 0 only at the clean end of the
  // stream. Damaged or truncated input gives a Corrupt status naming the offset.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Bytes of the underlying file consumed so far (for progress by bytes).
  virtual uint64_t compressed_offset() const = 0;
  virtual Codec codec() const = 0;
};

// Opens `path` ("-" for standard input) and picks the codec. NotFound/IOError when the file
// cannot be opened; Corrupt when the name promises a codec the bytes do not have.
Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// A source over bytes in memory, read as they are (no codec): for tests and fuzzing. `bytes`
// must outlive the source.
std::unique_ptr<ByteSource> NewMemoryByteSource(std::string_view bytes);

// Reads a whole (possibly compressed) file into memory. For small files: tests, configs.
Result<std::string> ReadFileFully(const std::string& path);

}  // namespace winnow::io
