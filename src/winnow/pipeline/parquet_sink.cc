#include "winnow/pipeline/parquet_sink.h"

#include <cstdio>
#include <map>
#include <unordered_map>

#include "winnow/core/json_writer.h"
#include "winnow/io/parquet_file.h"
#include "winnow/io/parquet_json.h"
#include "winnow/io/parquet_writer.h"
#include "winnow/io/record_codec.h"
#include "winnow/io/zstd_frame.h"

namespace winnow::pipeline {
namespace {

namespace pq = io::parquet;

constexpr std::string_view kWinnowColumn = "winnow";
enum : size_t { kKept, kRemoved, kRejected, kOutputs };

pq::ColumnSpec StringColumn(std::string name,
                            pq::LogicalType::Kind kind = pq::LogicalType::Kind::kString) {
  pq::ColumnSpec s;
  s.name = std::move(name);
  s.type = pq::Type::kByteArray;
  s.logical.kind = kind;
  return s;
}

// A Parquet input's columns as the output's: flat leaves keep their types, nested fields become
// JSON strings; the `winnow` column replaces one the input had.
std::vector<pq::ColumnSpec> TypedColumns(const pq::ParquetFile& file) {
  std::vector<pq::ColumnSpec> out;
  const auto& nodes = file.nodes();
  for (size_t f : file.fields()) {
    const pq::SchemaNode& n = nodes[f];
    if (n.name == kWinnowColumn) continue;
    if (n.leaf >= 0 && n.repetition != pq::Repetition::kRepeated) {
      const pq::ColumnDescriptor& c = file.columns()[static_cast<size_t>(n.leaf)];
      pq::ColumnSpec s;
      s.name = n.name;
      s.type = c.type;
      s.type_length = c.type_length;
      s.logical = c.logical;
      out.push_back(std::move(s));
    } else {
      out.push_back(StringColumn(n.name, pq::LogicalType::Kind::kJson));
    }
  }
  out.push_back(StringColumn(std::string(kWinnowColumn)));
  return out;
}

// Rows of one output (kept or removed) of a batch, as columns.
struct Rows final : SinkPayload {
  bool typed = false;                 // the input file's columns (specs) in their order
  std::vector<pq::ColumnSpec> specs;  // typed: every column; dynamic: each column's name
  std::vector<pq::ColumnData> data;   // per column
  size_t rows = 0;
  uint64_t bytes = 0;
};

class ParquetEncoder final : public SinkEncoder {
 public:
  ParquetEncoder(const io::InputList& inputs, const io::ReaderOptions& reader, PartFormat format,
                 bool rejected)
      : inputs_(inputs),
        text_field_(reader.text_field),
        parser_(reader.text_field, reader.id_field),
        rejected_(rejected) {
    if (format.compress) compressor_ = std::make_unique<io::ZstdFrameCompressor>(format.level);
  }

  Status Encode(const Batch& b, EncodedBatch& out) override {
    out.outputs.resize(kOutputs);
    out.payloads.resize(2);
    const io::Shard& shard = inputs_.shards[b.shard];
    const pq::ParquetFile* schema = nullptr;
    if (shard.format == io::InputFormat::kParquet) {
      WINNOW_ASSIGN_OR_RETURN(schema, Schema(shard.path));
    }
    for (size_t which : {kKept, kRemoved}) {
      auto rows = std::make_unique<Rows>();
      index_.clear();
      if (schema != nullptr) {
        rows->typed = true;
        rows->specs = TypedColumns(*schema);
        rows->data.resize(rows->specs.size());
        for (size_t c = 0; c < rows->specs.size(); ++c) index_.emplace(rows->specs[c].name, c);
      }
      for (const Document& d : b.docs) {
        if (d.removed() != (which == kRemoved)) continue;
        WINNOW_RETURN_IF_ERROR(AddRow(d, *rows));
      }
      out.raw_bytes += rows->bytes;
      out.document_bytes += rows->bytes;
      out.payloads[which] = std::move(rows);
    }
    if (!rejected_ || b.rejected.empty()) return Status::OK();
    // Rejected records stay JSONL (they are not documents): as the JSONL sink writes them.
    std::vector<const Rejected*> order;
    for (const Rejected& r : b.rejected) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(),
                     [](const Rejected* a, const Rejected* c) { return a->ordinal < c->ordinal; });
    lines_.clear();
    for (const Rejected* r : order) io::AppendRejectedLine(*r, lines_);
    if (compressor_) return compressor_->Compress(lines_, out.outputs[kRejected]);
    out.outputs[kRejected] = lines_;
    return Status::OK();
  }

 private:
  Result<const pq::ParquetFile*> Schema(const std::string& path) {
    auto it = schemas_.find(path);
    if (it == schemas_.end()) {
      WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<pq::ParquetFile> f, pq::ParquetFile::Open(path));
      it = schemas_.emplace(path, std::move(f)).first;
    }
    return it->second.get();
  }

  // The column of `name` in a dynamic batch (added on first sight, null in earlier rows).
  size_t Column(Rows& rows, std::string_view name) {
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    rows.specs.push_back(StringColumn(std::string(name)));
    rows.data.emplace_back();
    for (size_t r = 0; r < rows.rows; ++r) rows.data.back().AddNull();
    index_.emplace(rows.specs.back().name, rows.specs.size() - 1);
    return rows.specs.size() - 1;
  }

  Status AddRow(const Document& d, Rows& rows) {
    const size_t row = rows.rows;
    // Sets column c's value for this row from the record's raw JSON (the text from the
    // document: stages may have edited it). A key the record repeats keeps its first value.
    auto set = [&](size_t c, std::string_view raw, bool is_text) {
      pq::ColumnData& col = rows.data[c];
      if (col.rows() > row) return;
      const pq::ColumnSpec& s = rows.specs[c];
      if (is_text) {
        col.AddView(d.text);  // the batch outlives the Write that copies it into a page
      } else if (!pq::JsonToValue(s.type, s.type_length, s.logical, raw, &value_)) {
        col.AddNull();
      } else if (s.type == pq::Type::kByteArray) {
        col.AddBytes(value_);
      } else {
        col.AddFixed(value_.data(), value_.size());
      }
    };
    if (d.record.empty()) {  // not from a JSON record (a .txt page): its id and text
      if (!rows.typed) {
        std::string id;
        AppendJsonString(id, d.id);
        set(Column(rows, "id"), id, false);
        set(Column(rows, text_field_), "", true);
      }
    } else {
      auto field = [&](std::string_view key, std::string_view raw) {
        if (key == kWinnowColumn) return;  // replaced by this run's
        const bool is_text = key == text_field_;
        if (!rows.typed) return set(Column(rows, key), raw, is_text);
        auto it = index_.find(key);
        if (it != index_.end()) set(it->second, raw, is_text);
      };
      Status st = parser_.Fields(d.record, d.record.size() + Batch::kInputPadding, field);
      if (!st.ok()) return st.WithContext("parquet output: " + d.id);
    }
    winnow_.clear();
    io::AppendWinnowObject(d, winnow_);
    rows.data[rows.typed ? rows.specs.size() - 1 : Column(rows, kWinnowColumn)].AddBytes(winnow_);
    for (pq::ColumnData& c : rows.data) {
      if (c.rows() == row) c.AddNull();  // a column the record does not name
    }
    ++rows.rows;
    rows.bytes += d.record.size() + d.text.size();
    return Status::OK();
  }

  const io::InputList& inputs_;
  std::string text_field_;
  io::RecordParser parser_;
  bool rejected_;
  std::unique_ptr<io::ZstdFrameCompressor> compressor_;
  std::map<std::string, std::unique_ptr<pq::ParquetFile>> schemas_;
  std::map<std::string, size_t, std::less<>> index_;
  std::string winnow_, value_, lines_;
};

class ParquetSink final : public RecordSink {
 public:
  ParquetSink(const OutputDirectory& dir, const PartFormat& format, bool rejected,
              const io::InputList& inputs, const io::ReaderOptions& reader)
      : dir_(dir), format_(format), rejected_(rejected), inputs_(inputs), reader_(reader) {
    options_.level = format.level;
    options_.row_group_bytes = format.row_group_bytes;
    options_.page_index = format.page_index;
    const std::string& c = format.parquet_codec;
    options_.codec = c == "snappy" ? pq::Codec::kSnappy
                     : c == "gzip" ? pq::Codec::kGzip
                     : c == "none" ? pq::Codec::kUncompressed
                                   : pq::Codec::kZstd;
  }

  std::unique_ptr<SinkEncoder> NewEncoder() const override {
    return std::make_unique<ParquetEncoder>(inputs_, reader_, format_, rejected_);
  }

  Result<SinkWrite> Write(const Batch& b, const EncodedBatch& e) override {
    SinkWrite written;
    for (size_t which : {kKept, kRemoved}) {
      auto* rows = static_cast<Rows*>(e.payloads[which].get());
      if (rows == nullptr || rows->rows == 0) continue;
      Part& part = parts_[which];
      if (!part.writer) {
        char name[64];
        std::snprintf(name, sizeof(name), "part-%05u.parquet", b.shard);
        const std::string path = dir_.PartPath(which == kKept ? "kept" : "removed", name);
        WINNOW_ASSIGN_OR_RETURN(
            part.writer,
            pq::ParquetWriter::Create(
                path, rows->typed ? rows->specs : std::vector<pq::ColumnSpec>{}, options_));
        part.columns.clear();
        for (size_t c = 0; c < part.writer->columns(); ++c)
          part.columns.emplace(part.writer->column(c).name, c);
      }
      // The batch's columns in the file's order (a dynamic batch may bring new ones).
      std::vector<pq::ColumnData> data(part.writer->columns());
      for (size_t c = 0; c < rows->specs.size(); ++c) {
        auto it = part.columns.find(rows->specs[c].name);
        size_t at;
        if (it == part.columns.end()) {
          at = part.writer->AddColumn(rows->specs[c]);
          part.columns.emplace(rows->specs[c].name, at);
          data.resize(part.writer->columns());
        } else {
          at = it->second;
        }
        data[at] = std::move(rows->data[c]);
      }
      const uint64_t before = part.writer->bytes_written();
      WINNOW_RETURN_IF_ERROR(part.writer->Append(data, rows->rows));
      written.output_bytes += part.writer->bytes_written() - before;
    }
    if (!e.outputs[kRejected].empty()) {
      if (!rejected_part_.is_open()) {
        char name[64];
        std::snprintf(name, sizeof(name), "part-%05u.jsonl%s", b.shard,
                      format_.compress ? ".zst" : "");
        WINNOW_ASSIGN_OR_RETURN(rejected_part_,
                                io::PartFile::Create(dir_.PartPath("rejected", name)));
      }
      WINNOW_RETURN_IF_ERROR(rejected_part_.Append(e.outputs[kRejected]));
      written.output_bytes += e.outputs[kRejected].size();
    }
    if (b.last_in_shard) {
      for (Part& part : parts_) {
        if (!part.writer) continue;
        const uint64_t before = part.writer->bytes_written();
        WINNOW_RETURN_IF_ERROR(part.writer->Close());
        written.output_bytes += part.writer->bytes_written() - before;
        part.writer.reset();
      }
      if (rejected_part_.is_open()) WINNOW_RETURN_IF_ERROR(rejected_part_.Commit());
    }
    return written;
  }

  void Abort() override {
    for (Part& part : parts_) {
      if (part.writer) part.writer->Abort();
      part.writer.reset();
    }
    rejected_part_.Abort();
  }

 private:
  struct Part {
    std::unique_ptr<pq::ParquetWriter> writer;
    std::map<std::string, size_t, std::less<>> columns;
  };

  const OutputDirectory& dir_;
  PartFormat format_;
  bool rejected_;
  const io::InputList& inputs_;
  io::ReaderOptions reader_;
  pq::WriterOptions options_;
  Part parts_[2];
  io::PartFile rejected_part_;
};

}  // namespace

std::unique_ptr<RecordSink> NewParquetSink(const OutputDirectory& dir, const PartFormat& format,
                                           bool rejected, const io::InputList& inputs,
                                           const io::ReaderOptions& reader) {
  return std::make_unique<ParquetSink>(dir, format, rejected, inputs, reader);
}

}  // namespace winnow::pipeline
