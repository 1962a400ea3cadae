#include "winnow/io/warc_reader.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "winnow/core/json_writer.h"
#include "winnow/io/charset.h"

namespace winnow::io {
namespace {

constexpr size_t kReadChunk = size_t{256} << 10;
constexpr size_t kMaxHeaderBytes = size_t{64} << 10;
constexpr size_t kExcerptBytes = 256;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Calls fn(name_lowercased, value) for each "Name: value" line of a header block.
template <typename Fn>
void ForEachHeader(std::string_view block, Fn fn) {
  size_t at = 0;
  while (at < block.size()) {
    size_t eol = block.find('\n', at);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(at, eol - at);
    at = eol + 1;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    fn(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
}

// The end of a header block starting at `from` ("\r\n\r\n" or "\n\n"): the offset of the
// first byte after it, or npos.
size_t HeaderEnd(std::string_view s, size_t from) {
  for (size_t at = from; at < s.size();) {
    size_t nl = s.find('\n', at);
    if (nl == std::string_view::npos) return std::string_view::npos;
    size_t next = nl + 1;
    if (next < s.size() && s[next] == '\n') return next + 1;
    if (next + 1 < s.size() && s[next] == '\r' && s[next + 1] == '\n') return next + 2;
    at = next;
  }
  return std::string_view::npos;
}

bool ParseUint(std::string_view s, uint64_t* out) {
  s = Trim(s);
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// Inflates a gzip or zlib (deflate) Content-Encoding; false on damage.
bool Inflate(std::string_view in, bool gzip, std::string* out, size_t limit) {
  inflate_state state;
  isal_inflate_init(&state);
  state.crc_flag = gzip ? ISAL_GZIP : ISAL_ZLIB;
  state.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
  state.avail_in = static_cast<uint32_t>(std::min<size_t>(in.size(), UINT32_MAX));
  out->clear();
  char buf[1 << 16];
  while (true) {
    state.next_out = reinterpret_cast<uint8_t*>(buf);
    state.avail_out = sizeof buf;
    int rc = isal_inflate(&state);
    out->append(buf, sizeof buf - state.avail_out);
    if (rc != ISAL_DECOMP_OK) return false;
    if (out->size() > limit) return false;
    if (state.block_state == ISAL_BLOCK_FINISH) return true;
    if (state.avail_in == 0 && state.avail_out != 0) return false;  // truncated
  }
}

}  // namespace

Result<HttpResponse> ParseHttpResponse(std::string_view block) {
  if (!block.starts_with("HTTP/")) return Status::InvalidArgument("not an HTTP response");
  size_t end = HeaderEnd(block, 0);
  if (end == std::string_view::npos) {
    // Headers only, no body.
    end = block.size();
  }
  HttpResponse r;
  size_t eol = block.find('\n');
  std::string_view status_line = block.substr(0, eol);
  size_t sp = status_line.find(' ');
  uint64_t code = 0;
  if (sp == std::string_view::npos || !ParseUint(status_line.substr(sp + 1, 3), &code)) {
    return Status::InvalidArgument("bad HTTP status line");
  }
  r.status = static_cast<int>(code);
  ForEachHeader(block.substr(eol + 1, end - std::min(end, eol + 1)),
                [&](const std::string& name, std::string_view value) {
                  if (name == "content-type") r.content_type = std::string(value);
                  if (name == "transfer-encoding") r.transfer_encoding = Lower(value);
                  if (name == "content-encoding") r.content_encoding = Lower(value);
                });
  r.body = block.substr(end);
  return r;
}

bool DecodeChunked(std::string_view body, std::string* out) {
  out->clear();
  size_t at = 0;
  while (at < body.size()) {
    size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos) return false;
    std::string_view size_line = Trim(body.substr(at, eol - at));
    size_line = size_line.substr(0, size_line.find(';'));  // chunk extensions
    if (size_line.empty() || size_line.size() > 15) return false;
    uint64_t n = 0;
    for (char c : size_line) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                          : -1;
      if (d < 0) return false;
      n = n * 16 + static_cast<uint64_t>(d);
    }
    at = eol + 1;
    if (n == 0) return true;
    if (n > body.size() - at) {
      out->append(body.substr(at));
      return false;
    }
    out->append(body.substr(at, n));
    at += n;
    if (at < body.size() && body[at] == '\r') ++at;
    if (at < body.size() && body[at] == '\n') ++at;
  }
  return false;  // no terminating zero-size chunk
}

bool IsHtml(std::string_view content_type, std::string_view body) {
  std::string ct = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  if (ct == "text/html" || ct == "application/xhtml+xml") return true;
  if (!ct.empty() && ct != "application/octet-stream" && ct != "text/plain" &&
      ct != "unknown/unknown") {
    return false;  // declared as something else: images, PDFs, JSON, CSS...
  }
  return LooksLikeHtml(body);
}

bool LooksLikeHtml(std::string_view body) {
  // Sniff: markup near the start.
  std::string head = Lower(body.substr(0, 1024));
  size_t first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string::npos || head[first] != '<') return false;
  return head.find("<html") != std::string::npos ||
         head.find("<!doctype html") != std::string::npos ||
         head.find("<head") != std::string::npos || head.find("<body") != std::string::npos;
}

namespace {

Rejected MakeRejected(const std::string& path, std::string_view kind, std::string error,
                      uint64_t offset, uint64_t ordinal, std::string_view excerpt) {
  Rejected r;
  r.file = path;
  r.kind = kind;
  r.byte_offset = offset;
  r.ordinal = ordinal;
  r.error = std::move(error) + ": " + path + "@" + std::to_string(offset);
  r.excerpt.assign(excerpt.substr(0, kExcerptBytes));
  return r;
}

std::string_view KindOf(const Status& status) {
  if (status.code() == StatusCode::kCorrupt) {
    return status.message().find("truncated") != std::string_view::npos ? "truncated" : "corrupt";
  }
  return "io";
}

// The part shared by the archive and the HTML-file readers: a stream buffer and the JSON
// records of a batch.
class StreamReader : public RecordReader {
 public:
  StreamReader(std::string path, std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : path_(std::move(path)), source_(std::move(source)), options_(options) {}

  uint64_t compressed_offset() const override { return source_->compressed_offset(); }
  const std::map<std::string, uint64_t>* skipped_records() const override { return &skipped_; }
  const std::map<std::string, uint64_t>* counters() const override { return &counters_; }

 protected:
  size_t avail() const { return buf_.size() - pos_; }
  std::string_view view() const { return std::string_view(buf_).substr(pos_); }
  uint64_t offset() const { return base_ + pos_; }  // stream offset of view()[0]

  // Makes at least `n` bytes available after pos_ unless the stream ends first.
  void Fill(size_t n) {
    while (avail() < n && !eof_) {
      if (pos_ > (size_t{4} << 20) && pos_ > buf_.size() / 2) {
        buf_.erase(0, pos_);
        base_ += pos_;
        pos_ = 0;
      }
      // One chunk at a time: `n` may be a limit (max_record_bytes) far above what the stream
      // holds, and growing the buffer by all of it zero-fills megabytes for nothing.
      size_t old = buf_.size();
      size_t want = kReadChunk;
      buf_.resize(old + want);
      Result<size_t> got = source_->Read(buf_.data() + old, want);
      if (!got.ok()) {
        buf_.resize(old);
        eof_ = true;
        damage_ = got.status();
        return;
      }
      buf_.resize(old + *got);
      consumed_ += *got;
      if (*got == 0) eof_ = true;
    }
  }

  // Drops `n` bytes (streaming past those not in memory).
  void Skip(uint64_t n) {
    while (n > 0) {
      Fill(1);
      if (avail() == 0) return;
      size_t k = static_cast<size_t>(std::min<uint64_t>(n, avail()));
      pos_ += k;
      n -= k;
    }
  }

  // Appends {"id","url","date","text"} to the batch as one record.
  void Emit(Batch& batch, uint64_t at, std::string_view id, std::string_view url,
            std::string_view date, std::string_view text, bool html) {
    std::string& in = batch.input;
    RecordRef r;
    r.begin = in.size();
    in += "{\"id\":";
    AppendJsonString(in, id);
    if (!url.empty()) {
      in += ",\"url\":";
      AppendJsonStringLossy(in, url);
    }
    if (!date.empty()) {
      in += ",\"date\":";
      AppendJsonStringLossy(in, date);
    }
    in += ",\"text\":";
    AppendJsonString(in, text);
    in += "}";
    r.size = in.size() - r.begin;
    in.push_back('\n');
    r.line = ++records_;
    r.byte_offset = at;
    r.ordinal = ordinal_++;
    r.html = html;
    batch.records.push_back(r);
    batch_bytes_ += r.size;
  }

  void Reject(Batch& batch, std::string_view kind, std::string error, uint64_t at,
              std::string_view excerpt) {
    batch.rejected.push_back(MakeRejected(path_, kind, std::move(error), at, ordinal_++, excerpt));
  }

  // The end of a shard: damage from the byte source, or an empty file.
  void Finish(Batch& batch) {
    done_ = true;
    if (!damage_.ok()) {
      Reject(batch, KindOf(damage_), damage_.ToString(), consumed_, "");
    } else if (consumed_ == 0) {
      Reject(batch, "empty_file", "empty input file", 0, "");
    }
  }

  void BeginBatch(Batch& batch) {
    batch.format = RecordFormat::kJsonl;
    batch.input.clear();
    batch_bytes_ = 0;
    consumed_before_ = consumed_;
  }
  void EndBatch(Batch& batch) {
    batch.input.append(Batch::kInputPadding, ' ');
    batch.input_bytes = consumed_ - consumed_before_;
    batch.compressed_end = source_->compressed_offset();
    batch.last_in_shard = done_;
  }

  // A page's bytes as a record: charset to UTF-8, then Emit.
  void EmitPage(Batch& batch, uint64_t at, std::string_view id, std::string_view url,
                std::string_view date, std::string_view content_type, std::string_view bytes) {
    DecodedPage page = DecodeToUtf8(bytes, content_type);
    Emit(batch, at, id, url, date, page.text, /*html=*/true);
  }

  std::string path_;
  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t base_ = 0;
  uint64_t consumed_ = 0, consumed_before_ = 0;
  uint64_t ordinal_ = 0, records_ = 0;
  size_t batch_bytes_ = 0;
  bool eof_ = false, done_ = false;
  Status damage_;
  std::map<std::string, uint64_t> skipped_;
  std::map<std::string, uint64_t> counters_;  // input.<name> in stats.json
};

class WarcReader final : public StreamReader {
 public:
  using StreamReader::StreamReader;

  bool Next(Batch& batch) override {
    BeginBatch(batch);
    while (!done_ && batch_bytes_ < options_.batch_bytes) ReadRecord(batch);
    EndBatch(batch);
    return !done_;
  }

 private:
  // Moves past CR, LF and spaces between records.
  void SkipSeparators() {
    while (true) {
      Fill(1);
      if (avail() == 0) return;
      char c = buf_[pos_];
      if (c != '\r' && c != '\n' && c != ' ' && c != '\t') return;
      ++pos_;
    }
  }

  // Moves to the next "WARC/1." at a line start after the current position; returns the
  // bytes skipped. At the end of the stream, skips everything.
  uint64_t Resync() {
    uint64_t skipped = 0;
    ++pos_;  // never stay in place
    ++skipped;
    while (true) {
      Fill(8);
      std::string_view v = view();
      size_t hit = v.find("\nWARC/1.");
      if (hit != std::string_view::npos) {
        pos_ += hit + 1;
        return skipped + hit + 1;
      }
      if (eof_) {
        skipped += avail();
        pos_ = buf_.size();
        return skipped;
      }
      size_t keep = std::min<size_t>(v.size(), 8);  // a marker may straddle the read
      pos_ += v.size() - keep;
      skipped += v.size() - keep;
      Fill(avail() + kReadChunk);
    }
  }

  void ReadRecord(Batch& batch) {
    SkipSeparators();
    Fill(6);
    if (avail() == 0) {
      Finish(batch);
      return;
    }
    const uint64_t at = offset();
    if (!view().starts_with("WARC/")) {
      if (view().size() >= 5 && arc_) {
        ReadArcRecord(batch);
        return;
      }
      std::string excerpt(view().substr(0, kExcerptBytes));
      uint64_t skipped = Resync();
      Reject(batch, "warc_garbage",
             "warc: " + std::to_string(skipped) + " bytes that are not a WARC record", at, excerpt);
      return;
    }
    Fill(kMaxHeaderBytes);
    size_t end = HeaderEnd(view(), 0);
    if (end == std::string_view::npos) {
      std::string excerpt(view().substr(0, kExcerptBytes));
      Resync();
      Reject(batch, eof_ && avail() == 0 ? "truncated" : "warc_header",
             "warc: record header without an end (truncated or over 64 KB)", at, excerpt);
      return;
    }
    std::string type, uri, date, id, content_type;
    uint64_t length = 0;
    bool have_length = false;
    ForEachHeader(view().substr(0, end), [&](const std::string& name, std::string_view value) {
      if (name == "warc-type") type = Lower(value);
      if (name == "warc-target-uri") uri = std::string(value);
      if (name == "warc-date") date = std::string(value);
      if (name == "warc-record-id") id = std::string(value);
      if (name == "content-type") content_type = std::string(value);
      if (name == "content-length") have_length = ParseUint(value, &length);
    });
    if (!uri.empty() && uri.front() == '<' && uri.back() == '>')
      uri = uri.substr(1, uri.size() - 2);
    if (!have_length) {
      std::string excerpt(view().substr(0, std::min(end, kExcerptBytes)));
      Resync();
      Reject(batch, "warc_header", "warc: record without a valid Content-Length", at, excerpt);
      return;
    }
    if (length > options_.max_record_bytes) {
      pos_ += end;
      Skip(length);
      Reject(batch, "record_too_large",
             "warc: record of " + std::to_string(length) + " bytes, over max_record_bytes", at, id);
      return;
    }
    // A Content-Length that lies: the record is skipped and reading resyncs from the end of
    // its header, so the records after it are kept.
    auto skip_lying_record = [&](std::string_view why) {
      std::string excerpt(view().substr(0, std::min(end, kExcerptBytes)));
      pos_ += end - 1;
      Resync();
      Reject(batch, "warc_content_length",
             "warc: Content-Length " + std::to_string(length) + " " + std::string(why) +
                 " (record skipped)",
             at, excerpt);
    };
    Fill(end + length + 4);
    if (avail() < end + length) {
      if (view().substr(end).find("\nWARC/1.") != std::string_view::npos) {
        // The archive ends before the block would, yet another record starts inside it.
        return skip_lying_record("runs past the next record and the end of the archive");
      }
      std::string excerpt(view().substr(0, std::min(end, kExcerptBytes)));
      pos_ = buf_.size();
      Reject(batch, "truncated",
             "warc: record truncated (" + std::to_string(avail()) + " of " +
                 std::to_string(end + length) + " bytes)",
             at, excerpt);
      Fill(1);
      return;
    }
    // The block must end at a record boundary: CR/LF then the next "WARC/" or the end.
    std::string_view after = view().substr(end + length);
    // The spec's "\r\n\r\n" after the block is a boundary whatever follows it (garbage
    // after a good record is the garbage's problem, reported next).
    const bool terminated = after.starts_with("\r\n\r\n");
    size_t k = after.find_first_not_of("\r\n");
    bool boundary = k == std::string_view::npos ? (after.size() < 4 || eof_)
                                                : after.substr(k).starts_with("WARC/");
    if (k == std::string_view::npos && !eof_) {
      Fill(end + length + kReadChunk);  // the separator reaches past what is in memory
      after = view().substr(end + length);
      k = after.find_first_not_of("\r\n");
      boundary = k == std::string_view::npos || after.substr(k).starts_with("WARC/");
    }
    if (!boundary && !terminated) return skip_lying_record("does not end at a record boundary");
    std::string_view block = view().substr(end, length);
    Dispatch(batch, at, type, id, uri, date, content_type, block);
    pos_ += end + length;
  }

  void Dispatch(Batch& batch, uint64_t at, const std::string& type, const std::string& id,
                const std::string& uri, const std::string& date, const std::string& content_type,
                std::string_view block) {
    std::string record_id = id.empty() ? path_ + "@" + std::to_string(at) : id;
    if (type == "conversion") {  // WET: extracted text
      Emit(batch, at, record_id, uri, date, ToValidUtf8(block), /*html=*/false);
      return;
    }
    if (type == "resource") {
      if (!IsHtml(content_type, block)) return Skipped("not_html");
      EmitPage(batch, at, record_id, uri, date, content_type, block);
      return;
    }
    if (type != "response") return Skipped(type.empty() ? "no_type" : type);
    EmitResponse(batch, at, record_id, uri, date, block);
  }

  void EmitResponse(Batch& batch, uint64_t at, const std::string& id, const std::string& uri,
                    const std::string& date, std::string_view block) {
    Result<HttpResponse> http = ParseHttpResponse(block);
    if (!http.ok()) return Skipped("not_http");
    if (http->status < 200 || http->status >= 300) return Skipped("http_status");
    std::string_view body = http->body;
    std::string decoded;
    if (http->transfer_encoding.find("chunked") != std::string::npos) {
      // Some archivers store the body de-chunked but keep the header: decode only when it
      // parses as chunks.
      std::string tmp;
      if (DecodeChunked(body, &tmp)) {
        decoded = std::move(tmp);
        body = decoded;
      }
    }
    if (http->content_encoding == "gzip" || http->content_encoding == "x-gzip" ||
        http->content_encoding == "deflate") {
      std::string inflated;
      if (Inflate(body, http->content_encoding != "deflate", &inflated,
                  options_.max_record_bytes)) {
        decoded = std::move(inflated);
        body = decoded;
      } else if (IsHtml(http->content_type, body) && LooksLikeHtml(body)) {
        // The header lies: the archiver stored the body decoded and kept the header
        // (ClueWeb09, some Common Crawl responses). The page is there as it is.
        ++counters_["content_encoding_ignored"];
      } else {
        Reject(batch, "content_encoding",
               "warc: " + http->content_encoding + " body does not decompress", at, id);
        return;
      }
    }
    if (!IsHtml(http->content_type, body)) return Skipped("not_html");
    EmitPage(batch, at, id, uri, date, http->content_type, body);
  }

  // ARC (the pre-WARC format): "URL IP DATE TYPE LENGTH" then LENGTH bytes.
  void ReadArcRecord(Batch& batch) {
    const uint64_t at = offset();
    Fill(kMaxHeaderBytes);
    std::string_view v = view();
    size_t eol = v.find('\n');
    std::string_view line = v.substr(0, eol);
    std::vector<std::string_view> f;
    for (size_t i = 0; i < line.size();) {
      size_t sp = line.find(' ', i);
      if (sp == std::string_view::npos) sp = line.size();
      f.push_back(line.substr(i, sp - i));
      i = sp + 1;
    }
    uint64_t length = 0;
    if (eol == std::string_view::npos || f.size() < 5 || !ParseUint(f.back(), &length) ||
        length > options_.max_record_bytes) {
      std::string excerpt(v.substr(0, kExcerptBytes));
      // Next line that could start a record.
      size_t next = v.find("\nhttp", 1);
      if (next == std::string_view::npos) {
        Skip(avail());
        if (!eof_) Skip(UINT64_MAX);
      } else {
        pos_ += next + 1;
      }
      Reject(batch, "arc_header", "arc: bad record header line", at, excerpt);
      return;
    }
    Fill(eol + 1 + length);
    if (avail() < eol + 1 + length) {
      pos_ = buf_.size();
      Reject(batch, "truncated", "arc: record truncated", at, line);
      Fill(1);
      return;
    }
    // A URL may hold spaces: it is everything before the last four fields.
    std::string url(line.substr(0, static_cast<size_t>(f[f.size() - 4].data() - line.data())));
    while (!url.empty() && url.back() == ' ') url.pop_back();
    std::string date(f[f.size() - 3]);
    std::string_view block = view().substr(eol + 1, length);
    if (!url.starts_with("filedesc:")) {
      EmitResponse(batch, at, url + "@" + date, url, date, block);
    }
    pos_ += eol + 1 + length;
  }

  void Skipped(const std::string& why) { ++skipped_[why]; }

 public:
  bool arc_ = false;
};

// A .html file: one page, the whole file.
class HtmlFileReader final : public StreamReader {
 public:
  using StreamReader::StreamReader;

  bool Next(Batch& batch) override {
    BeginBatch(batch);
    Fill(options_.max_record_bytes + 1);
    if (avail() > options_.max_record_bytes) {
      Reject(batch, "line_too_long", "html: file larger than max_record_bytes", 0,
             view().substr(0, kExcerptBytes));
      done_ = true;
    } else if (!damage_.ok() || avail() == 0) {
      Finish(batch);
    } else {
      EmitPage(batch, 0, path_, "", "", "", view());
      done_ = true;
    }
    EndBatch(batch);
    return false;
  }
};

}  // namespace

std::unique_ptr<RecordReader> OpenWarcReader(const std::string& path,
                                             std::unique_ptr<ByteSource> source,
                                             const ReaderOptions& options) {
  auto r = std::make_unique<WarcReader>(path, std::move(source), options);
  std::string_view name = path;
  r->arc_ = name.ends_with(".arc") || name.ends_with(".arc.gz");
  return r;
}

std::unique_ptr<RecordReader> OpenHtmlFileReader(const std::string& path,
                                                 std::unique_ptr<ByteSource> source,
                                                 const ReaderOptions& options) {
  return std::make_unique<HtmlFileReader>(path, std::move(source), options);
}

}  // namespace winnow::io
