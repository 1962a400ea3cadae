// A URL's host split the way datatrove's URLFilter sees it: tldextract 3.1's TLDExtract()
// with the Public Suffix List's ICANN section (no private domains), read from Debian's
// `publicsuffix` package (/usr/share/publicsuffix/public_suffix_list.dat, the first file
// Debian's python3-tldextract reads).
//
// Written by hand, not with libpsl: tldextract has its own suffix search, and libpsl's differs
// where datatrove's decisions depend on it (libpsl applies the implicit "*" rule, so an
// unknown TLD becomes a suffix; tldextract leaves it a domain without a suffix, and then the
// URL has no registered domain). The search, step for step (tldextract.py, suffix_index):
// for i = 0.. over the host's lowercased labels, "!" + labels[i:] in the list ends the suffix
// at i + 1; labels[i:] in the list, or "*." + labels[i+1:], ends it at i. The parts keep the
// URL's case (only the search is lowercased), as tldextract's do.
//
// The host (tldextract's netloc): the URL without a leading "scheme://" or "//", cut at the
// first '/', then '?', then '#', after the last '@', before the first ':', Python-stripped
// and without trailing dots. Labels starting "xn--" are Punycode-decoded for the search
// (RFC 3492; tldextract uses the idna package, which also rejects labels that are not valid
// IDNA 2008: such a label is never a list entry either way, so the search ends the same).
// Non-ASCII labels are lowered with Unicode's simple case mapping (Python's str.lower differs
// for U+0130 and a final capital sigma; neither occurs in a list entry's label).
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::filter {

// A set of strings for exact lookups by view, compact enough for block lists of millions of
// domains (UT1's adult list has 4.6 M): 1 M domains of 15-20 bytes hold 48 MB. Keys
// live in one arena (a 4-byte length, then the bytes); the open-addressing table (load <=
// 0.7) holds one word per slot: 24 bits of the key's XXH3 hash and the key's arena offset, so
// a probe reads the arena only when those bits match. Hand-written: std::unordered_set costs
// ~70 bytes an entry and a node hop per lookup. Not thread-safe for writes; concurrent
// lookups on an unchanging set are safe.
class StringSet {
 public:
  StringSet();
  void Insert(std::string_view s);
  bool Contains(std::string_view s) const { return Contains(s, Hash(s)); }
  // Contains() in two steps, for several lookups at once: hash the keys, Prefetch() each
  // one's slot, then look them up (the cache misses overlap).
  static uint64_t Hash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }
  void Prefetch(uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  bool Contains(std::string_view s, uint64_t h) const {
    const uint64_t tag = h >> kOffsetBits;
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return false;
      if ((slot >> kOffsetBits) == tag && KeyAt(slot) == s) return true;
    }
  }
  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * 8 + arena_.capacity(); }
  // Calls fn(key) for every key, in insertion order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t at = 0; at < arena_.size();) {
      const uint32_t n = LengthAt(at);
      fn(std::string_view(arena_.data() + at + 4, n));
      at += 4 + n;
    }
  }

 private:
  static constexpr int kOffsetBits = 40;
  uint32_t LengthAt(size_t at) const {
    uint32_t n;
    std::memcpy(&n, arena_.data() + at, 4);
    return n;
  }
  std::string_view KeyAt(uint64_t slot) const {
    const size_t at = (slot & ((uint64_t{1} << kOffsetBits) - 1)) - 1;
    return std::string_view(arena_.data() + at + 4, LengthAt(at));
  }
  void Grow();

  std::vector<uint64_t> slots_;  // 0: empty; else tag << 40 | (arena offset + 1)
  size_t mask_ = 0;
  size_t size_ = 0;
  std::string arena_;
};

// tldextract's ExtractResult: views into the URL given to Split().
struct UrlParts {
  std::string_view subdomain, domain, suffix;
  // domain + "." + suffix when both are set, else "" (tldextract's registered_domain).
  std::string_view RegisteredDomain(std::string* buffer) const;
  // subdomain.domain.suffix without empty parts when domain and suffix are set, else ""
  // (tldextract's fqdn).
  std::string_view Fqdn(std::string* buffer) const;
};

// Buffers Split() reuses (one per thread).
struct UrlScratch {
  std::string search, key, punycode;
  std::vector<size_t> starts, offsets;
};

class PublicSuffixList {
 public:
  // The rules of `text` (the list's format) before "// ===BEGIN PRIVATE DOMAINS===".
  static PublicSuffixList FromText(std::string_view text);
  // The same from a file; NotFound or IOError naming it.
  static Result<PublicSuffixList> Load(const std::string& path);

  // Splits `url`'s host; the parts are views into `url`.
  UrlParts Split(std::string_view url, UrlScratch* scratch) const;

  size_t rules() const { return rules_.size(); }

 private:
  StringSet rules_;
};

// The host tldextract finds in `url` (a view into it), before the suffix search.
std::string_view TldextractNetloc(std::string_view url);

// RFC 3492 Punycode decoding of `encoded` (the part after "xn--") into UTF-8, appended to
// *out. False when it does not decode (then *out is unspecified).
bool PunycodeDecode(std::string_view encoded, std::string* out);

}  // namespace winnow::filter
