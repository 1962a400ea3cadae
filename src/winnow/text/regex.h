// Regex: a PCRE2 pattern (UTF, Unicode properties, JIT-compiled) written in Python `re` syntax.
//
// datatrove and spaCy define their rules as Python regular expressions; PCRE2 implements the
// same backtracking semantics (leftmost match, alternatives tried in order, lookaround), so
// the patterns are kept as written, with Python's \uXXXX and \UXXXXXXXX escapes rewritten to
// \x{...}. A Regex is immutable after FromPython() and shared by threads; each thread brings a
// RegexScratch (match data, JIT stack). A match that exceeds the match limit (pathological
// backtracking on hostile input) reports no match and counts itself in the scratch, so callers
// can surface it instead of hanging.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::text {

class RegexScratch;

class Regex {
 public:
  Regex();
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  // Compiles a Python `re` pattern. InvalidArgument with PCRE2's message when it does not
  // compile. `unicode_classes` (Python 3's default): \b, \w, \d and \s follow Unicode
  // properties; without it they are ASCII, which PCRE2 matches several times faster (for
  // patterns whose cues are ASCII anyway).
  static Result<Regex> FromPython(std::string_view pattern, bool unicode_classes = true);

  // Tries the pattern on `subject` from byte `start`: at `start` only when `anchored`, else
  // at `start` and every later position. Lookbehind sees the bytes before `start`. On a match
  // stores its byte range and returns true.
  bool Find(std::string_view subject, size_t start, bool anchored, RegexScratch& scratch,
            size_t* match_begin, size_t* match_end) const;

 private:
  // PCRE2 runs JIT code only for options fixed at compile time: PCRE2_ANCHORED passed to
  // pcre2_match() silently falls back to the interpreter. So the pattern is compiled twice.
  void* code_ = nullptr;           // pcre2_code*, unanchored
  void* anchored_code_ = nullptr;  // pcre2_code*, compiled with PCRE2_ANCHORED
};

class RegexScratch {
 public:
  RegexScratch();
  ~RegexScratch();
  RegexScratch(const RegexScratch&) = delete;
  RegexScratch& operator=(const RegexScratch&) = delete;

  // Matches abandoned at the match limit.
  uint64_t limit_hits() const { return limit_hits_; }

 private:
  friend class Regex;
  void* match_data_;  // pcre2_match_data*
  void* context_;     // pcre2_match_context*
  void* jit_stack_;   // pcre2_jit_stack*
  uint64_t limit_hits_ = 0;
};

// Rewrites Python `re` escapes that PCRE2 spells differently (\uXXXX, \UXXXXXXXX) and drops a
// leading (?u) flag (Unicode is always on here).
std::string PythonToPcre(std::string_view pattern);

}  // namespace winnow::text
