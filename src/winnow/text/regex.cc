#include "winnow/text/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace winnow::text {
namespace {

// Enough for any sane pattern on any sane input; hostile input stops here instead of hanging.
constexpr uint32_t kMatchLimit = 1'000'000;

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string PythonToPcre(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 64);
  if (p.substr(0, 4) == "(?u)") p.remove_prefix(4);
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '\\' || i + 1 >= p.size()) {
      out.push_back(p[i]);
      continue;
    }
    char e = p[i + 1];
    size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
    bool hex = digits > 0 && i + 2 + digits <= p.size();
    for (size_t k = 0; hex && k < digits; ++k) hex = IsHex(p[i + 2 + k]);
    if (hex) {
      out += "\\x{";
      out.append(p.substr(i + 2, digits));
      out += '}';
      i += 1 + digits;
    } else {
      // Any other escape means the same in both dialects; copy it whole so that "\\u" stays
      // an escaped backslash followed by 'u'.
      out.push_back('\\');
      out.push_back(e);
      ++i;
    }
  }
  return out;
}

namespace {

void FreeCode(void* code) {
  if (code != nullptr) pcre2_code_free(static_cast<pcre2_code*>(code));
}

Result<void*> Compile(const std::string& pcre, uint32_t extra_options) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pcre.data()), pcre.size(),
                    PCRE2_UTF | PCRE2_NO_UTF_CHECK | extra_options, &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(error, msg, sizeof(msg));
    return Status::InvalidArgument("regex: " + std::string(reinterpret_cast<char*>(msg)) +
                                   " at offset " + std::to_string(offset));
  }
  // JIT is an optimisation: without it (an unsupported CPU) matching is slower, not wrong.
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return static_cast<void*>(code);
}

}  // namespace

Regex::Regex() = default;
Regex::~Regex() {
  FreeCode(code_);
  FreeCode(anchored_code_);
}
Regex::Regex(Regex&& o) noexcept : code_(o.code_), anchored_code_(o.anchored_code_) {
  o.code_ = o.anchored_code_ = nullptr;
}
Regex& Regex::operator=(Regex&& o) noexcept {
  if (this != &o) {
    FreeCode(code_);
    FreeCode(anchored_code_);
    code_ = o.code_;
    anchored_code_ = o.anchored_code_;
    o.code_ = o.anchored_code_ = nullptr;
  }
  return *this;
}

Result<Regex> Regex::FromPython(std::string_view pattern, bool unicode_classes) {
  std::string pcre = PythonToPcre(pattern);
  const uint32_t ucp = unicode_classes ? PCRE2_UCP : 0;
  Regex r;
  WINNOW_ASSIGN_OR_RETURN(r.code_, Compile(pcre, ucp));
  WINNOW_ASSIGN_OR_RETURN(r.anchored_code_, Compile(pcre, ucp | PCRE2_ANCHORED));
  return r;
}

bool Regex::Find(std::string_view subject, size_t start, bool anchored, RegexScratch& scratch,
                 size_t* match_begin, size_t* match_end) const {
  auto* md = static_cast<pcre2_match_data*>(scratch.match_data_);
  // Subjects are valid UTF-8 (checked when the document was read), so PCRE2's own check,
  // which would scan the whole subject on every call, is skipped. That makes a start inside a
  // code point undefined behaviour (the JIT crashed on "Jones\u00a0|\u00a0Wed, Jan 16 2008"
  // when a caller started six bytes before "Jan"): starts move back to a code point.
  while (start > 0 && start < subject.size() &&
         (static_cast<unsigned char>(subject[start]) & 0xC0) == 0x80) {
    --start;
  }
  int rc = pcre2_match(static_cast<const pcre2_code*>(anchored ? anchored_code_ : code_),
                       reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start,
                       PCRE2_NO_UTF_CHECK, md, static_cast<pcre2_match_context*>(scratch.context_));
  if (rc < 0) {
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
        rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
      ++scratch.limit_hits_;
    }
    return false;
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  *match_begin = ov[0];
  *match_end = ov[1];
  return true;
}

RegexScratch::RegexScratch() {
  match_data_ = pcre2_match_data_create(4, nullptr);
  auto* ctx = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(ctx, kMatchLimit);
  auto* stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
  pcre2_jit_stack_assign(ctx, nullptr, stack);
  context_ = ctx;
  jit_stack_ = stack;
}

RegexScratch::~RegexScratch() {
  pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(context_));
  pcre2_jit_stack_free(static_cast<pcre2_jit_stack*>(jit_stack_));
}

}  // namespace winnow::text
