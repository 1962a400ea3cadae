#include "winnow/io/thrift_compact.h"

#include <cstring>

namespace winnow::io {
namespace {

constexpr int kMaxDepth = 64;

}  // namespace

uint64_t ThriftReader::ReadVarint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    const auto b = static_cast<uint8_t>(bytes_[pos_++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

bool ThriftReader::NextField(int16_t* id, ThriftType* type) {
  if (!ok_ || pos_ >= bytes_.size()) {
    ok_ = false;
    return false;
  }
  const auto b = static_cast<uint8_t>(bytes_[pos_++]);
  const auto t = static_cast<ThriftType>(b & 0x0f);
  if (t == ThriftType::kStop) return false;
  if (static_cast<uint8_t>(t) > static_cast<uint8_t>(ThriftType::kStruct)) {
    ok_ = false;
    return false;
  }
  const int delta = b >> 4;
  if (delta != 0) {
    last_id_ = static_cast<int16_t>(last_id_ + delta);
  } else {
    const uint64_t z = ReadVarint();
    last_id_ = static_cast<int16_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  *id = last_id_;
  *type = t;
  return ok_;
}

void ThriftReader::BeginStruct() {
  if (stack_.size() >= kMaxDepth) {
    ok_ = false;
    return;
  }
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void ThriftReader::EndStruct() {
  if (stack_.empty()) {
    ok_ = false;
    return;
  }
  last_id_ = stack_.back();
  stack_.pop_back();
}

int8_t ThriftReader::ReadByte() {
  if (pos_ >= bytes_.size()) {
    ok_ = false;
    return 0;
  }
  return static_cast<int8_t>(bytes_[pos_++]);
}

int32_t ThriftReader::ReadI32() {
  const uint64_t z = ReadVarint();
  return static_cast<int32_t>(static_cast<uint32_t>(z >> 1) ^ (~static_cast<uint32_t>(z & 1) + 1));
}

int64_t ThriftReader::ReadI64() {
  const uint64_t z = ReadVarint();
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

double ThriftReader::ReadDouble() {
  if (bytes_.size() - pos_ < 8 || pos_ > bytes_.size()) {
    ok_ = false;
    return 0;
  }
  double d;
  std::memcpy(&d, bytes_.data() + pos_, 8);
  pos_ += 8;
  return d;
}

std::string_view ThriftReader::ReadBinary() {
  const uint64_t n = ReadVarint();
  if (!ok_ || n > bytes_.size() - pos_) {
    ok_ = false;
    return {};
  }
  std::string_view v = bytes_.substr(pos_, n);
  pos_ += n;
  return v;
}

uint32_t ThriftReader::ReadListHeader(ThriftType* element) {
  if (pos_ >= bytes_.size()) {
    ok_ = false;
    return 0;
  }
  const auto b = static_cast<uint8_t>(bytes_[pos_++]);
  uint64_t size = b >> 4;
  if (size == 15) size = ReadVarint();
  *element = static_cast<ThriftType>(b & 0x0f);
  // Every element takes a byte at least: a size past the bytes left is damage, found before
  // anything is allocated for it.
  if (!ok_ || size > bytes_.size() - pos_) {
    ok_ = false;
    return 0;
  }
  return static_cast<uint32_t>(size);
}

bool ThriftReader::ReadListBool() { return ReadByte() == 1; }

void ThriftReader::Skip(ThriftType type) { Skip(type, 0); }

void ThriftReader::Skip(ThriftType type, int depth) {
  if (!ok_ || depth > kMaxDepth) {
    ok_ = false;
    return;
  }
  switch (type) {
    case ThriftType::kTrue:
    case ThriftType::kFalse:
      return;  // a field's bool is in its header
    case ThriftType::kByte:
      ReadByte();
      return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      ReadVarint();
      return;
    case ThriftType::kDouble:
      ReadDouble();
      return;
    case ThriftType::kBinary:
      ReadBinary();
      return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      const uint32_t n = ReadListHeader(&element);
      for (uint32_t i = 0; i < n && ok_; ++i) {
        if (element == ThriftType::kTrue || element == ThriftType::kFalse) {
          ReadByte();
        } else {
          Skip(element, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kMap: {
      const uint64_t n = ReadVarint();
      if (n == 0) return;
      const auto kv = static_cast<uint8_t>(ReadByte());
      const auto k = static_cast<ThriftType>(kv >> 4), v = static_cast<ThriftType>(kv & 0x0f);
      if (n > bytes_.size() - pos_) {
        ok_ = false;
        return;
      }
      for (uint64_t i = 0; i < n && ok_; ++i) {
        Skip(k, depth + 1);
        Skip(v, depth + 1);
      }
      return;
    }
    case ThriftType::kStruct: {
      BeginStruct();
      int16_t id;
      ThriftType t;
      while (ok_ && NextField(&id, &t)) Skip(t, depth + 1);
      EndStruct();
      return;
    }
    case ThriftType::kStop:
      ok_ = false;
      return;
  }
  ok_ = false;
}

// ---- writer ----

void ThriftWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ThriftWriter::FieldHeader(int16_t id, ThriftType type) {
  const int delta = id - last_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    Zigzag(id);
  }
  last_id_ = id;
}

void ThriftWriter::FieldI16(int16_t id, int16_t v) {
  FieldHeader(id, ThriftType::kI16);
  Zigzag(v);
}

void ThriftWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, ThriftType::kI32);
  Zigzag(v);
}

void ThriftWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, ThriftType::kI64);
  Zigzag(v);
}

void ThriftWriter::FieldBool(int16_t id, bool v) {
  FieldHeader(id, v ? ThriftType::kTrue : ThriftType::kFalse);
}

void ThriftWriter::FieldByte(int16_t id, int8_t v) {
  FieldHeader(id, ThriftType::kByte);
  out_.push_back(static_cast<char>(v));
}

void ThriftWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, ThriftType::kBinary);
  Varint(v.size());
  out_.append(v);
}

void ThriftWriter::BeginStructField(int16_t id) {
  FieldHeader(id, ThriftType::kStruct);
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void ThriftWriter::BeginStructElement() {
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void ThriftWriter::EndStruct() {
  out_.push_back(static_cast<char>(ThriftType::kStop));
  last_id_ = stack_.back();
  stack_.pop_back();
}

void ThriftWriter::Finish() { out_.push_back(static_cast<char>(ThriftType::kStop)); }

void ThriftWriter::ListField(int16_t id, ThriftType element, uint32_t size) {
  FieldHeader(id, ThriftType::kList);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<uint32_t>(element)));
  } else {
    out_.push_back(static_cast<char>(0xf0 | static_cast<uint32_t>(element)));
    Varint(size);
  }
}

void ThriftWriter::ElementI32(int32_t v) { Zigzag(v); }
void ThriftWriter::ElementI64(int64_t v) { Zigzag(v); }
void ThriftWriter::ElementBinary(std::string_view v) {
  Varint(v.size());
  out_.append(v);
}
void ThriftWriter::ElementBool(bool v) { out_.push_back(v ? 1 : 2); }

}  // namespace winnow::io
