// ZstdFrameCompressor: compresses a chunk of bytes into one independent zstd frame.
//
// The pipeline compresses each batch's output on the worker thread that produced it, and the
// writer only appends frames: a part file is a sequence of frames, which every zstd decoder
// reads as one stream. Frame boundaries follow batch boundaries, which the serial reader fixes,
// so the output bytes do not depend on the thread count. Frames carry their content size and a
// checksum. One compressor per thread (it owns a ZSTD_CCtx); not thread-safe.
#pragma once

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

  // Appends one frame holding `input` to `out`. An empty input appends nothing.
  Status Compress(std::string_view input, std::string& out);

 private:
  void* cctx_;  // ZSTD_CCtx*, kept out of the header
  int level_;
};

}  // namespace winnow::io
