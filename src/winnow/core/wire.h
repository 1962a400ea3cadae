// Wire: the small binary encoding of winnow's own scratch state (checkpoints, saved dedup
// decisions). Varints for counts, length-prefixed strings, raw IEEE doubles, all
// little-endian. Written by hand because no packaged library we use offers a dependency-free
// encoder this small, and the files never leave the output directory of the run that wrote
// them (each file carries the scratch envelope of io/scratch_file.h: kind, version, checksums).
//
//   WireWriter w;  w.PutVarint(n);  w.PutString(name);
//   WireReader r(bytes);  uint64_t n = r.GetVarint();  ...;  if (!r.ok()) -> damaged
//
// The reader never throws or reads out of bounds: past the end, or on a malformed varint, it
// returns zeros and empty strings and ok() turns false for good.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace winnow {

class WireWriter {
 public:
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void PutSigned(int64_t v) {  // zigzag
    PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void PutDouble(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
  }
  void PutString(std::string_view s) {
    PutVarint(s.size());
    out_.append(s);
  }
  void PutBool(bool b) { out_.push_back(b ? 1 : 0); }

  const std::string& bytes() const { return out_; }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}

  uint64_t GetVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail();
      const auto b = static_cast<uint8_t>(in_[pos_++]);
      v |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail();
  }
  int64_t GetSigned() {
    const uint64_t z = GetVarint();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  double GetDouble() {
    if (in_.size() - pos_ < 8 || pos_ > in_.size()) return static_cast<double>(Fail());
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(in_[pos_++])} << (8 * i);
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    return v;
  }
  std::string_view GetString() {
    const uint64_t n = GetVarint();
    if (!ok_ || n > in_.size() - pos_) {
      Fail();
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool GetBool() { return GetVarint() != 0; }
  // A count of items that each take at least `min_bytes`: larger than what is left means the
  // bytes are damaged (and a huge count must not become a huge allocation).
  uint64_t GetCount(size_t min_bytes = 1) {
    const uint64_t n = GetVarint();
    if (ok_ && n > (in_.size() - pos_) / (min_bytes == 0 ? 1 : min_bytes)) return Fail();
    return n;
  }

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  uint64_t Fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace winnow
