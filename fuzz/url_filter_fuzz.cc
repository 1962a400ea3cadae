// libFuzzer target: url_filter on arbitrary URL bytes (a WARC record's target URI is whatever
// the crawler wrote): tldextract's host split over a suffix list with wildcard and exception
// rules, Punycode decoding, and every check of the filter. Asserts the parts are views into
// the URL (domain and suffix inside the host) and that a registered domain has both parts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "winnow/filter/url_filter.h"

namespace {

using winnow::filter::PublicSuffixList;
using winnow::filter::UrlFilter;

constexpr std::string_view kList =
    "com\nuk\nco.uk\njp\nkawasaki.jp\n*.kawasaki.jp\n!city.kawasaki.jp\n*.ck\n!www.ck\n"
    "\xD1\x80\xD1\x84\n*.\n!\n";

const UrlFilter& Filter() {
  static const UrlFilter* filter = [] {
    const std::string psl = "/tmp/winnow-url-fuzz-psl.dat";
    FILE* f = std::fopen(psl.c_str(), "wb");
    std::fwrite(kList.data(), 1, kList.size(), f);
    std::fclose(f);
    winnow::OptionMap given;
    given["public_suffix_list"].scalar = psl;
    given["domains"].scalar = "[example.com, www.ck, a.b.kawasaki.jp, '']";
    given["urls"].scalar = "[http://x.com/]";
    given["banned_words"].scalar = "[casino, porn]";
    given["soft_banned_words"].scalar = "[free, games, sex]";
    given["banned_subwords"].scalar = "[hotcarl, xn]";
    auto options = winnow::Options::Make(UrlFilter::Spec(), given);
    if (!options.ok()) std::abort();
    auto made = UrlFilter::Create(*options);
    if (!made.ok()) std::abort();
    return made->release();
  }();
  return *filter;
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  static const PublicSuffixList psl = PublicSuffixList::FromText(kList);
  static winnow::filter::UrlScratch scratch;
  const winnow::filter::UrlParts parts = psl.Split(url, &scratch);
  if (!Inside(parts.subdomain, url) || !Inside(parts.domain, url) || !Inside(parts.suffix, url)) {
    std::abort();
  }
  std::string buffer;
  const std::string_view registered = parts.RegisteredDomain(&buffer);
  if (!registered.empty() && (parts.domain.empty() || parts.suffix.empty())) std::abort();
  std::string decoded;
  (void)winnow::filter::PunycodeDecode(url, &decoded);
  static std::unique_ptr<winnow::filter::FilterState> state = Filter().NewState();
  int soft = 0;
  (void)Filter().DecideUrl(url, *state, &soft);
  if (soft < 0) std::abort();
  return 0;
}
