#include "winnow/core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace winnow {
namespace {

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonWriterTest, EscapesControlCharactersQuotesAndBackslashes) {
  EXPECT_EQ(Quote("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(Quote("caf\xC3\xA9 \xF0\x9F\xA4\x94"), "\"caf\xC3\xA9 \xF0\x9F\xA4\x94\"");
}

// Every byte value at every place of a string longer than the 8-byte fast path, between
// plain and high bytes: escaped exactly as on its own (one byte never takes the fast path).
TEST(JsonWriterTest, EveryByteEscapesTheSameAtEveryPlace) {
  for (char filler : {'a', '\xE9', '\x7F'}) {
    for (int c = 0; c < 256; ++c) {
      const std::string alone = Quote(std::string(1, static_cast<char>(c)));
      const std::string inner = alone.substr(1, alone.size() - 2);
      for (size_t at = 0; at < 24; ++at) {
        std::string s(24, filler);
        s[at] = static_cast<char>(c);
        std::string want = "\"";  // appended: GCC 12 warns falsely on a + chain (PR 105329)
        want.append(at, filler);
        want += inner;
        want.append(23 - at, filler);
        want += '"';
        ASSERT_EQ(Quote(s), want) << "byte " << c << " at " << at;
      }
    }
  }
}

// Strings of every length up to 80 (past the 16- and 8-byte scans and their tails) with
// escapes packed close together, against a byte-at-a-time escaper written from RFC 8259.
TEST(JsonWriterTest, RunsOfEscapesMatchAByteAtATimeEscaper) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + '"';
  };
  const std::string_view alphabet("ab \xC3\xA9\x7F\x80\xFF\"\\\n\t\x01\x1F\x20!", 15);
  uint64_t state = 42;
  for (int round = 0; round < 20000; ++round) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t n = (state >> 33) % 81;
    std::string s;
    for (size_t i = 0; i < n; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      // Mostly plain bytes, sometimes a run of escapes.
      const size_t pick = (state >> 33) % 64;
      s += pick < 48 ? 'x' : alphabet[pick % alphabet.size()];
    }
    ASSERT_EQ(Quote(s), reference(s)) << "round " << round;
  }
}

TEST(JsonWriterTest, LossyReplacesInvalidUtf8) {
  std::string out;
  AppendJsonStringLossy(out, std::string_view("ok\xFF\xC3(\xED\xA0\x80", 8));
  // 0xFF, a truncated 2-byte sequence, and an encoded surrogate (3 bytes) all become U+FFFD.
  EXPECT_EQ(out, "\"ok\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonWriterTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xE4\xB8\xAD\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));          // truncated
}

TEST(JsonWriterTest, NumbersRoundTripAndNonFiniteIsNull) {
  std::string out;
  AppendJsonNumber(out, 412);
  out += ' ';
  AppendJsonNumber(out, 0.1);
  out += ' ';
  AppendJsonNumber(out, NAN);
  out += ' ';
  AppendJsonInt(out, -9007199254740993);
  EXPECT_EQ(out, "412 0.1 null -9007199254740993");
}

TEST(JsonWriterTest, NestedPrettyOutput) {
  JsonWriter w;
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray().String("x").Bool(true).EndArray();
  w.Key("c").BeginObject().EndObject().EndObject();
  EXPECT_EQ(w.str(), "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    true\n  ],\n  \"c\": {}\n}");
}

}  // namespace
}  // namespace winnow
