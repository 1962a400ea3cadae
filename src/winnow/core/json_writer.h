// Writing JSON: string escaping, numbers, and a small streaming writer for reports.
//
// Written by hand rather than with a JSON library because it sits on the output hot path
// (every document gains a "winnow" object) and needs no DOM: appending escaped bytes to a
// std::string is all that is needed, and allocation-free when the string has capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

// Appends `s` as a quoted JSON string. REQUIRES: `s` is valid UTF-8 (non-ASCII bytes are
// copied as they are; control characters, quote and backslash are escaped).
void AppendJsonString(std::string& out, std::string_view s);

// Like AppendJsonString for arbitrary bytes: invalid UTF-8 sequences become U+FFFD, so the
// output is always valid JSON. For excerpts of damaged input.
void AppendJsonStringLossy(std::string& out, std::string_view bytes);

// Shortest representation that round-trips; NaN and infinities (not JSON) become null.
void AppendJsonNumber(std::string& out, double value);
void AppendJsonInt(std::string& out, int64_t value);

// True when `bytes` is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

// True when any byte of `bytes` is outside ASCII (has its top bit set); eight at a time.
bool HasNonAscii(std::string_view bytes);

// `bytes` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view bytes);

// Appends the UTF-8 encoding of code point `c` (REQUIRES: a scalar value, not a surrogate).
void AppendUtf8(char32_t c, std::string* out);

// A streaming writer with two-space indentation, for stats.json and other reports read by
// people. Not for the per-document hot path. Misuse (a value where a key is due) is a bug.
class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-serialised JSON as one value.
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void NewLine();

  std::string out_;
  struct Level {
    bool is_object;
    bool empty;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
  bool pretty_;
};

}  // namespace winnow
