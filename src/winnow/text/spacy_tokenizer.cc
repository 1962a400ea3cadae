#include "winnow/text/spacy_tokenizer.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include "winnow/text/flat_string_map.h"
#include "winnow/text/py_str.h"
#include "winnow/text/utf8.h"
#include "winnow/text/word_break.h"

namespace winnow::embedded {
std::string_view SpacyEnTokenizerRules();
}  // namespace winnow::embedded

namespace winnow::text {
namespace {

// A bounded suffix alternative matches at most this many code points; only `\.\.+$` is
// unbounded (see FindSuffix).
constexpr int kMaxBoundedSuffixChars = 16;
// The prefix pattern decides on this many leading code points (see FindPrefix).
constexpr int kMaxPrefixContextChars = 8;
// Spans longer than this are not memoised (they rarely repeat and would bloat the memo).
constexpr size_t kMaxMemoSpanBytes = 256;
constexpr size_t kMaxMemoEntries = 1 << 18;

// Byte classes for the scan that cuts text into spans.
enum : uint8_t {
  kLetter = 1,     // ASCII letter
  kDigit = 2,      // ASCII digit
  kSpace = 4,      // ASCII whitespace (Python's isspace)
  kMaybeSpace = 8  // lead byte of a possible multi-byte whitespace code point
};

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c : {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20}) t[c] = kSpace;
  for (int c : {0xC2, 0xE1, 0xE2, 0xE3}) t[c] = kMaybeSpace;
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// Bytes of the whitespace code point at s[i] (Python's isspace), or 0.
inline size_t WhitespaceAt(std::string_view s, size_t i) {
  uint8_t c = kByteClass[static_cast<unsigned char>(s[i])];
  if (c & kSpace) return 1;
  if (c & kMaybeSpace) return SpaceLengthAt(s, i);
  return 0;
}

// A 64 Kbit set of cheap hashes of short strings: rejects most non-members of a small
// string set in L1, before the real hash lookup.
class StringFilter {
 public:
  void Add(std::string_view s) {
    uint32_t b = Bit(s);
    bits_[b >> 6] |= uint64_t{1} << (b & 63);
  }
  bool MayContain(std::string_view s) const {
    uint32_t b = Bit(s);
    return (bits_[b >> 6] & (uint64_t{1} << (b & 63))) != 0;
  }

 private:
  // REQUIRES: !s.empty().
  static uint32_t Bit(std::string_view s) {
    auto at = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
    uint32_t h = static_cast<uint32_t>(s.size()) * 0x9E3779B1u;
    h ^= at(0) * 0x85EBCA77u;
    h ^= at(s.size() - 1) * 0xC2B2AE3Du;
    h ^= at(s.size() / 2) * 0x27D4EB2Fu;
    h ^= h >> 15;
    return h & 0xFFFF;
  }
  std::array<uint64_t, 1024> bits_{};
};

// Byte offset of the code point that starts `back` code points before `end`.
size_t BackCodePoints(std::string_view s, size_t end, int back) {
  size_t p = end;
  while (back > 0 && p > 0) {
    --p;
    while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
    --back;
  }
  return p;
}

}  // namespace

struct SpacyTokenizer::Rules {
  Regex prefix, suffix, infix, url;
  FlatStringMap<std::vector<uint32_t>> specials;  // key -> piece lengths in bytes
  size_t max_special_bytes = 0;
  // Matcher patterns of two or more tokens, by their first token.
  FlatStringMap<std::vector<std::vector<std::string>>> patterns;
  std::unordered_set<char32_t> punct_chars;  // the sentencizer's
  bool ascii_punct[128] = {};                // unicodedata.category(c).startswith("P")
  // Prefilters that reject most lookups before hashing: the special-case keys and the matcher
  // patterns' first tokens as StringFilters, and the first bytes of their first two tokens.
  StringFilter special_filter, pattern_first_filter;
  // The special-case keys made of ASCII letters and digits alone (AlnumSpecial).
  StringFilter alnum_special_filter;
  size_t max_alnum_special_bytes = 0;
  // The (first byte of the first token, first byte of the second) pairs of the patterns, a
  // bit each: most neighbouring tokens ("the" "cat") start no pattern.
  std::array<uint64_t, 1024> first_byte_pairs{};
  bool StartsPair(unsigned char a, unsigned char b) const {
    const unsigned pair = a << 8 | b;
    return (first_byte_pairs[pair >> 6] >> (pair & 63)) & 1;
  }
  // Some matcher pattern is made of ASCII letters and digits only: then PlainWords() cannot
  // skip the matcher pass (spaCy 3.8's English rules have none).
  bool alnum_pattern = false;
  // ASCII marks that the rules split off a run of ASCII letters as a suffix ("word," is
  // "word" ","): closing_mark[m] is 1 after any letter, 2 after a lowercase letter only
  // ("word." but "USA." and "A." differ). Found by probing the rules (ProbeMarks).
  uint8_t closing_mark[128] = {};
  // ASCII marks the rules split off as a prefix before a run of letters ("(word", "\"Word").
  bool opening_mark[128] = {};

  const std::vector<uint32_t>* Special(std::string_view s) const {
    if (s.empty() || s.size() > max_special_bytes || !special_filter.MayContain(s)) return nullptr;
    return specials.Find(s);
  }
  // Special() for a non-empty span of ASCII letters and digits, the commonest, filtered by the
  // special cases of that shape alone (186 of spaCy's 1,347, at most 10 bytes: "dont", "2pm").
  const std::vector<uint32_t>* AlnumSpecial(std::string_view s) const {
    if (s.empty() || s.size() > max_alnum_special_bytes || !alnum_special_filter.MayContain(s))
      return nullptr;
    return specials.Find(s);
  }

  bool IsPunctToken(std::string_view t) const {
    size_t i = 0;
    while (i < t.size()) {
      unsigned char c = static_cast<unsigned char>(t[i]);
      if (c < 0x80) {
        if (!ascii_punct[c]) return false;
        ++i;
        continue;
      }
      size_t len = 0;
      if (!IsPunctuationCategory(DecodeAt(t, i, &len))) return false;
      i += len;
    }
    return true;
  }

  bool ascii_punct_char[128] = {};  // punct_chars restricted to ASCII

  bool IsPunctChar(std::string_view t) const {
    if (t.size() == 1) {
      unsigned char c = static_cast<unsigned char>(t[0]);
      return c < 0x80 && ascii_punct_char[c];
    }
    if (t.empty() || t.size() > 4 || static_cast<unsigned char>(t[0]) < 0x80) return false;
    size_t len = 0;
    char32_t cp = DecodeAt(t, 0, &len);
    return len == t.size() && punct_chars.count(cp) > 0;
  }
};

struct TokenizerScratch::Memo {
  FlatStringMap<std::vector<std::pair<uint32_t, uint32_t>>> spans;
  // Affix search results by the context that decides them (see FindSuffix / FindPrefix).
  FlatStringMap<uint32_t> suffixes, prefixes;
  // Special-case matcher pass.
  struct Match {
    uint32_t start, end;
  };
  std::vector<Match> matches, kept;
  std::vector<uint8_t> seen;  // per token; all zero between calls
  std::vector<Token> result;
};

TokenizerScratch::TokenizerScratch() : memo_(std::make_unique<Memo>()) {}
TokenizerScratch::~TokenizerScratch() = default;

WordBreaker& TokenizerScratch::word_breaker() {
  if (word_breaker_ == nullptr) word_breaker_ = std::make_unique<WordBreaker>();
  return *word_breaker_;
}

SpacyTokenizer::SpacyTokenizer(std::unique_ptr<Rules> rules) : rules_(std::move(rules)) {}
SpacyTokenizer::~SpacyTokenizer() = default;

std::string_view SpacyTokenizer::EnglishRulesJson() { return embedded::SpacyEnTokenizerRules(); }

Result<std::unique_ptr<SpacyTokenizer>> SpacyTokenizer::FromRulesJson(std::string_view json,
                                                                      bool mark_fast_paths) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(root)) {
    return Status::InvalidArgument(std::string("tokenizer rules: ") + simdjson::error_message(err));
  }
  auto rules = std::make_unique<Rules>();
  auto bad = [](std::string_view what) {
    return Status::InvalidArgument("tokenizer rules: bad or missing " + std::string(what));
  };
  struct {
    const char* key;
    Regex* regex;
  } patterns[] = {{"prefix_search", &rules->prefix},
                  {"suffix_search", &rules->suffix},
                  {"infix_finditer", &rules->infix},
                  {"url_match", &rules->url}};
  for (auto& p : patterns) {
    std::string_view pattern;
    if (root[p.key].get(pattern)) return bad(p.key);
    Result<Regex> r = Regex::FromPython(pattern);
    if (!r.ok()) return r.status().WithContext(std::string("tokenizer rules: ") + p.key);
    *p.regex = std::move(r).value();
  }
  dom::object specials;
  if (root["special_cases"].get(specials)) return bad("special_cases");
  for (auto [key, value] : specials) {
    dom::array pieces;
    if (value.get(pieces)) return bad("special_cases");
    std::vector<uint32_t> lengths;
    size_t total = 0;
    for (dom::element piece : pieces) {
      std::string_view orth;
      if (piece.get(orth)) return bad("special_cases");
      lengths.push_back(static_cast<uint32_t>(orth.size()));
      total += orth.size();
    }
    if (total != key.size()) return bad("special_cases (pieces must spell the key)");
    rules->max_special_bytes = std::max(rules->max_special_bytes, key.size());
    if (!key.empty()) rules->special_filter.Add(key);
    if (!key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
          return (kByteClass[static_cast<unsigned char>(c)] & (kLetter | kDigit)) != 0;
        })) {
      rules->alnum_special_filter.Add(key);
      rules->max_alnum_special_bytes = std::max(rules->max_alnum_special_bytes, key.size());
    }
    rules->specials.Insert(key, std::move(lengths));
  }
  dom::array matcher;
  if (root["matcher_patterns"].get(matcher)) return bad("matcher_patterns");
  for (dom::element entry : matcher) {
    dom::array pair, tokens;
    if (entry.get(pair) || pair.at(0).get(tokens)) return bad("matcher_patterns");
    std::vector<std::string> seq;
    for (dom::element t : tokens) {
      std::string_view s;
      if (t.get(s)) return bad("matcher_patterns");
      seq.emplace_back(s);
    }
    // One-token patterns replace a token by itself: they change nothing, and being the
    // shortest they never block a longer match in the filtering either.
    if (seq.size() < 2) continue;
    if (seq[0].empty() || seq[1].empty()) return bad("matcher_patterns (empty token)");
    rules->pattern_first_filter.Add(seq[0]);
    const unsigned bytes =
        static_cast<unsigned char>(seq[0][0]) << 8 | static_cast<unsigned char>(seq[1][0]);
    rules->first_byte_pairs[bytes >> 6] |= uint64_t{1} << (bytes & 63);
    bool alnum = true;
    for (const std::string& t : seq) {
      for (char c : t)
        alnum = alnum && (kByteClass[static_cast<unsigned char>(c)] & (kLetter | kDigit));
    }
    rules->alnum_pattern = rules->alnum_pattern || alnum;
    std::string first = seq[0];
    if (auto* list = rules->patterns.FindMutable(first)) {
      list->push_back(std::move(seq));
    } else {
      rules->patterns.Insert(first, {std::move(seq)});
    }
  }
  dom::array punct;
  if (root["sentencizer_punct_chars"].get(punct)) return bad("sentencizer_punct_chars");
  for (dom::element p : punct) {
    std::string_view s;
    if (p.get(s) || s.empty()) return bad("sentencizer_punct_chars");
    size_t len = 0;
    char32_t cp = DecodeAt(s, 0, &len);
    rules->punct_chars.insert(cp);
    if (cp < 0x80) rules->ascii_punct_char[cp] = true;
  }
  for (int c = 0; c < 128; ++c)
    rules->ascii_punct[c] = IsPunctuationCategory(static_cast<char32_t>(c));
  auto tokenizer = std::unique_ptr<SpacyTokenizer>(new SpacyTokenizer(std::move(rules)));
  if (mark_fast_paths) tokenizer->ProbeMarks();
  return tokenizer;
}

// Which ASCII marks TokenizeSpan() may split off a run of letters without the rule engine.
// In spaCy's English rules these marks are suffixes (prefixes) alone, after a lookbehind of
// at most two code points ("." after a lowercase letter, or after two capitals), or before a
// lookahead of at most one; and no prefix, suffix, infix or URL rule applies to letters. So
// a closing mark the rules split after every letter pair and single letter probed here
// ("xa,", "Xa,", ... "xZ,", "a,") is split after any run of letters ("." only after
// lowercase letters), and an opening mark split before every letter and letter pair ("(a",
// "(ax", ... "(ZX") is split before any run. A rules file that splits a mark otherwise
// leaves it to the engine. (The assumption is checked on real text: the reference test
// ClosingMarkFastPathEqualsTheRules compares the two on every document of the corpus.)
void SpacyTokenizer::ProbeMarks() {
  TokenizerScratch scratch;
  std::vector<std::pair<uint32_t, uint32_t>> pieces;
  // True when the rules cut `span` into [0, at) and [at, end), or it is a special case
  // (which TokenizeSpan() looks up before any fast path).
  auto cuts_at = [&](const std::string& span, uint32_t at) {
    if (rules_->Special(span) != nullptr) return true;
    TokenizeSpanUncached(span, scratch, &pieces);
    const auto n = static_cast<uint32_t>(span.size());
    return pieces.size() == 2 && pieces[0] == std::pair<uint32_t, uint32_t>{0, at} &&
           pieces[1] == std::pair<uint32_t, uint32_t>{at, n};
  };
  auto letter = [](int c) { return static_cast<char>(c < 26 ? 'a' + c : 'A' + c - 26); };
  for (char mark : {',', ';', ':', '!', '?', '.', ')', ']', '"'}) {
    bool any_letter = true, lowercase = true;
    for (char first : {'\0', 'x', 'X'}) {
      for (int c = 0; c < 52; ++c) {
        std::string span;
        if (first != '\0') span += first;
        span += letter(c);
        span += mark;
        const bool ok = cuts_at(span, static_cast<uint32_t>(span.size() - 1));
        any_letter = any_letter && ok;
        if (c < 26) lowercase = lowercase && ok;
      }
    }
    rules_->closing_mark[static_cast<unsigned char>(mark)] = any_letter ? 1 : lowercase ? 2 : 0;
  }
  // A prefix pattern looks at most one code point past its match.
  for (char mark : {'(', '[', '"'}) {
    bool ok = true;
    for (char second : {'\0', 'x', 'X'}) {
      for (int c = 0; c < 52 && ok; ++c) {
        std::string span(1, mark);
        span += letter(c);
        if (second != '\0') span += second;
        ok = cuts_at(span, 1);
      }
    }
    rules_->opening_mark[static_cast<unsigned char>(mark)] = ok;
  }
}

const SpacyTokenizer& SpacyTokenizer::English() {
  static const SpacyTokenizer* english = [] {
    Result<std::unique_ptr<SpacyTokenizer>> t = FromRulesJson(embedded::SpacyEnTokenizerRules());
    WINNOW_CHECK(t.ok());  // the rules are built into the binary: failing to load them is a bug
    return std::move(t).value().release();
  }();
  return *english;
}

namespace {

// spaCy's find_suffix(t): the length of the leftmost match of the suffix pattern (every
// alternative of which ends in `$`). A match starting at p ends at t's end, so it is either a
// bounded alternative (p among the last kMaxBoundedSuffixChars code points) or `\.\.+$` (p at
// the start of the trailing run of dots). Python searches from position 0, which is quadratic
// over the affix loop on a long span; starting the search at the first position that can
// match finds the same leftmost match. Lookbehind still sees the bytes before the start.
size_t FindSuffix(const Regex& suffix, std::string_view t, RegexScratch& scratch,
                  FlatStringMap<uint32_t>& cache) {
  if (t.empty()) return 0;
  size_t dots = t.size();
  while (dots > 0 && t[dots - 1] == '.') --dots;
  size_t window = BackCodePoints(t, t.size(), kMaxBoundedSuffixChars);
  size_t from = (t.size() - dots >= 2 && dots < window) ? dots : window;
  // The answer depends only on the bytes from `from` to the end and the two code points before
  // `from` (the longest lookbehind): long runs like "=======" ask the same question again and
  // again as the affix loop peels them, so answers are memoised by that context.
  size_t context = BackCodePoints(t, from, 2);
  std::string_view key = t.substr(context);
  if (key.size() <= 96) {
    if (const uint32_t* hit = cache.Find(key)) return *hit;
  }
  size_t b = 0, e = 0;
  size_t result =
      suffix.Find(t.substr(context), from - context, false, scratch, &b, &e) ? e - b : 0;
  if (key.size() <= 96) {
    if (cache.size() >= kMaxMemoEntries) cache.Clear();
    cache.Insert(key, static_cast<uint32_t>(result));
  }
  return result;
}

// spaCy's find_prefix(t): the prefix pattern anchored at the start. Every alternative is a
// short literal or class (at most 3 code points, one of lookahead) except `^\.\.+`, so the
// answer depends on a leading run of dots or on the first 4 code points: memoised by those.
size_t FindPrefix(const Regex& prefix, std::string_view t, RegexScratch& scratch,
                  FlatStringMap<uint32_t>& cache) {
  size_t dots = 0;
  while (dots < t.size() && t[dots] == '.') ++dots;
  size_t b = 0, e = 0;
  if (dots >= 2) return prefix.Find(t, 0, true, scratch, &b, &e) ? e - b : 0;
  size_t end = 0;
  for (int k = 0; k < kMaxPrefixContextChars && end < t.size(); ++k) {
    size_t len = 0;
    DecodeAt(t, end, &len);
    end += len;
  }
  std::string_view key = t.substr(0, end);
  // A key shorter than the context window is the whole string: the `$`-free prefix pattern
  // then sees exactly the same subject.
  if (const uint32_t* hit = cache.Find(key)) return *hit;
  size_t result = prefix.Find(key, 0, true, scratch, &b, &e) ? e - b : 0;
  if (cache.size() >= kMaxMemoEntries) cache.Clear();
  cache.Insert(key, static_cast<uint32_t>(result));
  return result;
}

}  // namespace

void SpacyTokenizer::TokenizeSpanUncached(
    std::string_view s, TokenizerScratch& scratch,
    std::vector<std::pair<uint32_t, uint32_t>>* pieces) const {
  const Rules& r = *rules_;
  RegexScratch& rx = scratch.regex_;
  pieces->clear();
  std::vector<std::pair<uint32_t, uint32_t>> suffixes;
  size_t lo = 0, hi = s.size();
  size_t last_size = SIZE_MAX;
  auto push_special = [&](size_t at, const std::vector<uint32_t>& lengths) {
    for (uint32_t len : lengths) {
      pieces->emplace_back(static_cast<uint32_t>(at), static_cast<uint32_t>(at + len));
      at += len;
    }
  };
  // _split_affixes
  while (hi > lo && hi - lo != last_size) {
    std::string_view cur = s.substr(lo, hi - lo);
    if (r.Special(cur) != nullptr) break;
    last_size = cur.size();
    size_t pre_len = FindPrefix(r.prefix, cur, rx, scratch.memo_->prefixes);
    if (pre_len != 0 && pre_len < cur.size() && r.Special(cur.substr(pre_len)) != nullptr) {
      pieces->emplace_back(lo, lo + pre_len);
      lo += pre_len;
      break;
    }
    size_t suf_len = FindSuffix(r.suffix, cur.substr(pre_len), rx, scratch.memo_->suffixes);
    if (suf_len != 0 && suf_len < cur.size() &&
        r.Special(cur.substr(0, cur.size() - suf_len)) != nullptr) {
      suffixes.emplace_back(hi - suf_len, hi);
      hi -= suf_len;
      break;
    }
    if (pre_len != 0 && suf_len != 0 && pre_len + suf_len <= cur.size()) {
      pieces->emplace_back(lo, lo + pre_len);
      suffixes.emplace_back(hi - suf_len, hi);
      lo += pre_len;
      hi -= suf_len;
    } else if (pre_len != 0) {
      pieces->emplace_back(lo, lo + pre_len);
      lo += pre_len;
    } else if (suf_len != 0) {
      suffixes.emplace_back(hi - suf_len, hi);
      hi -= suf_len;
    }
  }
  // _attach_tokens
  if (hi > lo) {
    std::string_view cur = s.substr(lo, hi - lo);
    size_t b = 0, e = 0;
    if (const std::vector<uint32_t>* special = r.Special(cur)) {
      push_special(lo, *special);
    } else if (r.url.Find(cur, 0, true, rx, &b, &e) && e == cur.size()) {
      pieces->emplace_back(lo, hi);
    } else {
      size_t start = 0;  // in cur
      size_t pos = 0;
      bool any = false;
      while (pos <= cur.size() && r.infix.Find(cur, pos, false, rx, &b, &e)) {
        any = true;
        if (b != 0) {  // spaCy skips an infix at the very start of the string
          if (b != start) pieces->emplace_back(lo + start, lo + b);
          if (b != e) pieces->emplace_back(lo + b, lo + e);
          start = e;
        }
        if (e > b) {
          pos = e;
        } else {
          if (e >= cur.size()) break;
          size_t len = 0;
          DecodeAt(cur, e, &len);
          pos = e + len;
        }
      }
      if (!any) {
        pieces->emplace_back(lo, hi);
      } else if (start < cur.size()) {
        pieces->emplace_back(lo + start, hi);
      }
    }
  }
  for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it) pieces->push_back(*it);
}

void SpacyTokenizer::TokenizeSpan(std::string_view span, uint32_t offset, uint8_t classes,
                                  TokenizerScratch& scratch, std::vector<Token>* out) const {
  const Rules& r = *rules_;
  auto emit = [&](uint32_t b, uint32_t e) {
    Token t;
    t.begin = offset + b;
    t.end = offset + e;
    out->push_back(t);
  };
  // span[b, e): a special case's pieces, or one token when `special` is null.
  auto emit_pieces = [&](uint32_t b, uint32_t e, const std::vector<uint32_t>* special) {
    if (special == nullptr) return emit(b, e);
    for (uint32_t len : *special) {
      emit(b, b + len);
      b += len;
    }
  };
  const bool run = classes == kLetter || classes == kDigit;
  if (const std::vector<uint32_t>* special = run ? r.AlnumSpecial(span) : r.Special(span)) {
    emit_pieces(0, static_cast<uint32_t>(span.size()), special);
    return;
  }
  // No prefix, suffix, infix or URL rule can split a run of ASCII letters or of ASCII digits.
  if (run) {
    emit(0, static_cast<uint32_t>(span.size()));
    return;
  }
  // A run of letters after an opening mark ("(word"): the mark, then the letters (whole, or
  // a special case's pieces: the affix loop stops at one).
  if (const size_t n = span.size(); n >= 2) {
    const auto mark = static_cast<unsigned char>(span[0]);
    if (mark < 0x80 && r.opening_mark[mark]) {
      size_t k = 1;
      while (k < n && (kByteClass[static_cast<unsigned char>(span[k])] & kLetter)) ++k;
      if (k == n) {
        emit(0, 1);
        emit_pieces(1, static_cast<uint32_t>(n), r.AlnumSpecial(span.substr(1)));
        return;
      }
    }
  }
  // A run of letters and a closing mark, the commonest other span: the letters (whole, or a
  // special case's pieces: the affix loop stops at one) and the mark.
  if (const size_t n = span.size(); n >= 2) {
    const auto mark = static_cast<unsigned char>(span[n - 1]);
    const auto before = static_cast<unsigned char>(span[n - 2]);
    const uint8_t rule = mark < 0x80 ? r.closing_mark[mark] : 0;
    if (rule == 1 ? (kByteClass[before] & kLetter) != 0
                  : rule == 2 && before >= 'a' && before <= 'z') {
      size_t k = 0;
      while (k + 1 < n && (kByteClass[static_cast<unsigned char>(span[k])] & kLetter)) ++k;
      if (k + 1 == n) {
        emit_pieces(0, static_cast<uint32_t>(k), r.AlnumSpecial(span.substr(0, k)));
        emit(static_cast<uint32_t>(k), static_cast<uint32_t>(n));
        return;
      }
    }
  }
  auto& memo = scratch.memo_->spans;
  bool memoise = span.size() <= kMaxMemoSpanBytes;
  if (memoise) {
    if (const auto* pieces = memo.Find(span)) {
      for (auto [b, e] : *pieces) emit(b, e);
      return;
    }
  }
  TokenizeSpanUncached(span, scratch, &scratch.pieces_);
  for (auto [b, e] : scratch.pieces_) emit(b, e);
  if (memoise) {
    if (memo.size() >= kMaxMemoEntries) memo.Clear();
    memo.Insert(span, scratch.pieces_);
  }
}

void SpacyTokenizer::ApplySpecialMatcher(std::string_view text, TokenizerScratch& scratch,
                                         std::vector<Token>* tokens) const {
  const Rules& r = *rules_;
  std::vector<Token>& toks = *tokens;
  using Match = TokenizerScratch::Memo::Match;
  std::vector<Match>& matches = scratch.memo_->matches;
  matches.clear();
  for (size_t i = 0; i + 1 < toks.size(); ++i) {
    if (toks[i].is_space || toks[i + 1].is_space) continue;
    if (!r.StartsPair(static_cast<unsigned char>(text[toks[i].begin]),
                      static_cast<unsigned char>(text[toks[i + 1].begin])))
      continue;
    if (!r.pattern_first_filter.MayContain(toks[i].In(text))) continue;
    const auto* candidates = r.patterns.Find(toks[i].In(text));
    if (candidates == nullptr) continue;
    for (const std::vector<std::string>& pattern : *candidates) {
      if (i + pattern.size() > toks.size()) continue;
      bool ok = true;
      for (size_t j = 1; j < pattern.size() && ok; ++j) ok = toks[i + j].In(text) == pattern[j];
      if (ok)
        matches.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + pattern.size())});
    }
  }
  if (matches.empty()) return;
  // spaCy's _filter_special_spans: longest first (then leftmost); a span is kept when neither
  // its first nor its last token was seen, and every span, kept or not, marks its tokens seen.
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    uint32_t la = a.end - a.start, lb = b.end - b.start;
    if (la != lb) return la > lb;
    return a.start < b.start;
  });
  std::vector<uint8_t>& seen = scratch.memo_->seen;
  if (seen.size() < toks.size()) seen.resize(toks.size(), 0);
  std::vector<Match>& kept = scratch.memo_->kept;
  kept.clear();
  for (const Match& m : matches) {
    if (!seen[m.start] && !seen[m.end - 1]) kept.push_back(m);
    for (uint32_t t = m.start; t < m.end; ++t) seen[t] = 1;
  }
  for (const Match& m : matches) {
    for (uint32_t t = m.start; t < m.end; ++t) seen[t] = 0;
  }
  // A kept span whose text (with its inner spaces) is a special case becomes the special
  // case's tokens; otherwise its tokens stay.
  bool changed = false;
  for (const Match& m : kept) {
    uint32_t begin = toks[m.start].begin, end = toks[m.end - 1].end;
    changed |= r.Special(text.substr(begin, end - begin)) != nullptr;
  }
  if (!changed) return;
  std::sort(kept.begin(), kept.end(),
            [](const Match& a, const Match& b) { return a.start < b.start; });
  std::vector<Token>& result = scratch.memo_->result;
  result.clear();
  size_t k = 0;
  for (size_t i = 0; i < toks.size();) {
    if (k < kept.size() && kept[k].start == i) {
      const Match& m = kept[k++];
      uint32_t begin = toks[m.start].begin, end = toks[m.end - 1].end;
      const std::vector<uint32_t>* special = r.Special(text.substr(begin, end - begin));
      if (special == nullptr) {
        for (uint32_t t = m.start; t < m.end; ++t) result.push_back(toks[t]);
      } else {
        uint32_t at = begin;
        for (uint32_t len : *special) {
          Token t;
          t.begin = at;
          t.end = at + len;
          result.push_back(t);
          at += len;
        }
        result.back().space_after = toks[m.end - 1].space_after;
      }
      i = m.end;
      continue;
    }
    result.push_back(toks[i++]);
  }
  toks.swap(result);
}

void SpacyTokenizer::Tokenize(std::string_view text, TokenizerScratch& scratch,
                              std::vector<Token>* out) const {
  // spaCy's loop, run by runs: a run of non-whitespace is a span to tokenize; after it, one
  // ' ' is absorbed as the token's trailing space and any other whitespace up to the next
  // span becomes a whitespace token (leading whitespace is a whitespace token whole).
  out->clear();
  const size_t n = text.size();
  auto whitespace_token = [&](size_t b, size_t e) {
    Token t;
    t.begin = static_cast<uint32_t>(b);
    t.end = static_cast<uint32_t>(e);
    t.is_space = true;
    out->push_back(t);
  };
  auto skip_whitespace = [&](size_t i) {
    for (size_t len; i < n && (len = WhitespaceAt(text, i)) != 0;) i += len;
    return i;
  };
  size_t i = skip_whitespace(0);
  if (i > 0) whitespace_token(0, i);
  while (i < n) {
    // The span: up to the next whitespace code point, noting which byte classes it holds.
    size_t j = i;
    uint8_t all = kLetter | kDigit;  // AND of the span's classes: kLetter/kDigit if uniform
    uint8_t any = 0;
    while (j < n) {
      uint8_t c = kByteClass[static_cast<unsigned char>(text[j])];
      if (c & (kSpace | kMaybeSpace)) {
        if ((c & kSpace) || SpaceLengthAt(text, j) != 0) break;
      }
      all &= c;
      any |= c;
      ++j;
    }
    TokenizeSpan(text.substr(i, j - i), static_cast<uint32_t>(i), any == all ? all : 0, scratch,
                 out);
    if (j == n) break;
    size_t k = skip_whitespace(j);
    if (text[j] == ' ') {
      out->back().space_after = true;
      ++j;
    }
    if (j < k) whitespace_token(j, k);
    i = k;
  }
  ApplySpecialMatcher(text, scratch, out);
}

bool SpacyTokenizer::PlainWords(std::string_view text, TokenizerScratch& scratch,
                                std::vector<std::string_view>* out) const {
  out->clear();
  if (rules_->alnum_pattern) return false;
  const size_t n = text.size();
  if (n > 0 && (text[0] == ' ' || text[n - 1] == ' ')) return false;
  std::vector<Token>& toks = scratch.tokens_;
  toks.clear();
  for (size_t i = 0; i < n;) {
    size_t j = i;
    uint8_t all = kLetter | kDigit, any = 0;
    for (; j < n && text[j] != ' '; ++j) {
      const uint8_t c = kByteClass[static_cast<unsigned char>(text[j])] & (kLetter | kDigit);
      if (c == 0) return false;  // another character: the caller tokenizes in full
      all &= c;
      any |= c;
    }
    if (j + 1 < n && text[j + 1] == ' ') return false;  // two spaces make a whitespace token
    // The span as Tokenize() treats it: special cases, runs of one class whole, the rest by
    // the rules (memoised); a single ' ' after it is its trailing space.
    const std::string_view span = text.substr(i, j - i);
    if (any == all && rules_->AlnumSpecial(span) == nullptr) {
      out->push_back(span);  // the common case, without building a Token
    } else {
      toks.clear();
      TokenizeSpan(span, 0, any == all ? all : 0, scratch, &toks);
      for (const Token& t : toks) out->push_back(t.In(span));
    }
    i = j + 1;
  }
  // No matcher pattern is all letters and digits (alnum_pattern), and these tokens are: the
  // matcher pass would change nothing.
  return true;
}

void SpacyTokenizer::Words(std::string_view text, TokenizerScratch& scratch,
                           std::vector<std::string_view>* out) const {
  Tokenize(text, scratch, &scratch.tokens_);
  out->clear();
  // Stripping, as datatrove does, never changes a non-space token (it holds no whitespace).
  for (const Token& t : scratch.tokens_) {
    if (!t.is_space) out->push_back(t.In(text));
  }
}

bool SpacyTokenizer::IsSentenceTerminal(char32_t c) const {
  if (c < 0x80) return rules_->ascii_punct_char[c];
  return rules_->punct_chars.count(c) > 0;
}

void SpacyTokenizer::SentenceStarts(std::string_view text, const std::vector<Token>& tokens,
                                    std::vector<uint32_t>* starts) const {
  // spaCy's Sentencizer.predict.
  starts->clear();
  if (tokens.empty()) return;
  starts->push_back(0);
  bool seen_period = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i].In(text);
    bool in_punct_chars = rules_->IsPunctChar(t);
    if (seen_period && !in_punct_chars && !rules_->IsPunctToken(t)) {
      if (i != starts->back()) starts->push_back(static_cast<uint32_t>(i));
      seen_period = false;
    } else if (in_punct_chars) {
      seen_period = true;
    }
  }
}

void SpacyTokenizer::Sentences(std::string_view text, TokenizerScratch& scratch,
                               std::vector<std::string_view>* out) const {
  out->clear();
  Tokenize(text, scratch, &scratch.tokens_);
  const std::vector<Token>& toks = scratch.tokens_;
  SentenceStarts(text, toks, &scratch.starts_);
  const std::vector<uint32_t>& starts = scratch.starts_;
  for (size_t s = 0; s < starts.size(); ++s) {
    size_t first = starts[s];
    size_t last = (s + 1 < starts.size() ? starts[s + 1] : toks.size()) - 1;
    std::string_view sent =
        PyStrip(text.substr(toks[first].begin, toks[last].end - toks[first].begin));
    if (!sent.empty()) out->push_back(sent);
  }
}

void SpacyTokenizer::SentenceSpans(std::string_view text, TokenizerScratch& scratch,
                                   std::vector<std::pair<uint32_t, uint32_t>>* out) const {
  out->clear();
  Tokenize(text, scratch, &scratch.tokens_);
  const std::vector<Token>& toks = scratch.tokens_;
  SentenceStarts(text, toks, &scratch.starts_);
  const std::vector<uint32_t>& starts = scratch.starts_;
  for (size_t s = 0; s < starts.size(); ++s) {
    const size_t last = (s + 1 < starts.size() ? starts[s + 1] : toks.size()) - 1;
    out->emplace_back(toks[starts[s]].begin, toks[last].end);
  }
}

size_t SpacyTokenizer::CountSentences(std::string_view text, TokenizerScratch& scratch) const {
  Tokenize(text, scratch, &scratch.tokens_);
  return CountSentences(text, scratch.tokens_.data(),
                        scratch.tokens_.data() + scratch.tokens_.size());
}

size_t SpacyTokenizer::CountSentences(std::string_view text, const Token* first,
                                      const Token* last) const {
  // The sentencizer over the range, counting the sentences that hold a non-whitespace token
  // (those whose stripped text is non-empty).
  size_t count = 0;
  bool seen_period = false, has_word = false;
  for (const Token* t = first; t != last; ++t) {
    std::string_view s = t->In(text);
    bool in_punct_chars = rules_->IsPunctChar(s);
    if (seen_period && !in_punct_chars && !rules_->IsPunctToken(s)) {
      count += has_word;  // a sentence ends before this token
      has_word = false;
      seen_period = false;
    } else if (in_punct_chars) {
      seen_period = true;
    }
    has_word |= !t->is_space;
  }
  return count + has_word;
}

}  // namespace winnow::text
