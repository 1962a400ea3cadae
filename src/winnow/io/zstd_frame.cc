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
  const size_t bound = ZSTD_compressBound(input.size());
  if (scratch_size_ < bound) {
    scratch_ = std::make_unique_for_overwrite<char[]>(bound);
    scratch_size_ = bound;
  }
  const size_t n = ZSTD_compress2(static_cast<ZSTD_CCtx*>(cctx_), scratch_.get(), bound,
                                  input.data(), input.size());
  if (ZSTD_isError(n)) {
    return Status::Internal(std::string("zstd: compression failed: ") + ZSTD_getErrorName(n));
  }
  out.append(scratch_.get(), n);
  return Status::OK();
}

}  // namespace winnow::io
