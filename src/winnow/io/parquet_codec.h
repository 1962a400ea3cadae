// Parquet page compression: every codec of the format but LZO, through Debian's libraries
// (libsnappy, zlib, libbrotli, libzstd, liblz4).
//
//   SNAPPY    raw snappy blocks (decoded by snappy_block.h, the faster loop; libsnappy writes)
//   GZIP      gzip (or zlib) streams, several members in a row read as one
//   BROTLI    brotli streams
//   ZSTD      zstd frames, several in a row read as one
//   LZ4_RAW   one LZ4 block
//   LZ4       Hadoop's framing (per block: big-endian raw and compressed sizes, then an LZ4
//             block); some writers put a bare LZ4 block there instead, which is read too
#pragma once

#include <string>
#include <string_view>

#include "winnow/core/status.h"
#include "winnow/io/parquet_meta.h"

namespace winnow::io::parquet {

// Decompresses a page's `input` into `out` (room for `size` bytes), which must come to exactly
// `size` bytes (the page header's uncompressed size). Corrupt when it does not decode or has
// another size; Unimplemented for LZO.
Status Decompress(Codec codec, std::string_view input, size_t size, char* out);
// The same into a string (resized to `size`).
Status Decompress(Codec codec, std::string_view input, size_t size, std::string& out);

// Appends `input` compressed with `codec` (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW) to `out`.
// `level` applies to zstd and gzip.
Status Compress(Codec codec, std::string_view input, int level, std::string& out);
// The same into `scratch`, which only grows (no zero-filling of the codec's bound for every
// page): *out views the compressed bytes (in `scratch`, or `input` itself when UNCOMPRESSED)
// until the next call.
Status CompressTo(Codec codec, std::string_view input, int level, std::string& scratch,
                  std::string_view* out);

}  // namespace winnow::io::parquet
