// Reading web archives: WARC (.warc, .warc.gz with a gzip member per record or one for the
// whole file, Common Crawl's .warc.wet.gz), ARC (.arc, .arc.gz) and single HTML pages.
//
// Each usable record becomes one JSON record in the batch, {"id","url","date","text"}, so the
// rest of the pipeline (parsing, spilling, writing every field through) is the JSONL path:
//   response (HTTP, HTML by declared type or by sniffing) and resource (HTML)
//       -> text is the page as UTF-8 (charset.h) and the record needs extraction;
//   conversion (WET: text already extracted) -> text as given.
// id is WARC-Record-ID, url WARC-Target-URI, date WARC-Date. warcinfo, request, metadata,
// revisit and non-HTML or non-2xx responses are skipped and counted by reason.
//
// Damage never stops the reader: a record without a parsable header or Content-Length, bytes
// between records, or a Content-Length that does not end at a record boundary is reported as
// a Rejected entry with its byte offset (in the decompressed stream), and reading resumes at
// the next "WARC/1." line. A truncated stream ends the shard with a "truncated" entry after
// every complete record. Memory is bounded by max_record_bytes (larger records are skipped,
// streamed past, and reported).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"
#include "winnow/io/record_reader.h"

namespace winnow::io {

// An HTTP response inside a WARC block.
struct HttpResponse {
  int status = 0;
  std::string content_type;       // Content-Type header, as given
  std::string transfer_encoding;  // lowercased
  std::string content_encoding;   // lowercased
  std::string_view body;          // after the header's blank line (still chunked if it was)
};

// Parses the status line and headers of `block`. InvalidArgument when it is not HTTP.
Result<HttpResponse> ParseHttpResponse(std::string_view block);

// Decodes a chunked body. Damaged chunking (a bad size, a short chunk) returns false and, in
// `out`, what could be decoded.
bool DecodeChunked(std::string_view body, std::string* out);

// Whether `content_type` (a header value, possibly empty) or, when it says nothing, the first
// bytes of `body` mark an HTML page.
bool IsHtml(std::string_view content_type, std::string_view body);
// Whether the bytes start as an HTML document does (markup, an <html>, <head>, <body> or
// doctype in the first KB).
bool LooksLikeHtml(std::string_view body);

// Readers for archive and HTML shards; see record_reader.h for the contract.
std::unique_ptr<RecordReader> OpenWarcReader(const std::string& path,
                                             std::unique_ptr<ByteSource> source,
                                             const ReaderOptions& options);
std::unique_ptr<RecordReader> OpenHtmlFileReader(const std::string& path,
                                                 std::unique_ptr<ByteSource> source,
                                                 const ReaderOptions& options);

}  // namespace winnow::io
