#include "winnow/io/parquet_reader.h"

#include <algorithm>

#include "winnow/core/json_writer.h"
#include "winnow/io/parquet_file.h"
#include "winnow/io/parquet_json.h"

namespace winnow::io {
namespace {

using parquet::ColumnValues;
using parquet::ParquetFile;

// The rejection kind of a Parquet error (static storage).
std::string_view KindOf(const Status& st) {
  const std::string_view m = st.message();
  if (st.code() == StatusCode::kUnimplemented) return "parquet_unsupported";
  if (st.code() == StatusCode::kResourceExhausted) return "parquet_too_large";
  if (st.code() == StatusCode::kIOError || st.code() == StatusCode::kNotFound) return "io";
  if (m.find("text column") != std::string_view::npos) return "parquet_schema";
  if (m.find("checksum") != std::string_view::npos) return "parquet_checksum";
  if (m.find("does not decompress") != std::string_view::npos) return "parquet_codec";
  if (m.find("footer") != std::string_view::npos ||
      m.find("Parquet file") != std::string_view::npos ||
      m.find("schema") != std::string_view::npos) {
    return "parquet_footer";
  }
  return "parquet_page";
}

class ParquetReader final : public RecordReader {
 public:
  ParquetReader(std::string path, uint32_t first, uint32_t count, const ReaderOptions& options)
      : path_(std::move(path)), first_(first), end_(first + count), options_(options) {}

  bool Next(Batch& batch) override {
    batch.format = RecordFormat::kJsonl;
    batch.input.clear();
    if (!opened_) Open(batch);
    size_t bytes = 0;
    while (file_ && bytes < options_.batch_bytes) {
      if (row_ == rows_ && !LoadNextGroup(batch)) break;
      if (row_ == rows_) continue;  // an empty or rejected row group
      bytes += EmitRow(batch);
    }
    batch.input.append(Batch::kInputPadding, ' ');
    batch.input_bytes = bytes;
    const bool more = file_ != nullptr && (row_ < rows_ || group_ < end_);
    batch.compressed_end = consumed_;
    batch.last_in_shard = !more;
    return more;
  }

  uint64_t compressed_offset() const override { return consumed_; }

 private:
  void Reject(Batch& batch, const Status& st, std::string where, uint64_t line) {
    Rejected r;
    r.file = path_;
    r.kind = KindOf(st);
    r.line = line;
    r.ordinal = ordinal_;
    r.error = "parquet: " + std::string(st.message()) + ": " + path_ + where;
    batch.rejected.push_back(std::move(r));
  }

  void Open(Batch& batch) {
    opened_ = true;
    Result<std::unique_ptr<ParquetFile>> f = ParquetFile::Open(path_);
    if (!f.ok()) {
      Reject(batch, f.status(), "", 0);
      ++ordinal_;
      return;
    }
    file_ = std::move(f).value();
    const auto& nodes = file_->nodes();
    bool has_text = false;
    std::string names;
    size_t named = 0;
    for (size_t field : file_->fields()) {
      const parquet::SchemaNode& n = nodes[field];
      if (++named <= 12) names += (names.empty() ? "" : ", ") + n.name;
      if (n.name != options_.text_field) continue;
      const bool bytes =
          n.leaf >= 0 && n.repetition != parquet::Repetition::kRepeated &&
          (file_->columns()[static_cast<size_t>(n.leaf)].type == parquet::Type::kByteArray ||
           file_->columns()[static_cast<size_t>(n.leaf)].type == parquet::Type::kFixedLenByteArray);
      if (!bytes) {
        Reject(
            batch,
            Status::Corrupt("the text column '" + options_.text_field + "' is not a string column"),
            "", 0);
        ++ordinal_;
        file_.reset();
        return;
      }
      has_text = true;
    }
    if (!has_text && !options_.text_field.empty()) {  // "": any schema (tools, tests)
      if (named > 12) names += " and " + std::to_string(named - 12) + " more";
      Reject(batch,
             Status::Corrupt("the schema has no text column '" + options_.text_field +
                             "' (columns: " + names + "; set reader: {text_column: NAME})"),
             "", 0);
      ++ordinal_;
      file_.reset();
      return;
    }
    // Rows before the shard's first row group: line numbers count from the file's start.
    const auto& groups = file_->meta().row_groups;
    end_ = std::min<uint32_t>(end_, static_cast<uint32_t>(groups.size()));
    for (uint32_t g = 0; g < first_ && g < groups.size(); ++g)
      file_row_ += static_cast<uint64_t>(groups[g].num_rows);
    group_ = first_;
  }

  // Reads the next row group's columns; false when the shard has none left.
  bool LoadNextGroup(Batch& batch) {
    if (group_ >= end_) return false;
    const uint32_t g = group_++;
    const parquet::RowGroup& rg = file_->meta().row_groups[g];
    consumed_ += static_cast<uint64_t>(rg.total_compressed_size.value_or(rg.total_byte_size));
    rows_ = row_ = 0;
    const auto rows = static_cast<size_t>(rg.num_rows);
    columns_.resize(file_->columns().size());
    uint64_t budget = options_.max_row_group_bytes;
    for (size_t c = 0; c < columns_.size(); ++c) {
      Status st = file_->ReadColumn(g, c, budget, &columns_[c]);
      if (st.ok()) {
        budget -= std::min<uint64_t>(budget, columns_[c].kept_bytes);
        continue;
      }
      const auto& path = file_->columns()[c].path;
      std::string column;
      for (const std::string& p : path) column += (column.empty() ? "" : ".") + p;
      Reject(batch, st, " row group " + std::to_string(g) + " column " + column, file_row_ + 1);
      SkipGroup(rows);
      return true;
    }
    assembler_ = std::make_unique<parquet::RowAssembler>(*file_, columns_);
    Status st = assembler_->Index(rows);
    if (!st.ok()) {
      Reject(batch, st, " row group " + std::to_string(g), file_row_ + 1);
      SkipGroup(rows);
      return true;
    }
    rows_ = rows;
    return true;
  }

  // A rejected row group: one entry stands for its rows, whose ordinals are passed over.
  void SkipGroup(size_t rows) {
    ordinal_ += std::max<size_t>(rows, 1);
    file_row_ += rows;
    for (ColumnValues& c : columns_) c.Clear();
  }

  size_t EmitRow(Batch& batch) {
    std::string& in = batch.input;
    RecordRef r;
    r.begin = in.size();
    Status st = assembler_->AppendRow(row_, in);
    r.size = in.size() - r.begin;
    r.line = file_row_ + 1;
    r.byte_offset = file_row_;
    r.ordinal = ordinal_++;
    ++row_;
    ++file_row_;
    if (!st.ok() || r.size > options_.max_record_bytes) {
      in.resize(r.begin);
      Status why = st.ok() ? Status::Corrupt("a row of " + std::to_string(r.size) +
                                             " bytes, over max_record_bytes")
                           : st;
      Rejected rej;
      rej.file = path_;
      rej.kind = st.ok() ? "line_too_long" : KindOf(st);
      rej.line = r.line;
      rej.byte_offset = r.byte_offset;
      rej.ordinal = r.ordinal;
      rej.error = "parquet: " + std::string(why.message()) + ": " + path_ + " row " +
                  std::to_string(r.line);
      batch.rejected.push_back(std::move(rej));
    } else {
      in.push_back('\n');
      batch.records.push_back(r);
    }
    if (row_ == rows_) {  // the row group is done: release it
      assembler_.reset();
      for (ColumnValues& c : columns_) c.Clear();
    }
    return r.size;
  }

  std::string path_;
  uint32_t first_, end_;
  ReaderOptions options_;
  bool opened_ = false;
  std::unique_ptr<ParquetFile> file_;
  uint32_t group_ = 0;
  std::vector<ColumnValues> columns_;
  std::unique_ptr<parquet::RowAssembler> assembler_;
  size_t row_ = 0, rows_ = 0;  // within the loaded row group
  uint64_t file_row_ = 0;      // rows of the file before the next one
  uint64_t ordinal_ = 0;
  uint64_t consumed_ = 0;
};

}  // namespace

Result<ParquetLayout> ParquetShards(const std::string& path, uint64_t target_bytes) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<ParquetFile> f, ParquetFile::Open(path));
  ParquetLayout layout;
  for (size_t field : f->fields()) {
    const parquet::SchemaNode& n = f->nodes()[field];
    if (!layout.columns.empty()) layout.columns += ", ";
    layout.columns += n.name;
    layout.columns += ' ';
    layout.columns += n.leaf >= 0 && n.repetition != parquet::Repetition::kRepeated
                          ? parquet::TypeName(f->columns()[static_cast<size_t>(n.leaf)].type)
                          : "nested";
  }
  std::vector<RowGroupRange>& out = layout.runs;
  const auto& groups = f->meta().row_groups;
  RowGroupRange cur;
  for (uint32_t g = 0; g < groups.size(); ++g) {
    const parquet::RowGroup& rg = groups[g];
    uint64_t bytes = 0;
    for (const parquet::ColumnChunk& c : rg.columns) {
      bytes += static_cast<uint64_t>(std::max<int64_t>(0, c.meta.total_compressed_size));
    }
    if (cur.count > 0 && cur.bytes + bytes > target_bytes) {
      out.push_back(cur);
      cur = RowGroupRange{g, 0, 0};
    }
    cur.count += 1;
    cur.bytes += bytes;
  }
  out.push_back(cur);
  return layout;
}

std::unique_ptr<RecordReader> OpenParquetReader(const std::string& path, uint32_t first,
                                                uint32_t count, const ReaderOptions& options) {
  return std::make_unique<ParquetReader>(path, first, count, options);
}

}  // namespace winnow::io
