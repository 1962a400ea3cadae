// PiiScanner: finds e-mail addresses, IP addresses and (optionally) phone numbers in text.
//
// One pass of a multi-pattern automaton (vectorscan, Debian's Hyperscan) finds candidates;
// each is then checked by hand where a regular expression cannot say it: IP addresses must
// parse (inet_pton) and, by default, be public; a dotted quad after "version", "v" or
// "release" is a version number; matches inside code (``` fences and `inline` spans) can be
// left alone. The e-mail pattern is datatrove's PIIFormatter's. Overlapping candidates:
// the leftmost wins, then the longest. Immutable and thread-safe; scratch per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::text {

enum class PiiKind : uint8_t { kEmail, kIpv4, kIpv6, kPhone };
std::string_view PiiKindName(PiiKind kind);

struct PiiMatch {
  uint32_t begin = 0, end = 0;  // byte range in the scanned text
  PiiKind kind = PiiKind::kEmail;
};

struct PiiOptions {
  bool emails = true;
  bool ips = true;
  bool phones = false;
  bool only_public_ips = true;  // leave private, loopback, link-local, documentation... alone
  bool skip_version_numbers = true;
  bool skip_code = false;
  // Candidates for phone numbers (vectorscan syntax); a match counts when it has 7 to 15
  // digits and no digit or letter touches it.
  std::string phone_pattern =
      R"((?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?|\d{1,4}[ .-])\d{2,4}[ .-]\d{3,4}(?:[ .-]\d{2,4})?)";
};

class PiiScratch {
 public:
  PiiScratch();
  ~PiiScratch();
  PiiScratch(const PiiScratch&) = delete;
  PiiScratch& operator=(const PiiScratch&) = delete;

 private:
  friend class PiiScanner;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class PiiScanner {
 public:
  ~PiiScanner();
  static Result<std::unique_ptr<PiiScanner>> Create(const PiiOptions& options);

  // The PII in `text` (shorter than 4 GiB), in order, not overlapping.
  void Find(std::string_view text, PiiScratch& scratch, std::vector<PiiMatch>* out) const;

 private:
  PiiScanner() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether an IPv4 or IPv6 address (text) is a public, globally routed one: not private
// (RFC 1918, fc00::/7), loopback, link-local, shared (100.64/10), documentation, benchmark,
// multicast, reserved or unspecified; IPv6 outside 2000::/3 is not global. False if it does
// not parse.
bool IsPublicIp(std::string_view address);

}  // namespace winnow::text
