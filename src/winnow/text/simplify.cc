#include "winnow/text/simplify.h"

#include <unicode/uchar.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "winnow/core/json_writer.h"
#include "winnow/text/py_str.h"
#include "winnow/text/utf8.h"

namespace winnow::text {
namespace {

// Start of the code point that ends at s[end - 1].
size_t PreviousStart(std::string_view s, size_t end) {
  size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// datatrove's PUNCTUATION (datatrove/utils/text.py), which simplify_text turns into spaces:
// every ASCII punctuation mark, C0 controls but \t and \n, DEL and the C1 controls, and these.
constexpr char32_t kNonAsciiPunctuation[] = {
    0x2014, 0x201D, 0xFF05, 0xFF11, 0x3008, 0x3001, 0x2501, 0x3010, 0x300C, 0x300D, 0xFF0C, 0x3011,
    0xFF1B, 0x201C, 0x300A, 0x201E, 0x2019, 0x2236, 0x00B4, 0xFF0E, 0xFF08, 0x2013, 0xFF1F, 0xFF01,
    0xFF1A, 0xFF5E, 0x00AB, 0x3009, 0x300B, 0xFF09, 0x3002, 0x2026, 0x25BA, 0x00BB};

bool IsDatatrovePunctuation(char32_t c) {
  if (c < 0x80) {
    if (c < 0x20) return c != '\t' && c != '\n';
    if (c == 0x7F) return true;
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
  }
  if (c < 0xA0) return true;  // C1 controls
  return std::find(std::begin(kNonAsciiPunctuation), std::end(kNonAsciiPunctuation), c) !=
         std::end(kNonAsciiPunctuation);
}

// The separators NUMBERS_PATTERN allows inside a number: . , ، ٫ ⎖ ⎗ ⎘
bool IsNumberSeparator(char32_t c) {
  return c == '.' || c == ',' || c == 0x060C || c == 0x066B || c == 0x2396 || c == 0x2397 ||
         c == 0x2398;
}

bool IsCased(char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASED); }
bool IsCaseIgnorable(char32_t c) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASE_IGNORABLE);
}

// Python's lower() of U+03A3 at s[i, i+2): final sigma when a cased letter precedes it (case
// ignorables skipped) and none follows.
char32_t LowerCapitalSigma(std::string_view s, size_t i) {
  bool final_sigma = false;
  for (size_t end = i; end > 0;) {
    size_t start = PreviousStart(s, end), len;
    char32_t c = DecodeAt(s, start, &len);
    if (!IsCaseIgnorable(c)) {
      final_sigma = IsCased(c);
      break;
    }
    end = start;
  }
  if (final_sigma) {
    for (size_t j = i + 2; j < s.size();) {
      size_t len;
      char32_t c = DecodeAt(s, j, &len);
      if (!IsCaseIgnorable(c)) {
        final_sigma = !IsCased(c);
        break;
      }
      j += len;
    }
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

// Consumes a number starting at s[i] (a decimal digit) and returns its end.
size_t NumberEnd(std::string_view s, size_t i) {
  auto digits_end = [&](size_t j) {
    while (j < s.size()) {
      size_t len;
      char32_t c = DecodeAt(s, j, &len);
      if (!PyIsDecimal(c)) break;
      j += len;
    }
    return j;
  };
  size_t j = digits_end(i);
  if (j < s.size()) {
    size_t sep_len;
    char32_t sep = DecodeAt(s, j, &sep_len);
    if (IsNumberSeparator(sep) && j + sep_len < s.size()) {
      size_t len;
      if (PyIsDecimal(DecodeAt(s, j + sep_len, &len))) j = digits_end(j + sep_len);
    }
  }
  return j;
}

// What SpacedWriter does with an ASCII character: the same tests as Put(), tabulated once.
enum : uint8_t { kKeep, kUpper, kSeparator };
const std::array<uint8_t, 128>& AsciiKinds() {
  static const std::array<uint8_t, 128> kinds = [] {
    std::array<uint8_t, 128> k{};
    for (char32_t c = 0; c < 128; ++c) {
      k[c] = PyIsSpace(c) || IsDatatrovePunctuation(c) ? kSeparator
             : c >= 'A' && c <= 'Z'                    ? kUpper
                                                       : kKeep;
    }
    return k;
  }();
  return kinds;
}

// Appends code points, turning spaces and datatrove's punctuation into one separating space
// between words (none at either end). With `origins`, records for every byte written the
// input range it came from (set by From() before each Put). Writes through a pointer into
// *out, sized up front: no input character gives more than 1.5 times its bytes (a lowercase
// mapping of a 2-byte letter takes 3; U+0130 becomes "i" U+0307), and a separating space
// stands where at least one separator byte gave nothing.
class SpacedWriter {
 public:
  SpacedWriter(std::string* out, size_t input_bytes,
               std::vector<std::pair<uint32_t, uint32_t>>* origins)
      : out_(out), origins_(origins) {
    out_->resize(input_bytes * 2 + 16);
    base_ = w_ = out_->data();
  }
  void From(size_t begin, size_t end) {
    from_ = {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }
  // Put() of an ASCII character other than a digit, by table (the hot path: most text).
  void PutAscii(unsigned char b) {
    const uint8_t kind = kinds_[b];
    if (kind == kSeparator) {
      pending_space_ = w_ != base_;
      return;
    }
    if (pending_space_) *w_++ = ' ';
    pending_space_ = false;
    *w_++ = static_cast<char>(kind == kUpper ? b | 0x20 : b);
    if (origins_ != nullptr) Record();
  }
  void Put(char32_t c) {
    if (PyIsSpace(c) || IsDatatrovePunctuation(c)) {
      pending_space_ = w_ != base_;
      return;
    }
    if (pending_space_) *w_++ = ' ';
    pending_space_ = false;
    if (c < 0x80) {
      *w_++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *w_++ = static_cast<char>(0xC0 | (c >> 6));
      *w_++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *w_++ = static_cast<char>(0xE0 | (c >> 12));
      *w_++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w_++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *w_++ = static_cast<char>(0xF0 | (c >> 18));
      *w_++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *w_++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w_++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    if (origins_ != nullptr) Record();
  }
  // Cuts *out to what was written.
  void Finish() { out_->resize(static_cast<size_t>(w_ - base_)); }

  // PutAscii() over text[i, ...) while the characters are ASCII and not digits, with the
  // writer's state in locals (the compiler keeps members in memory across the loop); returns
  // where it stopped. Only without origins.
  size_t PutAsciiRun(std::string_view text, size_t i) {
    // Locals, not members: a store through a char* may alias any member, so the compiler
    // would load them again after every byte written.
    char* w = w_;
    char* const base = base_;
    const uint8_t* const kinds = kinds_.data();
    const char* const s = text.data();
    const size_t n = text.size();
    bool pending = pending_space_;
#if defined(__SSE2__)
    // 16 bytes at a time: the block's leading letters and single spaces (prose up to its next
    // punctuation mark) are lowercased by OR 0x20 (a space stays a space) and stored whole,
    // a space at their end left pending as the byte loop would; the byte loop takes the
    // byte that stopped them.
    const __m128i a = _mm_set1_epi8('a'), z = _mm_set1_epi8(25), space = _mm_set1_epi8(' '),
                  to_lower = _mm_set1_epi8(0x20);
#endif
    for (; i < n; ++i) {
#if defined(__SSE2__)
      if (i + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        const __m128i lower = _mm_or_si128(v, to_lower);
        const __m128i d = _mm_sub_epi8(lower, a);
        const __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(d, z), d);  // lower - 'a' <= 25
        const __m128i is_space = _mm_cmpeq_epi8(v, space);
        const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(is_space));
        const auto ok = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(letter, is_space)));
        // Good bytes: letters, and spaces but the second of two and a space that would lead
        // the output (dropped there).
        const unsigned good =
            ok & ~((spaces & (spaces << 1)) | (w == base ? 1u : 0u) * (spaces & 1));
        const int run = __builtin_ctz(~good | 0x10000u);
        if (run > 0) {
          if (pending && !(spaces & 1)) *w++ = ' ';
          _mm_storeu_si128(reinterpret_cast<__m128i*>(w), lower);  // *out has 16 bytes slack
          const bool trailing = (spaces >> (run - 1)) & 1;
          w += run - (trailing ? 1 : 0);
          pending = trailing;
          i += static_cast<size_t>(run);
          if (i >= n) break;
        }
      }
#endif
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80 || (c >= '0' && c <= '9')) break;
      const uint8_t kind = kinds[c];
      if (kind == kSeparator) {
        pending = w != base;
        continue;
      }
      if (pending) *w++ = ' ';
      pending = false;
      *w++ = static_cast<char>(kind == kUpper ? c | 0x20 : c);
    }
    w_ = w;
    pending_space_ = pending;
    return i;
  }

 private:
  // Every byte not yet recorded (a separating space included) came from the current range.
  void Record() { origins_->resize(static_cast<size_t>(w_ - base_), from_); }

  std::string* out_;
  std::vector<std::pair<uint32_t, uint32_t>>* origins_;
  const std::array<uint8_t, 128>& kinds_ = AsciiKinds();  // once, not a guarded static per char
  char* base_ = nullptr;
  char* w_ = nullptr;
  std::pair<uint32_t, uint32_t> from_{0, 0};
  bool pending_space_ = false;
};

// NFD without the nonspacing marks, for text with non-ASCII bytes. With `origins` (those of
// `s`), *out_origins gets the origin of each byte written: that of the character it came from.
void DecomposeDroppingMarks(std::string_view s, std::string* out,
                            const std::vector<std::pair<uint32_t, uint32_t>>* origins,
                            std::vector<std::pair<uint32_t, uint32_t>>* out_origins) {
  out->clear();
  utf8proc_int32_t buffer[32];
  auto record = [&](size_t at) {
    if (origins != nullptr) out_origins->resize(out->size(), (*origins)[at]);
  };
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out->push_back(s[i++]);
      record(at);
      continue;
    }
    size_t len;
    char32_t c = DecodeAt(s, i, &len);
    i += len;
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buffer, 32,
                                                 UTF8PROC_DECOMPOSE, &boundclass);
    if (n < 0 || n > 32) {  // cannot happen for valid code points; keep the input
      AppendUtf8(c, out);
      record(at);
      continue;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      if (utf8proc_category(buffer[k]) == UTF8PROC_CATEGORY_MN) continue;
      AppendUtf8(static_cast<char32_t>(buffer[k]), out);
    }
    record(at);
  }
}

}  // namespace

void SimplifyText(std::string_view text, std::string* out) { SimplifyText(text, out, nullptr); }

void SimplifyText(std::string_view text, std::string* out,
                  std::vector<std::pair<uint32_t, uint32_t>>* origins) {
  out->clear();
  if (origins != nullptr) origins->clear();
  SpacedWriter writer(out, text.size(), origins);
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (b >= '0' && b <= '9') {
        const size_t end = NumberEnd(text, i);
        writer.From(i, end);
        i = end;
        writer.Put('0');
        continue;
      }
      if (origins == nullptr) {
        i = writer.PutAsciiRun(text, i);
        continue;
      }
      writer.From(i, i + 1);
      writer.PutAscii(b);
      ++i;
      continue;
    }
    size_t len;
    char32_t c = DecodeAt(text, i, &len);
    if (PyIsDecimal(c)) {
      const size_t end = NumberEnd(text, i);
      writer.From(i, end);
      i = end;
      writer.Put('0');
      continue;
    }
    writer.From(i, i + len);
    if (c == 0x130) {  // the one unconditional multi-code-point lower case mapping
      writer.Put('i');
      writer.Put(0x307);
    } else if (c == 0x3A3) {
      writer.Put(LowerCapitalSigma(text, i));
    } else {
      writer.Put(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
    }
    i += len;
  }
  writer.Finish();
  // NFD changes only non-ASCII code points, and the writer leaves no whitespace at either end:
  // an ASCII result (most text, its curly quotes and dashes having become spaces) is final.
  if (std::all_of(out->begin(), out->end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return;
  }
  std::string decomposed;
  std::vector<std::pair<uint32_t, uint32_t>> decomposed_origins;
  DecomposeDroppingMarks(*out, &decomposed, origins, &decomposed_origins);
  std::string_view stripped = PyStrip(decomposed);
  if (origins != nullptr) {
    const auto skip = static_cast<size_t>(stripped.data() - decomposed.data());
    origins->assign(decomposed_origins.begin() + static_cast<ptrdiff_t>(skip),
                    decomposed_origins.begin() + static_cast<ptrdiff_t>(skip + stripped.size()));
  }
  out->assign(stripped.data(), stripped.size());
}

void FoldTokens(std::string_view text, std::string* folded, std::vector<std::string_view>* tokens) {
  folded->clear();
  folded->reserve(text.size());
  tokens->clear();
  std::vector<std::pair<size_t, size_t>> bounds;  // views are made once *folded stops growing
  size_t start = 0;
  bool in_token = false;
  auto separator = [&] {
    if (in_token) bounds.emplace_back(start, folded->size());
    in_token = false;
  };
  auto letter = [&] {
    if (!in_token) start = folded->size();
    in_token = true;
  };
  utf8proc_int32_t buffer[8];
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      const bool lower = b >= 'a' && b <= 'z', upper = b >= 'A' && b <= 'Z';
      if (lower || upper || (b >= '0' && b <= '9')) {
        letter();
        folded->push_back(static_cast<char>(upper ? b | 0x20 : b));
      } else {
        separator();
      }
      ++i;
      continue;
    }
    size_t len;
    char32_t c = DecodeAt(text, i, &len);
    i += len;
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buffer, 8,
                                                 UTF8PROC_CASEFOLD, &boundclass);
    if (n < 0 || n > 8) {
      buffer[0] = static_cast<utf8proc_int32_t>(c);
      n = 1;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      switch (utf8proc_category(buffer[k])) {
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
        case UTF8PROC_CATEGORY_NO:
          letter();
          AppendUtf8(static_cast<char32_t>(buffer[k]), folded);
          break;
        default:
          separator();
      }
    }
  }
  separator();
  tokens->reserve(bounds.size());
  for (auto [b, e] : bounds) tokens->emplace_back(folded->data() + b, e - b);
}

}  // namespace winnow::text
