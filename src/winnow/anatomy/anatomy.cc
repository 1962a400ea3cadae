#include "winnow/anatomy/anatomy.h"

#include <hs/hs.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "winnow/anatomy/line_shape.h"
#include "winnow/anatomy/sections.h"
#include "winnow/core/check.h"
#include "winnow/core/json_writer.h"  // HasNonAscii
#include "winnow/text/regex.h"
#include "winnow/text/utf8.h"

namespace winnow::anatomy {
namespace {

// A comment section's header, matched on the whole line once lowercased and trimmed of
// spaces and of trailing ":", "." and "!". English and the major European and Asian languages.
constexpr std::string_view kHeader =
    R"((?:)"
    R"((?:(?:\d+|one)\s+(?:comments?|responses?|replies|reactions?|thoughts?)|no\s+(?:comments|responses|replies))(?:\s+(?:on|to|for|about|yet)\s*.*)?)"
    R"(|(?:(?:most\s+)?(?:readers?'?s?|user|latest|recent|show|view|all)\s+){0,3}comments(?:\s*\(\d+\)|\s+\d+)?|comment\s*\(\d+\))"
    R"(|comments\s+on\s+this\s+(?:story|article|post|entry))"
    R"(|responses?\s+to\s+.+|reactions)"
    R"(|leave\s+a\s+(?:reply|comment)(?:\s+cancel\s+reply)?)"
    R"(|(?:post|add|write|submit)\s+(?:a\s+|your\s+|new\s+)?comments?)"
    R"(|join\s+the\s+(?:discussion|conversation))"
    R"(|(?:have\s+)?your\s+say(?:\s+on\s+this\s+(?:article|story))?)"
    R"(|(?:what\s+do\s+you|tell\s+us\s+what\s+you)\s+think\??|discuss\s+this\s+(?:article|story|post))"
    R"(|talkback(?:\s+here)?|comments\s+are\s+(?:now\s+)?closed(?:\s+for\s+this\s+(?:story|article|post))?)"
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
//   - a month's name starts a word or, glued to a name the way extraction joins a link and
//     the date beside it ("ElizabethOctober 29, 2012"), follows a lowercase letter;
//   - the year may give way to a time ("November 1 at 2:57 pm", "July 24, @10 34AM": comments
//     of this year).
constexpr std::string_view kByline =
    R"((?i)(?:)"
    R"((?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:\d{4}|(?:at\s+|@\s*)?\d{1,2}(?::\d{2}|\s\d{2}\s?[ap]m\b)))"
    R"(|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})"
    R"(|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b)"
    R"(|\bsays\s*:|\bsaid\s*(?:\.\.\.|\x{2026}))"
    R"(|\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b)"
    R"())";

// Boilerplate phrasing that marks a line whatever its length (up to a short paragraph).
constexpr std::string_view kStrongBoilerplate =
    R"((?i)(?:)"
    R"((?:our|free|daily|weekly|e-?mail)\s+newsletters?|newsletter\s+sign|unsubscribe|to\s+your\s+inbox|all\s+rights\s+reserved|©|\(c\)\s*(?:19|20)\d\d)"
    R"(|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|cookie\s+(?:policy|settings|preferences|consent))"
    R"(|(?:we|site|website|this\s+site)\s+uses?\s+cookies|use\s+of\s+cookies|accept\s+(?:all\s+)?cookies|cookies\s+to\s+(?:improve|ensure|personali[sz]e|give))"
    R"(|share\s+(?:this\s+(?:article|story|post|page)|on\s+(?:facebook|twitter|linkedin|whatsapp))|follow\s+us\s+on|like\s+us\s+on\s+facebook)"
    R"(|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|enable\s+javascript|javascript\s+is\s+disabled)"
    R"(|never\s+miss\s+(?:a|an)\s+(?:story|update|post)|enter\s+your\s+e-?mail|you\s+(?:may|might)\s+also\s+like|recommended\s+for\s+you)"
    R"())";

// Phrasing that marks only a short line (a button, a heading of a box).
constexpr std::string_view kWeakBoilerplate =
    R"((?i)(?:)"
    R"(newsletter|\bsubscribe\b|\bsign[\s-]?up\b|\bsign\s+in\b|\blog\s*in\b|related\s+(?:articles?|posts?|stories|content|links))"
    R"(|read\s+more\b|continue\s+reading|click\s+here|^\s*advertisement\s*$|sponsored\s+(?:content|links?|by)\b|print\s+this|e-?mail\s+this)"
    R"(|most\s+(?:popular|read|viewed|shared)\b|powered\s+by|^\s*(?:menu|search|home|share|tweet|print|loading\.*|close|top)\s*$)"
    R"())";

constexpr size_t kMaxHeaderBytes = 100;
constexpr size_t kMaxBylineBytes = 120;
constexpr size_t kMaxStrongBytes = 300;
constexpr size_t kMaxWeakBytes = 48;

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
    utf8proc_ssize_t n =
        utf8proc_encode_char(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)), buf);
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

// A screen before the regular expressions: whether a lowercased line holds any of a set of
// keywords, in one pass (keywords are bucketed by their first byte). A line without any
// cannot match the pattern the screen guards. Hand-written: the keyword sets are tiny and
// fixed, and a library automaton would cost more to set up than this scan.
constexpr std::array<uint8_t, 256> MakeFold() {
  std::array<uint8_t, 256> f{};
  for (int c = 0; c < 256; ++c)
    f[static_cast<size_t>(c)] = static_cast<uint8_t>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
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
        while (k < w.size() &&
               kFold[static_cast<unsigned char>(p[i + k])] == static_cast<unsigned char>(w[k]))
          ++k;
        if (k == w.size()) return true;
      }
    }
    return false;
  }

 private:
  static size_t Pair(char a, char b) {
    return (static_cast<size_t>(kFold[static_cast<unsigned char>(a)]) << 8) |
           kFold[static_cast<unsigned char>(b)];
  }
  std::array<uint64_t, 1024> pairs_{};
  std::unique_ptr<uint16_t[]> slot_;
  std::vector<std::vector<std::string_view>> buckets_;
};

const KeywordScreen& HeaderStarts() {
  static const KeywordScreen k{
      "one",     "no",        "reader",  "user",      "latest",   "recent",  "show",     "view",
      "all",     "comment",   "respons", "reaction",  "leave",    "post",    "add",      "write",
      "submit",  "join",      "have",    "your",      "what",     "discuss", "talkback", "do",
      "leser",   "kommentar", "laisser", "ajouter",   "comentar", "deja",    "lascia",   "reacti",
      "reageer", "laat",      "deixe",   "komentarz", "yorum",    "most",    "tell"};
  return k;
}
// Keywords whose presence a line's expression needs, found for a whole page in one
// vectorscan pass (ASCII case ignored); each set is a bit of the line's cues. A line without
// the bit cannot match the expression the set guards.
enum Cue : uint8_t { kStrongCue = 1, kWeakCue = 2, kHeaderCue = 4, kSaysCue = 8 };
constexpr std::string_view kHeaderWords[] = {
    "comment", "respons",  "repl",      "thought",  "reaction", "leave",   "discuss",   "say",
    "think",   "talkback", "kommentar", "comentar", "reacti",   "reageer", "komentarz", "yorum"};
constexpr std::string_view kSaysWords[] = {"says", " ago", "said...", "said\xE2\x80\xA6"};
constexpr std::string_view kStrongWords[] = {
    "newsletter", "unsubscribe", "inbox",      "reserved",  "\xC2\xA9",   "(c",      "privacy",
    "terms",      "cookie",      "share",      "follow us", "like us",    "skip to", "back to top",
    "javascript", "never miss",  "enter your", "also like", "recommended"};
constexpr std::string_view kWeakWords[] = {"newsletter",
                                           "subscribe",
                                           "sign",
                                           "log",
                                           "related",
                                           "read more",
                                           "continue reading",
                                           "click here",
                                           "advertisement",
                                           "sponsored",
                                           "print",
                                           "mail this",
                                           "most ",
                                           "powered",
                                           "menu",
                                           "search",
                                           "home",
                                           "share",
                                           "tweet",
                                           "loading",
                                           "close",
                                           "top"};

// Whether `w` (ASCII letters) names a month as the byline expression spells them.
bool IsMonthWord(std::string_view w) {
  static constexpr std::string_view kMonths[] = {
      "jan",  "january",   "feb",  "february", "mar",  "march",    "apr",    "april",
      "may",  "jun",       "june", "jul",      "july", "aug",      "august", "sep",
      "sept", "september", "oct",  "october",  "nov",  "november", "dec",    "december"};
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

// A line that is only a numeric date, perhaps with a time: "10/12/2012", "11.05.12 17:46".
bool IsBareNumericDate(std::string_view t) {
  size_t i = 0;
  auto digits = [&](size_t lo, size_t hi) {
    size_t k = i;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9' && k - i < hi) ++k;
    if (k - i < lo) return false;
    i = k;
    return true;
  };
  auto sep = [&](const char* set) {
    if (i < t.size() && std::strchr(set, t[i]) != nullptr && t[i] != '\0') {
      ++i;
      return true;
    }
    return false;
  };
  if (!digits(1, 4) || !sep("./-") || !digits(1, 2) || !sep("./-") || !digits(2, 4)) return false;
  if (i == t.size()) return true;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == ',')) ++i;
  if (!digits(1, 2) || !sep(":") || !digits(2, 2)) return false;
  if (sep(":") && !digits(2, 2)) return false;
  return i == t.size();
}

// A byline that names its speaker ("Mark says:", "Michael McBride said..."): a comment's, as
// nothing else on a page is.
bool IsSpeakerByline(std::string_view t) {
  for (size_t at = 0; (at = t.find("said", at)) != std::string_view::npos; at += 4) {
    std::string_view rest = t.substr(at + 4);
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (rest.substr(0, 3) == "..." || rest.substr(0, 3) == "\xE2\x80\xA6") return true;
  }
  for (size_t at = 0; at + 4 <= t.size(); ++at) {
    if ((t[at] | 0x20) != 's' || (t[at + 1] | 0x20) != 'a' || (t[at + 2] | 0x20) != 'y' ||
        (t[at + 3] | 0x20) != 's') {
      continue;
    }
    size_t k = at + 4;
    while (k < t.size() && (t[k] == ' ' || t[k] == '\t')) ++k;
    if (k < t.size() && t[k] == ':') return true;
  }
  return false;
}

}  // namespace

std::string_view LabelName(Label label) {
  switch (label) {
    case Label::kArticle:
      return "article";
    case Label::kBoilerplate:
      return "boilerplate";
    case Label::kCommentsHeader:
      return "comments_header";
    case Label::kComment:
      return "comment";
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
int OnCue(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
          void* context) {
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

Analyzer::Analyzer(std::unique_ptr<Patterns> p, const Thresholds& t) : p_(std::move(p)), t_(t) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const Thresholds& thresholds) {
  auto p = std::make_unique<Patterns>();
  auto compile = [](std::string_view pattern, text::Regex* out,
                    bool unicode_classes = true) -> Status {
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
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(p), thresholds));
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

bool Analyzer::IsCommentHeader(std::string_view line, uint8_t cues,
                               AnalyzerScratch& scratch) const {
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
      std::all_of(t.begin(), t.begin() + static_cast<ptrdiff_t>(colon),
                  [](char c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-'; }) &&
      t.find(' ') > colon) {
    return false;
  }
  // Every byline pattern needs a date (a month name as a word beside a number, or two
  // separators between digits), "says" or "ago" (after a number): without a digit only
  // "says" can match, and most lines of prose have none.
  if (std::none_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    size_t b, e;
    return (cues & kSaysCue) != 0 && Words(t) <= 16 &&
           p_->byline.Find(t, 0, false, *scratch.regex, &b, &e);
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
      if (j + 1 < t.size() && (t[j] == '/' || t[j] == '.' || t[j] == '-') && t[j + 1] >= '0' &&
          t[j + 1] <= '9') {
        size_t k = j + 1;
        while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
        if (k + 1 < t.size() && (t[k] == '/' || t[k] == '.' || t[k] == '-') && t[k + 1] >= '0' &&
            t[k + 1] <= '9') {
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
      // A month glued to the name before it ("ElizabethOctober"): the run's last capital
      // after a lowercase letter starts it.
      for (size_t u = j; u > i + 1 && j - u < 9; --u) {
        const char up = t[u - 1], before = t[u - 2];
        if (up >= 'A' && up <= 'Z') {
          if (before >= 'a' && before <= 'z' && IsMonthWord(t.substr(u - 1, j - u + 1))) {
            month = true;
            first_candidate = std::min(first_candidate, u - 2);
          }
          break;
        }
      }
      if (j - i >= 3 && j - i <= 9) {
        const uint32_t w = (uint32_t{kFold[c]} << 16) |
                           (uint32_t{kFold[static_cast<unsigned char>(t[i + 1])]} << 8) |
                           kFold[static_cast<unsigned char>(t[i + 2])];
        switch (w) {
          case 0x6a616e:
          case 0x666562:
          case 0x6d6172:
          case 0x617072:
          case 0x6d6179:
          case 0x6a756e:
          case 0x6a756c:
          case 0x617567:
          case 0x736570:
          case 0x6f6374:
          case 0x6e6f76:
          case 0x646563:
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
  if (std::none_of(t.begin(), t.end(),
                   [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; })) {
    return false;
  }
  if (Words(t) > 16) return false;
  size_t b, e;
  // The expression starts where the screen found the first candidate (lookbehind still sees
  // the bytes before it).
  return p_->byline.Find(t, numeric_date || month ? first_candidate : 0, false, *scratch.regex, &b,
                         &e);
}

bool Analyzer::IsBoilerplate(std::string_view line, uint8_t cues, AnalyzerScratch& scratch) const {
  std::string_view t = Trim(line);
  if (t.empty() || t.size() > kMaxStrongBytes) return false;
  // Navigation needs three separators: '|', " > ", " / ", or a multi-byte one ("•", "·",
  // "»", "›", "►", whose lead bytes are 0xC2 and 0xE2): counted cheaply first.
  // memchr-speed scans first: most lines have none of the separators.
  const bool maybe_nav =
      t.size() <= 250 &&
      (t.find('|') != std::string_view::npos || HasNonAscii(t) ||
       t.find(" > ") != std::string_view::npos || t.find(" / ") != std::string_view::npos);
  if (maybe_nav) {
    size_t separators = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      const auto b = static_cast<unsigned char>(t[i]);
      separators += b == '|' || b == 0xC2 || b == 0xE2 ||
                    ((b == '>' || b == '/') && i > 0 && i + 1 < t.size() && t[i - 1] == ' ' &&
                     t[i + 1] == ' ');
    }
    if (separators >= 3 && IsNavigation(t)) return true;
  }
  size_t b, e;
  if (t.size() <= kMaxWeakBytes && (cues & kWeakCue) != 0 &&
      p_->weak.Find(t, 0, false, *scratch.regex, &b, &e)) {
    return true;
  }
  return (cues & kStrongCue) != 0 && p_->strong.Find(t, 0, false, *scratch.regex, &b, &e);
}

// ---- the page ----

void Analyzer::MarkLines(std::string_view text, AnalyzerScratch& scratch,
                         const Analysis& out) const {
  const size_t n = out.lines.size();
  std::vector<uint8_t>& cues = scratch.cues;
  ScanCues(text, out.lines, scratch, &cues);
  std::vector<std::string_view>& line = scratch.line;
  std::vector<uint8_t>&blank = scratch.blank, &header = scratch.header, &byline = scratch.byline,
  &boiler = scratch.boiler;
  std::vector<uint32_t>& words = scratch.words;
  line.assign(n, std::string_view());
  for (std::vector<uint8_t>* v : {&blank, &header, &byline, &boiler}) v->assign(n, 0);
  words.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    line[i] = Trim(text.substr(out.lines[i].first, out.lines[i].second - out.lines[i].first));
    blank[i] = line[i].empty();
    if (blank[i]) continue;
    words[i] = static_cast<uint32_t>(Words(line[i]));
    header[i] = IsCommentHeader(line[i], cues[i], scratch);
    // A line that continues a sentence wrapped from the line before (hard-wrapped mail and
    // news: the line before is article text as long as a wrap width, and ends mid-sentence)
    // is neither a byline nor boilerplate: those cues are not checked.
    if (!header[i] && i > 0 && !blank[i - 1] && !boiler[i - 1] && !header[i - 1] &&
        line[i - 1].size() >= t_.wrap_min_bytes && line[i - 1].size() <= t_.wrap_max_bytes &&
        !EndsSentence(line[i - 1]) && words[i - 1] >= t_.wrap_min_words) {
      continue;
    }
    byline[i] = !header[i] && IsByline(line[i], cues[i], scratch);
    // 2: a byline naming its speaker, which no listing or schedule has.
    if (byline[i] && (cues[i] & kSaysCue) && IsSpeakerByline(line[i])) byline[i] = 2;
    boiler[i] = !header[i] && IsBoilerplate(line[i], cues[i], scratch);
  }
  // A bare date ("10/12/2012") is a byline when a name stands on the line before it (a short
  // line, not a sentence, not a cue of its own): a comment's name and date on two lines.
  for (size_t i = 1; i < n; ++i) {
    if (blank[i] || byline[i] || header[i] || boiler[i] || !IsBareNumericDate(line[i])) continue;
    size_t p = i;
    while (p > 0 && blank[p - 1]) --p;
    if (p == 0) continue;
    --p;
    if (!byline[p] && !header[p] && !boiler[p] && words[p] <= t_.author_max_words &&
        line[p].size() <= t_.author_max_bytes && !EndsSentence(line[p]) &&
        !IsBareNumericDate(line[p])) {
      byline[i] = 1;
    }
  }
  std::vector<uint32_t>&article_prefix = scratch.article_prefix,
  &words_prefix = scratch.words_prefix;
  article_prefix.assign(n + 1, 0);
  words_prefix.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    const bool said = !blank[i] && !boiler[i] && !header[i];
    article_prefix[i + 1] = article_prefix[i] + said;
    words_prefix[i + 1] = words_prefix[i] + (said ? words[i] : 0);
  }
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
  MarkLines(text, scratch, *out);
  const Page page{out->lines.size(), &scratch.line,           &scratch.blank,
                  &scratch.header,   &scratch.byline,         &scratch.boiler,
                  &scratch.words,    &scratch.article_prefix, &scratch.words_prefix};
  // Where the comment section starts: a header with comments after it; else, unless the page
  // is made of posts from the top, a run of bylines after some article.
  size_t start = FindSectionAfterHeader(page, t_);
  if (start < page.n) {
    out->section = Analysis::Section::kAfterHeader;
  } else if (OpensWithPosts(page, t_)) {
    out->posts_from_top = true;
  } else if ((start = FindThreadAfterArticle(page, t_)) < page.n) {
    out->section = Analysis::Section::kThreadAfterArticle;
  } else if ((start = FindNameThread(page, t_)) < page.n) {
    out->section = Analysis::Section::kNameThread;
  }
  LabelLines(page, start, out);
  DescribeComments(page, t_, out);
}

}  // namespace winnow::anatomy
