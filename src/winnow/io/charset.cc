#include "winnow/io/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include <simdjson.h>

#include "winnow/core/json_writer.h"

namespace winnow::io {
namespace {

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

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

bool HasMultiByte(std::string_view s) {
  // Word at a time: any byte with its top bit set.
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ull) return true;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return true;
  }
  return false;
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
  out->clear();
  out->reserve(static_cast<size_t>(n) + static_cast<size_t>(n) / 2);
  for (int32_t i = 0; i < n; ++i) {
    char32_t c = wide[static_cast<size_t>(i)];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && wide[static_cast<size_t>(i) + 1] >= 0xDC00 &&
        wide[static_cast<size_t>(i) + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (wide[static_cast<size_t>(++i)] - 0xDC00);
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;  // a lone surrogate
    }
    if (c == 0) continue;  // NUL bytes carry nothing in text
    AppendUtf8(c, out);
  }
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
  auto valid = [](std::string_view b) { return simdjson::validate_utf8(b.data(), b.size()); };
  auto as_utf8 = [&](std::string_view b, std::string_view source) {
    page.text = valid(b) ? std::string(b) : ToValidUtf8(b);
    page.charset = "UTF-8";
    page.source = source;
    return page;
  };
  if (bytes.starts_with("\xEF\xBB\xBF")) return as_utf8(bytes.substr(3), "bom");
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const char* cs = bytes.starts_with("\xFF\xFE") ? "UTF-16LE" : "UTF-16BE";
    if (Convert(bytes.substr(2), cs, &page.text)) {
      page.charset = cs;
      page.source = "bom";
      return page;
    }
  }
  const bool valid_utf8 = valid(bytes);
  // Valid UTF-8 with non-ASCII bytes is UTF-8, whatever is declared.
  if (valid_utf8 && HasMultiByte(bytes)) {
    page.text.assign(bytes);
    page.charset = "UTF-8";
    page.source = "utf8";
    return page;
  }
  std::string declared = CharsetFromContentType(http_content_type);
  std::string_view source = "http";
  if (declared.empty()) {
    declared = CharsetFromMeta(bytes);
    source = "meta";
  }
  if (valid_utf8) {  // ASCII
    page.text.assign(bytes);
    page.charset = "UTF-8";
    page.source = declared.empty() ? "utf8" : source;
    return page;
  }
  if (!declared.empty() && !IsUtf8Name(declared)) {
    // HTML's rule: latin-1 and ascii labels mean windows-1252.
    std::string l = Lower(declared);
    if (l == "iso-8859-1" || l == "latin1" || l == "us-ascii" || l == "ascii") declared = "windows-1252";
    if (Convert(bytes, declared, &page.text)) {
      page.charset = declared;
      page.source = source;
      return page;
    }
  }
  if (!declared.empty() && IsUtf8Name(declared)) return as_utf8(bytes, source);
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
      if (U_SUCCESS(status) && name != nullptr && !IsUtf8Name(name) && !wide &&
          confidence >= 20 && Convert(bytes, name, &page.text)) {
        page.charset = name;
        page.source = "detected";
        return page;
      }
    }
  }
  if (Convert(bytes, "windows-1252", &page.text)) {
    page.charset = "windows-1252";
    page.source = "default";
    return page;
  }
  return as_utf8(bytes, "default");
}

}  // namespace winnow::io
