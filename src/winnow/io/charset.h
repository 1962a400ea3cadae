// Turning a web page's bytes into UTF-8.
//
// The charset is taken, in order, from a byte order mark, the HTTP Content-Type header, a
// <meta charset> or <meta http-equiv="Content-Type"> in the first 4 KB, and otherwise from
// the bytes: valid UTF-8 stays UTF-8, anything else goes to ICU's charset detector. Pages
// often declare a legacy charset and are UTF-8 in fact: bytes that are valid UTF-8 with
// multi-byte sequences are taken as UTF-8 whatever the declaration says (a windows-1252 or
// latin-1 text almost never forms valid multi-byte UTF-8). Conversion is ICU's; bytes the
// charset cannot map become U+FFFD. The result is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace winnow::io {

struct DecodedPage {
  std::string text;         // UTF-8
  std::string charset;      // what was used, as ICU names it ("UTF-8", "windows-1252", ...)
  std::string_view source;  // "bom", "http", "meta", "utf8", "detected", "default"
};

// The charset named in a Content-Type value ("text/html; charset=ISO-8859-1"), or "".
std::string CharsetFromContentType(std::string_view content_type);

// The charset a <meta> element declares in the first 4 KB of `html`, or "".
std::string CharsetFromMeta(std::string_view html);

DecodedPage DecodeToUtf8(std::string_view bytes, std::string_view http_content_type);

}  // namespace winnow::io
