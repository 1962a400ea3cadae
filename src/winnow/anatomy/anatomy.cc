#include "winnow/anatomy/anatomy.h"

#include <hs/hs.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>
#include <span>
#include <unordered_map>

#include "winnow/core/check.h"
#include "winnow/core/json_writer.h"
#include "winnow/text/regex.h"
#include "winnow/text/simplify.h"
#include "winnow/text/utf8.h"

namespace winnow::anatomy {
namespace {

// A comment section's header, matched on the whole line once lowercased and trimmed of
// spaces and of trailing ":", "." and "!". English and the major European and Asian languages.
constexpr std::string_view kHeader = R"((?:)"
    R"((?:(?:\d+|one)\s+(?:comments?|responses?|replies|reactions?|thoughts?)|no\s+(?:comments|responses|replies))(?:\s+(?:on|to|for|about|yet)\s*.*)?)"
    R"(|(?:readers?'?s?\s+|user\s+|latest\s+|recent\s+|show\s+|view\s+|all\s+)?comments(?:\s*\(\d+\)|\s+\d+)?|comment\s*\(\d+\))"
    R"(|responses?\s+to\s+.+|reactions)"
    R"(|leave\s+a\s+(?:reply|comment)(?:\s+cancel\s+reply)?)"
    R"(|(?:post|add|write|submit)\s+(?:a\s+|your\s+|new\s+)?comments?)"
    R"(|join\s+the\s+(?:discussion|conversation))"
    R"(|(?:have\s+)?your\s+say(?:\s+on\s+this\s+(?:article|story))?)"
    R"(|what\s+do\s+you\s+think\??|discuss\s+this\s+(?:article|story|post))"
    R"(|talkback(?:\s+here)?|comments\s+are\s+closed)"
    R"(|do\s+you\s+have\s+comments\s+on\s+this\s+(?:story|article)\??)"
    R"(|(?:\d+\s+)?(?:leser)?kommentare?(?:\s*\(\d+\))?|kommentar\s+(?:schreiben|verfassen))"
    R"(|(?:\d+\s+)?commentaires?(?:\s*\(\d+\))?|(?:laisser|ajouter)\s+un\s+commentaire)"
    R"(|(?:\d+\s+)?comentarios?(?:\s*\(\d+\))?|(?:deja|dejar)\s+(?:un\s+comentario|una\s+respuesta))"
    R"(|(?:\d+\s+)?commenti(?:\s*\(\d+\))?|lascia\s+un\s+commento)"
    R"(|(?:\d+\s+)?reacties?(?:\s*\(\d+\))?|reageer|laat\s+een\s+reactie\s+achter)"
    R"(|(?:\d+\s+)?comentários?(?:\s*\(\d+\))?|deixe\s+um\s+comentário)"
    R"(|(?:\d+\s+)?комментари[йяеи]в?(?:\s*\(\d+\))?|оставить\s+комментарий)"
    R"(|(?:\d+\s+)?komentarz[ey]?|(?:\d+\s+)?yorum(?:lar)?)"
    R"(|コメント|评论|留言|評論)"
    R"()$)";

// A comment's byline: a date (a time alone is a schedule as often as a comment), "X says:",
// "3 days ago".
constexpr std::string_view kByline = R"((?i)(?:)"
    R"(\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
    R"(|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})"
    R"(|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b)"
    R"(|\bsays\s*:)"
    R"(|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b)"
    R"())";

// Boilerplate phrasing that marks a line whatever its length (up to a short paragraph).
constexpr std::string_view kStrongBoilerplate = R"((?i)(?:)"
    R"((?:our|free|daily|weekly|e-?mail)\s+newsletters?|newsletter\s+sign|unsubscribe|to\s+your\s+inbox|all\s+rights\s+reserved|©|\(c\)\s*(?:19|20)\d\d)"
    R"(|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|cookie\s+(?:policy|settings|preferences|consent))"
    R"(|(?:we|site|website|this\s+site)\s+uses?\s+cookies|use\s+of\s+cookies|accept\s+(?:all\s+)?cookies|cookies\s+to\s+(?:improve|ensure|personali[sz]e|give))"
    R"(|share\s+(?:this\s+(?:article|story|post|page)|on\s+(?:facebook|twitter|linkedin|whatsapp))|follow\s+us\s+on|like\s+us\s+on\s+facebook)"
    R"(|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|enable\s+javascript|javascript\s+is\s+disabled)"
    R"(|never\s+miss\s+(?:a|an)\s+(?:story|update|post)|enter\s+your\s+e-?mail|you\s+(?:may|might)\s+also\s+like|recommended\s+for\s+you)"
    R"())";

// Phrasing that marks only a short line (a button, a heading of a box).
constexpr std::string_view kWeakBoilerplate = R"((?i)(?:)"
    R"(newsletter|\bsubscribe\b|\bsign[\s-]?up\b|\bsign\s+in\b|\blog\s*in\b|related\s+(?:articles?|posts?|stories|content|links))"
    R"(|read\s+more\b|continue\s+reading|click\s+here|^\s*advertisement\s*$|sponsored\s+(?:content|links?|by)\b|print\s+this|e-?mail\s+this)"
    R"(|most\s+(?:popular|read|viewed|shared)\b|powered\s+by|^\s*(?:menu|search|home|share|tweet|print|loading\.*|close|top)\s*$)"
    R"())";

constexpr size_t kMaxHeaderBytes = 100;
constexpr size_t kMaxBylineBytes = 120;
constexpr size_t kMaxStrongBytes = 300;
constexpr size_t kMaxWeakBytes = 48;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  // Non-breaking and other Unicode spaces at the ends.
  while (!s.empty()) {
    size_t n = text::SpaceLengthAt(s, 0);
    if (n == 0) break;
    s.remove_prefix(n);
  }
  return s;
}

// Words between spaces and tabs: a word starts where a space is followed by a non-space.
// Written without a carried state, so the compiler vectorizes it (every line is counted).
size_t Words(std::string_view s) {
  if (s.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  auto space = [](unsigned char c) { return static_cast<size_t>(c == ' ' || c == '\t'); };
  size_t n = 1 - space(p[0]);
  for (size_t i = 1; i < s.size(); ++i) n += space(p[i - 1]) & (1 - space(p[i]));
  return n;
}

// Lowercased (full Unicode, one code point at a time), for header matching.
void Lower(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out->push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b | 0x20 : b));
      ++i;
      continue;
    }
    size_t len;
    char32_t c = text::DecodeAt(s, i, &len);
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)), buf);
    out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
    i += len;
  }
}

// Navigation and breadcrumbs: four or more short items (words, not addresses or numbers)
// between separators.
bool IsNavigation(std::string_view s) {
  if (s.size() > 250 || s.find('@') != std::string_view::npos) return false;
  size_t seps = 0, items = 0, bad_items = 0, words = 0, letters = 0;
  bool in_word = false;
  auto close_item = [&] {
    if (words > 0) {
      ++items;
      bad_items += words > 3 || letters == 0;
    }
    words = letters = 0;
    in_word = false;
  };
  for (size_t i = 0; i < s.size();) {
    std::string_view rest = s.substr(i);
    size_t sep = 0;
    for (std::string_view t : {"|", "•", "·", "»", "›", " > ", " / ", "►"}) {
      if (rest.substr(0, t.size()) == t) sep = t.size();
    }
    if (sep > 0) {
      ++seps;
      close_item();
      i += sep;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
    letters += (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    letters += c >= 0x80;
    ++i;
  }
  close_item();
  return seps >= 3 && items >= 4 && bad_items == 0;
}

// Whether a line speaks in the first or second person, as comments do and listings (a date
// beside each item) do not. English and the major European languages.
bool Conversational(std::string_view s) {
  static const std::string_view kWords[] = {
      "i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "we", "our", "us", "you", "your",
      "you're", "yo", "mi", "tu", "te", "nosotros", "je", "j'ai", "moi", "mon", "vous", "nous",
      "ich", "mich", "mir", "du", "wir", "eu", "você", "io", "noi", "ik", "jij", "wij"};
  size_t i = 0;
  std::string word;
  while (i < s.size()) {
    while (i < s.size() && !std::isalpha(static_cast<unsigned char>(s[i])) &&
           static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    }
    word.clear();
    while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '\'' ||
                            static_cast<unsigned char>(s[i]) >= 0x80)) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
      ++i;
    }
    for (std::string_view w : kWords) {
      if (word == w) return true;
    }
  }
  return false;
}

// A screen before the regular expressions: whether a lowercased line holds any of a set of
// keywords, in one pass (keywords are bucketed by their first byte). A line without any
// cannot match the pattern the screen guards. Hand-written: the keyword sets are tiny and
// fixed, and a library automaton would cost more to set up than this scan.
constexpr std::array<uint8_t, 256> MakeFold() {
  std::array<uint8_t, 256> f{};
  for (int c = 0; c < 256; ++c) f[static_cast<size_t>(c)] = static_cast<uint8_t>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
  return f;
}
constexpr std::array<uint8_t, 256> kFold = MakeFold();

class KeywordScreen {
 public:
  // Keywords are lowercase ASCII (or any bytes, matched exactly) of two bytes or more; the
  // line is compared ignoring ASCII case. A table over a position's first two (folded) bytes
  // names the keywords that can start there, so almost every position costs one lookup.
  KeywordScreen(std::initializer_list<std::string_view> words) : slot_(new uint16_t[65536]()) {
    for (std::string_view w : words) {
      const size_t pair = Pair(w[0], w[1]);
      pairs_[pair >> 6] |= uint64_t{1} << (pair & 63);
      uint16_t& s = slot_[pair];
      if (s == 0) {
        buckets_.emplace_back();
        s = static_cast<uint16_t>(buckets_.size());
      }
      buckets_[s - 1].push_back(w);
    }
  }
  bool Any(std::string_view line) const {
    const char* p = line.data();
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      // An 8 KB bitset of the pairs that start a keyword (stays in L1) before the table.
      const size_t pair = Pair(p[i], p[i + 1]);
      if ((pairs_[pair >> 6] >> (pair & 63) & 1) == 0) continue;
      const uint16_t s = slot_[pair];
      for (std::string_view w : buckets_[s - 1]) {
        if (line.size() - i < w.size()) continue;
        size_t k = 2;
        while (k < w.size() && kFold[static_cast<unsigned char>(p[i + k])] == static_cast<unsigned char>(w[k])) ++k;
        if (k == w.size()) return true;
      }
    }
    return false;
  }

 private:
  static size_t Pair(char a, char b) {
    return (static_cast<size_t>(kFold[static_cast<unsigned char>(a)]) << 8) | kFold[static_cast<unsigned char>(b)];
  }
  std::array<uint64_t, 1024> pairs_{};
  std::unique_ptr<uint16_t[]> slot_;
  std::vector<std::vector<std::string_view>> buckets_;
};

const KeywordScreen& HeaderStarts() {
  static const KeywordScreen k{"one", "no", "reader", "user", "latest", "recent", "show", "view",
                               "all", "comment", "respons", "reaction", "leave", "post", "add",
                               "write", "submit", "join", "have", "your", "what", "discuss",
                               "talkback", "do", "leser", "kommentar", "laisser", "ajouter",
                               "comentar", "deja", "lascia", "reacti", "reageer", "laat", "deixe",
                               "komentarz", "yorum"};
  return k;
}
// Keywords whose presence a line's expression needs, found for a whole page in one
// vectorscan pass (ASCII case ignored); each set is a bit of the line's cues. A line without
// the bit cannot match the expression the set guards.
enum Cue : uint8_t { kStrongCue = 1, kWeakCue = 2, kHeaderCue = 4, kSaysCue = 8 };
constexpr std::string_view kHeaderWords[] = {"comment", "respons", "repl", "thought", "reaction", "leave",
                                             "discuss", "say", "think", "talkback", "kommentar", "comentar",
                                             "reacti", "reageer", "komentarz", "yorum"};
constexpr std::string_view kSaysWords[] = {"says", " ago"};
constexpr std::string_view kStrongWords[] = {
    "newsletter", "unsubscribe", "inbox", "reserved", "\xC2\xA9", "(c", "privacy", "terms", "cookie", "share",
    "follow us", "like us", "skip to", "back to top", "javascript", "never miss", "enter your", "also like",
    "recommended"};
constexpr std::string_view kWeakWords[] = {
    "newsletter", "subscribe", "sign", "log", "related", "read more", "continue reading", "click here",
    "advertisement", "sponsored", "print", "mail this", "most ", "powered", "menu", "search", "home",
    "share", "tweet", "loading", "close", "top"};

// Whether `w` (ASCII letters) names a month as the byline expression spells them.
bool IsMonthWord(std::string_view w) {
  static constexpr std::string_view kMonths[] = {
      "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
      "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
      "november", "dec", "december"};
  for (std::string_view m : kMonths) {
    if (m.size() == w.size() &&
        std::equal(m.begin(), m.end(), w.begin(), [](char a, char b) { return a == (b | 0x20); })) {
      return true;
    }
  }
  return false;
}

// Whether the word at `at` follows a day: one or two digits, an optional ordinal suffix, and
// white space.
bool AfterDay(std::string_view t, size_t at) {
  size_t k = at, spaces = 0;
  while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t' || t[k - 1] == '\n' || t[k - 1] == '\r' ||
                   t[k - 1] == '\f' || t[k - 1] == '\v')) {
    --k;
    ++spaces;
  }
  if (spaces == 0) return false;
  if (k >= 2 && ((t[k - 2] | 0x20) >= 'a' && (t[k - 2] | 0x20) <= 'z') &&
      ((t[k - 1] | 0x20) >= 'a' && (t[k - 1] | 0x20) <= 'z')) {
    k -= 2;  // "st", "nd", "rd", "th" (any two letters: a screen may let more through)
  }
  return k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9';
}

bool EndsSentence(std::string_view s) {
  if (s.empty()) return false;
  char c = s.back();
  return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')' ||
         (s.size() >= 3 && (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\xA6"));
}

// Whether a line links to a post's comments inside other text: "[ 11 Comments ]", "| 5
// comments", "(3 Comments)", "[ Comment ]". English only, as on most blog templates.
bool HasCommentCounter(std::string_view s) {
  for (size_t at = 0; at + 7 <= s.size(); ++at) {
    if ((s[at] | 0x20) != 'c' || (s[at + 1] | 0x20) != 'o') continue;
    if (!std::equal(s.begin() + static_cast<ptrdiff_t>(at), s.begin() + static_cast<ptrdiff_t>(at + 7), "comment",
                    [](char a, char b) { return (a | 0x20) == b; })) {
      continue;
    }
    size_t k = at;
    while (k > 0 && s[k - 1] == ' ') --k;
    if (k == 0) continue;
    const char before = s[k - 1];
    if (before == '[' || before == '(' || before == '|' || (before >= '0' && before <= '9')) return true;
  }
  return false;
}

// A byline's shape: runs of words as 'a', runs of digits as '0', punctuation kept, spaces
// dropped. A thread's posts share one ("a0,0,0:0a" for "Jane Doe November 8, 2024, 7:33pm"),
// an article's own byline ("by Jane Doe on June 25, 2012": "a0,0") differs from its comments'.
std::string BylineShape(std::string_view s) {
  std::string shape;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    char kind;
    if (c == ' ' || c == '\t') continue;
    if (c >= '0' && c <= '9') {
      kind = '0';
    } else if (c >= 0x80 || std::isalpha(c)) {
      kind = 'a';
    } else {
      kind = static_cast<char>(c);
    }
    if ((kind == 'a' || kind == '0') && !shape.empty() && shape.back() == kind) continue;
    shape.push_back(kind);
  }
  return shape;
}

}  // namespace

std::string_view LabelName(Label label) {
  switch (label) {
    case Label::kArticle: return "article";
    case Label::kBoilerplate: return "boilerplate";
    case Label::kCommentsHeader: return "comments_header";
    case Label::kComment: return "comment";
  }
  return "article";
}

struct Analyzer::Patterns {
  text::Regex header, byline, strong, weak;
  hs_database_t* cues = nullptr;      // the keyword sets, ids = Cue bits
  hs_scratch_t* prototype = nullptr;  // cloned into each AnalyzerScratch
  ~Patterns() {
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (cues != nullptr) hs_free_database(cues);
  }
};

namespace {

// Marks each match's line (the line holding its last byte) with the match's cue bit.
struct CueSink {
  const std::pair<size_t, size_t>* lines;
  size_t n, at, base;  // base: where the scanned part starts in the text
  uint8_t* cues;
};
int OnCue(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/, void* context) {
  auto* sink = static_cast<CueSink*>(context);
  const size_t last = sink->base + static_cast<size_t>(to) - 1;
  if (last < sink->lines[sink->at].first) sink->at = 0;  // matches normally come in order
  while (sink->at + 1 < sink->n && sink->lines[sink->at].second <= last) ++sink->at;
  sink->cues[sink->at] |= static_cast<uint8_t>(id);
  return 0;
}

}  // namespace

void Analyzer::ScanCues(std::string_view text, const std::vector<std::pair<size_t, size_t>>& lines,
                        AnalyzerScratch& scratch, std::vector<uint8_t>* cues) const {
  cues->assign(lines.size(), 0);
  if (text.empty() || lines.empty()) return;
  if (scratch.hs_owner != p_.get()) {
    if (scratch.hs != nullptr) hs_free_scratch(scratch.hs);
    scratch.hs = nullptr;
    WINNOW_CHECK(hs_clone_scratch(p_->prototype, &scratch.hs) == HS_SUCCESS);
    scratch.hs_owner = p_.get();
  }
  CueSink sink{lines.data(), lines.size(), 0, 0, cues->data()};
  // vectorscan takes 32-bit lengths: a text past 2 GB is scanned in parts (a keyword cut at
  // a part's end is missed there; no record is that long under max_record_bytes anyway).
  constexpr size_t kPart = size_t{1} << 31;
  for (size_t at = 0; at < text.size(); at += kPart) {
    sink.base = at;
    hs_scan(p_->cues, text.data() + at, static_cast<unsigned>(std::min(text.size() - at, kPart)), 0,
            scratch.hs, OnCue, &sink);
  }
}

uint8_t Analyzer::LineCues(std::string_view line, AnalyzerScratch& scratch) const {
  std::vector<std::pair<size_t, size_t>> one = {{0, line.size()}};
  std::vector<uint8_t> cues;
  ScanCues(line, one, scratch, &cues);
  return cues[0];
}

Analyzer::Analyzer(std::unique_ptr<Patterns> p) : p_(std::move(p)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::Create() {
  auto p = std::make_unique<Patterns>();
  auto compile = [](std::string_view pattern, text::Regex* out, bool unicode_classes = true) -> Status {
    Result<text::Regex> r = text::Regex::FromPython(pattern, unicode_classes);
    if (!r.ok()) return Status::Internal("anatomy: built-in pattern: " + r.status().ToString());
    *out = std::move(r).value();
    return Status::OK();
  };
  WINNOW_RETURN_IF_ERROR(compile(kHeader, &p->header));
  // Dates, "says" and "ago" are ASCII: ASCII classes, several times faster on every line.
  WINNOW_RETURN_IF_ERROR(compile(kByline, &p->byline, /*unicode_classes=*/false));
  WINNOW_RETURN_IF_ERROR(compile(kStrongBoilerplate, &p->strong));
  WINNOW_RETURN_IF_ERROR(compile(kWeakBoilerplate, &p->weak));
  std::vector<const char*> words;
  std::vector<size_t> lengths;
  std::vector<unsigned> ids, flags;
  auto add = [&](const auto& set, Cue cue) {
    for (std::string_view w : set) {
      words.push_back(w.data());
      lengths.push_back(w.size());
      ids.push_back(cue);
      flags.push_back(HS_FLAG_CASELESS);
    }
  };
  add(kStrongWords, kStrongCue);
  add(kWeakWords, kWeakCue);
  add(kHeaderWords, kHeaderCue);
  add(kSaysWords, kSaysCue);
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(words.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(words.size()), HS_MODE_BLOCK, nullptr, &p->cues,
                           &error) != HS_SUCCESS) {
    std::string what = error != nullptr && error->message != nullptr ? error->message : "?";
    hs_free_compile_error(error);
    return Status::Internal("anatomy: built-in keywords: " + what);
  }
  if (hs_alloc_scratch(p->cues, &p->prototype) != HS_SUCCESS) {
    return Status::Internal("anatomy: cannot allocate vectorscan scratch");
  }
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(p)));
}

AnalyzerScratch::AnalyzerScratch() : regex(std::make_unique<text::RegexScratch>()) {}
AnalyzerScratch::~AnalyzerScratch() {
  if (hs != nullptr) hs_free_scratch(hs);
}

bool Analyzer::IsCommentHeader(std::string_view line, AnalyzerScratch& scratch) const {
  return IsCommentHeader(line, LineCues(line, scratch), scratch);
}
bool Analyzer::IsByline(std::string_view line, AnalyzerScratch& scratch) const {
  return IsByline(line, LineCues(line, scratch), scratch);
}
bool Analyzer::IsBoilerplate(std::string_view line, AnalyzerScratch& scratch) const {
  return IsBoilerplate(line, LineCues(line, scratch), scratch);
}

bool Analyzer::IsCommentHeader(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const {
  std::string_view t = Trim(line);
  if (t.empty() || t.size() > kMaxHeaderBytes) return false;
  while (!t.empty() && (t.back() == ':' || t.back() == '.' || t.back() == '!')) t.remove_suffix(1);
  if (t.empty()) return false;
  // Every header form starts with a number or one of a few words (or a non-ASCII letter):
  // the first word screens out almost every line before the keyword scan and the expression.
  if (static_cast<unsigned char>(t[0]) < 0x80 && !(t[0] >= '0' && t[0] <= '9')) {
    size_t end = 0;
    while (end < t.size() && end < 16 && ((t[end] | 0x20) >= 'a' && (t[end] | 0x20) <= 'z')) ++end;
    if (!HeaderStarts().Any(t.substr(0, end)) || (cues & kHeaderCue) == 0) return false;
  }
  Lower(t, &scratch.lower);
  size_t b, e;
  return p_->header.Find(scratch.lower, 0, /*anchored=*/true, *scratch.regex, &b, &e);
}

bool Analyzer::IsByline(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const {
  std::string_view t = Trim(line);
  if (t.empty() || t.size() > kMaxBylineBytes) return false;
  // Mail and news headers ("Date: ...", "Received: from ...") are not comment bylines.
  size_t colon = t.find(": ");
  if (colon != std::string_view::npos && colon < 24 &&
      std::all_of(t.begin(), t.begin() + static_cast<ptrdiff_t>(colon), [](char c) {
        return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-';
      }) && t.find(' ') > colon) {
    return false;
  }
  // Every byline pattern needs a date (a month name as a word beside a number, or two
  // separators between digits), "says" or "ago" (after a number): without a digit only
  // "says" can match, and most lines of prose have none.
  if (std::none_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    size_t b, e;
    return (cues & kSaysCue) != 0 && Words(t) <= 16 && p_->byline.Find(t, 0, false, *scratch.regex, &b, &e);
  }
  // One pass over the line screens the rest out.
  bool digit = false, numeric_date = false, month = false;
  size_t first_candidate = t.size();
  for (size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c >= '0' && c <= '9') {
      digit = true;
      size_t j = i;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
      if (j + 1 < t.size() && (t[j] == '/' || t[j] == '.' || t[j] == '-') && t[j + 1] >= '0' && t[j + 1] <= '9') {
        size_t k = j + 1;
        while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
        if (k + 1 < t.size() && (t[k] == '/' || t[k] == '.' || t[k] == '-') && t[k + 1] >= '0' && t[k + 1] <= '9') {
          numeric_date = true;
          first_candidate = std::min(first_candidate, i);
        }
      }
      i = j;
      continue;
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      size_t j = i;
      while (j < t.size() && ((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'z')) ++j;
      if (j - i >= 3 && j - i <= 9) {
        const uint32_t w = (uint32_t{kFold[c]} << 16) | (uint32_t{kFold[static_cast<unsigned char>(t[i + 1])]} << 8) |
                           kFold[static_cast<unsigned char>(t[i + 2])];
        switch (w) {
          case 0x6a616e: case 0x666562: case 0x6d6172: case 0x617072: case 0x6d6179: case 0x6a756e:
          case 0x6a756c: case 0x617567: case 0x736570: case 0x6f6374: case 0x6e6f76: case 0x646563:
            // A month's name or abbreviation ("market" and "decision" are not), or any word
            // of that start after a day ("7 Julyy 2012", as the expression allows).
            if (IsMonthWord(t.substr(i, j - i)) || AfterDay(t, i)) {
              month = true;
              // A day may come before the month ("7 July 2012").
              first_candidate = std::min(first_candidate, i >= 6 ? i - 6 : size_t{0});
            }
        }
      }
      i = j;
      continue;
    }
    ++i;
  }
  if (!numeric_date && !(month && digit) && (cues & kSaysCue) == 0) return false;
  // A date with no word beside it is a table cell as often as a byline.
  if (std::none_of(t.begin(), t.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; })) {
    return false;
  }
  if (Words(t) > 16) return false;
  size_t b, e;
  // The expression starts where the screen found the first candidate (lookbehind still sees
  // the bytes before it).
  return p_->byline.Find(t, numeric_date || month ? first_candidate : 0, false, *scratch.regex, &b, &e);
}

bool Analyzer::IsBoilerplate(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const {
  std::string_view t = Trim(line);
  if (t.empty() || t.size() > kMaxStrongBytes) return false;
  // Navigation needs three separators: '|', " > ", " / ", or a multi-byte one ("•", "·",
  // "»", "›", "►", whose lead bytes are 0xC2 and 0xE2): counted cheaply first.
  // memchr-speed scans first: most lines have none of the separators.
  const bool maybe_nav = t.size() <= 250 &&
                         (t.find('|') != std::string_view::npos || HasNonAscii(t) ||
                          t.find(" > ") != std::string_view::npos || t.find(" / ") != std::string_view::npos);
  if (maybe_nav) {
    size_t separators = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      const auto b = static_cast<unsigned char>(t[i]);
      separators += b == '|' || b == 0xC2 || b == 0xE2 ||
                    ((b == '>' || b == '/') && i > 0 && i + 1 < t.size() && t[i - 1] == ' ' && t[i + 1] == ' ');
    }
    if (separators >= 3 && IsNavigation(t)) return true;
  }
  size_t b, e;
  if (t.size() <= kMaxWeakBytes && (cues & kWeakCue) != 0 && p_->weak.Find(t, 0, false, *scratch.regex, &b, &e)) {
    return true;
  }
  return (cues & kStrongCue) != 0 && p_->strong.Find(t, 0, false, *scratch.regex, &b, &e);
}

void Analyzer::Analyze(std::string_view text, AnalyzerScratch& scratch, Analysis* out) const {
  out->lines.clear();
  out->labels.clear();
  out->strong.clear();
  out->weak.clear();
  out->comment_lines = out->templated_lines = out->question_lines = 0;
  out->section = Analysis::Section::kNone;
  out->posts_from_top = false;
  for (size_t start = 0;;) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    out->lines.emplace_back(start, end);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  const size_t n = out->lines.size();
  std::vector<uint8_t>& cues = scratch.cues;
  ScanCues(text, out->lines, scratch, &cues);
  std::vector<std::string_view>& line = scratch.line;
  std::vector<uint8_t>&blank = scratch.blank, &header = scratch.header, &byline = scratch.byline,
                    &boiler = scratch.boiler;
  std::vector<uint32_t>& words = scratch.words;
  line.assign(n, std::string_view());
  for (std::vector<uint8_t>* v : {&blank, &header, &byline, &boiler}) v->assign(n, 0);
  words.assign(n, 0);
  size_t content = 0;
  for (size_t i = 0; i < n; ++i) {
    line[i] = Trim(text.substr(out->lines[i].first, out->lines[i].second - out->lines[i].first));
    blank[i] = line[i].empty();
    if (blank[i]) continue;
    ++content;
    words[i] = static_cast<uint32_t>(Words(line[i]));
    header[i] = IsCommentHeader(line[i], cues[i], scratch);
    // A line that continues a sentence wrapped from the line before (hard-wrapped mail and
    // news: the line before is article text as long as a wrap width, 50 to 90 bytes, and
    // ends mid-sentence) is neither a byline nor boilerplate: those cues are not checked.
    if (!header[i] && i > 0 && !blank[i - 1] && !boiler[i - 1] && !header[i - 1] &&
        line[i - 1].size() >= 50 && line[i - 1].size() <= 90 && !EndsSentence(line[i - 1]) &&
        words[i - 1] >= 8) {
      continue;
    }
    byline[i] = !header[i] && IsByline(line[i], cues[i], scratch);
    boiler[i] = !header[i] && IsBoilerplate(line[i], cues[i], scratch);
  }
  out->labels.assign(n, Label::kArticle);
  // Non-blank, non-boilerplate lines and their words before each line: prefix sums, so the
  // scans below stay linear on pages of many thousand lines.
  std::vector<uint32_t>&article_prefix = scratch.article_prefix, &words_prefix = scratch.words_prefix;
  article_prefix.assign(n + 1, 0);
  words_prefix.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    const bool said = !blank[i] && !boiler[i] && !header[i];
    article_prefix[i + 1] = article_prefix[i] + said;
    words_prefix[i + 1] = words_prefix[i] + (said ? words[i] : 0);
  }
  auto article_before = [&](size_t at) { return article_prefix[at]; };
  auto words_before = [&](size_t at) { return words_prefix[at]; };
  auto next_content = [&](size_t from, size_t count, auto pred) {  // any of the next `count`
    for (size_t i = from; i < n && count > 0; ++i) {
      if (blank[i]) continue;
      if (pred(i)) return true;
      --count;
    }
    return false;
  };

  // Where the comment section starts: a header with comment-like lines after it, or a run of
  // bylines after some article.
  size_t start = n;
  for (size_t i = 0; i < n && start == n; ++i) {
    // A header right under the title is a comment counter ("52 comments"), not the section.
    if (!header[i] || words_before(i) < 50) continue;
    // Not the end of a sentence broken across lines ("... declined to" / "comment.").
    size_t prev = i;
    while (prev > 0 && blank[prev - 1]) --prev;
    if (prev == i && prev > 0 && !EndsSentence(line[prev - 1]) && !boiler[prev - 1] &&
        words[prev - 1] > 6) {
      continue;
    }
    // Comment-like: a byline soon, or at least one line that is not boilerplate.
    bool bylines = next_content(i + 1, 6, [&](size_t k) { return byline[k] != 0; });
    bool text_after = next_content(i + 1, 3, [&](size_t k) { return !boiler[k] && !header[k]; });
    // A post's meta block (title, "by X on <date>", "52 comments") is not a comment section.
    bool meta_block = false;
    for (size_t k = i, seen = 0; k > 0 && seen < 3; --k) {
      if (blank[k - 1]) continue;
      ++seen;
      meta_block = meta_block || byline[k - 1];
    }
    if (!meta_block && (bylines || text_after)) {
      start = i;
      out->section = Analysis::Section::kAfterHeader;
    }
  }
  // A page that opens with a post's byline (a name or a date before the first 50 words) is a
  // thread from the top: a forum or Q&A page, or a blog's run of dated posts. Its posts are
  // the page's content, so its later bylines do not start a comment section (a header still
  // does).
  // An article's own byline ("by X on June 25, 2012") opens a page too: there the first
  // turn (the article) is far longer than the turns after it, in a thread it is one of them.
  bool thread_from_top = false;
  size_t top = n;
  for (size_t i = 0, seen = 0; i < n && seen < 3 && top == n; ++i) {
    if (blank[i]) continue;
    ++seen;
    if (words_before(i) >= 50) break;
    if (byline[i]) top = i;
  }
  if (top < n) {
    std::vector<size_t> turn_words(1, 0);  // words said after each byline, before the next
    const std::string top_shape = BylineShape(line[top]);
    size_t alike = 0, later = 0;  // of the next few bylines, how many have the top's shape
    for (size_t k = top + 1; k < n; ++k) {
      if (blank[k] || boiler[k]) continue;
      if (byline[k]) {
        if (later < 3) alike += BylineShape(line[k]) == top_shape;
        ++later;
        if (turn_words.back() > 0) turn_words.push_back(0);
      } else {
        turn_words.back() += words[k];
      }
    }
    if (turn_words.size() >= 3) {
      std::vector<size_t> rest(turn_words.begin() + 1, turn_words.end());
      std::nth_element(rest.begin(), rest.begin() + static_cast<ptrdiff_t>(rest.size() / 2), rest.end());
      thread_from_top = alike > 0 && turn_words[0] <= 3 * rest[rest.size() / 2] + 30;
    }
  }
  out->posts_from_top = start == n && thread_from_top;
  if (start == n && !thread_from_top) {
    std::vector<int8_t> counter;  // HasCommentCounter per line (-1: not asked yet), made when first asked
    auto has_counter = [&](size_t k) {
      if (counter.empty()) counter.assign(n, -1);
      if (counter[k] < 0) counter[k] = HasCommentCounter(line[k]) ? 1 : 0;
      return counter[k] == 1;
    };
    for (size_t i = 0; i < n && start == n; ++i) {
      if (!byline[i] || article_before(i) < 2) continue;
      // A thread starts after text, not in the middle of a run of dated lines.
      size_t prev_content = i;
      while (prev_content > 0 && blank[prev_content - 1]) --prev_content;
      if (prev_content > 0 && byline[prev_content - 1]) continue;
      // A thread: bylines that each follow a comment's text (not a block of dates or times,
      // such as mail headers or a score sheet), at least one in every few lines. Judged on
      // the next kWindow lines, so a page of thousands of dated lines stays linear.
      constexpr size_t kWindow = 200;
      size_t turns = 0, gap = 0, dated = 1, counters = 0;
      bool said = false;  // the gap holds a line of at least four words
      for (size_t k = i + 1, seen = 0; k < n && gap <= 8 && seen < kWindow; ++k) {
        if (blank[k]) continue;
        ++seen;
        counters += !header[k] && has_counter(k);
        if (byline[k]) {
          turns += gap > 0 && said;
          ++dated;
          gap = 0;
          said = false;
        } else {
          ++gap;
          said = said || words[k] >= 4;
        }
      }
      // Most bylines follow a comment: a listing of dated titles ("Top Men of 2006 December
      // 13, 2006") is mostly bylines, one after another.
      if (turns < 2 || 2 * turns < dated) continue;
      // A blog's front page lists posts, each with its byline and a link to its own comments
      // ("Hot Fixes [ 11 Comments ]"): posts, not a thread.
      if (counters + has_counter(i) >= 2) continue;
      // People talking, not a listing with a date beside each item.
      size_t lines_seen = 0, spoken = 0;
      for (size_t k = i + 1; k < n && lines_seen < 40; ++k) {
        if (blank[k] || byline[k] || boiler[k]) continue;
        ++lines_seen;
        spoken += Conversational(line[k]);
      }
      if (spoken * 4 < lines_seen) continue;
      start = i;
      out->section = Analysis::Section::kThreadAfterArticle;
      // The author's name may stand on the line before a date-only byline.
      size_t prev = i;
      while (prev > 0 && blank[prev - 1]) --prev;
      if (prev > 0 && !boiler[prev - 1] && !header[prev - 1] && words[prev - 1] <= 4 &&
          !EndsSentence(line[prev - 1]) && line[prev - 1].size() <= 40) {
        start = prev - 1;
      }
    }
  }
  // It ends before a trailing footer of boilerplate.
  size_t end = n;
  if (start < n) {
    while (end > start + 1 && (blank[end - 1] || boiler[end - 1])) --end;
  }
  for (size_t i = 0; i < n; ++i) {
    if (blank[i]) continue;
    if (i >= start && i < end) {
      out->labels[i] = header[i] ? Label::kCommentsHeader : Label::kComment;
    } else {
      out->labels[i] = boiler[i] ? Label::kBoilerplate : Label::kArticle;
    }
  }
  // A blank line belongs with the line before it (the first ones with the first content).
  for (size_t i = 0; i < n; ++i) {
    if (!blank[i]) continue;
    if (i > 0) {
      out->labels[i] = out->labels[i - 1];
    } else {
      size_t k = 0;
      while (k < n && blank[k]) ++k;
      if (k < n) out->labels[i] = out->labels[k];
    }
  }

  // Templates among the comments.
  std::vector<std::string_view> comments;
  std::vector<uint32_t> index;
  for (size_t i = 0; i < n; ++i) {
    if (blank[i] || out->labels[i] != Label::kComment) continue;
    ++out->comment_lines;
    if (words[i] <= 30 && line[i].find('?') != std::string_view::npos) ++out->question_lines;
    if (byline[i]) continue;  // names and dates repeat in every thread: not templates
    comments.push_back(line[i]);
    index.push_back(static_cast<uint32_t>(i));
  }
  if (comments.size() >= 2) ClusterTemplates(comments, index, &out->strong, &out->weak);
  for (const auto& c : out->strong) out->templated_lines += c.size();
  for (const auto& c : out->weak) out->templated_lines += c.size();
  (void)content;
}

// ---- templates ----

namespace {

// Folded tokens of a line (case folded, emoji and punctuation dropped), each as a hash.
void TokenHashes(std::string_view line, std::string* folded, std::vector<std::string_view>* views,
                 std::vector<uint64_t>* out) {
  text::FoldTokens(line, folded, views);
  out->clear();
  for (std::string_view v : *views) out->push_back(XXH3_64bits(v.data(), v.size()));
}

// Word-level edit distance, capped: returns cap + 1 when larger.
size_t EditDistance(std::span<const uint64_t> a, std::span<const uint64_t> b, size_t cap,
                    std::vector<size_t>& prev, std::vector<size_t>& cur) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > cap) return cap + 1;
  prev.resize(b.size() + 1);
  cur.resize(b.size() + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The sorted hashes of a line's runs of five tokens: two lines share a run of five exactly
// when these intersect (but for hash collisions).
void FiveGrams(std::span<const uint64_t> t, std::vector<uint64_t>* out) {
  const size_t first = out->size();
  for (size_t i = 0; i + 5 <= t.size(); ++i) {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (size_t k = 0; k < 5; ++k) h = (h ^ t[i + k]) * 0x100000001B3ULL + k;
    out->push_back(h);
  }
  std::sort(out->begin() + static_cast<ptrdiff_t>(first), out->end());
}

// Many short arrays in one allocation: array i is data[offset[i], offset[i + 1]).
struct Flat {
  std::vector<uint64_t> data;
  std::vector<size_t> offset{0};
  void Close() { offset.push_back(data.size()); }
  std::span<const uint64_t> operator[](size_t i) const {
    return {data.data() + offset[i], offset[i + 1] - offset[i]};
  }
  std::span<uint64_t> Mutable(size_t i) { return {data.data() + offset[i], offset[i + 1] - offset[i]}; }
};

bool Intersect(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return true;
    a[i] < b[j] ? ++i : ++j;
  }
  return false;
}

struct Sets {
  std::vector<uint32_t> parent;
  explicit Sets(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

std::vector<std::vector<uint32_t>> Groups(Sets& sets, const std::vector<uint32_t>& index,
                                          const std::vector<uint8_t>& member) {
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_root;
  for (uint32_t i = 0; i < index.size(); ++i) {
    if (member[i]) by_root[sets.Find(i)].push_back(index[i]);
  }
  std::vector<std::vector<uint32_t>> out;
  for (auto& [root, lines] : by_root) {
    if (lines.size() >= 2) out.push_back(std::move(lines));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void ClusterTemplates(const std::vector<std::string_view>& lines, const std::vector<uint32_t>& index,
                      std::vector<std::vector<uint32_t>>* strong,
                      std::vector<std::vector<uint32_t>>* weak) {
  const size_t n = lines.size();
  Flat tokens, grams;
  std::string folded;
  std::vector<std::string_view> views;
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < n; ++i) {
    TokenHashes(lines[i], &folded, &views, &hashes);
    tokens.data.insert(tokens.data.end(), hashes.begin(), hashes.end());
    tokens.Close();
    FiveGrams(hashes, &grams.data);
    grams.Close();
  }
  // Long comments are written by people: only lines of up to 40 words are compared (a
  // thread of hundreds of lines is compared in windows, so this stays linear).
  constexpr size_t kMaxWords = 40, kWindow = 200;
  auto comparable = [&](size_t i) { return tokens[i].size() >= 4 && tokens[i].size() <= kMaxWords; };
  Sets strong_sets(n), weak_sets(n);
  std::vector<uint8_t> in_strong(n), in_weak(n);
  std::vector<size_t> prev, cur;
  // Strong: the same words but for an emoji or up to two words changed. Lines sharing fewer
  // than all but two of their tokens (a cheap count on sorted hashes) cannot be that close.
  Flat sorted = tokens;
  for (size_t i = 0; i < n; ++i) std::sort(sorted.Mutable(i).begin(), sorted.Mutable(i).end());
  auto common = [&](size_t i, size_t j) {
    size_t a = 0, b = 0, k = 0;
    while (a < sorted[i].size() && b < sorted[j].size()) {
      if (sorted[i][a] == sorted[j][b]) {
        ++k, ++a, ++b;
      } else {
        sorted[i][a] < sorted[j][b] ? ++a : ++b;
      }
    }
    return k;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!comparable(i)) continue;
    for (size_t j = i + 1; j < n && j < i + kWindow; ++j) {
      if (!comparable(j)) continue;
      const size_t longest = std::max(tokens[i].size(), tokens[j].size());
      if (longest > tokens[i].size() + 2 || longest > tokens[j].size() + 2) continue;
      if (common(i, j) + 2 < longest) continue;
      if (EditDistance(tokens[i], tokens[j], 2, prev, cur) <= 2) {
        strong_sets.Join(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
        in_strong[i] = in_strong[j] = 1;
      }
    }
  }
  // Weak, among the rest: a shared template, i.e. the same opening three words, or the same
  // run of five. Complete linkage (a line joins a cluster only when it shares a template with
  // every member), so clusters do not chain through lines that share different phrases.
  auto linked = [&](size_t i, size_t j) {
    const std::span<const uint64_t> a = tokens[i], b = tokens[j];
    return (a[0] == b[0] && a[1] == b[1] && a[2] == b[2]) || Intersect(grams[i], grams[j]);
  };
  std::vector<std::vector<size_t>> clusters;
  size_t open = 0;  // clusters before this one started more than kWindow lines ago
  for (size_t i = 0; i < n; ++i) {
    if (!comparable(i) || in_strong[i]) continue;
    while (open < clusters.size() && i - clusters[open].front() >= kWindow) ++open;
    bool placed = false;
    for (size_t k = open; k < clusters.size(); ++k) {
      auto& c = clusters[k];
      if (std::all_of(c.begin(), c.end(), [&](size_t j) { return linked(i, j); })) {
        c.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) clusters.push_back({i});
  }
  for (const auto& c : clusters) {
    if (c.size() < 2) continue;
    for (size_t j : c) {
      weak_sets.Join(static_cast<uint32_t>(c.front()), static_cast<uint32_t>(j));
      in_weak[j] = 1;
    }
  }
  *strong = Groups(strong_sets, index, in_strong);
  *weak = Groups(weak_sets, index, in_weak);
}

}  // namespace winnow::anatomy
