// The pii stage: placeholders that depend only on the address, counts, annotate mode.
#include "winnow/filter/pii_filter.h"

#include <gtest/gtest.h>

#include "winnow/core/registry.h"
#include "winnow/filter/register.h"

namespace winnow::filter {
namespace {

std::unique_ptr<FilterStage> Make(OptionMap options = {}) {
  StageRegistry registry;
  RegisterStages(registry);
  auto s = registry.Create("pii", std::move(options));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::unique_ptr<FilterStage>(static_cast<FilterStage*>(s->release()));
}

double SignalOf(const Document& d, std::string_view name) {
  for (const winnow::Signal& s : d.signals) {
    if (s.name == name) return s.value;
  }
  return -1;
}

TEST(PiiFilterTest, ReplacesWithPlaceholdersChosenByTheAddress) {
  auto f = Make();
  Document a;
  a.text = "Mail alice@example.net or bob@example.net; alice@example.net again. Host 8.8.8.8.";
  EXPECT_TRUE(f->Check(a).keep);
  EXPECT_TRUE(a.text_changed);
  EXPECT_EQ(a.text.find("alice"), std::string::npos);
  EXPECT_EQ(a.text.find("8.8.8.8"), std::string::npos);
  EXPECT_EQ(SignalOf(a, "pii_emails"), 3);
  EXPECT_EQ(SignalOf(a, "pii_ips"), 1);
  EXPECT_EQ(SignalOf(a, "pii_phones"), 0);
  // One address, one placeholder, in any document and whatever came before it.
  Document b;
  b.text = "alice@example.net";
  auto g = Make();
  Document warmup;
  warmup.text = "zed@example.org 1.1.1.1";
  g->Check(warmup);
  g->Check(b);
  EXPECT_NE(a.text.find(b.text), std::string::npos);
  EXPECT_TRUE(b.text == "email@example.com" || b.text == "firstname.lastname@example.org");
}

TEST(PiiFilterTest, ConfiguredPlaceholdersAndKinds) {
  OptionValue mail, ip, off;
  mail.is_list = true;
  mail.list = {"<EMAIL>"};
  ip.is_list = true;
  ip.list = {"<IP>"};
  off.scalar = "false";
  auto f = Make({{"email_replacement", mail}, {"ip_replacement", ip}});
  Document d;
  d.text = "a@b.org at 8.8.4.4 and 192.168.0.1";
  f->Check(d);
  EXPECT_EQ(d.text, "<EMAIL> at <IP> and 192.168.0.1");
  auto no_ips = Make({{"ips", off}});
  Document e;
  e.text = "8.8.4.4";
  no_ips->Check(e);
  EXPECT_EQ(e.text, "8.8.4.4");
  EXPECT_FALSE(e.text_changed);
}

TEST(PiiFilterTest, AnnotateCountsButLeavesTheText) {
  auto f = Make();
  Document d;
  d.text = "a@b.org";
  std::unique_ptr<FilterState> state = f->NewState();
  EXPECT_TRUE(f->Annotate(d, *state).keep);
  EXPECT_EQ(d.text, "a@b.org");
  EXPECT_EQ(SignalOf(d, "pii_emails"), 1);
}

}  // namespace
}  // namespace winnow::filter
