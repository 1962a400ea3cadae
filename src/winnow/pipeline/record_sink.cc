#include "winnow/pipeline/record_sink.h"

#include <algorithm>
#include <cstdio>

#include "winnow/io/doc_spill.h"
#include "winnow/io/id_file.h"
#include "winnow/io/part_file.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/zstd_frame.h"

namespace winnow::pipeline {
namespace {

// Serialised lines, compressed into one frame (or copied) into an output.
class LineEncoder {
 public:
  explicit LineEncoder(PartFormat format) {
    if (format.compress) compressor_ = std::make_unique<io::ZstdFrameCompressor>(format.level);
  }
  std::string& lines() { return lines_; }
  // Moves the lines into `out` (compressed when the format says so) and clears them.
  Status Emit(std::string& out) {
    Status st;
    if (compressor_) {
      st = compressor_->Compress(lines_, out);
    } else {
      out.swap(lines_);
    }
    lines_.clear();
    return st;
  }
  // The batch's rejected records, ordered by their position in the shard: reader rejections
  // (line too long, damage at the end) and parse rejections interleave, and the output must
  // not depend on where they arose.
  Status EmitRejected(const Batch& b, std::string& out) {
    if (b.rejected.empty()) return Status::OK();
    std::vector<const Rejected*> order;
    for (const Rejected& r : b.rejected) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(),
                     [](const Rejected* a, const Rejected* c) { return a->ordinal < c->ordinal; });
    lines_.clear();
    for (const Rejected* r : order) io::AppendRejectedLine(*r, lines_);
    return Emit(out);
  }

 private:
  std::unique_ptr<io::ZstdFrameCompressor> compressor_;
  std::string lines_;
};

std::string PartName(PartFormat format, uint32_t shard) {
  char name[64];
  std::snprintf(name, sizeof(name), "part-%05u.jsonl%s", shard, format.compress ? ".zst" : "");
  return name;
}

// One of OUT's part directories: the open part of the shard being written.
class PartWriter {
 public:
  PartWriter(const OutputDirectory& dir, std::string_view kind, PartFormat format)
      : dir_(dir), kind_(kind), format_(format) {}
  // Appends `bytes` (nothing when empty) to the shard's part, opening it first.
  Status Append(uint32_t shard, std::string_view bytes) {
    if (bytes.empty()) return Status::OK();
    if (!part_.is_open()) {
      WINNOW_ASSIGN_OR_RETURN(part_,
                              io::PartFile::Create(dir_.PartPath(kind_, PartName(format_, shard))));
    }
    return part_.Append(bytes);
  }
  Status Commit() { return part_.is_open() ? part_.Commit() : Status::OK(); }
  void Abort() { part_.Abort(); }

 private:
  const OutputDirectory& dir_;
  std::string_view kind_;
  PartFormat format_;
  io::PartFile part_;
};

// OutputSink: outputs[kKept], [kRemoved], [kRejected].
enum : size_t { kKept, kRemoved, kRejected, kOutputs };

class OutputEncoder final : public SinkEncoder {
 public:
  OutputEncoder(PartFormat format, bool rejected) : lines_(format), rejected_(rejected) {}
  Status Encode(const Batch& b, EncodedBatch& out) override {
    out.outputs.resize(kOutputs);
    for (size_t which : {kKept, kRemoved}) {
      std::string& lines = lines_.lines();
      for (const Document& d : b.docs) {
        if (d.removed() == (which == kRemoved)) io::AppendDocumentLine(d, lines);
      }
      out.raw_bytes += lines.size();
      WINNOW_RETURN_IF_ERROR(lines_.Emit(out.outputs[which]));
    }
    out.document_bytes = out.outputs[kKept].size() + out.outputs[kRemoved].size();
    return rejected_ ? lines_.EmitRejected(b, out.outputs[kRejected]) : Status::OK();
  }

 private:
  LineEncoder lines_;
  bool rejected_;
};

class OutputSink final : public RecordSink {
 public:
  OutputSink(const OutputDirectory& dir, PartFormat format, bool rejected)
      : format_(format),
        rejected_(rejected),
        parts_{PartWriter(dir, "kept", format), PartWriter(dir, "removed", format),
               PartWriter(dir, "rejected", format)} {}
  std::unique_ptr<SinkEncoder> NewEncoder() const override {
    return std::make_unique<OutputEncoder>(format_, rejected_);
  }
  Result<SinkWrite> Write(const Batch& b, const EncodedBatch& e) override {
    SinkWrite written;
    for (size_t i = 0; i < kOutputs; ++i) {
      WINNOW_RETURN_IF_ERROR(parts_[i].Append(b.shard, e.outputs[i]));
      written.output_bytes += e.outputs[i].size();
    }
    if (b.last_in_shard) {
      for (PartWriter& p : parts_) WINNOW_RETURN_IF_ERROR(p.Commit());
    }
    return written;
  }
  void Abort() override {
    for (PartWriter& p : parts_) p.Abort();
  }

 private:
  PartFormat format_;
  bool rejected_;
  PartWriter parts_[kOutputs];
};

// SpillSink: outputs[kSpill], [kIds], [kSpillRejected].
enum : size_t { kSpill, kIds, kSpillRejected, kSpillOutputs };

class SpillEncoder final : public SinkEncoder {
 public:
  SpillEncoder(PartFormat format, bool rejected)
      : spill_(PartFormat{true, 1}), lines_(format), rejected_(rejected) {}
  Status Encode(const Batch& b, EncodedBatch& out) override {
    out.outputs.resize(kSpillOutputs);
    std::string& records = spill_.lines();
    for (const Document& d : b.docs) {
      io::AppendSpillRecord(d, records);
      if (!d.removed()) io::AppendIdRecord(d.where.ordinal, d.id, out.outputs[kIds]);
    }
    out.raw_bytes = records.size();
    WINNOW_RETURN_IF_ERROR(spill_.Emit(out.outputs[kSpill]));
    out.document_bytes = out.outputs[kSpill].size();
    return rejected_ ? lines_.EmitRejected(b, out.outputs[kSpillRejected]) : Status::OK();
  }

 private:
  LineEncoder spill_;  // level 1: scratch read back once
  LineEncoder lines_;
  bool rejected_;
};

class SpillSink final : public RecordSink {
 public:
  SpillSink(const OutputDirectory& dir, size_t pass, PartFormat format, bool rejected)
      : dir_(dir),
        pass_(pass),
        format_(format),
        rejected_(rejected),
        rejected_part_(dir, "rejected", format) {}
  std::unique_ptr<SinkEncoder> NewEncoder() const override {
    return std::make_unique<SpillEncoder>(format_, rejected_);
  }
  Result<SinkWrite> Write(const Batch& b, const EncodedBatch& e) override {
    SinkWrite written;
    if (!e.outputs[kSpill].empty()) {
      if (!spill_.is_open()) {
        WINNOW_ASSIGN_OR_RETURN(spill_, io::SpillWriter::Create(dir_.SpillPath(pass_, b.shard)));
      }
      WINNOW_RETURN_IF_ERROR(spill_.Append(e.outputs[kSpill], e.raw_bytes, b.docs.size()));
      written.scratch_bytes += e.outputs[kSpill].size();
    }
    if (!e.outputs[kIds].empty()) {
      if (!ids_.is_open()) {
        WINNOW_ASSIGN_OR_RETURN(
            ids_, io::ScratchWriter::Create(dir_.IdsPath(pass_, b.shard), io::ScratchKind::kIds,
                                            io::kIdsVersion));
      }
      WINNOW_RETURN_IF_ERROR(ids_.Append({e.outputs[kIds]}));
      written.scratch_bytes += e.outputs[kIds].size();
    }
    WINNOW_RETURN_IF_ERROR(rejected_part_.Append(b.shard, e.outputs[kSpillRejected]));
    written.output_bytes += e.outputs[kSpillRejected].size();
    if (b.last_in_shard) {
      if (spill_.is_open()) WINNOW_RETURN_IF_ERROR(spill_.Commit());
      if (ids_.is_open()) WINNOW_RETURN_IF_ERROR(ids_.Commit());
      WINNOW_RETURN_IF_ERROR(rejected_part_.Commit());
    }
    return written;
  }
  void Abort() override {
    spill_.Abort();
    ids_.Abort();
    rejected_part_.Abort();
  }

 private:
  const OutputDirectory& dir_;
  size_t pass_;
  PartFormat format_;
  bool rejected_;
  io::SpillWriter spill_;
  io::ScratchWriter ids_;
  PartWriter rejected_part_;
};

class AnnotateEncoder final : public SinkEncoder {
 public:
  explicit AnnotateEncoder(PartFormat format) : lines_(format) {}
  Status Encode(const Batch& b, EncodedBatch& out) override {
    out.outputs.resize(1);
    for (const Document& d : b.docs) io::AppendAnnotateLine(d, lines_.lines());
    out.raw_bytes = lines_.lines().size();
    WINNOW_RETURN_IF_ERROR(lines_.Emit(out.outputs[0]));
    out.document_bytes = out.outputs[0].size();
    return Status::OK();
  }

 private:
  LineEncoder lines_;
};

class AnnotateSink final : public RecordSink {
 public:
  AnnotateSink(PartFormat format, ByteWriter writer, io::PartFile file)
      : format_(format), writer_(std::move(writer)), file_(std::move(file)) {}
  std::unique_ptr<SinkEncoder> NewEncoder() const override {
    return std::make_unique<AnnotateEncoder>(format_);
  }
  Result<SinkWrite> Write(const Batch&, const EncodedBatch& e) override {
    const std::string& bytes = e.outputs[0];
    if (!bytes.empty()) WINNOW_RETURN_IF_ERROR(writer_ ? writer_(bytes) : file_.Append(bytes));
    return SinkWrite{bytes.size(), 0};
  }
  Status Finish() override { return file_.is_open() ? file_.Commit() : Status::OK(); }
  void Abort() override { file_.Abort(); }

 private:
  PartFormat format_;
  ByteWriter writer_;
  io::PartFile file_;
};

}  // namespace

std::unique_ptr<RecordSink> NewOutputSink(const OutputDirectory& dir, PartFormat format,
                                          bool rejected) {
  return std::make_unique<OutputSink>(dir, format, rejected);
}

std::unique_ptr<RecordSink> NewSpillSink(const OutputDirectory& dir, size_t pass, PartFormat format,
                                         bool rejected) {
  return std::make_unique<SpillSink>(dir, pass, format, rejected);
}

Result<std::unique_ptr<RecordSink>> NewAnnotateSink(const std::string& path, PartFormat format,
                                                    ByteWriter writer) {
  io::PartFile file;
  if (!writer) {
    if (path.empty()) return Status::InvalidArgument("annotate: no output file or writer");
    WINNOW_ASSIGN_OR_RETURN(file, io::PartFile::Create(path));
  }
  return std::unique_ptr<RecordSink>(
      std::make_unique<AnnotateSink>(format, std::move(writer), std::move(file)));
}

}  // namespace winnow::pipeline
