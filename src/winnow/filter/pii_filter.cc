#include "winnow/filter/pii_filter.h"

#include <xxhash.h>

namespace winnow::filter {

const StageSpec& PiiFilter::Spec() {
  static const StageSpec spec{
      "pii",
      "Replaces e-mail addresses, public IP addresses and (optionally) phone numbers with "
      "placeholders chosen by a hash of the address; drops nothing.",
      {
          {"emails", "true", "replace e-mail addresses"},
          {"ips", "true", "replace IPv4 and IPv6 addresses"},
          {"only_public_ips", "true",
           "leave private, loopback, link-local, documentation and reserved addresses"},
          {"phones", "false", "replace phone numbers (7-15 digits in a phone-like layout)"},
          {"phone_pattern", "",
           "vectorscan pattern for phone-number candidates (empty: the built-in one)"},
          {"skip_version_numbers", "true",
           "leave a dotted quad after version/ver/v/release/build/firmware"},
          {"skip_code", "false", "leave matches inside ``` fences and `inline code`"},
          {"email_replacement", "[email@example.com, firstname.lastname@example.org]",
           "placeholders for e-mail addresses"},
          {"ip_replacement",
           "[22.214.171.124, 126.96.36.199, 188.8.131.52, 184.108.40.206, 220.127.116.11, "
           "18.104.22.168]",
           "placeholders for IPv4 addresses"},
          {"ipv6_replacement", "[2001:db8::1]", "placeholders for IPv6 addresses"},
          {"phone_replacement", "[555-0100]", "placeholders for phone numbers"},
      }};
  return spec;
}

Result<std::unique_ptr<PiiFilter>> PiiFilter::Create(const Options& options) {
  auto f = std::make_unique<PiiFilter>();
  text::PiiOptions o;
  WINNOW_ASSIGN_OR_RETURN(o.emails, options.Bool("emails"));
  WINNOW_ASSIGN_OR_RETURN(o.ips, options.Bool("ips"));
  WINNOW_ASSIGN_OR_RETURN(o.only_public_ips, options.Bool("only_public_ips"));
  WINNOW_ASSIGN_OR_RETURN(o.phones, options.Bool("phones"));
  WINNOW_ASSIGN_OR_RETURN(std::string phone_pattern, options.String("phone_pattern"));
  if (!phone_pattern.empty()) o.phone_pattern = phone_pattern;
  WINNOW_ASSIGN_OR_RETURN(o.skip_version_numbers, options.Bool("skip_version_numbers"));
  WINNOW_ASSIGN_OR_RETURN(o.skip_code, options.Bool("skip_code"));
  WINNOW_ASSIGN_OR_RETURN(f->email_replacements_, options.StringList("email_replacement"));
  WINNOW_ASSIGN_OR_RETURN(f->ip_replacements_, options.StringList("ip_replacement"));
  WINNOW_ASSIGN_OR_RETURN(f->ipv6_replacements_, options.StringList("ipv6_replacement"));
  WINNOW_ASSIGN_OR_RETURN(f->phone_replacements_, options.StringList("phone_replacement"));
  for (const auto* list : {&f->email_replacements_, &f->ip_replacements_, &f->ipv6_replacements_,
                           &f->phone_replacements_}) {
    if (list->empty()) return Status::InvalidArgument("pii: a replacement list is empty");
  }
  WINNOW_ASSIGN_OR_RETURN(f->scanner_, text::PiiScanner::Create(o));
  return f;
}

std::string PiiFilter::Redact(std::string_view text, const std::vector<text::PiiMatch>& matches,
                              size_t counts[3]) const {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const text::PiiMatch& m : matches) {
    std::string_view value = text.substr(m.begin, m.end - m.begin);
    const std::vector<std::string>* list = &email_replacements_;
    size_t kind = 0;
    switch (m.kind) {
      case text::PiiKind::kEmail:
        list = &email_replacements_;
        kind = 0;
        break;
      case text::PiiKind::kIpv4:
        list = &ip_replacements_;
        kind = 1;
        break;
      case text::PiiKind::kIpv6:
        list = &ipv6_replacements_;
        kind = 1;
        break;
      case text::PiiKind::kPhone:
        list = &phone_replacements_;
        kind = 2;
        break;
    }
    // The same address always gets the same placeholder, whatever else is in the stream.
    uint64_t h = XXH3_64bits(value.data(), value.size());
    out.append(text.substr(at, m.begin - at));
    out.append((*list)[h % list->size()]);
    at = m.end;
    ++counts[kind];
  }
  out.append(text.substr(at));
  return out;
}

namespace {

struct PiiState final : FilterState {
  text::PiiScratch pii;
  std::vector<text::PiiMatch> pii_matches;
};

}  // namespace

std::unique_ptr<FilterState> PiiFilter::NewState() const { return std::make_unique<PiiState>(); }

Decision PiiFilter::Run(Document& doc, FilterState& state, bool edit) const {
  auto& scratch = static_cast<PiiState&>(state);
  std::vector<text::PiiMatch>& matches = scratch.pii_matches;
  scanner_->Find(doc.text, scratch.pii, &matches);
  size_t counts[3] = {0, 0, 0};
  if (!matches.empty()) {
    std::string redacted = Redact(doc.text, matches, counts);
    if (edit) doc.SetText(std::move(redacted));
  }
  doc.SetSignal("pii_emails", static_cast<double>(counts[0]));
  doc.SetSignal("pii_ips", static_cast<double>(counts[1]));
  doc.SetSignal("pii_phones", static_cast<double>(counts[2]));
  return {};
}

Decision PiiFilter::Decide(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/true);
}

Decision PiiFilter::Annotate(Document& doc, FilterState& state) const {
  return Run(doc, state, /*edit=*/false);
}

}  // namespace winnow::filter
