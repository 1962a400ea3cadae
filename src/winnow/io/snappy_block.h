// Snappy blocks decoded by hand, for Parquet's SNAPPY pages.
//
// Why not libsnappy's decoder: Debian 12's libsnappy 1.1.9 is built by GCC, where its newer
// decoder (DecompressBranchless, literals through a call to memmove) runs slower than the
// older tag loop; DuckDB ships that older loop in its GCC builds for this reason. A text
// column is mostly short snappy literals and copies, so this loop is most of a Parquet
// read's time (bench/results/2026-12-07-parquet.md). libsnappy still compresses (the
// writer) and is the oracle of tests/io/snappy_block_test.cc and fuzz/snappy_block_fuzz.cc.
//
//   char out[size];
//   if (!SnappyDecodeBlock(page, size, out)) ... damaged
#pragma once

#include <cstddef>
#include <string_view>

namespace winnow::io {

// Decodes the snappy block `in` into `out` (room for `size` bytes). False unless the block is
// well formed and decodes to exactly `size` bytes (its preamble says so, every copy reads
// inside the output); `out` then holds unspecified bytes. Reads only `in`, writes only `out`.
bool SnappyDecodeBlock(std::string_view in, size_t size, char* out);

}  // namespace winnow::io
