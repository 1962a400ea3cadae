// libFuzzer target: charset decoding and HTML extraction on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "winnow/extract/html_extractor.h"
#include "winnow/io/charset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const winnow::extract::HtmlExtractor extractor;
  static winnow::extract::ExtractScratch scratch;
  winnow::io::DecodedPage page = winnow::io::DecodeToUtf8(bytes, "");
  winnow::extract::Extracted out;
  (void)extractor.Extract(page.text, scratch, &out);
  return 0;
}
