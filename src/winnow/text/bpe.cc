#include "winnow/text/bpe.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <tuple>

#include <utf8proc.h>
#include <xxhash.h>

#include "winnow/text/utf8.h"

namespace winnow::text {

// The hand-written ASCII splitters (not in the anonymous namespace: BytePairEncoder::Step holds
// one).
enum class FastSplit { kNone, kR50k, kCl100k, kO200k };

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

// \p{N}{1,max} from p (a digit): the end, or 0 when a non-ASCII digit might continue the group.
size_t DigitGroup(std::string_view t, size_t p, size_t max_digits) {
  size_t e = p + 1;
  while (e < p + max_digits && ClassAt(t, e) == kDigit) ++e;
  if (e < p + max_digits && ClassAt(t, e) == kHigh) return 0;
  return e;
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

// cl100k_base (and Qwen 2 with \p{N}, max_digits 1):
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
size_t SplitCl100k(std::string_view t, size_t p, size_t max_digits) {
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
  if (c == kDigit) return DigitGroup(t, p, max_digits);
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

// o200k_base (and Mistral Nemo with \p{N}, max_digits 1):
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|...)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|...)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
size_t SplitO200k(std::string_view t, size_t p, size_t max_digits) {
  const uint8_t c = ClassAt(t, p);
  if (c == kHigh) return 0;
  if (c == kLetter) return LettersO200k(t, p);
  if (!(c & (kNewline | kDigit))) {  // [^\r\n\p{L}\p{N}] then a word?
    const uint8_t d = ClassAt(t, p + 1);
    if (d == kHigh) return 0;
    if (d == kLetter) return LettersO200k(t, p + 1);
  }
  if (c == kDigit) return DigitGroup(t, p, max_digits);
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

// One pre-tokenizer step, compiled.
struct BytePairEncoder::Step {
  bool cuts = false;  // has a pattern
  Regex regex;
  FastSplit fast = FastSplit::kNone;
  size_t max_digits = 3;
  bool add_prefix_space = false;
};

// Added tokens, found leftmost-longest as Hugging Face's aho-corasick (MatchKind::
// LeftmostLongest) finds them: at the first position where any token starts, the longest.
// Hand-written: a few hundred tokens that nearly all start with '<' or '[', so a first-byte
// table and a memcmp per candidate beat an automaton, and no packaged C++ library has one.
struct BytePairEncoder::AddedSet {
  std::vector<BpeDefinition::AddedToken> tokens;
  std::vector<uint32_t> by_first[256];  // token indexes by first byte, longest first
  bool first[256] = {};
  int single_first = -1;  // the one first byte every token has, or -1

  explicit AddedSet(std::vector<BpeDefinition::AddedToken> t) : tokens(std::move(t)) {
    for (uint32_t i = 0; i < tokens.size(); ++i) {
      const auto b = static_cast<unsigned char>(tokens[i].content[0]);
      by_first[b].push_back(i);
      first[b] = true;
    }
    for (int b = 0; b < 256; ++b) {
      if (first[b]) single_first = single_first == -1 ? b : -2;
    }
    if (single_first < 0) single_first = -1;
    for (auto& v : by_first) {
      std::stable_sort(v.begin(), v.end(), [&](uint32_t a, uint32_t b) {
        return tokens[a].content.size() > tokens[b].content.size();
      });
    }
  }

  // The first match at or after `pos`: its token index, and its start; SIZE_MAX: none.
  size_t Find(std::string_view text, size_t pos, size_t* start) const {
    for (size_t p = pos; p < text.size(); ++p) {
      if (single_first >= 0) {  // every token starts with one byte ('<'): memchr to it
        const void* at = std::memchr(text.data() + p, single_first, text.size() - p);
        if (at == nullptr) break;
        p = static_cast<size_t>(static_cast<const char*>(at) - text.data());
      }
      const auto b = static_cast<unsigned char>(text[p]);
      if (!first[b]) continue;
      for (uint32_t i : by_first[b]) {
        const std::string& t = tokens[i].content;
        if (text.size() - p >= t.size() && std::memcmp(text.data() + p, t.data(), t.size()) == 0) {
          *start = p;
          return i;
        }
      }
    }
    return SIZE_MAX;
  }

  // Cuts `text` at the added tokens as Hugging Face's AddedVocabulary::find_matches does:
  // single_word tokens only between non-word characters, lstrip/rstrip tokens take the
  // whitespace beside them. Calls text_fn(stretch) and token_fn(id) in order.
  template <typename TextFn, typename TokenFn>
  void Cut(std::string_view text, TextFn&& text_fn, TokenFn&& token_fn) const {
    size_t done = 0, pos = 0, begin = 0;
    while (pos < text.size()) {
      const size_t i = Find(text, pos, &begin);
      if (i == SIZE_MAX) break;
      const BpeDefinition::AddedToken& t = tokens[i];
      size_t end = begin + t.content.size();
      pos = end;
      if (t.single_word && (WordBefore(text, begin) || WordAfter(text, end))) continue;
      if (t.lstrip) {
        size_t s = begin;
        while (s > done) {
          size_t back = s - 1;
          while (back > 0 && IsUtf8Continuation(text[back])) --back;
          size_t len;
          if (!IsUnicodeSpace(DecodeAt(text, back, &len))) break;
          s = back;
        }
        begin = std::max(s, done);
      }
      if (t.rstrip) {
        size_t len;
        while (end < text.size() && IsUnicodeSpace(DecodeAt(text, end, &len))) end += len;
        pos = end;
      }
      if (begin < done) begin = done;
      if (done < begin) text_fn(text.substr(done, begin - done));
      token_fn(t.id);
      done = end;
    }
    if (done < text.size()) text_fn(text.substr(done));
  }

  // Rust regex's \w: alphabetic, marks, decimal digits, connector punctuation (and the
  // joiners); utf8proc's categories stand in for the Alphabetic property.
  static bool IsWord(char32_t c) {
    if (c < 0x80)
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (c == 0x200C || c == 0x200D) return true;
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
      case UTF8PROC_CATEGORY_LU:
      case UTF8PROC_CATEGORY_LL:
      case UTF8PROC_CATEGORY_LT:
      case UTF8PROC_CATEGORY_LM:
      case UTF8PROC_CATEGORY_LO:
      case UTF8PROC_CATEGORY_MN:
      case UTF8PROC_CATEGORY_MC:
      case UTF8PROC_CATEGORY_ME:
      case UTF8PROC_CATEGORY_ND:
      case UTF8PROC_CATEGORY_NL:
      case UTF8PROC_CATEGORY_PC:
        return true;
      default:
        return false;
    }
  }
  static bool WordBefore(std::string_view text, size_t at) {
    if (at == 0) return false;
    size_t back = at - 1;
    while (back > 0 && IsUtf8Continuation(text[back])) --back;
    size_t len;
    return IsWord(DecodeAt(text, back, &len));
  }
  static bool WordAfter(std::string_view text, size_t at) {
    size_t len;
    return at < text.size() && IsWord(DecodeAt(text, at, &len));
  }
};

namespace {

// The fast splitter for a pattern, if it is one of the built-in ones (or their single-digit
// variants).
std::pair<FastSplit, size_t> FastSplitFor(std::string_view pattern) {
  auto single_digit = [](std::string_view p) {
    std::string s(p);
    s.replace(s.find("\\p{N}{1,3}"), 10, "\\p{N}");
    return s;
  };
  if (pattern == kR50kPattern) return {FastSplit::kR50k, 0};
  if (pattern == kCl100kPattern) return {FastSplit::kCl100k, 3};
  if (pattern == kO200kPattern) return {FastSplit::kO200k, 3};
  if (pattern == single_digit(kCl100kPattern)) return {FastSplit::kCl100k, 1};
  if (pattern == single_digit(kO200kPattern)) return {FastSplit::kO200k, 1};
  return {FastSplit::kNone, 0};
}

std::string Nfc(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return std::string(s);  // not valid UTF-8: documents are, so unreachable
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

BpeScratch::BpeScratch() : hot(kHotPieces) {}
BpeScratch::~BpeScratch() = default;
BytePairEncoder::~BytePairEncoder() = default;

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

uint32_t RankTable::Find(std::string_view bytes) const {
  return Find(bytes, XXH3_64bits(bytes.data(), bytes.size()));
}

uint32_t BytePairEncoder::PairRank(uint32_t left, uint32_t right) const {
  const uint32_t pair[2] = {left, right};
  return pair_ranks_.Find(std::string_view(reinterpret_cast<const char*>(pair), sizeof(pair)));
}

Result<std::unique_ptr<BytePairEncoder>> BytePairEncoder::Build(BpeDefinition def) {
  std::unique_ptr<BytePairEncoder> e(new BytePairEncoder());
  e->name_ = std::move(def.name);
  for (const BpeDefinition::Split& s : def.splits) {
    Step step;
    step.add_prefix_space = s.add_prefix_space;
    if (!s.pattern.empty()) {
      step.cuts = true;
      WINNOW_ASSIGN_OR_RETURN(step.regex, Regex::FromPython(TiktokenPatternToPcre(s.pattern)));
      std::tie(step.fast, step.max_digits) = FastSplitFor(s.pattern);
    }
    e->steps_.push_back(std::move(step));
  }
  std::fill(std::begin(e->byte_rank_), std::end(e->byte_rank_), kNoRank);
  e->ranks_.Reserve(def.vocab.size());
  for (size_t id = 0; id < def.vocab.size(); ++id) {
    const std::string& bytes = def.vocab[id];
    if (bytes.empty()) continue;
    if (e->Rank(bytes) != kNoRank) {
      return Status::InvalidArgument("two tokens have the same bytes (ids " +
                                     std::to_string(e->Rank(bytes)) + " and " + std::to_string(id) +
                                     ")");
    }
    e->ranks_.Insert(bytes, static_cast<uint32_t>(id));
    if (bytes.size() == 1)
      e->byte_rank_[static_cast<unsigned char>(bytes[0])] = static_cast<uint32_t>(id);
  }
  for (int b = 0; b < 256; ++b) {
    if (e->byte_rank_[b] == kNoRank) {
      return Status::InvalidArgument("byte " + std::to_string(b) +
                                     " has no token (not a byte-level vocabulary)");
    }
  }
  e->by_pairs_ = !def.merges.empty();
  e->whole_piece_lookup_ = def.whole_piece_lookup || def.merges.empty();
  if (e->by_pairs_) {
    // A pair listed twice keeps its last rank, as tokenizers' map of merges does.
    FlatStringMap<uint32_t> last;
    auto key_of = [](const std::pair<uint32_t, uint32_t>& m, uint32_t(&pair)[2]) {
      pair[0] = m.first;
      pair[1] = m.second;
      return std::string_view(reinterpret_cast<const char*>(pair), sizeof(pair));
    };
    uint32_t pair[2];
    for (size_t r = 0; r < def.merges.size(); ++r) {
      last.Insert(key_of(def.merges[r], pair), static_cast<uint32_t>(r));
    }
    e->merge_into_.assign(def.merges.size(), kNoRank);
    e->pair_ranks_.Reserve(last.size());
    for (size_t r = 0; r < def.merges.size(); ++r) {
      const auto [left, right] = def.merges[r];
      if (left >= def.vocab.size() || right >= def.vocab.size() || def.vocab[left].empty() ||
          def.vocab[right].empty()) {
        return Status::InvalidArgument("merge " + std::to_string(r) + ": a part is not a token");
      }
      const uint32_t merged = e->Rank(def.vocab[left] + def.vocab[right]);
      if (merged == kNoRank) {
        return Status::InvalidArgument("merge " + std::to_string(r) + ": ids " +
                                       std::to_string(left) + " and " + std::to_string(right) +
                                       " do not make a token");
      }
      const std::string_view key = key_of(def.merges[r], pair);
      if (*last.Find(key) != r) continue;
      e->pair_ranks_.Insert(key, static_cast<uint32_t>(r));
      e->merge_into_[r] = merged;
    }
  }
  e->nfc_ = def.nfc;
  e->vocab_size_ = static_cast<uint32_t>(def.vocab.size());
  std::vector<BpeDefinition::AddedToken> raw, normalized;
  for (BpeDefinition::AddedToken& t : def.added) {
    if (t.content.empty()) continue;
    e->vocab_size_ = std::max(e->vocab_size_, t.id + 1);
    e->special_.emplace_back(t.content, t.id);
    if (t.normalized && def.nfc) t.content = Nfc(t.content);
    (t.normalized ? normalized : raw).push_back(std::move(t));
  }
  if (!raw.empty()) e->added_raw_ = std::make_unique<AddedSet>(std::move(raw));
  if (!normalized.empty()) e->added_normalized_ = std::make_unique<AddedSet>(std::move(normalized));
  for (auto& [token, id] : def.special) {
    e->vocab_size_ = std::max(e->vocab_size_, id + 1);
    e->special_.emplace_back(std::move(token), id);
  }
  e->default_eos_ = std::move(def.default_eos);
  // Decoding: each id's bytes (ids without a token are empty and rejected by Decode).
  std::vector<std::string_view> by_id(e->vocab_size_);
  for (size_t id = 0; id < def.vocab.size(); ++id) by_id[id] = def.vocab[id];
  for (const auto& [token, id] : e->special_) {
    if (by_id[id].empty()) by_id[id] = token;
  }
  e->token_offsets_.reserve(by_id.size() + 1);
  for (std::string_view b : by_id) {
    e->token_offsets_.push_back(static_cast<uint32_t>(e->token_bytes_.size()));
    e->token_bytes_ += b;
  }
  e->token_offsets_.push_back(static_cast<uint32_t>(e->token_bytes_.size()));
  return e;
}

Result<std::unique_ptr<BytePairEncoder>> BytePairEncoder::FromTiktoken(
    std::string_view ranks, const BpeEncoding& encoding) {
  BpeDefinition def;
  def.name = std::string(encoding.name);
  def.splits.push_back({std::string(encoding.pattern), false});
  def.default_eos = "<|endoftext|>";
  std::string bytes;
  RankTable seen;
  seen.Reserve(static_cast<size_t>(std::count(ranks.begin(), ranks.end(), '\n')) + 1);
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
    if (rank >= def.vocab.size()) def.vocab.resize(rank + 1);
    if (!def.vocab[rank].empty() || seen.Find(bytes) != kNoRank) {
      return Status::InvalidArgument("rank file: line " + std::to_string(line) +
                                     ": a token or rank given twice");
    }
    seen.Insert(bytes, static_cast<uint32_t>(rank));
    def.vocab[rank] = bytes;
  }
  for (const auto& [token, id] : encoding.special_tokens) def.special.emplace_back(token, id);
  Result<std::unique_ptr<BytePairEncoder>> e = Build(std::move(def));
  if (!e.ok()) return Status(e.status().code(), "rank file: " + std::string(e.status().message()));
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
  WINNOW_ASSIGN_OR_RETURN(std::string ranks, ReadTokenizerFile(path));
  Result<std::unique_ptr<BytePairEncoder>> e = FromTiktoken(ranks, *def);
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

namespace {

size_t FastSplitAt(FastSplit fast, size_t max_digits, std::string_view text, size_t pos) {
  switch (fast) {
    case FastSplit::kR50k:
      return SplitR50k(text, pos);
    case FastSplit::kCl100k:
      return SplitCl100k(text, pos, max_digits);
    case FastSplit::kO200k:
      return SplitO200k(text, pos, max_digits);
    case FastSplit::kNone:
      break;
  }
  return 0;
}

}  // namespace

size_t BytePairEncoder::SplitAscii(std::string_view text, size_t pos) const {
  if (steps_.empty() || !steps_[0].cuts) return 0;
  return FastSplitAt(steps_[0].fast, steps_[0].max_digits, text, pos);
}

size_t BytePairEncoder::SplitRegex(std::string_view text, size_t pos, BpeScratch& scratch) const {
  if (steps_.empty() || !steps_[0].cuts) return 0;
  size_t begin = 0, end = 0;
  if (!steps_[0].regex.Find(text, pos, /*anchored=*/true, scratch.regex, &begin, &end)) return 0;
  return end;
}

std::optional<uint32_t> BytePairEncoder::SpecialToken(std::string_view token) const {
  for (const auto& [t, id] : special_) {
    if (t == token) return id;
  }
  return std::nullopt;
}

namespace {

// The pair to merge next: the part with the lowest rank (the leftmost of equals), and that
// rank; UINT32_MAX when no part has one. parts[i].second is the rank of the pair starting at i.
std::pair<size_t, uint32_t> LowestPair(const std::vector<std::pair<uint32_t, uint32_t>>& parts) {
  uint32_t best = UINT32_MAX;
  size_t at = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].second < best) {
      best = parts[i].second;
      at = i;
    }
  }
  return {at, best};
}

}  // namespace

void BytePairEncoder::MergeByRank(std::string_view piece, BpeScratch& scratch,
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
    const auto [at, best] = LowestPair(parts);
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

void BytePairEncoder::MergeByPairs(std::string_view piece, BpeScratch& scratch,
                                   std::vector<uint32_t>* ids) const {
  // Hugging Face's BPE word merge: symbols start as the piece's bytes; the adjacent pair
  // earliest in the merges list (the leftmost of equals) becomes its merged token, until no
  // adjacent pair is a merge. parts[i] = (id, merge rank of (parts[i], parts[i + 1])).
  auto& parts = scratch.parts;
  parts.clear();
  for (char c : piece) parts.emplace_back(byte_rank_[static_cast<unsigned char>(c)], kNoRank);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    parts[i].second = PairRank(parts[i].first, parts[i + 1].first);
  }
  for (;;) {
    const auto [at, best] = LowestPair(parts);
    if (best == kNoRank) break;
    parts[at].first = merge_into_[best];
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    parts[at].second =
        at + 1 < parts.size() ? PairRank(parts[at].first, parts[at + 1].first) : kNoRank;
    if (at > 0) parts[at - 1].second = PairRank(parts[at - 1].first, parts[at].first);
  }
  for (const auto& p : parts) ids->push_back(p.first);
}

[[gnu::always_inline]] inline void BytePairEncoder::EncodePiece(std::string_view piece,
                                                                BpeScratch& scratch,
                                                                std::vector<uint32_t>* ids) const {
  constexpr size_t kCacheEntries = 1 << 16;
  constexpr size_t kCachedPieceBytes = 64;
  if (piece.size() == 1) {
    ids->push_back(byte_rank_[static_cast<unsigned char>(piece[0])]);
    return;
  }
  const uint64_t hash = XXH3_64bits(piece.data(), piece.size());
  BpeScratch::HotPiece* hot = nullptr;
  if (piece.size() <= sizeof(BpeScratch::HotPiece::bytes)) {
    hot = &scratch.hot[hash & (BpeScratch::kHotPieces - 1)];
    if (hot->size == piece.size() && std::memcmp(hot->bytes, piece.data(), piece.size()) == 0) {
      ids->push_back(hot->id);
      return;
    }
  }
  auto remember_hot = [&](uint32_t id) {
    if (hot == nullptr) return;
    std::memcpy(hot->bytes, piece.data(), piece.size());
    hot->size = static_cast<uint32_t>(piece.size());
    hot->id = id;
  };
  if (whole_piece_lookup_) {
    if (const uint32_t r = ranks_.Find(piece, hash); r != kNoRank) {
      ids->push_back(r);
      remember_hot(r);
      return;
    }
  }
  if (piece.size() <= kCachedPieceBytes) {
    if (const auto* hit = scratch.cache.Find(piece)) {
      ids->insert(ids->end(), scratch.cached_ids.begin() + hit->first,
                  scratch.cached_ids.begin() + hit->first + hit->second);
      return;
    }
  }
  const size_t first = ids->size();
  if (by_pairs_) {
    MergeByPairs(piece, scratch, ids);
  } else {
    MergeByRank(piece, scratch, ids);
  }
  if (ids->size() == first + 1) {
    remember_hot(ids->back());
    return;
  }
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

void BytePairEncoder::CutAndEncode(const Step& step, std::string_view text, BpeScratch& scratch,
                                   std::vector<uint32_t>* ids) const {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t begin = pos;
    size_t end =
        step.fast == FastSplit::kNone ? 0 : FastSplitAt(step.fast, step.max_digits, text, pos);
    if (end == 0 && (!step.regex.Find(text, pos, /*anchored=*/false, scratch.regex, &begin, &end) ||
                     end == begin)) {
      begin = end = text.size();  // no match (or the match limit): the rest is one piece
    }
    // Hugging Face's Split keeps the text between matches as pieces; tiktoken's patterns cover
    // every character, so there a gap only follows an abandoned match.
    if (begin > pos) EncodePiece(text.substr(pos, begin - pos), scratch, ids);
    if (end == begin) break;
    EncodePiece(text.substr(begin, end - begin), scratch, ids);
    pos = end;
  }
}

void BytePairEncoder::PreTokenize(size_t level, std::string_view text, BpeScratch& scratch,
                                  std::vector<uint32_t>* ids) const {
  if (level == steps_.size()) {
    EncodePiece(text, scratch, ids);
    return;
  }
  const Step& step = steps_[level];
  if (step.add_prefix_space && text[0] != ' ') {
    if (scratch.prefixed.size() < steps_.size()) scratch.prefixed.resize(steps_.size());
    std::string& buffer = scratch.prefixed[level];
    buffer.assign(1, ' ');
    buffer.append(text);
    text = buffer;
  }
  if (!step.cuts) {
    PreTokenize(level + 1, text, scratch, ids);
    return;
  }
  if (level + 1 == steps_.size()) {
    // The last step (tiktoken's only one) cuts in a loop of its own, not recursive, where
    // EncodePiece inlines: GCC kept it (and vector::push_back) out of line in the recursive
    // function, which cost 10-15% (text_bench).
    CutAndEncode(step, text, scratch, ids);
    return;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t begin = pos;
    size_t end =
        step.fast == FastSplit::kNone ? 0 : FastSplitAt(step.fast, step.max_digits, text, pos);
    if (end == 0 && (!step.regex.Find(text, pos, /*anchored=*/false, scratch.regex, &begin, &end) ||
                     end == begin)) {
      begin = end = text.size();
    }
    if (begin > pos) PreTokenize(level + 1, text.substr(pos, begin - pos), scratch, ids);
    if (end == begin) break;
    PreTokenize(level + 1, text.substr(begin, end - begin), scratch, ids);
    pos = end;
  }
}

void BytePairEncoder::EncodeText(std::string_view text, BpeScratch& scratch,
                                 std::vector<uint32_t>* ids) const {
  if (text.empty()) return;
  if (!nfc_ || IsAscii(text)) {
    if (added_normalized_ == nullptr) {
      PreTokenize(0, text, scratch, ids);
    } else {
      added_normalized_->Cut(
          text, [&](std::string_view t) { PreTokenize(0, t, scratch, ids); },
          [&](uint32_t id) { ids->push_back(id); });
    }
    return;
  }
  // PreTokenize never touches scratch.normalized, so the pieces may point into it.
  scratch.normalized = Nfc(text);
  const std::string_view n = scratch.normalized;
  if (added_normalized_ == nullptr) {
    PreTokenize(0, n, scratch, ids);
  } else {
    added_normalized_->Cut(
        n, [&](std::string_view t) { PreTokenize(0, t, scratch, ids); },
        [&](uint32_t id) { ids->push_back(id); });
  }
}

void BytePairEncoder::Encode(std::string_view text, BpeScratch& scratch,
                             std::vector<uint32_t>* ids) const {
  if (added_raw_ == nullptr) {
    EncodeText(text, scratch, ids);
    return;
  }
  added_raw_->Cut(
      text, [&](std::string_view t) { EncodeText(t, scratch, ids); },
      [&](uint32_t id) { ids->push_back(id); });
}

}  // namespace winnow::text
