#include "winnow/filter/url_parts.h"

#include <arpa/inet.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "winnow/core/check.h"
#include "winnow/core/json_writer.h"
#include "winnow/text/py_str.h"

namespace winnow::filter {
namespace {

constexpr std::string_view kPrivateSection = "// ===BEGIN PRIVATE DOMAINS===";

bool IsSchemeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

std::string_view Before(std::string_view s, char c) {
  const size_t at = s.find(c);
  return at == std::string_view::npos ? s : s.substr(0, at);
}

// str.strip() on valid UTF-8; ASCII whitespace only otherwise.
std::string_view Strip(std::string_view s) {
  if (IsValidUtf8(s)) return text::PyStrip(s);
  auto space = [](char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// tldextract's looks_like_ip: a first character that is a digit, and inet_aton(3) (what
// Python's socket.inet_aton calls) accepts the string.
bool LooksLikeIp(std::string_view netloc) {
  if (netloc.empty() || netloc[0] < '0' || netloc[0] > '9') return false;
  if (netloc.find('\0') != std::string_view::npos || netloc.size() > 255) return false;
  char buf[256];
  netloc.copy(buf, netloc.size());
  buf[netloc.size()] = '\0';
  in_addr addr;
  return inet_aton(buf, &addr) != 0;
}

// tldextract's _decode_punycode of one label, appended to *out: lowered, and when it starts
// with "xn--" (and is ASCII), its Punycode decoded and lowered.
void SearchLabel(std::string_view label, std::string* out, std::string* tmp) {
  const size_t at = out->size();
  text::PyLower(label, out);
  const std::string_view lowered = std::string_view(*out).substr(at);
  if (lowered.size() <= 4 || lowered.substr(0, 4) != "xn--") return;
  for (char c : label) {
    if (static_cast<unsigned char>(c) >= 0x80) return;
  }
  tmp->clear();
  // idna refuses an A-label that ends with '-'.
  if (lowered.back() == '-' || !PunycodeDecode(lowered.substr(4), tmp)) return;
  out->resize(at);
  text::PyLower(*tmp, out);
}

}  // namespace

StringSet::StringSet() : slots_(16, 0), mask_(15) {}

void StringSet::Insert(std::string_view s) {
  const uint64_t h = Hash(s);
  if (Contains(s, h)) return;
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  WINNOW_CHECK(s.size() <= UINT32_MAX && arena_.size() + 1 < (uint64_t{1} << kOffsetBits));
  const uint64_t slot = (h >> kOffsetBits) << kOffsetBits | (arena_.size() + 1);
  const auto n = static_cast<uint32_t>(s.size());
  arena_.append(reinterpret_cast<const char*>(&n), 4);
  arena_.append(s);
  size_t i = h & mask_;
  while (slots_[i] != 0) i = (i + 1) & mask_;
  slots_[i] = slot;
  ++size_;
}

void StringSet::Grow() {
  std::vector<uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    size_t i = Hash(KeyAt(slot)) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

std::string_view UrlParts::RegisteredDomain(std::string* buffer) const {
  if (domain.empty() || suffix.empty()) return {};
  buffer->assign(domain);
  buffer->push_back('.');
  buffer->append(suffix);
  return *buffer;
}

std::string_view UrlParts::Fqdn(std::string* buffer) const {
  if (domain.empty() || suffix.empty()) return {};
  buffer->clear();
  if (!subdomain.empty()) {
    buffer->append(subdomain);
    buffer->push_back('.');
  }
  buffer->append(domain);
  buffer->push_back('.');
  buffer->append(suffix);
  return *buffer;
}

std::string_view TldextractNetloc(std::string_view url) {
  // SCHEME_RE: ^([A-Za-z0-9+.-]+:)?//
  size_t i = 0;
  while (i < url.size() && IsSchemeChar(url[i])) ++i;
  if (i > 0 && url.substr(i, 3) == "://") {
    url.remove_prefix(i + 3);
  } else if (url.substr(0, 2) == "//") {
    url.remove_prefix(2);
  }
  url = Before(Before(Before(url, '/'), '?'), '#');
  if (const size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  url = Strip(Before(url, ':'));
  while (!url.empty() && url.back() == '.') url.remove_suffix(1);
  return url;
}

PublicSuffixList PublicSuffixList::FromText(std::string_view text) {
  PublicSuffixList list;
  if (const size_t end = text.find(kPrivateSection); end != std::string_view::npos) {
    text = text.substr(0, end);
  }
  // tldextract's PUBLIC_SUFFIX_RE, ^[.*!]*\w\S* per line: a rule is a line's first
  // whitespace-free run when it starts with a word character after any of ".*!" (comments
  // start with "//", blank lines have none).
  while (!text.empty()) {
    std::string_view line = Before(text, '\n');
    text.remove_prefix(std::min(text.size(), line.size() + 1));
    size_t k = 0;
    while (k < line.size() && (line[k] == '.' || line[k] == '*' || line[k] == '!')) ++k;
    if (k == line.size()) continue;
    const auto c = static_cast<unsigned char>(line[k]);
    const bool word =
        c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (!word) continue;
    size_t end = k;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r' &&
           line[end] != '\f' && line[end] != '\v') {
      ++end;
    }
    list.rules_.Insert(line.substr(0, end));
  }
  return list;
}

Result<PublicSuffixList> PublicSuffixList::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the public suffix list " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read the public suffix list " + path);
  PublicSuffixList list = FromText(text.str());
  if (list.rules() == 0) {
    return Status::InvalidArgument("no public suffix rules in " + path);
  }
  return list;
}

UrlParts PublicSuffixList::Split(std::string_view url, UrlScratch* scratch) const {
  const std::string_view netloc = TldextractNetloc(url);
  // The labels: where each starts in netloc, and in the lowered search string.
  std::vector<size_t>& starts = scratch->starts;
  std::vector<size_t>& offsets = scratch->offsets;
  std::string& search = scratch->search;
  starts.clear();
  offsets.clear();
  search.clear();
  for (size_t begin = 0;;) {
    const size_t dot = netloc.find('.', begin);
    const size_t end = dot == std::string_view::npos ? netloc.size() : dot;
    if (!starts.empty()) search.push_back('.');
    starts.push_back(begin);
    offsets.push_back(search.size());
    SearchLabel(netloc.substr(begin, end - begin), &search, &scratch->punycode);
    if (end == netloc.size()) break;
    begin = end + 1;
  }
  const size_t n = starts.size();
  // tldextract's suffix_index.
  size_t index = n;
  std::string& key = scratch->key;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view rest = std::string_view(search).substr(offsets[i]);
    key.clear();  // clear + push_back: GCC 12 warns falsely on assign("...") (PR 105329)
    key.push_back('!');
    key.append(rest);
    if (rules_.Contains(key)) {
      index = i + 1;
      break;
    }
    if (rules_.Contains(rest)) {
      index = i;
      break;
    }
    key.clear();
    key.push_back('*');
    key.push_back('.');
    if (i + 1 < n) key.append(std::string_view(search).substr(offsets[i + 1]));
    if (rules_.Contains(key)) {
      index = i;
      break;
    }
  }
  UrlParts parts;
  if (index < n) parts.suffix = netloc.substr(starts[index]);
  if (parts.suffix.empty() && !netloc.empty() && LooksLikeIp(netloc)) {
    parts.domain = netloc;
    return parts;
  }
  if (index >= 1) {
    const size_t end = index < n ? starts[index] - 1 : netloc.size();
    parts.domain = netloc.substr(starts[index - 1], end - starts[index - 1]);
    if (index >= 2) parts.subdomain = netloc.substr(0, starts[index - 1] - 1);
  }
  return parts;
}

bool PunycodeDecode(std::string_view encoded, std::string* out) {
  constexpr uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  constexpr uint32_t kMaxInt = UINT32_MAX;
  std::vector<char32_t> cps;
  size_t in = 0;
  if (const size_t dash = encoded.rfind('-'); dash != std::string_view::npos) {
    for (size_t k = 0; k < dash; ++k) {
      if (static_cast<unsigned char>(encoded[k]) >= 0x80) return false;
      cps.push_back(static_cast<unsigned char>(encoded[k]));
    }
    in = dash + 1;
  }
  auto adapt = [&](uint32_t delta, uint32_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  uint32_t n = 128, i = 0, bias = 72;
  while (in < encoded.size()) {
    const uint32_t old = i;
    uint32_t w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (in >= encoded.size()) return false;
      const char c = encoded[in++];
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0') + 26;
      } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        digit = static_cast<uint32_t>((c | 0x20) - 'a');
      } else {
        return false;
      }
      if (digit > (kMaxInt - i) / w) return false;
      i += digit * w;
      const uint32_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
      if (digit < t) break;
      if (w > kMaxInt / (kBase - t)) return false;
      w *= kBase - t;
    }
    const auto points = static_cast<uint32_t>(cps.size() + 1);
    bias = adapt(i - old, points, old == 0);
    if (i / points > kMaxInt - n) return false;
    n += i / points;
    i %= points;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    cps.insert(cps.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  for (char32_t c : cps) AppendUtf8(c, out);
  return true;
}

}  // namespace winnow::filter
