#include "winnow/text/normalize.h"

#include <gtest/gtest.h>

#include "winnow/text/utf8.h"

namespace winnow::text {
namespace {

std::string Norm(std::string_view s) {
  std::string out;
  NormalizeWhitespace(s, &out);
  return out;
}

TEST(NormalizeTest, CollapsesAndTrimsAsciiWhitespace) {
  EXPECT_EQ(Norm("  a\t\tb \n\n c  "), "a b c");
  EXPECT_EQ(Norm(""), "");
  EXPECT_EQ(Norm(" \n\t "), "");
  EXPECT_EQ(Norm("single"), "single");
}

TEST(NormalizeTest, UnicodeSpacesCountAsWhitespace) {
  // U+00A0 no-break space, U+2003 em space, U+3000 ideographic space, U+2028 line separator.
  EXPECT_EQ(Norm("a\xC2\xA0"
                 "b\xE2\x80\x83"
                 "c\xE3\x80\x80\xE2\x80\xA8"
                 "d"),
            "a b c d");
  // Look-alike lead bytes that are not spaces stay: U+00E9, U+2014 (em dash), U+3001.
  EXPECT_EQ(Norm("caf\xC3\xA9 \xE2\x80\x94 \xE3\x80\x81"), "caf\xC3\xA9 \xE2\x80\x94 \xE3\x80\x81");
  EXPECT_EQ(Norm("\xC2\xA0lead and trail\xE3\x80\x80"), "lead and trail");
}

TEST(NormalizeTest, CountsWordsLikePythonSplit) {
  EXPECT_EQ(CountWhitespaceWords(""), 0u);
  EXPECT_EQ(CountWhitespaceWords("   "), 0u);
  EXPECT_EQ(CountWhitespaceWords("one"), 1u);
  EXPECT_EQ(CountWhitespaceWords(" two  words\n"), 2u);
  EXPECT_EQ(CountWhitespaceWords("a\xC2\xA0"
                                 "b\xE2\x80\x83"
                                 "c"),
            3u);
  EXPECT_EQ(CountWhitespaceWords("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87"), 2u);
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("caf\xC3\xA9 \xF0\x9F\xA4\x94 \xE4\xB8\xAD"), 8u);
  std::string long_text(1000, 'x');
  long_text += "\xC3\xA9";
  EXPECT_EQ(CountCodePoints(long_text), 1001u);
}

TEST(Utf8Test, CountCodePointsMatchesTheDefinitionOnRandomBytes) {
  // The word-at-a-time count against "bytes that are not 10xxxxxx", on lengths around the
  // 8-byte and 255-round boundaries.
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<char>(state >> 56);
  };
  for (size_t len : {0, 1, 7, 8, 9, 31, 32, 33, 100, 2039, 2040, 2041, 2048, 5000, 70000}) {
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(next());
    size_t want = 0;
    for (char c : s) want += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_EQ(CountCodePoints(s), want) << len;
    std::string cont(len, '\x80');
    EXPECT_EQ(CountCodePoints(cont), 0u) << len;
  }
}

}  // namespace
}  // namespace winnow::text
