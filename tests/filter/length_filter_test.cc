#include "winnow/filter/length_filter.h"

#include <gtest/gtest.h>

namespace winnow::filter {
namespace {

OptionValue Scalar(std::string s) {
  OptionValue v;
  v.scalar = std::move(s);
  return v;
}

std::unique_ptr<LengthFilter> Make(std::map<std::string, OptionValue> given) {
  Result<Options> o = Options::Make(LengthFilter::Spec(), std::move(given));
  EXPECT_TRUE(o.ok());
  Result<std::unique_ptr<LengthFilter>> f = LengthFilter::Create(*o);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(f).value();
}

std::string Words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "word ";
  return s;
}

TEST(LengthFilterTest, DefaultsDropDocumentsUnderFiftyWords) {
  auto f = Make({});
  Document short_doc, ok_doc;
  short_doc.text = Words(49);
  ok_doc.text = Words(50);
  EXPECT_EQ(f->Check(short_doc).reason, "length:too_few_words");
  EXPECT_TRUE(f->Check(ok_doc).keep);
  ASSERT_EQ(ok_doc.signals.size(), 2u);
  EXPECT_EQ(ok_doc.signals[0].name, "chars");
  EXPECT_EQ(ok_doc.signals[0].value, 250);
  EXPECT_EQ(ok_doc.signals[1].name, "whitespace_words");
  EXPECT_EQ(ok_doc.signals[1].value, 50);
}

TEST(LengthFilterTest, CharactersAreCodePoints) {
  auto f =
      Make({{"min_words", Scalar("0")}, {"min_chars", Scalar("4")}, {"max_chars", Scalar("5")}});
  Document d;
  d.text = "\xC3\xA9\xC3\xA9\xC3\xA9";  // 3 code points, 6 bytes
  EXPECT_EQ(f->Check(d).reason, "length:too_few_chars");
  d.text = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
  EXPECT_TRUE(f->Check(d).keep);
  d.text = "abcdef";
  EXPECT_EQ(f->Check(d).reason, "length:too_many_chars");
}

TEST(LengthFilterTest, MaxWordsAndValidation) {
  auto f = Make({{"min_words", Scalar("1")}, {"max_words", Scalar("3")}});
  Document d;
  d.text = "a b c d";
  EXPECT_EQ(f->Check(d).reason, "length:too_many_words");
  Result<Options> bad = Options::Make(LengthFilter::Spec(),
                                      {{"min_words", Scalar("10")}, {"max_words", Scalar("5")}});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(LengthFilter::Create(*bad).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace winnow::filter
