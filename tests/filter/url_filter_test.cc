// url_filter's parts: tldextract's host split on a small suffix list (every expectation below
// is what tldextract 3.1.2 gives with this list) (the wildcard and
// exception rules, the private section left out, IPs, case), Punycode, the lists as datatrove
// reads them, and errors naming their file. The decisions on real URLs, against the real
// datatrove, are tests/filter/url_filter_datatrove_test.sh.
#include "winnow/filter/url_filter.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/test_util.h"

namespace winnow::filter {
namespace {

constexpr std::string_view kList =
    "// comment\n"
    "com\nuk\nco.uk\njp\nkawasaki.jp\n*.kawasaki.jp\n!city.kawasaki.jp\n"
    "*.ck\n!www.ck\n\xD1\x80\xD1\x84\n"  // рф
    "// ===BEGIN PRIVATE DOMAINS===\nblogspot.com\n";

std::string Parts(const PublicSuffixList& psl, std::string_view url) {
  UrlScratch scratch;
  const UrlParts p = psl.Split(url, &scratch);
  std::string buffer;
  return std::string(p.subdomain) + "|" + std::string(p.domain) + "|" + std::string(p.suffix) +
         "|" + std::string(p.RegisteredDomain(&buffer));
}

TEST(UrlPartsTest, SplitsHostsAsTldextractDoes) {
  const PublicSuffixList psl = PublicSuffixList::FromText(kList);
  EXPECT_EQ(psl.rules(), 10u);
  EXPECT_EQ(Parts(psl, "http://forums.news.cnn.com/"), "forums.news|cnn|com|cnn.com");
  EXPECT_EQ(Parts(psl, "https://www.bbc.co.uk/news?x#y"), "www|bbc|co.uk|bbc.co.uk");
  // Exception and wildcard rules, tried from the longest candidate.
  EXPECT_EQ(Parts(psl, "http://www.ck/"), "|www|ck|www.ck");
  EXPECT_EQ(Parts(psl, "http://foo.www.ck/"), "foo|www|ck|www.ck");
  EXPECT_EQ(Parts(psl, "http://a.b.kawasaki.jp/"), "|a|b.kawasaki.jp|a.b.kawasaki.jp");
  EXPECT_EQ(Parts(psl, "http://city.kawasaki.jp/"), "|city|kawasaki.jp|city.kawasaki.jp");
  // The private section is not read.
  EXPECT_EQ(Parts(psl, "https://foo.blogspot.com/"), "foo|blogspot|com|blogspot.com");
  // Case is kept in the parts; only the search is lowered.
  EXPECT_EQ(Parts(psl, "HTTP://WWW.Example.COM:80/Path"), "WWW|Example|COM|Example.COM");
  // Scheme-relative, no scheme, userinfo, port, trailing dots, spaces.
  EXPECT_EQ(Parts(psl, "//cdn.example.com/x"), "cdn|example|com|example.com");
  EXPECT_EQ(Parts(psl, "example.com/no-scheme"), "|example|com|example.com");
  EXPECT_EQ(Parts(psl, "https://u:p@login.example.com:8080/"), "login|example|com|example.com");
  EXPECT_EQ(Parts(psl, "http://example.com../"), "|example|com|example.com");
  EXPECT_EQ(Parts(psl, "http:// example.com /"), "|example|com|example.com");
  // No suffix: an IP is the domain; anything else has no registered domain.
  EXPECT_EQ(Parts(psl, "http://127.0.0.1/admin"), "|127.0.0.1||");
  EXPECT_EQ(Parts(psl, "http://127.1/"), "|127.1||");
  EXPECT_EQ(Parts(psl, "http://localhost:8000/"), "|localhost||");
  EXPECT_EQ(Parts(psl, "https://www.example.unknowntld/"), "www.example|unknowntld||");
  EXPECT_EQ(Parts(psl, "/relative/path"), "|||");
  // Punycode labels are decoded for the search, and kept as written in the parts.
  EXPECT_EQ(Parts(psl, "http://xn--e1afmkfd.xn--p1ai/"),
            "|xn--e1afmkfd|xn--p1ai|xn--e1afmkfd.xn--p1ai");
  EXPECT_EQ(Parts(psl, "http://\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD0\xA0\xD0\xA4/"),
            "|\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80|\xD0\xA0\xD0\xA4|"
            "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD0\xA0\xD0\xA4");
}

TEST(UrlPartsTest, DecodesPunycode) {
  auto decode = [](std::string_view s) {
    std::string out;
    return PunycodeDecode(s, &out) ? out : "<error>";
  };
  EXPECT_EQ(decode("p1ai"), "\xD1\x80\xD1\x84");  // рф
  EXPECT_EQ(decode("bcher-kva"),
            "b\xC3\xBC"
            "cher");                                         // bücher
  EXPECT_EQ(decode("mnchen-3ya"), "m\xC3\xBCnchen");         // münchen
  EXPECT_EQ(decode("abc-"), "abc");                          // basic code points only
  EXPECT_EQ(decode("p1ai!"), "<error>");                     // not a digit
  EXPECT_EQ(decode("zzzzzzzzzzzzzzzzzzzzzzzz"), "<error>");  // overflow
  EXPECT_EQ(decode("\xC3\xBC-p1ai"), "<error>");             // non-ASCII basic part
}

TEST(StringSetTest, FindsWhatWasInsertedThroughGrowth) {
  StringSet set;
  for (int i = 0; i < 100000; ++i) set.Insert("site" + std::to_string(i) + ".com");
  set.Insert("site7.com");  // again: no second entry
  set.Insert("");
  EXPECT_EQ(set.size(), 100001u);
  for (int i = 0; i < 100000; i += 7)
    EXPECT_TRUE(set.Contains("site" + std::to_string(i) + ".com"));
  EXPECT_TRUE(set.Contains(""));
  EXPECT_FALSE(set.Contains("site100000.com"));
  EXPECT_FALSE(set.Contains("site7.co"));
  EXPECT_FALSE(set.Contains("site7.com "));
  size_t n = 0;
  std::string first;
  set.ForEach([&](std::string_view k) {
    if (n++ == 0) first = k;
  });
  EXPECT_EQ(n, 100001u);
  EXPECT_EQ(first, "site0.com");
}

OptionValue Scalar(std::string s) {
  OptionValue v;
  v.scalar = std::move(s);
  return v;
}
OptionValue List(std::vector<std::string> items) {
  OptionValue v;
  v.list = std::move(items);
  v.is_list = true;
  return v;
}

class UrlFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psl_ = dir_.path() + "/psl.dat";
    testing::WriteFile(psl_, std::string(kList));
  }
  Result<std::unique_ptr<UrlFilter>> Make(OptionMap given) {
    given.emplace("public_suffix_list", Scalar(psl_));
    WINNOW_ASSIGN_OR_RETURN(Options o, Options::Make(UrlFilter::Spec(), std::move(given)));
    return UrlFilter::Create(o);
  }
  std::string Decide(const UrlFilter& f, std::string_view url) {
    std::unique_ptr<FilterState> state = f.NewState();
    int soft = 0;
    const Decision d = f.DecideUrl(url, *state, &soft);
    return d.keep ? "keep" : std::string(d.reason);
  }
  testing::TempDir dir_;
  std::string psl_;
};

TEST_F(UrlFilterTest, DecidesInDatatrovesOrder) {
  const std::string words = dir_.path() + "/banned.txt";
  testing::WriteFile(words, "#casino\nPoker!\r\nhot carl\n");
  auto f = Make({{"domains", List({"blocked.com", "  sub.example.com\t", "#comment.com"})},
                 {"urls", List({"https://example.com/exact"})},
                 {"banned_words", Scalar(words)},
                 {"soft_banned_words", List({"soft", "Words", "more"})},
                 {"banned_subwords", List({"hot carl", "xyz"})}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const UrlFilter& u = **f;
  EXPECT_EQ(Decide(u, "https://www.blocked.com/a"), "url_filter:domain");
  EXPECT_EQ(Decide(u, "https://sub.example.com/a"), "url_filter:subdomain");
  EXPECT_EQ(Decide(u, "https://other.example.com/a"), "keep");
  EXPECT_EQ(Decide(u, "https://comment.com/"), "keep");  // '#' lines are comments
  EXPECT_EQ(Decide(u, "https://example.com/exact"), "url_filter:url");
  EXPECT_EQ(Decide(u, "https://example.com/exact/"), "keep");
  // Words are the URL's runs of letters and digits, case kept; list entries are normalised.
  EXPECT_EQ(Decide(u, "https://example.com/poker-night"), "url_filter:hard_blacklisted");
  EXPECT_EQ(Decide(u, "https://example.com/Poker-night"), "keep");
  EXPECT_EQ(Decide(u, "https://example.com/casino"), "keep");
  // Two distinct soft words; one repeated is one.
  EXPECT_EQ(Decide(u, "https://example.com/soft/words"), "url_filter:soft_blacklisted");
  EXPECT_EQ(Decide(u, "https://example.com/soft/soft"), "keep");
  // Subwords in the normalised URL (letters and digits only, lowercased).
  EXPECT_EQ(Decide(u, "https://example.com/Hot-Carl"), "url_filter:blacklisted_subword");
  EXPECT_EQ(Decide(u, "https://example.com/X.Y.Z"), "url_filter:blacklisted_subword");
  // A document without a URL is kept and counted.
  Document doc;
  doc.text = "x";
  std::unique_ptr<FilterState> state = u.NewState();
  Counters counters;
  state->counters = &counters;
  EXPECT_TRUE(u.Decide(doc, *state).keep);
  EXPECT_EQ(counters.Get("url_filter.no_url"), 1);
}

TEST_F(UrlFilterTest, ABlankLineIsAnEmptyEntryAsInDatatrove) {
  const std::string domains = dir_.path() + "/domains";
  testing::WriteFile(domains, "example.com\n\n");
  auto f = Make({{"domains", Scalar(domains)}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(Decide(**f, "http://localhost/"), "url_filter:domain");  // no registered domain
  EXPECT_EQ(Decide(**f, "http://other.com/"), "keep");
}

TEST_F(UrlFilterTest, ReadsUt1Categories) {
  const std::string ut1 = dir_.path() + "/ut1";
  std::filesystem::create_directories(ut1 + "/adult");
  std::filesystem::create_directories(ut1 + "/gambling");
  testing::WriteFile(ut1 + "/adult/domains", "adult.com\n");
  testing::WriteFile(ut1 + "/adult/urls", "http://site.com/adult-page\n");
  testing::WriteFile(ut1 + "/gambling/domains", "bets.com\n");
  auto all = Make({{"blocklists", Scalar(ut1)}});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)->domains(), 2u);
  EXPECT_EQ(Decide(**all, "http://bets.com/"), "url_filter:domain");
  EXPECT_EQ(Decide(**all, "http://site.com/adult-page"), "url_filter:url");
  auto adult = Make({{"blocklists", Scalar(ut1)}, {"categories", List({"adult"})}});
  ASSERT_TRUE(adult.ok()) << adult.status().ToString();
  EXPECT_EQ(Decide(**adult, "http://bets.com/"), "keep");
  EXPECT_EQ(Decide(**adult, "http://www.adult.com/"), "url_filter:domain");
}

TEST_F(UrlFilterTest, BadListsAreErrorsNamingTheirFile) {
  auto missing = Make({{"blocklists", Scalar(dir_.path() + "/nope")}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nope"), std::string::npos);
  std::filesystem::create_directories(dir_.path() + "/ut1/adult");
  testing::WriteFile(dir_.path() + "/ut1/adult/domains", "a.com\n");
  auto category =
      Make({{"blocklists", Scalar(dir_.path() + "/ut1")}, {"categories", List({"drugs"})}});
  ASSERT_FALSE(category.ok());
  EXPECT_NE(category.status().message().find("drugs"), std::string::npos);
  const std::string binary = dir_.path() + "/words.txt";
  testing::WriteFile(binary, "fine\nbad\xFF\n");
  auto utf8 = Make({{"banned_words", Scalar(binary)}});
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.status().message().find("words.txt:2"), std::string::npos)
      << utf8.status().ToString();
  auto psl = Make({{"public_suffix_list", Scalar(dir_.path() + "/none.dat")}});
  EXPECT_FALSE(psl.ok());
}

}  // namespace
}  // namespace winnow::filter
