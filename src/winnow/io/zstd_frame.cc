#include "winnow/io/zstd_frame.h"

#include <zstd.h>

namespace winnow::io {

ZstdFrameCompressor::ZstdFrameCompressor(int level) : cctx_(ZSTD_createCCtx()), level_(level) {
  auto* cctx = static_cast<ZSTD_CCtx*>(cctx_);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level_);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
}

ZstdFrameCompressor::~ZstdFrameCompressor() { ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_)); }

Status ZstdFrameCompressor::Compress(std::string_view input, std::string& out) {
  if (input.empty()) return Status::OK();
  size_t bound = ZSTD_compressBound(input.size());
  size_t old = out.size();
  out.resize(old + bound);
  size_t n = ZSTD_compress2(static_cast<ZSTD_CCtx*>(cctx_), out.data() + old, bound, input.data(),
                            input.size());
  if (ZSTD_isError(n)) {
    out.resize(old);
    return Status::Internal(std::string("zstd: compression failed: ") + ZSTD_getErrorName(n));
  }
  out.resize(old + n);
  return Status::OK();
}

}  // namespace winnow::io
