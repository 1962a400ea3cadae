#include "winnow/io/parquet_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "winnow/io/parquet_codec.h"
#include "winnow/io/parquet_decode.h"

namespace winnow::io::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr size_t kMaxStatBytes = 64;  // longer strings get no min/max
constexpr size_t kMaxDictionaryValues = 1 << 16;

using K = LogicalType::Kind;

ConvertedType ConvertedOf(const LogicalType& lt) {
  switch (lt.kind) {
    case K::kString:
      return ConvertedType::kUtf8;
    case K::kJson:
      return ConvertedType::kJson;
    case K::kEnum:
      return ConvertedType::kEnum;
    case K::kBson:
      return ConvertedType::kBson;
    case K::kDate:
      return ConvertedType::kDate;
    case K::kDecimal:
      return ConvertedType::kDecimal;
    case K::kTimestamp:
      if (!lt.utc || lt.unit == TimeUnit::kNanos) return ConvertedType::kNone;
      return lt.unit == TimeUnit::kMillis ? ConvertedType::kTimestampMillis
                                          : ConvertedType::kTimestampMicros;
    case K::kTime:
      if (!lt.utc || lt.unit == TimeUnit::kNanos) return ConvertedType::kNone;
      return lt.unit == TimeUnit::kMillis ? ConvertedType::kTimeMillis : ConvertedType::kTimeMicros;
    case K::kInteger:
      switch (lt.bit_width) {
        case 8:
          return lt.is_signed ? ConvertedType::kInt8 : ConvertedType::kUint8;
        case 16:
          return lt.is_signed ? ConvertedType::kInt16 : ConvertedType::kUint16;
        case 32:
          return lt.is_signed ? ConvertedType::kInt32 : ConvertedType::kUint32;
        default:
          return lt.is_signed ? ConvertedType::kInt64 : ConvertedType::kUint64;
      }
    default:
      return ConvertedType::kNone;
  }
}

// Min and max of a chunk's (or a page's) values, in the column's sort order; none for types
// whose order this writer does not state (booleans, INT96, decimals and float16 in bytes).
class Bounds {
 public:
  explicit Bounds(const ColumnSpec& spec) : spec_(spec) {
    const bool bytes = spec.type == Type::kByteArray || spec.type == Type::kFixedLenByteArray;
    usable_ = spec.type != Type::kBoolean && spec.type != Type::kInt96 &&
              !(bytes && (spec.logical.kind == K::kDecimal || spec.logical.kind == K::kFloat16 ||
                          spec.logical.kind == K::kOther));
  }
  void Add(std::string_view v) {
    if (!usable_) return;
    if (v.size() > kMaxStatBytes &&
        (spec_.type == Type::kByteArray || spec_.type == Type::kFixedLenByteArray)) {
      usable_ = false;
      return;
    }
    if (IsNaN(v)) return;
    if (!min_ || Less(v, *min_)) min_ = std::string(v);
    if (!max_ || Less(*max_, v)) max_ = std::string(v);
  }
  bool has() const { return usable_ && min_.has_value(); }
  bool usable() const { return usable_; }
  const std::string& min() const { return *min_; }
  const std::string& max() const { return *max_; }
  void Reset() {
    min_.reset();
    max_.reset();
  }

 private:
  bool IsNaN(std::string_view v) const {
    if (spec_.type == Type::kFloat) {
      float f;
      std::memcpy(&f, v.data(), 4);
      return f != f;
    }
    if (spec_.type == Type::kDouble) {
      double d;
      std::memcpy(&d, v.data(), 8);
      return d != d;
    }
    return false;
  }
  bool Less(std::string_view a, std::string_view b) const {
    const bool is_unsigned = spec_.logical.kind == K::kInteger && !spec_.logical.is_signed;
    switch (spec_.type) {
      case Type::kInt32: {
        int32_t x, y;
        std::memcpy(&x, a.data(), 4);
        std::memcpy(&y, b.data(), 4);
        return is_unsigned ? static_cast<uint32_t>(x) < static_cast<uint32_t>(y) : x < y;
      }
      case Type::kInt64: {
        int64_t x, y;
        std::memcpy(&x, a.data(), 8);
        std::memcpy(&y, b.data(), 8);
        return is_unsigned ? static_cast<uint64_t>(x) < static_cast<uint64_t>(y) : x < y;
      }
      case Type::kFloat: {
        float x, y;
        std::memcpy(&x, a.data(), 4);
        std::memcpy(&y, b.data(), 4);
        return x < y;
      }
      case Type::kDouble: {
        double x, y;
        std::memcpy(&x, a.data(), 8);
        std::memcpy(&y, b.data(), 8);
        return x < y;
      }
      default:  // unsigned bytes, lexicographic
        return std::lexicographical_compare(
            a.begin(), a.end(), b.begin(), b.end(),
            [](char l, char r) { return static_cast<uint8_t>(l) < static_cast<uint8_t>(r); });
    }
  }

  const ColumnSpec& spec_;
  bool usable_ = true;
  std::optional<std::string> min_, max_;
};

void PutU32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

}  // namespace

ParquetWriter::~ParquetWriter() { file_.Abort(); }

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Create(std::string path,
                                                             std::vector<ColumnSpec> columns,
                                                             const WriterOptions& options) {
  std::unique_ptr<ParquetWriter> w(new ParquetWriter());
  w->options_ = options;
  WINNOW_ASSIGN_OR_RETURN(w->file_, PartFile::Create(std::move(path)));
  for (ColumnSpec& c : columns) w->AddColumn(std::move(c));
  WINNOW_RETURN_IF_ERROR(w->Write(kMagic));
  return w;
}

size_t ParquetWriter::AddColumn(ColumnSpec spec) {
  specs_.push_back(std::move(spec));
  pending_.emplace_back();
  // Rows gathered for the current row group before the column existed are null in it.
  for (size_t r = 0; r < pending_rows_; ++r) pending_.back().AddNull();
  return specs_.size() - 1;
}

Status ParquetWriter::Write(std::string_view bytes) { return file_.Append(bytes); }

Status ParquetWriter::Append(std::vector<ColumnData>& data, size_t rows) {
  for (size_t c = 0; c < std::min(data.size(), specs_.size()); ++c) {
    if (data[c].rows() != 0 && data[c].rows() != rows) {
      return Status::Internal("parquet writer: columns of unequal lengths");
    }
  }
  // Row by row, so that a row group ends at the first row past row_group_bytes whatever the
  // batches the rows came in.
  std::vector<size_t> value(specs_.size(), 0), offset(specs_.size(), 0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < specs_.size(); ++c) {
      ColumnData& to = pending_[c];
      if (c >= data.size() || data[c].rows() == 0 || !data[c].defined[r]) {
        to.AddNull();
        ++pending_bytes_;
        continue;
      }
      const ColumnData& from = data[c];
      const size_t n = specs_[c].type == Type::kByteArray
                           ? from.lengths[value[c]]
                           : ValueWidth(specs_[c].type, specs_[c].type_length);
      const std::string_view v = std::string_view(from.bytes).substr(offset[c], n);
      if (specs_[c].type == Type::kByteArray) {
        to.AddBytes(v);
      } else {
        to.AddFixed(v.data(), v.size());
      }
      ++value[c];
      offset[c] += n;
      pending_bytes_ += n + 1;
    }
    ++pending_rows_;
    if (pending_bytes_ >= options_.row_group_bytes) WINNOW_RETURN_IF_ERROR(FlushRowGroup());
  }
  for (ColumnData& d : data) d.Clear();
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  if (pending_rows_ == 0) return Status::OK();
  RowGroup g;
  g.num_rows = static_cast<int64_t>(pending_rows_);
  g.ordinal = static_cast<int16_t>(groups_.size());
  g.file_offset = static_cast<int64_t>(file_.bytes_written());
  int64_t compressed = 0;
  column_index_.emplace_back(specs_.size());
  offset_index_.emplace_back(specs_.size());
  for (size_t c = 0; c < specs_.size(); ++c) {
    ColumnChunk chunk;
    WINNOW_RETURN_IF_ERROR(WriteChunk(c, pending_[c], pending_rows_, &chunk,
                                      &column_index_.back()[c], &offset_index_.back()[c]));
    g.total_byte_size += chunk.meta.total_uncompressed_size;
    compressed += chunk.meta.total_compressed_size;
    g.columns.push_back(std::move(chunk));
    pending_[c].Clear();
  }
  g.total_compressed_size = compressed;
  groups_.push_back(std::move(g));
  pending_rows_ = 0;
  pending_bytes_ = 0;
  return Status::OK();
}

Status ParquetWriter::WriteChunk(size_t column, ColumnData& data, size_t rows, ColumnChunk* chunk,
                                 ColumnIndex* index, OffsetIndex* offsets) {
  const ColumnSpec& spec = specs_[column];
  const size_t width = ValueWidth(spec.type, spec.type_length);
  const bool arrays = spec.type == Type::kByteArray;
  // Each value's bytes.
  std::vector<std::string_view> values;
  values.reserve(arrays ? data.lengths.size() : data.bytes.size() / std::max<size_t>(width, 1));
  if (arrays) {
    size_t at = 0;
    for (uint32_t len : data.lengths) {
      values.push_back(std::string_view(data.bytes).substr(at, len));
      at += len;
    }
  } else {
    for (size_t at = 0; at + width <= data.bytes.size(); at += width) {
      values.push_back(std::string_view(data.bytes).substr(at, width));
    }
  }
  // A dictionary for a byte-array column with few distinct values.
  std::unordered_map<std::string_view, uint32_t> dictionary;
  std::vector<std::string_view> distinct;
  std::vector<uint32_t> indices;
  bool use_dictionary = arrays && !values.empty();
  if (use_dictionary) {
    uint64_t dict_bytes = 0;
    indices.reserve(values.size());
    for (std::string_view v : values) {
      auto [it, added] = dictionary.emplace(v, static_cast<uint32_t>(distinct.size()));
      if (added) {
        distinct.push_back(v);
        dict_bytes += v.size() + 4;
        if (distinct.size() > kMaxDictionaryValues || dict_bytes > options_.page_bytes) {
          use_dictionary = false;
          break;
        }
      }
      indices.push_back(it->second);
    }
    use_dictionary = use_dictionary && distinct.size() * 2 <= values.size();
  }

  ColumnMetaData& m = chunk->meta;
  m.type = spec.type;
  m.path = {spec.name};
  m.codec = options_.codec;
  m.num_values = static_cast<int64_t>(rows);
  const auto chunk_start = static_cast<int64_t>(file_.bytes_written());
  chunk->file_offset = chunk_start;
  int64_t uncompressed_total = 0, compressed_total = 0;
  auto write_page = [&](PageHeader h, std::string_view body) -> Status {
    scratch_.clear();
    WINNOW_RETURN_IF_ERROR(Compress(options_.codec, body, options_.level, scratch_));
    h.uncompressed_page_size = static_cast<int32_t>(body.size());
    h.compressed_page_size = static_cast<int32_t>(scratch_.size());
    h.crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(scratch_.data()),
                                        static_cast<uInt>(scratch_.size())));
    const std::string header = EncodePageHeader(h);
    WINNOW_RETURN_IF_ERROR(Write(header));
    WINNOW_RETURN_IF_ERROR(Write(scratch_));
    uncompressed_total += static_cast<int64_t>(header.size() + body.size());
    compressed_total += static_cast<int64_t>(header.size() + scratch_.size());
    return Status::OK();
  };

  if (use_dictionary) {
    m.dictionary_page_offset = static_cast<int64_t>(file_.bytes_written());
    page_.clear();
    for (std::string_view v : distinct) {
      PutU32(page_, static_cast<uint32_t>(v.size()));
      page_.append(v);
    }
    PageHeader h;
    h.type = PageType::kDictionary;
    h.dictionary = DictionaryPageHeader{static_cast<int32_t>(distinct.size()), Encoding::kPlain};
    WINNOW_RETURN_IF_ERROR(write_page(h, page_));
  }
  m.data_page_offset = static_cast<int64_t>(file_.bytes_written());
  const Encoding encoding = use_dictionary ? Encoding::kRleDictionary : Encoding::kPlain;
  const int index_width = BitWidth(distinct.empty() ? 0 : distinct.size() - 1);

  Bounds chunk_bounds(spec), page_bounds(spec);
  ColumnIndex& ci = *index;
  OffsetIndex& oi = *offsets;
  int64_t nulls = 0;
  size_t value = 0;  // index of the next value
  std::vector<uint32_t> level_values, page_indices;
  for (size_t row = 0; row < rows;) {
    // A page: rows until its values reach page_bytes.
    const size_t first_row = row, first_value = value;
    uint64_t bytes = 0;
    int64_t page_nulls = 0;
    page_bounds.Reset();
    level_values.clear();
    while (row < rows && (row == first_row || bytes < options_.page_bytes)) {
      const bool defined = data.defined[row] != 0;
      level_values.push_back(defined ? 1 : 0);
      if (defined) {
        bytes += values[value].size() + (arrays ? 4 : 0);
        chunk_bounds.Add(values[value]);
        page_bounds.Add(values[value]);
        ++value;
      } else {
        ++page_nulls;
      }
      ++row;
    }
    nulls += page_nulls;
    page_.clear();
    levels_.clear();
    EncodeHybrid(level_values, 1, levels_);
    PutU32(page_, static_cast<uint32_t>(levels_.size()));
    page_ += levels_;
    if (use_dictionary) {
      page_indices.assign(indices.begin() + static_cast<ptrdiff_t>(first_value),
                          indices.begin() + static_cast<ptrdiff_t>(value));
      page_.push_back(static_cast<char>(index_width));
      EncodeHybrid(page_indices, index_width, page_);
    } else if (spec.type == Type::kBoolean) {  // PLAIN booleans: one bit each
      std::string bits((value - first_value + 7) / 8, '\0');
      for (size_t v = first_value; v < value; ++v) {
        if (values[v][0] != 0)
          bits[(v - first_value) / 8] |= static_cast<char>(1 << ((v - first_value) % 8));
      }
      page_ += bits;
    } else {
      for (size_t v = first_value; v < value; ++v) {
        if (arrays) PutU32(page_, static_cast<uint32_t>(values[v].size()));
        page_.append(values[v]);
      }
    }
    PageHeader h;
    h.type = PageType::kData;
    h.data = DataPageHeader{static_cast<int32_t>(row - first_row), encoding, Encoding::kRle,
                            Encoding::kRle, std::nullopt};
    const auto page_offset = static_cast<int64_t>(file_.bytes_written());
    WINNOW_RETURN_IF_ERROR(write_page(h, page_));
    oi.pages.push_back(PageLocation{page_offset,
                                    static_cast<int32_t>(file_.bytes_written() - page_offset),
                                    static_cast<int64_t>(first_row)});
    const bool all_null = value == first_value;
    ci.null_pages.push_back(all_null);
    ci.null_counts.push_back(page_nulls);
    ci.min_values.push_back(page_bounds.has() ? page_bounds.min() : std::string());
    ci.max_values.push_back(page_bounds.has() ? page_bounds.max() : std::string());
    if (!all_null && !page_bounds.has()) ci.boundary_order = -1;  // no column index possible
  }
  if (!chunk_bounds.usable()) ci.boundary_order = -1;
  m.encodings = use_dictionary ? std::vector<Encoding>{Encoding::kPlain, Encoding::kRle,
                                                       Encoding::kRleDictionary}
                               : std::vector<Encoding>{Encoding::kPlain, Encoding::kRle};
  m.total_uncompressed_size = uncompressed_total;
  m.total_compressed_size = compressed_total;
  Statistics stats;
  stats.null_count = nulls;
  if (chunk_bounds.has()) {
    stats.min_value = chunk_bounds.min();
    stats.max_value = chunk_bounds.max();
  }
  m.statistics = std::move(stats);
  return Status::OK();
}

Status ParquetWriter::Close() {
  WINNOW_RETURN_IF_ERROR(FlushRowGroup());
  // Columns added after a row group was written: an all-null chunk for it.
  for (size_t g = 0; g < groups_.size(); ++g) {
    RowGroup& rg = groups_[g];
    if (rg.columns.size() == specs_.size()) continue;
    column_index_[g].resize(specs_.size());
    offset_index_[g].resize(specs_.size());
    const auto rows = static_cast<size_t>(rg.num_rows);
    for (size_t c = rg.columns.size(); c < specs_.size(); ++c) {
      ColumnData nulls;
      nulls.defined.assign(rows, 0);
      ColumnChunk chunk;
      WINNOW_RETURN_IF_ERROR(
          WriteChunk(c, nulls, rows, &chunk, &column_index_[g][c], &offset_index_[g][c]));
      rg.total_byte_size += chunk.meta.total_uncompressed_size;
      *rg.total_compressed_size += chunk.meta.total_compressed_size;
      rg.columns.push_back(std::move(chunk));
    }
  }
  if (options_.page_index) {
    for (size_t g = 0; g < groups_.size(); ++g) {
      for (size_t c = 0; c < specs_.size(); ++c) {
        const ColumnIndex& ci = column_index_[g][c];
        if (ci.boundary_order < 0) continue;  // pages without bounds: no column index
        ColumnChunk& chunk = groups_[g].columns[c];
        const std::string bytes = EncodeColumnIndex(ci);
        chunk.column_index_offset = static_cast<int64_t>(file_.bytes_written());
        chunk.column_index_length = static_cast<int32_t>(bytes.size());
        WINNOW_RETURN_IF_ERROR(Write(bytes));
      }
    }
    for (size_t g = 0; g < groups_.size(); ++g) {
      for (size_t c = 0; c < specs_.size(); ++c) {
        ColumnChunk& chunk = groups_[g].columns[c];
        const std::string bytes = EncodeOffsetIndex(offset_index_[g][c]);
        chunk.offset_index_offset = static_cast<int64_t>(file_.bytes_written());
        chunk.offset_index_length = static_cast<int32_t>(bytes.size());
        WINNOW_RETURN_IF_ERROR(Write(bytes));
      }
    }
  }
  FileMetaData meta;
  meta.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(specs_.size());
  meta.schema.push_back(root);
  for (const ColumnSpec& s : specs_) {
    SchemaElement e;
    e.name = s.name;
    e.type = s.type;
    e.type_length = s.type_length;
    e.repetition = Repetition::kOptional;
    e.logical = s.logical;
    e.converted = ConvertedOf(s.logical);
    if (s.logical.kind == K::kDecimal) {
      e.scale = s.logical.scale;
      e.precision = s.logical.precision;
    }
    meta.schema.push_back(std::move(e));
  }
  for (const RowGroup& g : groups_) meta.num_rows += g.num_rows;
  meta.row_groups = std::move(groups_);
  meta.created_by = options_.created_by;
  meta.type_defined_order = true;
  const std::string footer = EncodeFileMetaData(meta);
  WINNOW_RETURN_IF_ERROR(Write(footer));
  std::string tail;
  PutU32(tail, static_cast<uint32_t>(footer.size()));
  tail += kMagic;
  WINNOW_RETURN_IF_ERROR(Write(tail));
  return file_.Commit();
}

}  // namespace winnow::io::parquet
