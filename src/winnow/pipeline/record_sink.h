// Record sinks: where a pass's documents go, and in which format. The pass runner knows no
// file or format: it hands each batch to its thread's SinkEncoder (in the parallel step) and
// the encoded bytes to the sink's Write (in the serial, in-order step). Adding an output format
// means adding a sink here.
//
//   OutputSink    the last pass: OUT/{kept,removed,rejected}/part-NNNNN.jsonl[.zst], one part
//                 per input shard, each batch one independent zstd frame
//   SpillSink     between passes: every document to the pass's spill (doc_spill.h), the
//                 mapped ones' ids to its ids files (id_file.h), rejected records (first pass)
//   AnnotateSink  `winnow annotate`: one line per document to a file or a caller's writer
//
// Encoding (serialising and compressing, the costly part) happens on the worker threads; the
// writer only appends. Frames follow batch boundaries, which the reader fixes by content, so
// the bytes written do not depend on the thread count. A part becomes visible under its final
// name only when its shard's last batch is written (PartFile).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/batch.h"
#include "winnow/core/status.h"
#include "winnow/pipeline/output_dir.h"

namespace winnow::pipeline {

// What a sink's encoder hands its writer beside bytes (Parquet: rows as columns).
struct SinkPayload {
  virtual ~SinkPayload() = default;
};

// One batch's encoded bytes, by the sink's own numbering of its outputs.
struct EncodedBatch {
  std::vector<std::string> outputs;
  std::vector<std::unique_ptr<SinkPayload>> payloads;
  uint64_t raw_bytes = 0;       // serialised, before compression
  uint64_t document_bytes = 0;  // the documents' outputs as written (rejected ones aside)
  // Empties the outputs, keeping their capacity (batches are recycled).
  void Clear() {
    for (std::string& o : outputs) o.clear();
    payloads.clear();
    raw_bytes = document_bytes = 0;
  }
};

// What one Write() put on disk: bytes of the run's outputs and of scratch between passes.
struct SinkWrite {
  uint64_t output_bytes = 0;
  uint64_t scratch_bytes = 0;
};

// The per-thread half of a sink: its serialisation buffers and compressors.
class SinkEncoder {
 public:
  virtual ~SinkEncoder() = default;
  // Encodes `batch` into `out` (cleared by the caller). Any thread, batches in any order.
  virtual Status Encode(const Batch& batch, EncodedBatch& out) = 0;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // One encoder per worker thread.
  virtual std::unique_ptr<SinkEncoder> NewEncoder() const = 0;
  // Appends a batch's encoded bytes; after the shard's last batch its files are committed.
  // One thread, batches in input order.
  virtual Result<SinkWrite> Write(const Batch& batch, const EncodedBatch& encoded) = 0;
  // After the last batch of the pass.
  virtual Status Finish() { return Status::OK(); }
  // A failed run: removes what is not committed.
  virtual void Abort() = 0;
};

// How output parts are written.
struct PartFormat {
  bool compress = true;  // JSONL: zstd frames (part-NNNNN.jsonl.zst) or plain JSONL
  int level = 3;         // zstd (and Parquet's gzip) level
  // Kept and removed documents as Parquet (parquet_sink.h), with these settings.
  bool parquet = false;
  std::string parquet_codec = "zstd";  // zstd, snappy, gzip, none
  uint64_t row_group_bytes = uint64_t{64} << 20;
  bool page_index = false;
};

// The last pass's outputs. `rejected`: the pass reads the inputs, so it writes their rejects.
std::unique_ptr<RecordSink> NewOutputSink(const OutputDirectory& dir, PartFormat format,
                                          bool rejected);

// Between passes: the spill and ids of pass `pass` (and the rejects of the inputs when
// `rejected`, the first pass).
std::unique_ptr<RecordSink> NewSpillSink(const OutputDirectory& dir, size_t pass, PartFormat format,
                                         bool rejected);

// Receives annotate lines, in input order, from one thread.
using ByteWriter = std::function<Status(std::string_view bytes)>;

// `winnow annotate`: to `writer` when set, else to the file `path` (compressed when
// format.compress). Finish() commits the file.
Result<std::unique_ptr<RecordSink>> NewAnnotateSink(const std::string& path, PartFormat format,
                                                    ByteWriter writer);

}  // namespace winnow::pipeline
