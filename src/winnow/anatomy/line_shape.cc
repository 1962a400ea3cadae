#include "winnow/anatomy/line_shape.h"

#include <algorithm>
#include <cctype>

#include "winnow/text/utf8.h"

namespace winnow::anatomy {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
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

bool Conversational(std::string_view s) {
  static const std::string_view kWords[] = {
      "i",    "i'm",  "im",   "i've",   "i'd",  "i'll", "me",   "my",  "we",       "our",
      "us",   "you",  "your", "you're", "yo",   "mi",   "tu",   "te",  "nosotros", "je",
      "j'ai", "moi",  "mon",  "vous",   "nous", "ich",  "mich", "mir", "du",       "wir",
      "eu",   "você", "io",   "noi",    "ik",   "jij",  "wij"};
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

bool EndsSentence(std::string_view s) {
  if (s.empty()) return false;
  char c = s.back();
  return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')' ||
         (s.size() >= 3 &&
          (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\xA6"));
}

bool HasCommentCounter(std::string_view s) {
  for (size_t at = 0; at + 7 <= s.size(); ++at) {
    if ((s[at] | 0x20) != 'c' || (s[at + 1] | 0x20) != 'o') continue;
    if (!std::equal(s.begin() + static_cast<ptrdiff_t>(at),
                    s.begin() + static_cast<ptrdiff_t>(at + 7), "comment",
                    [](char a, char b) { return (a | 0x20) == b; })) {
      continue;
    }
    size_t k = at;
    while (k > 0 && s[k - 1] == ' ') --k;
    if (k == 0) continue;
    const char before = s[k - 1];
    if (before == '[' || before == '(' || before == '|' || (before >= '0' && before <= '9'))
      return true;
  }
  return false;
}

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

}  // namespace winnow::anatomy
