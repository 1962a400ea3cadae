#include "winnow/io/token_shards.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include <unistd.h>

namespace winnow::io {
namespace {

namespace fs = std::filesystem;

constexpr size_t kNpyHeaderBytes = 128;  // fixed, so the data can be written before the shape

// A file written under NAME.tmp and renamed to NAME when complete.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(TempFile&& o) noexcept {
    std::swap(path_, o.path_);
    std::swap(suffix_, o.suffix_);
    std::swap(f_, o.f_);
    return *this;
  }
  ~TempFile() { Abort(); }
  Status Open(std::string path, std::string suffix = ".tmp") {
    path_ = std::move(path);
    suffix_ = std::move(suffix);
    f_ = std::fopen((path_ + suffix_).c_str(), "w+b");
    if (f_ == nullptr)
      return Status::IOError("cannot create " + path_ + ": " + std::strerror(errno));
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    return Status::OK();
  }
  Status Write(const void* data, size_t n) {
    if (n > 0 && std::fwrite(data, 1, n, f_) != n) {
      return Status::IOError("cannot write " + path_ + ": " + std::strerror(errno));
    }
    return Status::OK();
  }
  Status WriteAt(uint64_t offset, const void* data, size_t n) {
    if (std::fflush(f_) != 0 || std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0) {
      return Status::IOError("cannot seek in " + path_ + ": " + std::strerror(errno));
    }
    WINNOW_RETURN_IF_ERROR(Write(data, n));
    if (std::fseek(f_, 0, SEEK_END) != 0) return Status::IOError("cannot seek in " + path_);
    return Status::OK();
  }
  // Reads n bytes at `offset` of what was written.
  Status ReadAt(uint64_t offset, void* data, size_t n) {
    if (std::fflush(f_) != 0)
      return Status::IOError("cannot write " + path_ + ": " + std::strerror(errno));
    char* out = static_cast<char*>(data);
    while (n > 0) {
      const ssize_t r = ::pread(fileno(f_), out, n, static_cast<off_t>(offset));
      if (r <= 0) {
        return Status::IOError("cannot read back " + path_ + suffix_ + ": " +
                               (r == 0 ? std::string("short file") : std::strerror(errno)));
      }
      out += r;
      offset += static_cast<uint64_t>(r);
      n -= static_cast<size_t>(r);
    }
    return Status::OK();
  }
  Status Commit() {
    std::FILE* f = f_;
    f_ = nullptr;
    if (std::fclose(f) != 0)
      return Status::IOError("cannot write " + path_ + ": " + std::strerror(errno));
    std::error_code ec;
    fs::rename(path_ + suffix_, path_, ec);
    if (ec) return Status::IOError("cannot rename " + path_ + suffix_ + ": " + ec.message());
    return Status::OK();
  }
  void Abort() {
    if (f_ == nullptr) return;
    std::fclose(f_);
    f_ = nullptr;
    std::error_code ec;
    fs::remove(path_ + suffix_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_, suffix_;
  std::FILE* f_ = nullptr;
};

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts only (x86-64, aarch64)
  out.append(b, sizeof(T));
}

// An .npy v1.0 header for a flat array, padded to kNpyHeaderBytes.
std::string NpyHeader(const char* descr, uint64_t count) {
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" +
                     std::to_string(count) + ",), }";
  std::string h = "\x93NUMPY";
  h.push_back(1);
  h.push_back(0);
  const size_t len = kNpyHeaderBytes - 10;
  dict.resize(len - 1, ' ');
  dict.push_back('\n');
  h.push_back(static_cast<char>(len & 0xFF));
  h.push_back(static_cast<char>(len >> 8));
  return h + dict;
}

// humanize.metric(value, unit) as datatrove's metadata files spell token counts: three
// significant digits and an SI prefix ("2.16 MT", "512 kT", "7.00 T").
std::string Metric(uint64_t value, const char* unit) {
  int exponent = 0;
  for (uint64_t v = value; v >= 10; v /= 10) ++exponent;
  double power = 1;  // exact: at most 10^18
  for (int i = 0; i < exponent / 3 * 3; ++i) power *= 10;
  const double scaled = static_cast<double>(value) / power;
  const char* prefixes[] = {"", "k", "M", "G", "T", "P", "E", "Z", "Y"};
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f %s%s", std::max(0, 3 - exponent % 3 - 1), scaled,
                prefixes[exponent / 3], unit);
  return buf;
}

}  // namespace

struct TokenShardWriter::Shard {
  TempFile data, index, extra;
  std::string base;
  uint64_t bytes = 0, tokens = 0;
  std::vector<int32_t> lengths;  // per document, in tokens
};

std::vector<uint32_t> ShufflePermutation(size_t n, uint64_t seed, uint64_t stream) {
  // SplitMix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator in three lines.
  uint64_t state = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  auto next = [&state] {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  // Lemire's bounded draw: uniform in [0, bound) without modulo bias (bound < 2^32: a shard
  // holds fewer documents).
  auto below = [&next](uint32_t bound) {
    uint64_t m = (next() >> 32) * bound;
    if (static_cast<uint32_t>(m) < bound) {
      const uint32_t threshold = (0u - bound) % bound;
      while (static_cast<uint32_t>(m) < threshold) m = (next() >> 32) * bound;
    }
    return static_cast<uint32_t>(m >> 32);
  };
  std::vector<uint32_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint32_t>(i);
  for (size_t i = n; i > 1; --i) std::swap(p[i - 1], p[below(static_cast<uint32_t>(i))]);
  return p;
}

Result<std::optional<uint64_t>> ParseShuffleSeed(const std::string& text) {
  if (text.empty() || text == "none") return std::optional<uint64_t>();
  uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("shuffle seed: expected a non-negative integer or none, not '" +
                                   text + "'");
  }
  return std::optional<uint64_t>(seed);
}

Result<ShardFormat> ParseShardFormat(const std::string& name) {
  if (name == "megatron") return ShardFormat::kMegatron;
  if (name == "datatrove") return ShardFormat::kDatatrove;
  if (name == "npy") return ShardFormat::kNpy;
  return Status::InvalidArgument("unknown shard format '" + name +
                                 "' (known: megatron, datatrove, npy)");
}

Result<std::unique_ptr<TokenShardWriter>> TokenShardWriter::Create(const std::string& dir,
                                                                   const std::string& name,
                                                                   const ShardOptions& options) {
  if (options.vocab_size == 0) return Status::InvalidArgument("token shards: no vocabulary size");
  std::unique_ptr<TokenShardWriter> w(new TokenShardWriter());
  w->dir_ = dir;
  w->name_ = name;
  w->options_ = options;
  // Megatron's rule (DType.optimal_dtype): uint16 below 65,500 ids; datatrove's and ours: 2
  // bytes when every id fits.
  const uint32_t limit = options.format == ShardFormat::kMegatron ? 65500 : 65536;
  w->token_bytes_ = options.vocab_size <= limit ? 2 : 4;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  return w;
}

TokenShardWriter::~TokenShardWriter() = default;

Status TokenShardWriter::Open() {
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "-%05d", next_index_++);
  shard_ = std::make_unique<Shard>();
  shard_->base = (fs::path(dir_) / (name_ + suffix)).string();
  switch (options_.format) {
    case ShardFormat::kMegatron:
      return shard_->data.Open(shard_->base + ".bin");
    case ShardFormat::kDatatrove:
      return shard_->data.Open(shard_->base + ".ds");
    case ShardFormat::kNpy: {
      WINNOW_RETURN_IF_ERROR(shard_->data.Open(shard_->base + ".npy"));
      std::string placeholder(kNpyHeaderBytes, ' ');
      return shard_->data.Write(placeholder.data(), placeholder.size());
    }
  }
  return Status::Internal("unknown shard format");
}

Status TokenShardWriter::Add(const uint32_t* ids, size_t count) {
  const uint64_t bytes = count * token_bytes_;
  if (shard_ && shard_->tokens > 0 && shard_->bytes + bytes > options_.max_shard_bytes) {
    WINNOW_RETURN_IF_ERROR(Close());
  }
  if (!shard_) WINNOW_RETURN_IF_ERROR(Open());
  if (count > static_cast<size_t>(INT32_MAX)) {
    return Status::InvalidArgument("token shards: a document of more than 2^31 tokens");
  }
  buffer_.resize(bytes);
  for (size_t i = 0; i < count; ++i) {
    if (ids[i] >= options_.vocab_size) {
      return Status::InvalidArgument("token shards: id " + std::to_string(ids[i]) +
                                     " is past the vocabulary (" +
                                     std::to_string(options_.vocab_size) + ")");
    }
    if (token_bytes_ == 2) {
      auto v = static_cast<uint16_t>(ids[i]);
      std::memcpy(buffer_.data() + 2 * i, &v, 2);
    } else {
      std::memcpy(buffer_.data() + 4 * i, &ids[i], 4);
    }
  }
  WINNOW_RETURN_IF_ERROR(shard_->data.Write(buffer_.data(), buffer_.size()));
  shard_->bytes += bytes;
  shard_->tokens += count;
  shard_->lengths.push_back(static_cast<int32_t>(count));
  ++documents_;
  tokens_ += count;
  return Status::OK();
}

// Rewrites the open shard's data with its documents in the seed's order, reading them back
// from the file written so far (the page cache holds it; memory stays one document's worth).
Status TokenShardWriter::Shuffle() {
  Shard& s = *shard_;
  const size_t n = s.lengths.size();
  const std::vector<uint32_t> order =
      ShufflePermutation(n, *options_.shuffle_seed, static_cast<uint64_t>(next_index_ - 1));
  const uint64_t header = options_.format == ShardFormat::kNpy ? kNpyHeaderBytes : 0;
  std::vector<uint64_t> starts(n);
  uint64_t at = header;
  for (size_t i = 0; i < n; ++i) {
    starts[i] = at;
    at += static_cast<uint64_t>(s.lengths[i]) * token_bytes_;
  }
  TempFile shuffled;
  WINNOW_RETURN_IF_ERROR(shuffled.Open(s.data.path(), ".shuffling.tmp"));
  if (header > 0) {
    const std::string placeholder(header, ' ');
    WINNOW_RETURN_IF_ERROR(shuffled.Write(placeholder.data(), placeholder.size()));
  }
  std::vector<int32_t> lengths(n);
  for (size_t k = 0; k < n; ++k) {
    const uint32_t i = order[k];
    lengths[k] = s.lengths[i];
    buffer_.resize(static_cast<size_t>(s.lengths[i]) * token_bytes_);
    WINNOW_RETURN_IF_ERROR(s.data.ReadAt(starts[i], buffer_.data(), buffer_.size()));
    WINNOW_RETURN_IF_ERROR(shuffled.Write(buffer_.data(), buffer_.size()));
  }
  s.data.Abort();
  s.data = std::move(shuffled);
  s.lengths = std::move(lengths);
  return Status::OK();
}

Status TokenShardWriter::Close() {
  if (options_.shuffle_seed) WINNOW_RETURN_IF_ERROR(Shuffle());
  Shard& s = *shard_;
  std::string index;
  const uint64_t n = s.lengths.size();
  switch (options_.format) {
    case ShardFormat::kMegatron: {
      index.append("MMIDIDX\0\0", 9);
      Put<uint64_t>(index, 1);
      Put<uint8_t>(index, token_bytes_ == 2 ? 8 : 4);
      Put<uint64_t>(index, n);
      Put<uint64_t>(index, n + 1);
      for (int32_t l : s.lengths) Put<int32_t>(index, l);
      int64_t pointer = 0;
      for (int32_t l : s.lengths) {
        Put<int64_t>(index, pointer);
        pointer += static_cast<int64_t>(l) * static_cast<int64_t>(token_bytes_);
      }
      for (uint64_t i = 0; i <= n; ++i) Put<int64_t>(index, static_cast<int64_t>(i));
      WINNOW_RETURN_IF_ERROR(s.index.Open(s.base + ".idx"));
      break;
    }
    case ShardFormat::kDatatrove: {
      uint64_t end = 0;
      for (int32_t l : s.lengths) Put<uint64_t>(index, end += static_cast<uint64_t>(l));
      WINNOW_RETURN_IF_ERROR(s.index.Open(s.base + ".ds.index"));
      std::string meta = (options_.tokenizer_name.empty() ? "winnow" : options_.tokenizer_name) +
                         "|" + std::to_string(token_bytes_) + "\n" + std::to_string(s.tokens) +
                         "\n" + Metric(s.tokens, "T");
      WINNOW_RETURN_IF_ERROR(s.extra.Open(s.base + ".ds.metadata"));
      WINNOW_RETURN_IF_ERROR(s.extra.Write(meta.data(), meta.size()));
      break;
    }
    case ShardFormat::kNpy: {
      std::string header = NpyHeader(token_bytes_ == 2 ? "<u2" : "<u4", s.tokens);
      WINNOW_RETURN_IF_ERROR(s.data.WriteAt(0, header.data(), header.size()));
      index = NpyHeader("<u8", n + 1);
      uint64_t start = 0;
      Put<uint64_t>(index, 0);
      for (int32_t l : s.lengths) Put<uint64_t>(index, start += static_cast<uint64_t>(l));
      WINNOW_RETURN_IF_ERROR(s.index.Open(s.base + ".offsets.npy"));
      break;
    }
  }
  WINNOW_RETURN_IF_ERROR(s.index.Write(index.data(), index.size()));
  for (TempFile* f : {&s.data, &s.index, &s.extra}) {
    if (f->path().empty()) continue;
    WINNOW_RETURN_IF_ERROR(f->Commit());
    files_.push_back(f->path());
  }
  shard_.reset();
  return Status::OK();
}

Status TokenShardWriter::Finish() { return shard_ ? Close() : Status::OK(); }

}  // namespace winnow::io
