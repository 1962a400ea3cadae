// ZstdFrameCompressor: compresses a chunk of bytes into one independent zstd frame.
//
// The pipeline compresses each batch's output on the worker thread that produced it, and the
// writer only appends frames: a part file is a sequence of frames, which every zstd decoder
// reads as one stream. Frame boundaries follow batch boundaries, which the serial reader fixes,
// so the output bytes do not depend on the thread count. Frames carry their content size and a
// checksum. One compressor per thread (it owns a ZSTD_CCtx); not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::io {

class ZstdFrameCompressor {
 public:
  explicit ZstdFrameCompressor(int level = 3);
  ~ZstdFrameCompressor();
  ZstdFrameCompressor(const ZstdFrameCompressor&) = delete;
  ZstdFrameCompressor& operator=(const ZstdFrameCompressor&) = delete;

  // Appends one frame holding `input` to `out`. An empty input appends nothing. `out` grows
  // by the frame's size only (the worst-case bound is this compressor's own scratch): outputs
  // held by batches in flight cost their compressed size, not their input's.
  Status Compress(std::string_view input, std::string& out);

 private:
  void* cctx_;  // ZSTD_CCtx*, kept out of the header
  int level_;
  std::unique_ptr<char[]> scratch_;
  size_t scratch_size_ = 0;
};

}  // namespace winnow::io
