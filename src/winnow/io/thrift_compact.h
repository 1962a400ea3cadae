// Thrift's compact protocol, the encoding of Parquet's footer and page headers: a bounded
// reader of untrusted bytes and a writer.
//
// Written by hand rather than with Apache Thrift's generated code (Debian packages libthrift):
// Parquet needs a few dozen fields of a dozen structs, while the generated code brings the
// library's runtime and allocates what a hostile footer asks (a list "of 2^31 elements")
// before reading it. Here every length is checked against the bytes left, nesting is bounded,
// and unknown fields are skipped, so newer writers' additions read fine.
//
//   field header  byte: (id delta << 4) | type, or 0 | type followed by a zigzag varint id
//   types         1 true, 2 false, 3 i8, 4 i16, 5 i32, 6 i64, 7 double, 8 binary, 9 list,
//                 10 set, 11 map, 12 struct; 0 ends a struct
//   integers      zigzag varints (i8: one byte); binary: varint length, then the bytes
//   list/set      byte: (size << 4) | element type, size 15 meaning a varint size follows
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::io {

enum class ThriftType : uint8_t {
  kStop = 0,
  kTrue = 1,
  kFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// Reads a compact-protocol byte string. Never reads out of bounds: past the end or on a
// malformed value it returns zeros and empty strings, and ok() turns false for good.
class ThriftReader {
 public:
  explicit ThriftReader(std::string_view bytes) : bytes_(bytes) {}

  // The next field of the current struct: false at its end (or on damage). `type` is the
  // field's; a bool field's value is in the type (kTrue/kFalse), read it with FieldBool().
  bool NextField(int16_t* id, ThriftType* type);
  // Enters and leaves a nested struct (field ids restart inside it).
  void BeginStruct();
  void EndStruct();

  bool FieldBool(ThriftType type) const { return type == ThriftType::kTrue; }
  int8_t ReadByte();
  int32_t ReadI32();
  int64_t ReadI64();
  double ReadDouble();
  std::string_view ReadBinary();
  // A list's (or set's) header; the size is checked against the bytes left (each element
  // takes one byte at least).
  uint32_t ReadListHeader(ThriftType* element);
  bool ReadListBool();  // a bool element of a list
  // Skips a value of `type` (structs and lists recursively, up to a depth limit).
  void Skip(ThriftType type);

  bool ok() const { return ok_; }
  size_t position() const { return pos_; }
  void Fail() { ok_ = false; }

 private:
  uint64_t ReadVarint();
  void Skip(ThriftType type, int depth);

  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;  // enclosing structs' last field ids
};

// Writes compact-protocol bytes. Fields must be written in increasing id order within a
// struct (as Parquet's writers do; deltas need it).
class ThriftWriter {
 public:
  void FieldI16(int16_t id, int16_t v);
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldBool(int16_t id, bool v);
  void FieldByte(int16_t id, int8_t v);
  void FieldBinary(int16_t id, std::string_view v);
  // A struct field: its fields follow, then EndStruct().
  void BeginStructField(int16_t id);
  void EndStruct();
  // A list field: then `size` elements written with the element writers below (a struct
  // element with BeginStructElement / EndStruct).
  void ListField(int16_t id, ThriftType element, uint32_t size);
  void ElementI32(int32_t v);
  void ElementI64(int64_t v);
  void ElementBinary(std::string_view v);
  void ElementBool(bool v);
  void BeginStructElement();
  // Ends the outermost struct (the message).
  void Finish();

  std::string& bytes() { return out_; }

 private:
  void FieldHeader(int16_t id, ThriftType type);
  void Varint(uint64_t v);
  void Zigzag(int64_t v) {
    Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }

  std::string out_;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;
};

}  // namespace winnow::io
