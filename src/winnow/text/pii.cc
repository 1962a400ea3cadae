#include "winnow/text/pii.h"

#include <arpa/inet.h>
#include <hs/hs.h>

#include <algorithm>
#include <cstring>

namespace winnow::text {
namespace {

// datatrove's PIIFormatter e-mail pattern (without its rare bracketed-IP domain form).
constexpr const char* kEmailPattern =
    R"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@)"
    R"((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)";
constexpr const char* kIpv4Pattern = R"((?:\d{1,3}\.){3}\d{1,3})";
constexpr const char* kIpv6Pattern = R"([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
            void* context) {
  auto* hits = static_cast<std::vector<PiiMatch>*>(context);
  hits->push_back(
      {static_cast<uint32_t>(from), static_cast<uint32_t>(to), static_cast<PiiKind>(id)});
  return 0;
}

bool Ipv4Public(const uint8_t a[4]) {
  uint32_t x = (uint32_t{a[0]} << 24) | (uint32_t{a[1]} << 16) | (uint32_t{a[2]} << 8) | a[3];
  struct Net {
    uint32_t base;
    int bits;
  };
  // IANA's special-purpose registry (RFC 6890 and successors) plus multicast and reserved.
  static constexpr Net kNotPublic[] = {
      {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},  {0xA9FE0000, 16},
      {0xAC100000, 12}, {0xC0000000, 24}, {0xC0000200, 24}, {0xC0A80000, 16}, {0xC6120000, 15},
      {0xC6336400, 24}, {0xCB007100, 24}, {0xE0000000, 4},  {0xF0000000, 4},
  };
  for (const Net& n : kNotPublic) {
    uint32_t mask = n.bits == 0 ? 0 : ~uint32_t{0} << (32 - n.bits);
    if ((x & mask) == n.base) return false;
  }
  return true;
}

bool Ipv6Public(const uint8_t a[16]) {
  // Global unicast is 2000::/3; inside it, documentation (2001:db8::/32), ORCHID and the
  // IETF protocol block (2001::/23) are not public. IPv4-mapped addresses are judged as IPv4.
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a, kMapped, 12) == 0) return Ipv4Public(a + 12);
  if ((a[0] & 0xE0) != 0x20) return false;
  if (a[0] == 0x20 && a[1] == 0x01) {
    if (a[2] == 0x0d && a[3] == 0xb8) return false;  // 2001:db8::/32
    if (a[2] < 0x02) return false;                   // 2001::/23
  }
  return true;
}

// The byte ranges of code: ``` (or ~~~) fenced blocks and `inline` spans.
void CodeRanges(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>* out) {
  out->clear();
  size_t i = 0;
  bool in_fence = false;
  size_t fence_start = 0;
  while (i < text.size()) {
    size_t eol = text.find('\n', i);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(i, eol - i);
    size_t lead = line.find_first_not_of(" \t");
    bool fence = lead != std::string_view::npos &&
                 (line.substr(lead).starts_with("```") || line.substr(lead).starts_with("~~~"));
    if (fence) {
      if (in_fence) {
        out->emplace_back(static_cast<uint32_t>(fence_start), static_cast<uint32_t>(eol));
      } else {
        fence_start = i;
      }
      in_fence = !in_fence;
    } else if (!in_fence) {
      for (size_t b = line.find('`'); b != std::string_view::npos;) {
        size_t e = line.find('`', b + 1);
        if (e == std::string_view::npos) break;
        out->emplace_back(static_cast<uint32_t>(i + b), static_cast<uint32_t>(i + e + 1));
        b = line.find('`', e + 1);
      }
    }
    i = eol + 1;
  }
  if (in_fence)
    out->emplace_back(static_cast<uint32_t>(fence_start), static_cast<uint32_t>(text.size()));
}

bool AfterVersionCue(std::string_view text, uint32_t begin) {
  size_t from = begin >= 16 ? begin - 16 : 0;
  std::string before(text.substr(from, begin - from));
  for (char& c : before) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  while (!before.empty() && (before.back() == ' ' || before.back() == ':')) before.pop_back();
  static constexpr std::string_view kCues[] = {"version", "ver.",     "ver", "release",
                                               "build",   "firmware", "v"};
  for (std::string_view cue : kCues) {
    if (!before.ends_with(cue)) continue;
    // The cue is a word of its own ("v1.2.3.4", "version 1.2.3.4"), not "conv".
    size_t at = before.size() - cue.size();
    if (at == 0 || !IsAsciiAlnum(before[at - 1])) return true;
  }
  return false;
}

}  // namespace

std::string_view PiiKindName(PiiKind kind) {
  switch (kind) {
    case PiiKind::kEmail:
      return "email";
    case PiiKind::kIpv4:
      return "ipv4";
    case PiiKind::kIpv6:
      return "ipv6";
    case PiiKind::kPhone:
      return "phone";
  }
  return "?";
}

bool IsPublicIp(std::string_view address) {
  char buf[64];
  if (address.size() >= sizeof buf) return false;
  std::memcpy(buf, address.data(), address.size());
  buf[address.size()] = '\0';
  uint8_t bytes[16];
  if (address.find(':') == std::string_view::npos) {
    return inet_pton(AF_INET, buf, bytes) == 1 && Ipv4Public(bytes);
  }
  return inet_pton(AF_INET6, buf, bytes) == 1 && Ipv6Public(bytes);
}

// Two databases of the same patterns. Reporting where a match starts (SOM) makes vectorscan
// track every run of local-part characters, which is most of any text (about 190 MB/s
// here); without it the e-mail pattern is found from its '@' (over 1 GB/s). So the whole
// text is scanned without SOM, and only a window before each match end is scanned again with
// SOM to find where the match starts. A window reaches back kWindow bytes: an address's local
// part is at most 64 bytes and its domain 255 (RFC 5321), so no real one is cut.
constexpr uint32_t kWindow = 320;

struct PiiScanner::Impl {
  PiiOptions options;
  hs_database_t* ends = nullptr;      // no SOM: where matches end
  hs_database_t* starts = nullptr;    // SOM leftmost: run on windows only
  hs_scratch_t* prototype = nullptr;  // cloned per PiiScratch; fits both databases
  ~Impl() {
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (ends != nullptr) hs_free_database(ends);
    if (starts != nullptr) hs_free_database(starts);
  }
};

struct PiiScratch::Impl {
  const void* owner = nullptr;  // the scanner whose database `scratch` was made for
  hs_scratch_t* scratch = nullptr;
  std::vector<PiiMatch> hits;
  std::vector<uint32_t> ends;
  std::vector<std::pair<uint32_t, uint32_t>> code;
  ~Impl() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

PiiScratch::PiiScratch() : impl_(std::make_unique<Impl>()) {}
PiiScratch::~PiiScratch() = default;
PiiScanner::~PiiScanner() = default;

Result<std::unique_ptr<PiiScanner>> PiiScanner::Create(const PiiOptions& options) {
  std::unique_ptr<PiiScanner> s(new PiiScanner());
  s->impl_ = std::make_unique<Impl>();
  s->impl_->options = options;
  std::vector<const char*> patterns;
  std::vector<unsigned> ids;
  auto add = [&](const char* p, PiiKind kind) {
    patterns.push_back(p);
    ids.push_back(static_cast<unsigned>(kind));
  };
  if (options.emails) add(kEmailPattern, PiiKind::kEmail);
  if (options.ips) {
    add(kIpv4Pattern, PiiKind::kIpv4);
    add(kIpv6Pattern, PiiKind::kIpv6);
  }
  if (options.phones) add(options.phone_pattern.c_str(), PiiKind::kPhone);
  if (patterns.empty()) return s;
  for (bool som : {false, true}) {
    std::vector<unsigned> flags(patterns.size(), som ? HS_FLAG_SOM_LEFTMOST : 0u);
    hs_compile_error_t* error = nullptr;
    hs_database_t** db = som ? &s->impl_->starts : &s->impl_->ends;
    if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, db,
                         &error) != HS_SUCCESS) {
      std::string what = error != nullptr && error->message != nullptr ? error->message : "?";
      int which = error != nullptr ? error->expression : -1;
      hs_free_compile_error(error);
      std::string pattern = which >= 0 ? patterns[static_cast<size_t>(which)] : "";
      return Status::InvalidArgument("pii: pattern " + pattern + ": " + what);
    }
    if (hs_alloc_scratch(*db, &s->impl_->prototype) != HS_SUCCESS) {
      return Status::Internal("pii: cannot allocate vectorscan scratch");
    }
  }
  return s;
}

void PiiScanner::Find(std::string_view text, PiiScratch& scratch,
                      std::vector<PiiMatch>* out) const {
  out->clear();
  if (impl_->ends == nullptr || text.empty()) return;
  PiiScratch::Impl& sc = *scratch.impl_;
  if (sc.owner != impl_.get()) {
    if (sc.scratch != nullptr) hs_free_scratch(sc.scratch);
    sc.scratch = nullptr;
    hs_clone_scratch(impl_->prototype, &sc.scratch);
    sc.owner = impl_.get();
  }
  std::vector<PiiMatch>& hits = sc.hits;
  hits.clear();
  hs_scan(impl_->ends, text.data(), static_cast<unsigned>(text.size()), 0, sc.scratch, OnMatch,
          &hits);
  if (hits.empty()) return;
  // Where the matches start: SOM scans of the windows before the ends, merged when they
  // overlap (ends come in order, several per match).
  std::vector<uint32_t>& ends = sc.ends;
  ends.clear();
  for (const PiiMatch& h : hits) ends.push_back(h.end);
  std::sort(ends.begin(), ends.end());
  hits.clear();
  for (size_t i = 0; i < ends.size();) {
    uint32_t begin = ends[i] > kWindow ? ends[i] - kWindow : 0;
    uint32_t end = ends[i];
    for (++i; i < ends.size() && ends[i] <= end + kWindow; ++i) end = ends[i];
    size_t first = hits.size();
    hs_scan(impl_->starts, text.data() + begin, end - begin, 0, sc.scratch, OnMatch, &hits);
    for (size_t k = first; k < hits.size(); ++k) {
      hits[k].begin += begin;
      hits[k].end += begin;
    }
  }
  // Every end of every match is reported; keep, per start, the longest; then leftmost first.
  std::sort(hits.begin(), hits.end(), [](const PiiMatch& a, const PiiMatch& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.end > b.end;
  });
  const PiiOptions& o = impl_->options;
  if (o.skip_code) CodeRanges(text, &sc.code);
  uint32_t covered = 0;  // end of the last accepted match
  for (size_t i = 0; i < hits.size(); ++i) {
    PiiMatch m = hits[i];
    if (i > 0 && hits[i - 1].begin == m.begin) continue;  // a shorter end of the same start
    if (m.begin < covered) continue;
    char before = m.begin > 0 ? text[m.begin - 1] : ' ';
    char after = m.end < text.size() ? text[m.end] : ' ';
    char after2 = m.end + 1 < text.size() ? text[m.end + 1] : ' ';
    std::string_view s = text.substr(m.begin, m.end - m.begin);
    bool ok = true;
    switch (m.kind) {
      case PiiKind::kEmail:
        // datatrove's \b before the local part: a non-ASCII letter there is a word character.
        ok = static_cast<unsigned char>(before) < 0x80 || !IsAsciiAlnum(s.front());
        break;
      case PiiKind::kIpv4: {
        // Not part of a longer dotted or alphanumeric run ("1.2.3.4.5", "a1.2.3.4").
        ok = !IsAsciiAlnum(before) && before != '.' && !IsAsciiAlnum(after) &&
             !(after == '.' && IsDigit(after2));
        if (ok) {
          uint8_t b[4];
          std::string z(s);
          ok = inet_pton(AF_INET, z.c_str(), b) == 1 && (!o.only_public_ips || Ipv4Public(b));
        }
        if (ok && o.skip_version_numbers && AfterVersionCue(text, m.begin)) ok = false;
        break;
      }
      case PiiKind::kIpv6: {
        ok = !IsAsciiAlnum(before) && before != ':' && before != '_' && !IsAsciiAlnum(after) &&
             after != ':' && after != '_' && std::count(s.begin(), s.end(), ':') >= 2;
        if (ok) {
          uint8_t b[16];
          std::string z(s);
          ok = inet_pton(AF_INET6, z.c_str(), b) == 1 && (!o.only_public_ips || Ipv6Public(b));
        }
        break;
      }
      case PiiKind::kPhone: {
        size_t digits = static_cast<size_t>(std::count_if(s.begin(), s.end(), IsDigit));
        ok = digits >= 7 && digits <= 15 && !IsAsciiAlnum(before) && !IsAsciiAlnum(after) &&
             before != '.' && !(after == '.' && IsDigit(after2)) && before != '-';
        break;
      }
    }
    if (ok && o.skip_code) {
      for (auto [b, e] : sc.code) {
        if (m.begin < e && b < m.end) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) continue;
    out->push_back(m);
    covered = m.end;
  }
}

}  // namespace winnow::text
