#include "winnow/io/byte_source.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <lz4frame.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace winnow::io {
namespace {

constexpr size_t kFileBufferBytes = 1 << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string ErrnoText() { return std::strerror(errno); }

// Reads the raw file, with a small look-ahead so the codec can be sniffed without seeking
// (standard input cannot seek).
class FileReader {
 public:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileReader() {
    if (fd_ > 0) ::close(fd_);
  }
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  const std::string& path() const { return path_; }
  uint64_t offset() const { return offset_; }

  // Reads up to n bytes; 0 at end of file.
  Result<size_t> Read(char* buf, size_t n) {
    if (!peeked_.empty()) {
      size_t k = std::min(n, peeked_.size() - peek_pos_);
      std::memcpy(buf, peeked_.data() + peek_pos_, k);
      peek_pos_ += k;
      if (peek_pos_ == peeked_.size()) peeked_.clear();
      offset_ += k;
      return k;
    }
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) {
        offset_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno == EINTR) continue;
      return Status::IOError("read failed: " + path_ + "@" + std::to_string(offset_) + ": " +
                             ErrnoText());
    }
  }

  // Returns up to `n` first bytes without consuming them. Call before any Read().
  Result<std::string_view> Peek(size_t n) {
    peeked_.resize(n);
    size_t have = 0;
    while (have < n) {
      ssize_t got = ::read(fd_, peeked_.data() + have, n - have);
      if (got == 0) break;
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("read failed: " + path_ + ": " + ErrnoText());
      }
      have += static_cast<size_t>(got);
    }
    peeked_.resize(have);
    peek_pos_ = 0;
    return std::string_view(peeked_);
  }

 private:
  int fd_;
  std::string path_;
  uint64_t offset_ = 0;
  std::string peeked_;
  size_t peek_pos_ = 0;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(std::unique_ptr<FileReader> file) : file_(std::move(file)) {}
  Result<size_t> Read(char* buf, size_t n) override { return file_->Read(buf, n); }
  uint64_t compressed_offset() const override { return file_->offset(); }
  Codec codec() const override { return Codec::kNone; }

 private:
  std::unique_ptr<FileReader> file_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<FileReader> file)
      : file_(std::move(file)), in_(kFileBufferBytes) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }

  uint64_t compressed_offset() const override { return file_->offset(); }
  Codec codec() const override { return Codec::kGzip; }

  Result<size_t> Read(char* buf, size_t n) override {
    if (n == 0) return size_t{0};
    for (;;) {
      if (state_.avail_in == 0 && !eof_) {
        WINNOW_ASSIGN_OR_RETURN(size_t got, file_->Read(in_.data(), in_.size()));
        if (got == 0) {
          eof_ = true;
        } else {
          state_.next_in = reinterpret_cast<uint8_t*>(in_.data());
          state_.avail_in = static_cast<uint32_t>(got);
        }
      }
      if (member_done_) {
        // ISA-L stops at the end of a member; more input means another member (WARC.gz, and
        // files made by `cat a.gz b.gz`).
        if (state_.avail_in == 0) {
          if (eof_) return size_t{0};
          continue;
        }
        uint8_t* next_in = state_.next_in;
        uint32_t avail_in = state_.avail_in;
        isal_inflate_reset(&state_);
        state_.crc_flag = ISAL_GZIP;
        state_.next_in = next_in;
        state_.avail_in = avail_in;
        member_done_ = false;
        in_member_ = false;
      }
      if (!in_member_) {
        if (state_.avail_in == 0) return size_t{0};  // empty file: clean end
        if (state_.next_in[0] != 0x1f) {
          return Status::Corrupt("gzip: garbage after member: " + file_->path() + "@" +
                                 std::to_string(ConsumedOffset()));
        }
        in_member_ = true;
      }
      state_.next_out = reinterpret_cast<uint8_t*>(buf);
      state_.avail_out = static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX));
      int ret = isal_inflate(&state_);
      size_t produced = static_cast<size_t>(reinterpret_cast<char*>(state_.next_out) - buf);
      if (ret < 0) {
        return Status::Corrupt("gzip: " + std::string(IsalError(ret)) + ": " + file_->path() + "@" +
                               std::to_string(ConsumedOffset()));
      }
      if (state_.block_state == ISAL_BLOCK_FINISH) member_done_ = true;
      if (produced > 0) return produced;
      if (state_.avail_in == 0 && eof_ && !member_done_) return Truncated();
    }
  }

 private:
  uint64_t ConsumedOffset() const { return file_->offset() - state_.avail_in; }

  Status Truncated() const {
    return Status::Corrupt("gzip: truncated stream: " + file_->path() + "@" +
                           std::to_string(file_->offset()));
  }

  static std::string_view IsalError(int ret) {
    switch (ret) {
      case ISAL_INVALID_BLOCK:
        return "invalid deflate block";
      case ISAL_INVALID_SYMBOL:
        return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK:
        return "invalid lookback distance";
      case ISAL_INVALID_WRAPPER:
        return "invalid gzip header";
      case ISAL_UNSUPPORTED_METHOD:
        return "unsupported compression method";
      case ISAL_INCORRECT_CHECKSUM:
        return "checksum mismatch";
      default:
        return "decompression failed";
    }
  }

  std::unique_ptr<FileReader> file_;
  std::vector<char> in_;
  inflate_state state_;
  bool eof_ = false;
  bool in_member_ = false;    // inside a member's bytes
  bool member_done_ = false;  // the current member ended; the next byte starts a new one
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<FileReader> file)
      : file_(std::move(file)), in_(ZSTD_DStreamInSize()), dstream_(ZSTD_createDStream()) {
    ZSTD_initDStream(dstream_);
  }
  ~ZstdSource() override { ZSTD_freeDStream(dstream_); }

  uint64_t compressed_offset() const override { return file_->offset(); }
  Codec codec() const override { return Codec::kZstd; }

  Result<size_t> Read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size) {
        if (eof_) {
          if (frame_open_) {
            return Status::Corrupt("zstd: truncated stream: " + file_->path() + "@" +
                                   std::to_string(file_->offset()));
          }
          return size_t{0};
        }
        WINNOW_ASSIGN_OR_RETURN(size_t got, file_->Read(in_.data(), in_.size()));
        if (got == 0) {
          eof_ = true;
          // Flush what the decoder still holds.
          if (!frame_open_) continue;
        }
        input_ = ZSTD_inBuffer{in_.data(), got, 0};
      }
      size_t ret = ZSTD_decompressStream(dstream_, &out, &input_);
      if (ZSTD_isError(ret)) {
        return Status::Corrupt("zstd: " + std::string(ZSTD_getErrorName(ret)) + ": " +
                               file_->path() + "@" +
                               std::to_string(file_->offset() - (input_.size - input_.pos)));
      }
      frame_open_ = ret != 0;
      if (eof_ && input_.pos == input_.size && out.pos == 0 && frame_open_) {
        return Status::Corrupt("zstd: truncated stream: " + file_->path() + "@" +
                               std::to_string(file_->offset()));
      }
    }
    return out.pos;
  }

 private:
  std::unique_ptr<FileReader> file_;
  std::vector<char> in_;
  ZSTD_DStream* dstream_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool eof_ = false;
  bool frame_open_ = false;
};

// LZ4 frames (FastWARC's .warc.lz4: one frame per record), any number in a row.
class Lz4Source final : public ByteSource {
 public:
  explicit Lz4Source(std::unique_ptr<FileReader> file)
      : file_(std::move(file)), in_(kFileBufferBytes) {
    LZ4F_createDecompressionContext(&dctx_, LZ4F_VERSION);
  }
  ~Lz4Source() override { LZ4F_freeDecompressionContext(dctx_); }

  uint64_t compressed_offset() const override { return file_->offset(); }
  Codec codec() const override { return Codec::kLz4; }

  Result<size_t> Read(char* buf, size_t n) override {
    size_t produced = 0;
    while (produced == 0) {
      if (pos_ == size_) {
        WINNOW_ASSIGN_OR_RETURN(size_t got, file_->Read(in_.data(), in_.size()));
        if (got == 0) {
          if (frame_open_) {
            return Status::Corrupt("lz4: truncated stream: " + file_->path() + "@" +
                                   std::to_string(file_->offset()));
          }
          return size_t{0};
        }
        pos_ = 0;
        size_ = got;
      }
      size_t out_size = n, in_size = size_ - pos_;
      const size_t hint =
          LZ4F_decompress(dctx_, buf, &out_size, in_.data() + pos_, &in_size, nullptr);
      if (LZ4F_isError(hint)) {
        return Status::Corrupt("lz4: " + std::string(LZ4F_getErrorName(hint)) + ": " +
                               file_->path() + "@" +
                               std::to_string(file_->offset() - (size_ - pos_)));
      }
      if (in_size == 0 && out_size == 0) {  // cannot happen with room on both sides
        return Status::Corrupt("lz4: the decoder made no progress: " + file_->path() + "@" +
                               std::to_string(file_->offset() - (size_ - pos_)));
      }
      pos_ += in_size;
      produced = out_size;
      // 0: a frame ended (the context is ready for the next one); otherwise bytes are due.
      frame_open_ = hint != 0;
    }
    return produced;
  }

 private:
  std::unique_ptr<FileReader> file_;
  std::vector<char> in_;
  size_t pos_ = 0, size_ = 0;
  LZ4F_dctx* dctx_ = nullptr;
  bool frame_open_ = false;
};

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone:
      return "none";
    case Codec::kGzip:
      return "gzip";
    case Codec::kZstd:
      return "zstd";
    case Codec::kLz4:
      return "lz4";
  }
  return "none";
}

Codec CodecFromName(std::string_view name) {
  if (EndsWith(name, ".gz")) return Codec::kGzip;
  if (EndsWith(name, ".zst") || EndsWith(name, ".zstd")) return Codec::kZstd;
  if (EndsWith(name, ".lz4")) return Codec::kLz4;
  return Codec::kNone;
}

Codec CodecFromMagic(std::string_view b) {
  if (b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0x1f && static_cast<uint8_t>(b[1]) == 0x8b) {
    return Codec::kGzip;
  }
  if (b.size() >= 4 && static_cast<uint8_t>(b[0]) == 0x28 && static_cast<uint8_t>(b[1]) == 0xb5 &&
      static_cast<uint8_t>(b[2]) == 0x2f && static_cast<uint8_t>(b[3]) == 0xfd) {
    return Codec::kZstd;
  }
  if (b.size() >= 4 && static_cast<uint8_t>(b[0]) == 0x04 && static_cast<uint8_t>(b[1]) == 0x22 &&
      static_cast<uint8_t>(b[2]) == 0x4d && static_cast<uint8_t>(b[3]) == 0x18) {
    return Codec::kLz4;
  }
  return Codec::kNone;
}

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  int fd = 0;
  if (path == "-") {
    fd = ::dup(STDIN_FILENO);
  } else {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound("no such input file: " + path);
      return Status::IOError("cannot open input: " + path + ": " + ErrnoText());
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  auto file = std::make_unique<FileReader>(fd, path);
  WINNOW_ASSIGN_OR_RETURN(std::string_view head, file->Peek(4));
  Codec by_magic = CodecFromMagic(head);
  Codec by_name = path == "-" ? Codec::kNone : CodecFromName(path);
  if (by_name != Codec::kNone && by_magic != by_name && !head.empty()) {
    return Status::Corrupt("not a " + std::string(CodecName(by_name)) +
                           " stream (bad magic bytes): " + path + "@0");
  }
  switch (by_magic) {
    case Codec::kGzip:
      return std::unique_ptr<ByteSource>(new GzipSource(std::move(file)));
    case Codec::kZstd:
      return std::unique_ptr<ByteSource>(new ZstdSource(std::move(file)));
    case Codec::kLz4:
      return std::unique_ptr<ByteSource>(new Lz4Source(std::move(file)));
    case Codec::kNone:
      break;
  }
  return std::unique_ptr<ByteSource>(new PlainSource(std::move(file)));
}

namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, bytes_.size() - at_);
    std::memcpy(buf, bytes_.data() + at_, k);
    at_ += k;
    return k;
  }
  uint64_t compressed_offset() const override { return at_; }
  Codec codec() const override { return Codec::kNone; }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> NewMemoryByteSource(std::string_view bytes) {
  return std::make_unique<MemorySource>(bytes);
}

Result<std::string> ReadFileFully(const std::string& path) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> src, OpenByteSource(path));
  std::string out;
  std::vector<char> buf(1 << 16);
  for (;;) {
    WINNOW_ASSIGN_OR_RETURN(size_t got, src->Read(buf.data(), buf.size()));
    if (got == 0) break;
    out.append(buf.data(), got);
  }
  return out;
}

}  // namespace winnow::io
