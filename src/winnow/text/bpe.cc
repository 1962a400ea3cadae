#include "winnow/text/bpe.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <xxhash.h>

namespace winnow::text {
namespace {

// tiktoken's patterns (tiktoken_ext/openai_public.py), as the tiktoken package ships them.
constexpr std::string_view kR50kPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

const std::vector<BpeEncoding>& Encodings() {
  static const std::vector<BpeEncoding> encodings = {
      {"gpt2", kR50kPattern, {{"<|endoftext|>", 50256}}},
      {"r50k_base", kR50kPattern, {{"<|endoftext|>", 50256}}},
      {"p50k_base", kR50kPattern, {{"<|endoftext|>", 50256}}},
      {"cl100k_base",
       kCl100kPattern,
       {{"<|endoftext|>", 100257},
        {"<|fim_prefix|>", 100258},
        {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260},
        {"<|endofprompt|>", 100276}}},
      {"o200k_base", kO200kPattern, {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  return encodings;
}

// Base64 (RFC 4648, with padding) as the rank files use it. Hand-written: ten lines, and no
// library winnow links has a decoder.
bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      ++pad;
      continue;
    } else {
      return false;
    }
    if (pad > 0) return false;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return pad <= 2 && !out->empty();
}

// ASCII character classes as the patterns see them (Unicode's, restricted to ASCII).
enum : uint8_t { kLetter = 1, kDigit = 2, kSpace = 4, kNewline = 8, kOther = 16, kHigh = 32 };

struct AsciiClasses {
  uint8_t c[256];
  constexpr AsciiClasses() : c() {
    for (int i = 0; i < 256; ++i) {
      if (i >= 0x80) {
        c[i] = kHigh;
      } else if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z')) {
        c[i] = kLetter;
      } else if (i >= '0' && i <= '9') {
        c[i] = kDigit;
      } else if (i == '\n' || i == '\r') {
        c[i] = kSpace | kNewline;
      } else if (i == ' ' || (i >= 9 && i <= 13)) {  // \t \v \f
        c[i] = kSpace;
      } else {
        c[i] = kOther;
      }
    }
  }
};
constexpr AsciiClasses kAscii;

inline uint8_t ClassAt(std::string_view t, size_t i) {
  return i < t.size() ? kAscii.c[static_cast<unsigned char>(t[i])] : 0;  // 0: the end
}
inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// The end of the run of characters of `cls` from `i`, or 0 when the run stops at a non-ASCII
// character (which might belong to it).
inline size_t RunEnd(std::string_view t, size_t i, uint8_t cls) {
  while (i < t.size() && (ClassAt(t, i) & cls)) ++i;
  return ClassAt(t, i) == kHigh ? 0 : i;
}

// 's 't 're 've 'm 'll 'd at p (t[p] == '\''): the end, 0 for none, SIZE_MAX for "ask PCRE2".
size_t Contraction(std::string_view t, size_t p, bool caseless) {
  auto at = [&](size_t i) -> int {
    if (i >= t.size()) return -1;
    char c = t[i];
    if (static_cast<unsigned char>(c) >= 0x80) return -2;
    return caseless ? Lower(c) : c;
  };
  int a = at(p + 1);
  if (a == -2) return SIZE_MAX;
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return p + 2;
  if (a == 'r' || a == 'v' || a == 'l') {
    int b = at(p + 2);
    if (b == -2) return SIZE_MAX;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return p + 3;
  }
  return 0;
}

// \s+(?!\S) then \s+, from p (a space): the end, or 0 for "ask PCRE2".
size_t SpaceRun(std::string_view t, size_t p) {
  size_t e = RunEnd(t, p, kSpace);
  if (e == 0) return 0;
  if (e == t.size() || e - p == 1) return e;
  return e - 1;  // leave the last space to the next piece ("  word" -> " ", " word")
}

// r50k_base / p50k_base / gpt2:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
size_t SplitR50k(std::string_view t, size_t p) {
  const uint8_t c = ClassAt(t, p);
  if (c == kHigh) return 0;
  if (t[p] == '\'') {
    size_t e = Contraction(t, p, /*caseless=*/false);
    if (e == SIZE_MAX) return 0;
    if (e != 0) return e;
  }
  size_t q = t[p] == ' ' ? p + 1 : p;
  const uint8_t d = ClassAt(t, q);
  if (d == kHigh) return 0;
  if (d & (kLetter | kDigit | kOther)) {
    if (q == p && (c & kSpace)) return SpaceRun(t, p);
    return RunEnd(t, q + 1, d & (kLetter | kDigit | kOther));
  }
  return SpaceRun(t, p);
}

// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
size_t SplitCl100k(std::string_view t, size_t p) {
  const uint8_t c = ClassAt(t, p);
  if (c == kHigh) return 0;
  if (t[p] == '\'') {
    size_t e = Contraction(t, p, /*caseless=*/true);
    if (e == SIZE_MAX) return 0;
    if (e != 0) return e;
  }
  if (c == kLetter) return RunEnd(t, p + 1, kLetter);
  if (!(c & (kNewline | kDigit))) {  // [^\r\n\p{L}\p{N}] then letters?
    const uint8_t d = ClassAt(t, p + 1);
    if (d == kHigh) return 0;
    if (d == kLetter) return RunEnd(t, p + 2, kLetter);
  }
  if (c == kDigit) {
    size_t e = p + 1;
    while (e < p + 3 && ClassAt(t, e) == kDigit) ++e;
    if (e < p + 3 && ClassAt(t, e) == kHigh) return 0;  // a non-ASCII digit might follow
    return e;
  }
  size_t q = t[p] == ' ' ? p + 1 : p;
  const uint8_t d = ClassAt(t, q);
  if (d == kHigh) return 0;
  if (d == kOther) {
    size_t e = RunEnd(t, q + 1, kOther);
    if (e == 0) return 0;
    while (ClassAt(t, e) & kNewline) ++e;
    return e;
  }
  // c is a space: \s*[\r\n]+ ends after the run's last newline, if it has one.
  size_t e = RunEnd(t, p, kSpace);
  if (e == 0) return 0;
  for (size_t k = e; k > p; --k) {
    if (ClassAt(t, k - 1) & kNewline) return k;
  }
  return SpaceRun(t, p);
}

// o200k_base's words: [A-Z]*[a-z]+ or [A-Z]+ (ASCII's Lu and Ll), then an optional caseless
// contraction, from q; 0 for "ask PCRE2", q when there is no letter.
size_t LettersO200k(std::string_view t, size_t q) {
  size_t e = q;
  while (e < t.size() && t[e] >= 'A' && t[e] <= 'Z') ++e;
  while (e < t.size() && t[e] >= 'a' && t[e] <= 'z') ++e;
  if (ClassAt(t, e) == kHigh) return 0;  // a non-ASCII letter or mark might continue the word
  if (e == q) return q;
  if (e < t.size() && t[e] == '\'') {
    size_t c = Contraction(t, e, /*caseless=*/true);
    if (c == SIZE_MAX) return 0;
    if (c != 0) e = c;
  }
  return e;
}

// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|...)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|...)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
size_t SplitO200k(std::string_view t, size_t p) {
  const uint8_t c = ClassAt(t, p);
  if (c == kHigh) return 0;
  if (c == kLetter) return LettersO200k(t, p);
  if (!(c & (kNewline | kDigit))) {  // [^\r\n\p{L}\p{N}] then a word?
    const uint8_t d = ClassAt(t, p + 1);
    if (d == kHigh) return 0;
    if (d == kLetter) return LettersO200k(t, p + 1);
  }
  if (c == kDigit) {
    size_t e = p + 1;
    while (e < p + 3 && ClassAt(t, e) == kDigit) ++e;
    if (e < p + 3 && ClassAt(t, e) == kHigh) return 0;
    return e;
  }
  size_t q = t[p] == ' ' ? p + 1 : p;
  const uint8_t d = ClassAt(t, q);
  if (d == kHigh) return 0;
  if (d == kOther) {
    size_t e = RunEnd(t, q + 1, kOther);
    if (e == 0) return 0;
    while ((ClassAt(t, e) & kNewline) || (e < t.size() && t[e] == '/')) ++e;
    return e;
  }
  size_t e = RunEnd(t, p, kSpace);
  if (e == 0) return 0;
  for (size_t k = e; k > p; --k) {
    if (ClassAt(t, k - 1) & kNewline) return k;
  }
  return SpaceRun(t, p);
}

}  // namespace

const BpeEncoding* FindBpeEncoding(std::string_view name) {
  for (const BpeEncoding& e : Encodings()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const BpeEncoding* BpeEncodingForFile(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  file = file.substr(0, file.find('.'));
  return FindBpeEncoding(file);
}

std::string TiktokenPatternToPcre(std::string_view pattern) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char e = pattern[++i];
      if (e == 's') {
        out += in_class ? "\\s\\x{85}" : "[\\s\\x{85}]";
      } else if (e == 'S' && !in_class) {
        out += "[^\\s\\x{85}]";
      } else {
        out += c;
        out += e;
      }
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
    } else if (c == ']' && in_class) {
      in_class = false;
    }
    out += c;
  }
  return out;
}

BpeScratch::BpeScratch() : hot(kHotPieces) {}

uint64_t RankTable::Pack(std::string_view bytes) {
  uint64_t v = 0;
  std::memcpy(&v, bytes.data(), bytes.size());
  return v;
}

void RankTable::Reserve(size_t tokens) {
  size_t n = 16;
  while (n < 2 * tokens) n <<= 1;
  if (n <= slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(n, Slot{});
  mask_ = n - 1;
  for (const Slot& s : old) {
    if (s.rank == UINT32_MAX) continue;
    size_t i = s.hash & mask_;
    while (slots_[i].rank != UINT32_MAX) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

void RankTable::Insert(std::string_view bytes, uint32_t rank) {
  if (2 * (size_ + 1) > slots_.size()) Reserve(2 * (size_ + 1));
  const uint64_t hash = XXH3_64bits(bytes.data(), bytes.size());
  size_t i = hash & mask_;
  while (slots_[i].rank != UINT32_MAX) i = (i + 1) & mask_;
  Slot& s = slots_[i];
  s.hash = hash;
  s.size = static_cast<uint32_t>(bytes.size());
  s.rank = rank;
  if (bytes.size() <= 8) {
    s.key = Pack(bytes);
  } else {
    s.key = long_keys_.size();
    long_keys_.append(bytes);
  }
  ++size_;
}

uint32_t RankTable::Find(std::string_view bytes, uint64_t hash) const {
  if (slots_.empty()) return UINT32_MAX;
  const uint64_t packed = bytes.size() <= 8 ? Pack(bytes) : 0;
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.rank == UINT32_MAX) return UINT32_MAX;
    if (s.hash != hash || s.size != bytes.size()) continue;
    if (bytes.size() <= 8
            ? s.key == packed
            : std::memcmp(long_keys_.data() + s.key, bytes.data(), bytes.size()) == 0) {
      return s.rank;
    }
  }
}

uint32_t BytePairEncoder::Rank(std::string_view bytes) const {
  return ranks_.Find(bytes, XXH3_64bits(bytes.data(), bytes.size()));
}
BpeScratch::~BpeScratch() = default;

Result<std::unique_ptr<BytePairEncoder>> BytePairEncoder::FromTiktoken(
    std::string_view ranks, const BpeEncoding& encoding) {
  std::unique_ptr<BytePairEncoder> e(new BytePairEncoder());
  e->name_ = std::string(encoding.name);
  if (encoding.pattern == kR50kPattern) e->fast_ = FastSplit::kR50k;
  if (encoding.pattern == kCl100kPattern) e->fast_ = FastSplit::kCl100k;
  if (encoding.pattern == kO200kPattern) e->fast_ = FastSplit::kO200k;
  std::vector<std::string> by_rank;  // each rank's bytes; empty: no token has the rank
  WINNOW_ASSIGN_OR_RETURN(e->split_, Regex::FromPython(TiktokenPatternToPcre(encoding.pattern)));
  std::fill(std::begin(e->byte_rank_), std::end(e->byte_rank_), kNoRank);
  std::string bytes;
  e->ranks_.Reserve(static_cast<size_t>(std::count(ranks.begin(), ranks.end(), '\n')) + 1);
  size_t line = 0;
  size_t pos = 0;
  while (pos < ranks.size()) {
    size_t end = ranks.find('\n', pos);
    if (end == std::string_view::npos) end = ranks.size();
    std::string_view l = ranks.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (l.empty()) continue;
    size_t space = l.find(' ');
    uint64_t rank = 0;
    bool ok = space != std::string_view::npos && space + 1 < l.size() && space + 11 > l.size();
    for (size_t i = space + 1; ok && i < l.size(); ++i) {
      ok = l[i] >= '0' && l[i] <= '9';
      rank = rank * 10 + static_cast<uint64_t>(l[i] - '0');
    }
    if (!ok || rank >= (uint64_t{1} << 31) || !DecodeBase64(l.substr(0, space), &bytes)) {
      return Status::InvalidArgument("rank file: line " + std::to_string(line) +
                                     ": expected '<base64 token> <rank>'");
    }
    if (rank >= by_rank.size()) by_rank.resize(rank + 1);
    if (!by_rank[rank].empty() || e->Rank(bytes) != kNoRank) {
      return Status::InvalidArgument("rank file: line " + std::to_string(line) +
                                     ": a token or rank given twice");
    }
    e->ranks_.Insert(bytes, static_cast<uint32_t>(rank));
    by_rank[rank] = bytes;
    if (bytes.size() == 1)
      e->byte_rank_[static_cast<unsigned char>(bytes[0])] = static_cast<uint32_t>(rank);
    e->vocab_size_ = std::max(e->vocab_size_, static_cast<uint32_t>(rank + 1));
  }
  for (int b = 0; b < 256; ++b) {
    if (e->byte_rank_[b] == kNoRank) {
      return Status::InvalidArgument("rank file: byte " + std::to_string(b) +
                                     " has no token (not a byte-level vocabulary)");
    }
  }
  for (const auto& [token, id] : encoding.special_tokens) {
    e->special_.emplace_back(std::string(token), id);
    e->vocab_size_ = std::max(e->vocab_size_, id + 1);
    if (id >= by_rank.size()) by_rank.resize(id + 1);
    if (by_rank[id].empty()) by_rank[id] = token;
  }
  // Decoding: each id's bytes (ids without a token, such as gaps before the specials, are
  // empty and rejected by Decode).
  e->token_offsets_.reserve(by_rank.size() + 1);
  for (const std::string& b : by_rank) {
    e->token_offsets_.push_back(static_cast<uint32_t>(e->token_bytes_.size()));
    e->token_bytes_ += b;
  }
  e->token_offsets_.push_back(static_cast<uint32_t>(e->token_bytes_.size()));
  return e;
}

Result<std::unique_ptr<BytePairEncoder>> BytePairEncoder::Load(const std::string& path,
                                                               std::string_view encoding) {
  const BpeEncoding* def = encoding.empty() ? BpeEncodingForFile(path) : FindBpeEncoding(encoding);
  if (def == nullptr) {
    return Status::InvalidArgument(
        encoding.empty()
            ? "tokenizer " + path +
                  ": cannot tell the encoding from the file name; pass --encoding (gpt2, "
                  "r50k_base, p50k_base, cl100k_base, o200k_base)"
            : "unknown encoding '" + std::string(encoding) +
                  "' (known: gpt2, r50k_base, p50k_base, cl100k_base, o200k_base)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open tokenizer file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read tokenizer file " + path);
  Result<std::unique_ptr<BytePairEncoder>> e = FromTiktoken(ss.str(), *def);
  if (!e.ok()) return Status(e.status().code(), path + ": " + std::string(e.status().message()));
  return e;
}

Result<std::string> BytePairEncoder::Decode(const uint32_t* ids, size_t count) const {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (ids[i] >= vocab_size_ || token_offsets_[ids[i]] == token_offsets_[ids[i] + 1]) {
      return Status::InvalidArgument("decode: " + std::to_string(ids[i]) + " is not a token of " +
                                     name_);
    }
    out.append(token_bytes_, token_offsets_[ids[i]],
               token_offsets_[ids[i] + 1] - token_offsets_[ids[i]]);
  }
  return out;
}

size_t BytePairEncoder::SplitAscii(std::string_view text, size_t pos) const {
  switch (fast_) {
    case FastSplit::kR50k:
      return SplitR50k(text, pos);
    case FastSplit::kCl100k:
      return SplitCl100k(text, pos);
    case FastSplit::kO200k:
      return SplitO200k(text, pos);
    case FastSplit::kNone:
      break;
  }
  return 0;
}

size_t BytePairEncoder::SplitRegex(std::string_view text, size_t pos, BpeScratch& scratch) const {
  size_t begin = 0, end = 0;
  if (!split_.Find(text, pos, /*anchored=*/true, scratch.regex, &begin, &end)) return 0;
  return end;
}

std::optional<uint32_t> BytePairEncoder::SpecialToken(std::string_view token) const {
  for (const auto& [t, id] : special_) {
    if (t == token) return id;
  }
  return std::nullopt;
}

void BytePairEncoder::MergePiece(std::string_view piece, BpeScratch& scratch,
                                 std::vector<uint32_t>* ids) const {
  // tiktoken's byte_pair_merge: parts[i] = (start, rank of the bytes from parts[i] to
  // parts[i + 2]); merge the lowest-ranked pair (the leftmost of equals) until none is left.
  auto& parts = scratch.parts;
  parts.clear();
  const auto n = static_cast<uint32_t>(piece.size());
  for (uint32_t i = 0; i + 1 < n; ++i) parts.emplace_back(i, Rank(piece.substr(i, 2)));
  parts.emplace_back(n - 1, kNoRank);
  parts.emplace_back(n, kNoRank);
  auto rank_at = [&](size_t i) -> uint32_t {
    if (i + 3 >= parts.size()) return kNoRank;
    return Rank(piece.substr(parts[i].first, parts[i + 3].first - parts[i].first));
  };
  for (;;) {
    uint32_t best = kNoRank;
    size_t at = 0;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i].second < best) {
        best = parts[i].second;
        at = i;
      }
    }
    if (best == kNoRank) break;
    parts[at].second = rank_at(at);
    if (at > 0) parts[at - 1].second = rank_at(at - 1);
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(at) + 1);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    uint32_t len = parts[i + 1].first - parts[i].first;
    ids->push_back(len == 1 ? byte_rank_[static_cast<unsigned char>(piece[parts[i].first])]
                            : Rank(piece.substr(parts[i].first, len)));
  }
}

void BytePairEncoder::Encode(std::string_view text, BpeScratch& scratch,
                             std::vector<uint32_t>* ids) const {
  constexpr size_t kCacheEntries = 1 << 16;
  constexpr size_t kCachedPieceBytes = 64;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t begin = pos, end = fast_ == FastSplit::kNone ? 0 : SplitAscii(text, pos);
    if (end == 0 && (!split_.Find(text, pos, /*anchored=*/false, scratch.regex, &begin, &end) ||
                     end == begin)) {
      begin = end = text.size();  // no match (the match limit): the rest is one piece
    }
    // The patterns cover every character, so a gap only follows an abandoned match.
    std::string_view gap = text.substr(pos, begin - pos);
    if (!gap.empty()) MergePiece(gap, scratch, ids);
    if (end == begin) break;
    std::string_view piece = text.substr(begin, end - begin);
    pos = end;
    if (piece.size() == 1) {
      ids->push_back(byte_rank_[static_cast<unsigned char>(piece[0])]);
      continue;
    }
    const uint64_t hash = XXH3_64bits(piece.data(), piece.size());
    BpeScratch::HotPiece* hot = nullptr;
    if (piece.size() <= sizeof(BpeScratch::HotPiece::bytes)) {
      hot = &scratch.hot[hash & (BpeScratch::kHotPieces - 1)];
      if (hot->size == piece.size() && std::memcmp(hot->bytes, piece.data(), piece.size()) == 0) {
        ids->push_back(hot->id);
        continue;
      }
    }
    if (const uint32_t r = ranks_.Find(piece, hash); r != kNoRank) {
      ids->push_back(r);
      if (hot != nullptr) {
        std::memcpy(hot->bytes, piece.data(), piece.size());
        hot->size = static_cast<uint32_t>(piece.size());
        hot->id = r;
      }
      continue;
    }
    if (piece.size() <= kCachedPieceBytes) {
      if (const auto* hit = scratch.cache.Find(piece)) {
        ids->insert(ids->end(), scratch.cached_ids.begin() + hit->first,
                    scratch.cached_ids.begin() + hit->first + hit->second);
        continue;
      }
    }
    size_t first = ids->size();
    MergePiece(piece, scratch, ids);
    if (piece.size() <= kCachedPieceBytes) {
      if (scratch.cache.size() >= kCacheEntries) {
        scratch.cache.Clear();
        scratch.cached_ids.clear();
      }
      scratch.cache.Insert(piece, {static_cast<uint32_t>(scratch.cached_ids.size()),
                                   static_cast<uint32_t>(ids->size() - first)});
      scratch.cached_ids.insert(scratch.cached_ids.end(), ids->begin() + first, ids->end());
    }
  }
}

}  // namespace winnow::text
