#include "winnow/io/charset.h"

#include <simdjson.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "winnow/core/json_writer.h"

namespace winnow::io {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value after "charset=" in `s` (quotes and spaces trimmed), or "".
std::string AfterCharsetKey(std::string_view s) {
  std::string lower = Lower(s);
  size_t at = lower.find("charset");
  if (at == std::string::npos) return "";
  at += 7;
  while (at < s.size() && (s[at] == ' ' || s[at] == '\t')) ++at;
  if (at >= s.size() || s[at] != '=') return "";
  ++at;
  while (at < s.size() && (s[at] == ' ' || s[at] == '"' || s[at] == '\'')) ++at;
  size_t end = at;
  while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '-' ||
                            s[end] == '_' || s[end] == '.' || s[end] == ':')) {
    ++end;
  }
  return std::string(s.substr(at, end - at));
}

bool IsUtf8Name(std::string_view name) {
  std::string l = Lower(name);
  return l == "utf-8" || l == "utf8";
}

// ICU conversion to UTF-8; false when ICU does not know the charset.
bool Convert(std::string_view bytes, const std::string& charset, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset.c_str(), &status);
  if (U_FAILURE(status)) return false;
  std::unique_ptr<UConverter, void (*)(UConverter*)> guard(conv, ucnv_close);
  // To UTF-16, then UTF-8 (ICU's pivot anyway); unmappable bytes become U+FFFD.
  std::u16string wide(bytes.size() * 2 + 16, u'\0');
  status = U_ZERO_ERROR;
  int32_t n = ucnv_toUChars(conv, wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                            static_cast<int32_t>(bytes.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    wide.resize(static_cast<size_t>(n) + 1);
    status = U_ZERO_ERROR;
    n = ucnv_toUChars(conv, wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                      static_cast<int32_t>(bytes.size()), &status);
  }
  if (U_FAILURE(status)) return false;
  // UTF-16 to UTF-8 with ICU too: lone surrogates become U+FFFD.
  out->resize(static_cast<size_t>(n) * 3 + 1);
  int32_t length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out->data(), static_cast<int32_t>(out->size()), &length, wide.data(), n,
                     0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return false;
  out->resize(static_cast<size_t>(length));
  std::erase(*out, '\0');  // NUL bytes carry nothing in text
  return true;
}

}  // namespace

std::string CharsetFromContentType(std::string_view content_type) {
  return AfterCharsetKey(content_type);
}

std::string CharsetFromMeta(std::string_view html) {
  std::string_view head = html.substr(0, std::min<size_t>(html.size(), 4096));
  std::string lower = Lower(head);
  for (size_t at = lower.find("<meta"); at != std::string::npos; at = lower.find("<meta", at + 5)) {
    size_t end = lower.find('>', at);
    if (end == std::string::npos) break;
    std::string_view tag = std::string_view(head).substr(at, end - at);
    std::string cs = AfterCharsetKey(tag);
    if (!cs.empty()) return cs;
  }
  return "";
}

DecodedPage DecodeToUtf8(std::string_view bytes, std::string_view http_content_type) {
  DecodedPage page;
  auto result = [&](std::string charset, std::string_view source) {
    page.charset = std::move(charset);
    page.source = source;
    return page;
  };
  auto valid = [](std::string_view b) { return simdjson::validate_utf8(b.data(), b.size()); };
  // The bytes as UTF-8, their invalid sequences replaced unless they are known to be valid.
  auto as_utf8 = [&](std::string_view b, bool known_valid, std::string_view source) {
    page.text = known_valid ? std::string(b) : ToValidUtf8(b);
    return result("UTF-8", source);
  };
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    std::string_view rest = bytes.substr(3);
    return as_utf8(rest, valid(rest), "bom");
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const char* cs = bytes.starts_with("\xFF\xFE") ? "UTF-16LE" : "UTF-16BE";
    if (Convert(bytes.substr(2), cs, &page.text)) return result(cs, "bom");
  }
  const bool valid_utf8 = valid(bytes);
  // Valid UTF-8 with non-ASCII bytes is UTF-8, whatever is declared.
  if (valid_utf8 && HasNonAscii(bytes)) return as_utf8(bytes, true, "utf8");
  std::string declared = CharsetFromContentType(http_content_type);
  std::string_view source = "http";
  if (declared.empty()) {
    declared = CharsetFromMeta(bytes);
    source = "meta";
  }
  if (valid_utf8) return as_utf8(bytes, true, declared.empty() ? "utf8" : source);  // ASCII
  if (!declared.empty() && IsUtf8Name(declared)) return as_utf8(bytes, false, source);
  if (!declared.empty()) {
    // HTML's rule: latin-1 and ascii labels mean windows-1252.
    std::string l = Lower(declared);
    if (l == "iso-8859-1" || l == "latin1" || l == "us-ascii" || l == "ascii")
      declared = "windows-1252";
    if (Convert(bytes, declared, &page.text)) return result(declared, source);
  }
  // Detection.
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&status);
  if (U_SUCCESS(status)) {
    std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> guard(det, ucsdet_close);
    size_t n = std::min<size_t>(bytes.size(), 64 << 10);
    ucsdet_setText(det, bytes.data(), static_cast<int32_t>(n), &status);
    ucsdet_enableInputFilter(det, true);  // ignore markup
    const UCharsetMatch* m = ucsdet_detect(det, &status);
    if (U_SUCCESS(status) && m != nullptr) {
      const char* name = ucsdet_getName(m, &status);
      int32_t confidence = ucsdet_getConfidence(m, &status);
      // UTF-16/32 without a byte order mark do not occur on the web; short texts make the
      // detector guess them.
      bool wide = name != nullptr && (std::string_view(name).starts_with("UTF-16") ||
                                      std::string_view(name).starts_with("UTF-32"));
      if (U_SUCCESS(status) && name != nullptr && !IsUtf8Name(name) && !wide && confidence >= 20 &&
          Convert(bytes, name, &page.text)) {
        return result(name, "detected");
      }
    }
  }
  if (Convert(bytes, "windows-1252", &page.text)) return result("windows-1252", "default");
  return as_utf8(bytes, false, "default");
}

}  // namespace winnow::io
