#include "winnow/io/parquet_decode.h"

#include <algorithm>
#include <cstring>

namespace winnow::io::parquet {
namespace {

Status Bad(std::string_view what) { return Status::Corrupt(std::string(what)); }

// Bits of `data` from `bit` on, `width` of them (up to 32), least significant bit first.
uint32_t BitsAt(std::string_view data, size_t bit, int width) {
  const size_t byte = bit / 8;
  uint64_t word = 0;
  const size_t n = std::min<size_t>(8, data.size() - byte);
  std::memcpy(&word, data.data() + byte, n);
  return static_cast<uint32_t>((word >> (bit % 8)) & ((uint64_t{1} << width) - 1));
}

uint64_t ReadUleb(std::string_view data, size_t* pos, bool* ok) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= data.size()) break;
    const auto b = static_cast<uint8_t>(data[(*pos)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  *ok = false;
  return 0;
}

int64_t ReadZigzag(std::string_view data, size_t* pos, bool* ok) {
  const uint64_t z = ReadUleb(data, pos, ok);
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

// The RLE/bit-packed hybrid, value by value.
class Hybrid {
 public:
  Hybrid(std::string_view data, int width) : data_(data), width_(width) {}

  bool Next(uint32_t* v) {
    while (rle_left_ == 0 && packed_left_ == 0) {
      if (!ok_ || pos_ >= data_.size() || !NextRun()) return false;
    }
    if (rle_left_ > 0) {
      --rle_left_;
      *v = rle_value_;
      return true;
    }
    --packed_left_;
    *v = width_ == 0 ? 0 : BitsAt(data_, packed_bit_, width_);
    packed_bit_ += static_cast<size_t>(width_);
    return true;
  }
  bool ok() const { return ok_; }

 private:
  bool NextRun() {
    const uint64_t header = ReadUleb(data_, &pos_, &ok_);
    if (!ok_) return false;
    if (header & 1) {  // bit-packed: groups of 8 values
      const uint64_t groups = header >> 1;
      const size_t bytes = groups * static_cast<uint64_t>(width_);
      const size_t have = std::min<size_t>(bytes, data_.size() - pos_);
      if (groups > data_.size() * 8 + 8) return ok_ = false;
      // The last run may be cut short where the page ends: only whole values count.
      packed_left_ = width_ == 0
                         ? static_cast<uint32_t>(groups * 8)
                         : static_cast<uint32_t>(std::min<uint64_t>(groups * 8, have * 8 / width_));
      packed_bit_ = pos_ * 8;
      pos_ += have;
      return true;
    }
    const uint64_t count = header >> 1;
    const size_t bytes = (static_cast<size_t>(width_) + 7) / 8;
    if (bytes > data_.size() - pos_ || count > (uint64_t{1} << 32)) return ok_ = false;
    uint32_t value = 0;
    std::memcpy(&value, data_.data() + pos_, bytes);
    pos_ += bytes;
    rle_value_ = value;
    rle_left_ = static_cast<uint32_t>(count);
    return true;
  }

  std::string_view data_;
  int width_;
  size_t pos_ = 0;
  bool ok_ = true;
  uint32_t rle_left_ = 0, rle_value_ = 0;
  uint32_t packed_left_ = 0;
  size_t packed_bit_ = 0;
};

// DELTA_BINARY_PACKED: a header (block size, miniblocks per block, count, first value), then
// blocks of (min delta, a bit width per miniblock, the miniblocks). Arithmetic wraps, as the
// writers' does, so int32 columns come out right when truncated.
class DeltaDecoder {
 public:
  explicit DeltaDecoder(std::string_view data) : data_(data) {}

  // Decodes every value; *end receives where the encoding ended.
  Status Decode(std::vector<uint64_t>* out, size_t max_values) {
    const uint64_t block = ReadUleb(data_, &pos_, &ok_);
    const uint64_t minis = ReadUleb(data_, &pos_, &ok_);
    const uint64_t count = ReadUleb(data_, &pos_, &ok_);
    uint64_t value = static_cast<uint64_t>(ReadZigzag(data_, &pos_, &ok_));
    if (!ok_) return Bad("DELTA_BINARY_PACKED header does not decode");
    if (block == 0 || block % 128 != 0 || minis == 0 || block % minis != 0 ||
        (block / minis) % 32 != 0 || block > (1u << 20)) {
      return Bad("DELTA_BINARY_PACKED header has an invalid block size");
    }
    if (count > max_values) return Bad("DELTA_BINARY_PACKED holds more values than the page");
    const uint64_t per_mini = block / minis;
    out->reserve(out->size() + count);
    if (count > 0) out->push_back(value);
    uint64_t left = count > 0 ? count - 1 : 0;
    while (left > 0) {
      const uint64_t min_delta = static_cast<uint64_t>(ReadZigzag(data_, &pos_, &ok_));
      if (!ok_ || minis > data_.size() - pos_) return Bad("DELTA_BINARY_PACKED block is cut short");
      const std::string_view widths = data_.substr(pos_, minis);
      pos_ += minis;
      for (uint64_t m = 0; m < minis && left > 0; ++m) {
        const int width = static_cast<uint8_t>(widths[m]);
        if (width > 64) return Bad("DELTA_BINARY_PACKED bit width over 64");
        const size_t bytes = per_mini * static_cast<size_t>(width) / 8;
        if (bytes > data_.size() - pos_) return Bad("DELTA_BINARY_PACKED miniblock is cut short");
        const std::string_view mini = data_.substr(pos_, bytes);
        pos_ += bytes;
        for (uint64_t i = 0; i < per_mini && left > 0; ++i, --left) {
          uint64_t delta = 0;
          if (width > 32) {
            const size_t bit = i * static_cast<size_t>(width);
            delta = BitsAt(mini, bit, 32) |
                    (static_cast<uint64_t>(BitsAt(mini, bit + 32, width - 32)) << 32);
          } else if (width > 0) {
            delta = BitsAt(mini, i * static_cast<size_t>(width), width);
          }
          value += min_delta + delta;
          out->push_back(value);
        }
      }
    }
    return Status::OK();
  }
  size_t end() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// `n` byte strings of the PLAIN BYTE_ARRAY form (u32 length, bytes).
Status PlainByteArrays(std::string_view page, size_t n, ColumnValues* out) {
  // At most one value per 4 bytes: a count past that is caught below, not reserved.
  out->values.reserve(out->values.size() + std::min(n, page.size() / 4));
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t len;
    if (page.size() - pos < 4) return Bad("PLAIN byte array is cut short");
    std::memcpy(&len, page.data() + pos, 4);
    pos += 4;
    if (len > page.size() - pos) return Bad("PLAIN byte array runs past its page");
    out->values.push_back(page.substr(pos, len));
    pos += len;
  }
  return Status::OK();
}

}  // namespace

size_t ValueWidth(Type type, int32_t type_length) {
  switch (type) {
    case Type::kBoolean:
      return 1;
    case Type::kInt32:
    case Type::kFloat:
      return 4;
    case Type::kInt64:
    case Type::kDouble:
      return 8;
    case Type::kInt96:
      return 12;
    case Type::kFixedLenByteArray:
      return type_length > 0 ? static_cast<size_t>(type_length) : 0;
    case Type::kByteArray:
      return 0;
  }
  return 0;
}

int BitWidth(uint64_t max) {
  int w = 0;
  while (max > 0) {
    ++w;
    max >>= 1;
  }
  return w;
}

Status DecodeHybridLevels(std::string_view data, int bit_width, size_t count, uint16_t max,
                          std::vector<uint16_t>* out) {
  Hybrid h(data, bit_width);
  uint32_t v;
  for (size_t i = 0; i < count; ++i) {
    if (!h.Next(&v)) return Bad("levels are cut short");
    if (v > max) return Bad("a level is above the column's maximum");
    out->push_back(static_cast<uint16_t>(v));
  }
  return Status::OK();
}

Status DecodeBitPackedLevels(std::string_view data, int bit_width, size_t count, uint16_t max,
                             std::vector<uint16_t>* out, size_t* used) {
  const size_t bits = count * static_cast<size_t>(bit_width);
  *used = (bits + 7) / 8;
  if (*used > data.size()) return Bad("BIT_PACKED levels are cut short");
  for (size_t i = 0; i < count; ++i) {
    uint32_t v = 0;
    for (int b = 0; b < bit_width; ++b) {  // most significant bit first
      const size_t bit = i * static_cast<size_t>(bit_width) + static_cast<size_t>(b);
      v = (v << 1) | ((static_cast<uint8_t>(data[bit / 8]) >> (7 - bit % 8)) & 1);
    }
    if (v > max) return Bad("a level is above the column's maximum");
    out->push_back(static_cast<uint16_t>(v));
  }
  return Status::OK();
}

Status DecodeValues(Encoding encoding, Type type, int32_t type_length, std::string_view page,
                    size_t count, const std::vector<std::string_view>& dictionary,
                    ColumnValues* out) {
  const size_t width = ValueWidth(type, type_length);
  if (type == Type::kFixedLenByteArray && width == 0) {
    return Bad("FIXED_LEN_BYTE_ARRAY column without a length");
  }
  switch (encoding) {
    case Encoding::kPlain: {
      if (type == Type::kByteArray) return PlainByteArrays(page, count, out);
      if (type == Type::kBoolean) {
        if (count > page.size() * 8) return Bad("PLAIN booleans are cut short");
        std::string bytes(count, '\0');
        for (size_t i = 0; i < count; ++i) {
          bytes[i] = static_cast<char>((static_cast<uint8_t>(page[i / 8]) >> (i % 8)) & 1);
        }
        std::string_view kept = out->Keep(std::move(bytes));
        for (size_t i = 0; i < count; ++i) out->values.push_back(kept.substr(i, 1));
        return Status::OK();
      }
      if (count > page.size() / width) return Bad("PLAIN values are cut short");
      for (size_t i = 0; i < count; ++i) out->values.push_back(page.substr(i * width, width));
      return Status::OK();
    }
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (count == 0) return Status::OK();
      if (page.empty()) return Bad("dictionary indices without a bit width");
      const int bit_width = static_cast<uint8_t>(page[0]);
      if (bit_width > 32) return Bad("dictionary indices wider than 32 bits");
      Hybrid h(page.substr(1), bit_width);
      uint32_t index;
      for (size_t i = 0; i < count; ++i) {
        if (!h.Next(&index)) return Bad("dictionary indices are cut short");
        if (index >= dictionary.size()) {
          return Bad(dictionary.empty() ? "dictionary-encoded values without a dictionary page"
                                        : "a dictionary index past the dictionary");
        }
        out->values.push_back(dictionary[index]);
      }
      return Status::OK();
    }
    case Encoding::kRle: {  // booleans: 4-byte length, then the hybrid with width 1
      if (type != Type::kBoolean) return Bad("RLE values of a type other than BOOLEAN");
      uint32_t len;
      if (page.size() < 4) return Bad("RLE booleans without a length");
      std::memcpy(&len, page.data(), 4);
      if (len > page.size() - 4) return Bad("RLE booleans run past their page");
      Hybrid h(page.substr(4, len), 1);
      std::string bytes(count, '\0');
      uint32_t v;
      for (size_t i = 0; i < count; ++i) {
        if (!h.Next(&v)) return Bad("RLE booleans are cut short");
        bytes[i] = static_cast<char>(v & 1);
      }
      std::string_view kept = out->Keep(std::move(bytes));
      for (size_t i = 0; i < count; ++i) out->values.push_back(kept.substr(i, 1));
      return Status::OK();
    }
    case Encoding::kDeltaBinaryPacked: {
      if (type != Type::kInt32 && type != Type::kInt64) {
        return Bad("DELTA_BINARY_PACKED values of a type other than INT32 or INT64");
      }
      std::vector<uint64_t> ints;
      DeltaDecoder d(page);
      WINNOW_RETURN_IF_ERROR(d.Decode(&ints, count));
      if (ints.size() < count) return Bad("DELTA_BINARY_PACKED holds fewer values than the page");
      std::string bytes(count * width, '\0');
      for (size_t i = 0; i < count; ++i) std::memcpy(bytes.data() + i * width, &ints[i], width);
      std::string_view kept = out->Keep(std::move(bytes));
      for (size_t i = 0; i < count; ++i) out->values.push_back(kept.substr(i * width, width));
      return Status::OK();
    }
    case Encoding::kDeltaLengthByteArray:
    case Encoding::kDeltaByteArray: {
      if (type != Type::kByteArray && type != Type::kFixedLenByteArray) {
        return Bad("DELTA byte array encoding of a type that is not a byte array");
      }
      std::vector<uint64_t> prefixes, lengths;
      size_t pos = 0;
      if (encoding == Encoding::kDeltaByteArray) {
        DeltaDecoder p(page);
        WINNOW_RETURN_IF_ERROR(p.Decode(&prefixes, count));
        pos = p.end();
      }
      DeltaDecoder l(page.substr(pos));
      WINNOW_RETURN_IF_ERROR(l.Decode(&lengths, count));
      pos += l.end();
      if (lengths.size() < count ||
          (encoding == Encoding::kDeltaByteArray && prefixes.size() < count)) {
        return Bad("DELTA byte arrays hold fewer values than the page");
      }
      std::string_view data = page.substr(pos);
      if (encoding == Encoding::kDeltaLengthByteArray) {
        size_t at = 0;
        for (size_t i = 0; i < count; ++i) {
          if (lengths[i] > data.size() - at)
            return Bad("DELTA_LENGTH_BYTE_ARRAY runs past its page");
          out->values.push_back(data.substr(at, lengths[i]));
          at += lengths[i];
        }
        return Status::OK();
      }
      // Each value is the previous one's prefix and a suffix: materialised.
      std::string bytes;
      std::vector<std::pair<size_t, size_t>> spans;
      size_t at = 0, prev_begin = 0, prev_size = 0;
      for (size_t i = 0; i < count; ++i) {
        if (prefixes[i] > prev_size)
          return Bad("DELTA_BYTE_ARRAY prefix longer than the value before");
        if (lengths[i] > data.size() - at) return Bad("DELTA_BYTE_ARRAY runs past its page");
        if (bytes.size() + prefixes[i] + lengths[i] > (size_t{1} << 31)) {
          return Bad("DELTA_BYTE_ARRAY values too large");
        }
        const size_t begin = bytes.size();
        bytes.append(bytes, prev_begin, prefixes[i]);
        bytes.append(data.substr(at, lengths[i]));
        at += lengths[i];
        prev_begin = begin;
        prev_size = bytes.size() - begin;
        spans.emplace_back(begin, prev_size);
      }
      std::string_view kept = out->Keep(std::move(bytes));
      for (auto [b, n] : spans) out->values.push_back(kept.substr(b, n));
      return Status::OK();
    }
    case Encoding::kByteStreamSplit: {
      if (width == 0 || type == Type::kBoolean || type == Type::kInt96) {
        return Bad("BYTE_STREAM_SPLIT of a type it does not apply to");
      }
      if (count > page.size() / width) return Bad("BYTE_STREAM_SPLIT values are cut short");
      std::string bytes(count * width, '\0');
      for (size_t k = 0; k < width; ++k) {
        const char* stream = page.data() + k * count;
        for (size_t i = 0; i < count; ++i) bytes[i * width + k] = stream[i];
      }
      std::string_view kept = out->Keep(std::move(bytes));
      for (size_t i = 0; i < count; ++i) out->values.push_back(kept.substr(i * width, width));
      return Status::OK();
    }
    case Encoding::kBitPacked:
      return Bad("BIT_PACKED is an encoding of levels, not of values");
  }
  return Status::Unimplemented("Parquet encoding " + std::to_string(static_cast<int>(encoding)) +
                               " is not supported");
}

void EncodeHybrid(const std::vector<uint32_t>& values, int width, std::string& out) {
  const size_t value_bytes = (static_cast<size_t>(width) + 7) / 8;
  auto uleb = [&](uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  };
  size_t i = 0;
  const size_t n = values.size();
  std::vector<uint32_t> pending;  // values waiting for a bit-packed run (a multiple of 8)
  auto flush_packed = [&](bool final) {
    if (pending.empty()) return;
    if (!final && pending.size() % 8 != 0) return;
    const size_t groups = (pending.size() + 7) / 8;
    uleb((groups << 1) | 1);
    std::string bits(groups * static_cast<size_t>(width), '\0');
    for (size_t k = 0; k < pending.size(); ++k) {
      for (int b = 0; b < width; ++b) {
        if ((pending[k] >> b) & 1) {
          const size_t bit = k * static_cast<size_t>(width) + static_cast<size_t>(b);
          bits[bit / 8] = static_cast<char>(bits[bit / 8] | (1 << (bit % 8)));
        }
      }
    }
    out += bits;
    pending.clear();
  };
  while (i < n) {
    size_t run = 1;
    while (i + run < n && values[i + run] == values[i]) ++run;
    // A run of 8 or more repeats is an RLE run, once the pending values fill whole groups.
    if (run >= 8 && pending.size() % 8 == 0) {
      flush_packed(false);
      uleb(static_cast<uint64_t>(run) << 1);
      for (size_t b = 0; b < value_bytes; ++b)
        out.push_back(static_cast<char>(values[i] >> (8 * b)));
      i += run;
      continue;
    }
    pending.push_back(values[i]);
    ++i;
  }
  flush_packed(true);
}

}  // namespace winnow::io::parquet
