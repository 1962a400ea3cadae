#include "winnow/io/record_reader.h"

#include <cstring>
#include <vector>

#include "winnow/io/parquet_reader.h"
#include "winnow/io/warc_reader.h"

namespace winnow::io {
namespace {

constexpr size_t kReadChunk = size_t{1} << 20;
constexpr size_t kExcerptBytes = 256;

std::string_view KindOf(const Status& status) {
  if (status.code() == StatusCode::kCorrupt) {
    return status.message().find("truncated") != std::string_view::npos ? "truncated" : "corrupt";
  }
  return "io";
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

Rejected MakeRejected(const std::string& path, std::string_view kind, std::string error) {
  Rejected r;
  r.file = path;
  r.kind = kind;
  r.error = std::move(error);
  return r;
}

// A shard that could not be opened: one batch holding the reason.
class FailedReader final : public RecordReader {
 public:
  FailedReader(std::string path, Status status)
      : path_(std::move(path)), status_(std::move(status)) {}
  bool Next(Batch& batch) override {
    batch.last_in_shard = true;
    batch.input.assign(Batch::kInputPadding, ' ');
    batch.rejected.push_back(MakeRejected(path_, KindOf(status_), status_.ToString()));
    return false;
  }
  uint64_t compressed_offset() const override { return 0; }

 private:
  std::string path_;
  Status status_;
};

class JsonlReader final : public RecordReader {
 public:
  JsonlReader(std::string path, std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : path_(std::move(path)), source_(std::move(source)), options_(options) {}

  uint64_t compressed_offset() const override { return source_->compressed_offset(); }
  uint64_t blank_lines() const override { return blank_lines_; }

  bool Next(Batch& batch) override {
    batch.format = RecordFormat::kJsonl;
    std::string& in = batch.input;
    in.assign(carry_);  // a copy: `in` keeps the capacity of the recycled batch
    carry_.clear();
    // Invariant: in[i] for i >= seg_index_ is the stream byte at seg_offset_ + i - seg_index_.
    seg_index_ = 0;
    seg_offset_ = carry_offset_;
    size_t line_start = 0;  // start of the first line not yet emitted
    size_t scan = 0;        // carried bytes may hold complete lines
    size_t record_bytes = 0;
    uint64_t consumed_before = consumed_;

    // A batch ends at the first line end past batch_bytes: boundaries depend on the content
    // alone, never on how many bytes a read returned, so outputs are identical run to run.
    bool full = false;
    while (!done_ && !full) {
      while (scan < in.size()) {
        const void* nl = std::memchr(in.data() + scan, '\n', in.size() - scan);
        if (nl == nullptr) break;
        size_t end = static_cast<size_t>(static_cast<const char*>(nl) - in.data());
        record_bytes += EmitLine(batch, line_start, end);
        line_start = end + 1;
        scan = line_start;
        if (record_bytes >= options_.batch_bytes) {
          full = true;
          break;
        }
      }
      if (full) break;
      scan = in.size();
      size_t tail = in.size() - line_start;
      if (tail > options_.max_record_bytes) {
        RejectLongLine(batch, std::string_view(in.data() + line_start, tail), line_start);
        uint64_t line_offset = OffsetOf(line_start);
        in.resize(line_start);
        uint64_t skipped = SkipToNewline(in);  // bytes after the newline land at line_start
        seg_index_ = line_start;
        seg_offset_ = line_offset + tail + skipped;
        scan = line_start;
        continue;
      }
      if (eof_) {
        // A stream that ends in damage (truncated, corrupt) cut its last line: that partial
        // line is the damaged record, rejected once with its excerpt, not parsed as JSON.
        std::string_view partial(in.data() + line_start, tail);
        if (tail > 0 && damage_.ok()) EmitLine(batch, line_start, in.size());
        Finish(batch, damage_.ok() ? std::string_view() : partial, OffsetOf(line_start));
        line_start = in.size();
        break;
      }
      ReadMore(in);
    }

    carry_offset_ = OffsetOf(line_start);
    carry_.assign(in, line_start, std::string::npos);
    in.resize(line_start);
    in.append(Batch::kInputPadding, ' ');
    batch.input_bytes = consumed_ - consumed_before;
    batch.compressed_end = source_->compressed_offset();
    batch.last_in_shard = done_;
    return !done_;
  }

 private:
  uint64_t OffsetOf(size_t index) const { return seg_offset_ + (index - seg_index_); }

  // Appends up to one chunk of decompressed bytes to `in`; sets eof_ at the end or on damage.
  void ReadMore(std::string& in) {
    size_t old = in.size();
    in.resize(old + kReadChunk);
    Result<size_t> got = source_->Read(in.data() + old, kReadChunk);
    if (!got.ok()) {
      in.resize(old);
      eof_ = true;
      damage_ = got.status();
      return;
    }
    in.resize(old + *got);
    if (*got == 0) eof_ = true;
    bool first = consumed_ == 0;
    consumed_ += *got;
    if (first && in.size() >= 3 && in.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      in.erase(0, 3);  // a UTF-8 byte order mark: not part of the first record
      seg_offset_ += 3;
    }
  }

  // Records in[begin, end) unless it is blank. Returns the record's size.
  size_t EmitLine(Batch& batch, size_t begin, size_t end) {
    uint64_t line = ++line_;
    if (end > begin && batch.input[end - 1] == '\r') --end;
    if (IsBlank(std::string_view(batch.input.data() + begin, end - begin))) {
      ++blank_lines_;
      return 0;
    }
    RecordRef r;
    r.begin = begin;
    r.size = end - begin;
    r.line = line;
    r.byte_offset = OffsetOf(begin);
    r.ordinal = ordinal_++;
    batch.records.push_back(r);
    return r.size;
  }

  void RejectLongLine(Batch& batch, std::string_view head, size_t begin) {
    Rejected r = MakeRejected(path_, "line_too_long", "");
    r.line = ++line_;
    r.byte_offset = OffsetOf(begin);
    r.ordinal = ordinal_++;
    r.error = "jsonl: line longer than max_record_bytes (" +
              std::to_string(options_.max_record_bytes) + "): " + path_ + ":" +
              std::to_string(r.line) + "@" + std::to_string(r.byte_offset);
    r.excerpt.assign(head.substr(0, kExcerptBytes));
    batch.rejected.push_back(std::move(r));
  }

  // Reads and drops the rest of an over-long line, through its newline. Bytes after the
  // newline are appended to `in`. Returns how many bytes were dropped after the part of the
  // line already in memory, the newline included. Memory stays bounded by one read chunk.
  uint64_t SkipToNewline(std::string& in) {
    std::vector<char> buf(kReadChunk);
    uint64_t skipped = 0;
    while (true) {
      Result<size_t> got = source_->Read(buf.data(), buf.size());
      if (!got.ok()) {
        eof_ = true;
        damage_ = got.status();
        return skipped;
      }
      if (*got == 0) {
        eof_ = true;
        return skipped;
      }
      consumed_ += *got;
      const void* nl = std::memchr(buf.data(), '\n', *got);
      if (nl == nullptr) {
        skipped += *got;
        continue;
      }
      size_t after = static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
      in.append(buf.data() + after, *got - after);
      return skipped + after;
    }
  }

  // `partial`: the bytes of a line the damage cut short (at stream offset `partial_offset`).
  void Finish(Batch& batch, std::string_view partial, uint64_t partial_offset) {
    done_ = true;
    if (!damage_.ok()) {
      Rejected r = MakeRejected(path_, KindOf(damage_), damage_.ToString());
      r.line = line_ + 1;
      r.byte_offset = partial.empty() ? consumed_ : partial_offset;
      r.ordinal = ordinal_++;
      r.excerpt.assign(partial.substr(0, kExcerptBytes));
      batch.rejected.push_back(std::move(r));
    } else if (consumed_ == 0) {
      Rejected r = MakeRejected(path_, "empty_file", "empty input file: " + path_);
      r.ordinal = ordinal_++;
      batch.rejected.push_back(std::move(r));
    }
  }

  std::string path_;
  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
  std::string carry_;          // bytes of an unfinished line, carried to the next batch
  uint64_t carry_offset_ = 0;  // stream offset of carry_[0]
  size_t seg_index_ = 0;
  uint64_t seg_offset_ = 0;
  uint64_t consumed_ = 0;  // decompressed bytes read so far
  uint64_t line_ = 0;      // lines seen so far
  uint64_t ordinal_ = 0;
  uint64_t blank_lines_ = 0;
  bool eof_ = false;
  bool done_ = false;
  Status damage_;
};

// A .txt file is one document: its whole content is the text.
class TextFileReader final : public RecordReader {
 public:
  TextFileReader(std::string path, std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : path_(std::move(path)), source_(std::move(source)), options_(options) {}

  uint64_t compressed_offset() const override { return source_->compressed_offset(); }

  bool Next(Batch& batch) override {
    batch.format = RecordFormat::kText;
    batch.last_in_shard = true;
    std::string& in = batch.input;
    Status damage;
    bool too_long = false;
    for (;;) {
      size_t old = in.size();
      in.resize(old + kReadChunk);
      Result<size_t> got = source_->Read(in.data() + old, kReadChunk);
      if (!got.ok()) {
        in.resize(old);
        damage = got.status();
        break;
      }
      in.resize(old + *got);
      if (*got == 0) break;
      if (in.size() > options_.max_record_bytes) {
        too_long = true;
        break;
      }
    }
    batch.input_bytes = in.size();
    batch.compressed_end = source_->compressed_offset();
    if (too_long) {
      Rejected r = MakeRejected(path_, "line_too_long",
                                "text: file larger than max_record_bytes (" +
                                    std::to_string(options_.max_record_bytes) + "): " + path_);
      r.excerpt = in.substr(0, kExcerptBytes);
      in.clear();
      batch.rejected.push_back(std::move(r));
    } else if (!damage.ok()) {
      Rejected r = MakeRejected(path_, KindOf(damage), damage.ToString());
      r.byte_offset = in.size();
      in.clear();
      batch.rejected.push_back(std::move(r));
    } else if (in.empty()) {
      batch.rejected.push_back(MakeRejected(path_, "empty_file", "empty input file: " + path_));
    } else {
      size_t begin = in.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
      RecordRef r;
      r.begin = begin;
      r.size = in.size() - begin;
      r.line = 1;
      r.byte_offset = begin;
      batch.records.push_back(r);
    }
    in.append(Batch::kInputPadding, ' ');
    return false;
  }

 private:
  std::string path_;
  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
};

}  // namespace

std::unique_ptr<RecordReader> OpenRecordReader(const std::string& path, InputFormat format,
                                               const ReaderOptions& options) {
  if (format == InputFormat::kParquet) return OpenParquetReader(path, 0, UINT32_MAX, options);
  Result<std::unique_ptr<ByteSource>> source = OpenByteSource(path);
  if (!source.ok()) return std::make_unique<FailedReader>(path, source.status());
  if (format == InputFormat::kText) {
    return std::make_unique<TextFileReader>(path, std::move(source).value(), options);
  }
  if (format == InputFormat::kWarc) return OpenWarcReader(path, std::move(source).value(), options);
  if (format == InputFormat::kHtml) {
    return OpenHtmlFileReader(path, std::move(source).value(), options);
  }
  return std::make_unique<JsonlReader>(path, std::move(source).value(), options);
}

}  // namespace winnow::io
