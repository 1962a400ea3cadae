#include "winnow/io/parquet_codec.h"

#include <brotli/decode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

#include "winnow/io/snappy_block.h"

namespace winnow::io::parquet {
namespace {

// zstd contexts, one per thread and reused: ZSTD_compress and ZSTD_decompress set one up per
// call, which costs more than a small page's work.
struct ZstdContexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ~ZstdContexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};
ZstdContexts& Zstd() {
  thread_local ZstdContexts contexts;
  return contexts;
}

Status Damaged(Codec codec, std::string_view why) {
  return Status::Corrupt(std::string(CodecName(codec)) + " page does not decompress (" +
                         std::string(why) + ")");
}

Status Gunzip(std::string_view in, size_t size, char* out) {
  z_stream z{};
  // 15 + 32: a gzip or zlib header, detected.
  if (inflateInit2(&z, 15 + 32) != Z_OK) return Status::Internal("zlib: inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out);
  z.avail_out = static_cast<uInt>(size);
  Status st;
  while (st.ok()) {
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      // Concatenated members: the next starts where this one ended.
      if (inflateReset(&z) != Z_OK) st = Damaged(Codec::kGzip, "reset");
    } else if (rc == Z_BUF_ERROR && z.avail_out == 0) {
      st = Damaged(Codec::kGzip, "longer than the page header says");
    } else if (rc != Z_OK) {
      st = Damaged(Codec::kGzip, z.msg != nullptr ? z.msg : "bad data");
    } else if (z.avail_in == 0) {
      st = Damaged(Codec::kGzip, "truncated");
    }
  }
  const size_t got = size - z.avail_out;  // total_out restarts with each member
  inflateEnd(&z);
  if (st.ok() && got != size) st = Damaged(Codec::kGzip, "shorter than the page header says");
  return st;
}

// Hadoop's LZ4 framing: blocks of (u32 BE raw size, u32 BE compressed size, LZ4 block).
bool HadoopLz4Blocks(std::string_view in, size_t size, char* out) {
  size_t at = 0, written = 0;
  auto be32 = [&](size_t p) {
    return (static_cast<uint32_t>(static_cast<uint8_t>(in[p])) << 24) |
           (static_cast<uint32_t>(static_cast<uint8_t>(in[p + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<uint8_t>(in[p + 2])) << 8) |
           static_cast<uint32_t>(static_cast<uint8_t>(in[p + 3]));
  };
  while (at < in.size()) {
    if (in.size() - at < 8) return false;
    const uint32_t raw = be32(at), packed = be32(at + 4);
    at += 8;
    if (packed > in.size() - at || raw > size - written) return false;
    const int n = LZ4_decompress_safe(in.data() + at, out + written, static_cast<int>(packed),
                                      static_cast<int>(raw));
    if (n < 0 || static_cast<uint32_t>(n) != raw) return false;
    at += packed;
    written += raw;
  }
  return written == size;
}

bool RawLz4(std::string_view in, size_t size, char* out) {
  if (in.size() > static_cast<size_t>(INT32_MAX) || size > static_cast<size_t>(INT32_MAX)) {
    return false;
  }
  const int n =
      LZ4_decompress_safe(in.data(), out, static_cast<int>(in.size()), static_cast<int>(size));
  return n >= 0 && static_cast<size_t>(n) == size;
}

}  // namespace

Status Decompress(Codec codec, std::string_view in, size_t size, char* out) {
  if (size == 0 && in.empty()) return Status::OK();  // an empty page, whatever its codec
  switch (codec) {
    case Codec::kUncompressed:
      if (in.size() != size) return Damaged(codec, "its size differs from the page header's");
      std::memcpy(out, in.data(), size);
      return Status::OK();
    case Codec::kSnappy:
      if (!SnappyDecodeBlock(in, size, out)) return Damaged(codec, "bad data or length");
      return Status::OK();
    case Codec::kGzip:
      return Gunzip(in, size, out);
    case Codec::kBrotli: {
      size_t n = size;
      if (BrotliDecoderDecompress(in.size(), reinterpret_cast<const uint8_t*>(in.data()), &n,
                                  reinterpret_cast<uint8_t*>(out)) !=
              BROTLI_DECODER_RESULT_SUCCESS ||
          n != size) {
        return Damaged(codec, "bad data");
      }
      return Status::OK();
    }
    case Codec::kZstd: {
      const size_t n = ZSTD_decompressDCtx(Zstd().d, out, size, in.data(), in.size());
      if (ZSTD_isError(n)) return Damaged(codec, ZSTD_getErrorName(n));
      if (n != size) return Damaged(codec, "its size differs from the page header's");
      return Status::OK();
    }
    case Codec::kLz4Raw:
      return RawLz4(in, size, out) ? Status::OK() : Damaged(codec, "bad block");
    case Codec::kLz4:
      if (HadoopLz4Blocks(in, size, out) || RawLz4(in, size, out)) return Status::OK();
      return Damaged(codec, "neither Hadoop's framing nor a raw block");
    case Codec::kLzo:
      return Status::Unimplemented("LZO-compressed Parquet pages are not supported");
  }
  return Status::Unimplemented("Parquet codec " + std::to_string(static_cast<int>(codec)) +
                               " is not supported");
}

Status Decompress(Codec codec, std::string_view in, size_t size, std::string& out) {
  out.resize(size);
  return Decompress(codec, in, size, out.data());
}

Status CompressTo(Codec codec, std::string_view in, int level, std::string& scratch,
                  std::string_view* out) {
  // Room for the codec's worst case, grown (and zero-filled) only when a page needs more.
  auto room = [&](size_t bound) -> char* {
    if (scratch.size() < bound) scratch.resize(bound);
    return scratch.data();
  };
  switch (codec) {
    case Codec::kUncompressed:
      *out = in;
      return Status::OK();
    case Codec::kSnappy: {
      char* to = room(snappy::MaxCompressedLength(in.size()));
      size_t n = 0;
      snappy::RawCompress(in.data(), in.size(), to, &n);
      *out = std::string_view(to, n);
      return Status::OK();
    }
    case Codec::kZstd: {
      const size_t bound = ZSTD_compressBound(in.size());
      char* to = room(bound);
      const size_t n = ZSTD_compressCCtx(Zstd().c, to, bound, in.data(), in.size(), level);
      if (ZSTD_isError(n)) return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
      *out = std::string_view(to, n);
      return Status::OK();
    }
    case Codec::kGzip: {
      z_stream z{};
      if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return Status::Internal("zlib: deflateInit2 failed");
      }
      const size_t bound = deflateBound(&z, in.size());
      char* to = room(bound);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      z.next_out = reinterpret_cast<Bytef*>(to);
      z.avail_out = static_cast<uInt>(bound);
      const int rc = deflate(&z, Z_FINISH);
      *out = std::string_view(to, z.total_out);
      deflateEnd(&z);
      return rc == Z_STREAM_END ? Status::OK() : Status::Internal("zlib: deflate failed");
    }
    case Codec::kLz4Raw: {
      const int bound = LZ4_compressBound(static_cast<int>(in.size()));
      char* to = room(static_cast<size_t>(bound));
      const int n = LZ4_compress_default(in.data(), to, static_cast<int>(in.size()), bound);
      if (n <= 0 && !in.empty()) return Status::Internal("lz4: compression failed");
      *out = std::string_view(to, static_cast<size_t>(n));
      return Status::OK();
    }
    default:
      return Status::InvalidArgument("parquet output: codec " + std::string(CodecName(codec)) +
                                     " is not offered (zstd, snappy, gzip, lz4_raw, none)");
  }
}

Status Compress(Codec codec, std::string_view in, int level, std::string& out) {
  std::string scratch;
  std::string_view packed;
  WINNOW_RETURN_IF_ERROR(CompressTo(codec, in, level, scratch, &packed));
  out.append(packed);
  return Status::OK();
}

}  // namespace winnow::io::parquet
