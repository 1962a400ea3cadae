// PiiScanner: each kind found, and what must be left alone.
#include "winnow/text/pii.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace winnow::text {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Found(std::string_view text, const PiiOptions& options = {}) {
  auto scanner = PiiScanner::Create(options);
  EXPECT_TRUE(scanner.ok()) << scanner.status().ToString();
  PiiScratch scratch;
  std::vector<PiiMatch> matches;
  (*scanner)->Find(text, scratch, &matches);
  std::vector<std::string> out;
  for (const PiiMatch& m : matches) {
    out.push_back(std::string(PiiKindName(m.kind)) + ":" +
                  std::string(text.substr(m.begin, m.end - m.begin)));
  }
  return out;
}

TEST(PiiTest, Emails) {
  EXPECT_THAT(Found("Write to john.smith@example.com or jane_doe+news@mail.co.uk."),
              ElementsAre("email:john.smith@example.com", "email:jane_doe+news@mail.co.uk"));
  EXPECT_THAT(Found("<a href=\"mailto:ops@winnow.dev\">ops</a>"),
              ElementsAre("email:ops@winnow.dev"));
  // No dot in the domain, a domain label ending in '-', a bare '@': not addresses.
  EXPECT_THAT(Found("user@localhost, @handle, a @ b.com"), IsEmpty());
  EXPECT_THAT(Found("x@example-.com"), IsEmpty());
  EXPECT_THAT(Found("mail me at a@b.com."), ElementsAre("email:a@b.com"));  // not the '.'
}

TEST(PiiTest, PublicIpv4AndNotPrivateOnes) {
  EXPECT_THAT(Found("Server 8.8.8.8 and 93.184.216.34 answered."),
              ElementsAre("ipv4:8.8.8.8", "ipv4:93.184.216.34"));
  // Private, loopback, link-local, shared, documentation, multicast, broadcast: left alone.
  EXPECT_THAT(Found("10.1.2.3 172.16.0.1 192.168.1.1 127.0.0.1 169.254.1.1 100.64.0.1 "
                    "192.0.2.1 198.51.100.7 203.0.113.9 224.0.0.1 255.255.255.255 0.0.0.0"),
              IsEmpty());
  PiiOptions all;
  all.only_public_ips = false;
  EXPECT_THAT(Found("at 192.168.1.1 now", all), ElementsAre("ipv4:192.168.1.1"));
  // Not addresses: octets over 255, leading zeros, longer dotted runs, glued to letters.
  EXPECT_THAT(Found("1.2.3.400 01.2.3.4 1.2.3.4.5 a8.8.8.8 8.8.8.8b"), IsEmpty());
}

TEST(PiiTest, VersionNumbersAreNotAddressesWhenConfigured) {
  EXPECT_THAT(Found("Update to version 2.4.10.1 or v1.2.3.4 (build 3.1.4.1, release 9.8.7.6)."),
              IsEmpty());
  EXPECT_THAT(Found("Firmware: 4.4.4.4 is out"), IsEmpty());
  EXPECT_THAT(Found("the conv 8.8.8.8 host"), ElementsAre("ipv4:8.8.8.8"));  // "conv" is no cue
  PiiOptions o;
  o.skip_version_numbers = false;
  EXPECT_THAT(Found("version 2.4.10.1", o), ElementsAre("ipv4:2.4.10.1"));
}

TEST(PiiTest, Ipv6) {
  EXPECT_THAT(
      Found("Cloudflare's resolver is 2606:4700:4700::1111, Google's 2001:4860:4860::8888."),
      ElementsAre("ipv6:2606:4700:4700::1111", "ipv6:2001:4860:4860::8888"));
  // Loopback, link-local, unique-local, documentation; C++ scopes and clock times.
  EXPECT_THAT(Found("::1 fe80::1 fd00::5 2001:db8::42 std::vector a::b 12:30:45 Bad::Cafe"),
              IsEmpty());
}

TEST(PiiTest, PhonesOnlyWhenAskedAndWithPlausibleDigits) {
  std::string_view text = "Call +1 (415) 555-2671 or 030 1234 5678; order 2024-11-29, ISBN 12 345";
  EXPECT_THAT(Found(text), IsEmpty());
  PiiOptions o;
  o.phones = true;
  EXPECT_THAT(Found(text, o), ElementsAre("phone:+1 (415) 555-2671", "phone:030 1234 5678"));
  o.phone_pattern = R"(\d{3}-\d{4})";
  EXPECT_THAT(Found("call 555-2671 now", o), ElementsAre("phone:555-2671"));
  o.phone_pattern = "(unbalanced";
  auto bad = PiiScanner::Create(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().ToString(), ::testing::HasSubstr("(unbalanced"));
}

TEST(PiiTest, CodeIsLeftAloneWhenConfigured) {
  std::string_view text =
      "Mail root@example.org.\n```\nAuthor: dev@example.org\nping 8.8.8.8\n```\n"
      "Inline `x@example.com` and again y@example.com";
  EXPECT_EQ(Found(text).size(), 5u);
  PiiOptions o;
  o.skip_code = true;
  EXPECT_THAT(Found(text, o), ElementsAre("email:root@example.org", "email:y@example.com"));
}

TEST(PiiTest, ManyAddressesAndLongText) {
  // Windows of the second pass merge and never miss or double an address.
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "user" + std::to_string(i) + "@example.com ";
    if (i % 7 == 0) text += std::string(500, 'x') + " ";
  }
  std::vector<std::string> found = Found(text);
  ASSERT_EQ(found.size(), 2000u);
  EXPECT_EQ(found[0], "email:user0@example.com");
  EXPECT_EQ(found[1999], "email:user1999@example.com");
  // A 300-byte local part (longer than any real one) is still found in full.
  std::string local(300, 'a');
  EXPECT_THAT(Found(local + "@example.com"), ElementsAre("email:" + local + "@example.com"));
}

TEST(PiiTest, IsPublicIp) {
  EXPECT_TRUE(IsPublicIp("1.1.1.1"));
  EXPECT_FALSE(IsPublicIp("10.0.0.1"));
  EXPECT_FALSE(IsPublicIp("not an ip"));
  EXPECT_TRUE(IsPublicIp("2a00:1450::1"));
  EXPECT_FALSE(IsPublicIp("::ffff:192.168.0.1"));
  EXPECT_TRUE(IsPublicIp("::ffff:8.8.8.8"));
}

}  // namespace
}  // namespace winnow::text
