// Decoding Parquet pages' levels and values (the format's Encodings.md), bounded on untrusted
// bytes: every read is checked against the page, every count against what the page can hold.
//
//   levels    RLE/bit-packed hybrid (with a 4-byte length in v1 pages), or the deprecated
//             BIT_PACKED (most significant bit first)
//   values    PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY (indices into the dictionary page),
//             RLE (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
//             BYTE_STREAM_SPLIT
//
// Values are kept as byte strings: fixed-width types as their little-endian bytes (4, 8 or
// 12 bytes, a byte for booleans), byte arrays as their content. A value is a view into a page
// buffer (PLAIN, dictionary) or into bytes the decoder made (deltas, booleans, split
// streams); ColumnValues owns both, so the views live as long as it does.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/parquet_meta.h"

namespace winnow::io::parquet {

// Width in bytes of a fixed-width physical type's value (0 for BYTE_ARRAY).
size_t ValueWidth(Type type, int32_t type_length);

// A column chunk decoded: a level pair per value slot (rows, and elements of lists), and the
// non-null values in order.
struct ColumnValues {
  ColumnValues() = default;
  ColumnValues(const ColumnValues&) = delete;
  ColumnValues& operator=(const ColumnValues&) = delete;
  ColumnValues(ColumnValues&&) noexcept = default;  // so vectors of them move, not copy
  ColumnValues& operator=(ColumnValues&&) noexcept = default;

  std::vector<uint16_t> def, rep;  // empty when the column has no such levels
  std::vector<std::string_view> values;
  std::deque<std::string> buffers;  // what the views point into (stable addresses): strings
  uint64_t kept_bytes = 0;          // and blocks, their sizes summed

  // Keeps `bytes` and returns a stable view of them.
  std::string_view Keep(std::string bytes) {
    kept_bytes += bytes.size();
    buffers.push_back(std::move(bytes));
    return buffers.back();
  }
  // Room for `n` bytes, uninitialized (a page is decompressed or read into it whole). The
  // blocks a row group used are reused by the next (fresh ones cost page faults every time);
  // the rest are freed, so memory stays about one row group's.
  char* Allocate(size_t n) {
    kept_bytes += n;
    size_t best = blocks_.size();  // the smallest spare block that fits
    for (size_t i = used_; i < blocks_.size(); ++i) {
      if (blocks_[i].size >= n && (best == blocks_.size() || blocks_[i].size < blocks_[best].size))
        best = i;
    }
    if (best != blocks_.size()) {
      std::swap(blocks_[best], blocks_[used_]);
      return blocks_[used_++].data.get();
    }
    const size_t size = n + n / 8;  // headroom: the next row group's pages are a bit larger
    blocks_.push_back(Block{std::make_unique_for_overwrite<char[]>(size), size});
    std::swap(blocks_.back(), blocks_[used_]);
    return blocks_[used_++].data.get();
  }
  void Clear() {
    def.clear();
    rep.clear();
    values.clear();
    buffers.clear();
    blocks_.resize(used_);  // blocks the last row group did not use are freed
    used_ = 0;
    kept_bytes = 0;
  }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  std::vector<Block> blocks_;  // [0, used_) hold this row group's bytes, the rest are spare
  size_t used_ = 0;
};

// Decodes `count` levels of `bit_width` bits in RLE/bit-packed hybrid form from `data`
// (exactly its bytes) into `out` (appended). Corrupt on damage or a level above `max`.
Status DecodeHybridLevels(std::string_view data, int bit_width, size_t count, uint16_t max,
                          std::vector<uint16_t>* out);
// The deprecated BIT_PACKED levels (most significant bit first); *used receives the bytes.
Status DecodeBitPackedLevels(std::string_view data, int bit_width, size_t count, uint16_t max,
                             std::vector<uint16_t>* out, size_t* used);

// Decodes `count` values of `encoding` from a page's value bytes (`page`, a view into a
// buffer `values` keeps alive) into values->values. `dictionary` holds the dictionary page's
// values for the dictionary encodings.
Status DecodeValues(Encoding encoding, Type type, int32_t type_length, std::string_view page,
                    size_t count, const std::vector<std::string_view>& dictionary,
                    ColumnValues* values);

// The bit width needed for values up to `max` (0 for max 0).
int BitWidth(uint64_t max);

// Appends `values` RLE/bit-packed hybrid encoded with `bit_width` (the writer's: runs of
// repeats as RLE, the rest bit-packed in groups of 8).
void EncodeHybrid(const std::vector<uint32_t>& values, int bit_width, std::string& out);

}  // namespace winnow::io::parquet
