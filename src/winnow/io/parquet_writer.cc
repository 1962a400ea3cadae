#include "winnow/io/parquet_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "winnow/io/parquet_codec.h"
#include "winnow/io/parquet_decode.h"

namespace winnow::io::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr size_t kMaxStatBytes = 64;  // longer strings get no min/max
constexpr size_t kMaxDictionaryValues = 1 << 16;
constexpr size_t kDecideAfter = 1024;

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
  void Disable() { usable_ = false; }
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

// One column's chunk of the row group being written: values gathered into a page, each page
// encoded and compressed when full, the compressed pages kept until the row group is written.
class ChunkWriter {
 public:
  ChunkWriter(ColumnSpec spec, const WriterOptions& options)
      : spec_(std::move(spec)),
        options_(options),
        arrays_(spec_.type == Type::kByteArray),
        page_bounds_(spec_),
        chunk_bounds_(spec_) {
    Reset();
  }

  void AddNull() {
    levels_.push_back(0);
    ++page_nulls_;
  }
  void Add(std::string_view v) {
    levels_.push_back(1);
    if (arrays_) PutU32(values_, static_cast<uint32_t>(v.size()));
    values_.append(v);
    page_bytes_ += v.size() + (arrays_ ? 4 : 0);
    page_bounds_.Add(v);
    if (dictionary_ != Dictionary::kOff) AddToDictionary(v);
  }
  // After each row: a full page is encoded and compressed.
  Status EndRow() { return page_bytes_ >= options_.page_bytes ? ClosePage() : Status::OK(); }

  // Writes the chunk (its dictionary page, then its data pages) at the file's end: its
  // metadata into *chunk, its pages' bounds and places into *ci and *oi. Then starts afresh.
  Status WriteTo(PartFile& file, ColumnChunk* chunk, ColumnIndex* ci, OffsetIndex* oi);

 private:
  enum class Dictionary { kUndecided, kOn, kOff };
  struct Page {
    size_t offset = 0;  // in pages_
    size_t size = 0;
    int64_t first_row = 0;
  };

  void Reset() {
    dictionary_ = arrays_ ? Dictionary::kUndecided : Dictionary::kOff;
    dictionary_fell_back_ = false;
    entries_.clear();
    dictionary_values_.clear();
    dictionary_page_.clear();
    pages_.clear();
    pages_bytes_ = 0;
    page_list_.clear();
    rows_ = nulls_ = 0;
    uncompressed_ = compressed_ = 0;
    chunk_bounds_.Reset();
    index_ = ColumnIndex{};
    StartPage();
  }
  void StartPage() {
    levels_.clear();
    values_.assign(kLevelsRoom, '\0');
    indices_.clear();
    page_bytes_ = 0;
    page_nulls_ = 0;
    page_bounds_.Reset();
  }

  // Looks `v` up in the dictionary (adding it); past the dictionary's limits, dictionary
  // encoding ends for the chunk (the pages already written keep it).
  void AddToDictionary(std::string_view v) {
    auto it = entries_.find(v);
    if (it == entries_.end()) {
      // While deciding, a page whose first 1,024 values are all distinct (ids, texts) will
      // not be half repeats: stop hashing it.
      const bool hopeless = dictionary_ == Dictionary::kUndecided &&
                            entries_.size() == kDecideAfter && indices_.size() == kDecideAfter;
      if (hopeless || entries_.size() >= kMaxDictionaryValues ||
          dictionary_page_.size() + v.size() + 4 > options_.page_bytes) {
        dictionary_fell_back_ = dictionary_ == Dictionary::kOn;
        dictionary_ = Dictionary::kOff;
        indices_.clear();
        if (!dictionary_fell_back_) {  // still deciding: no page uses it
          entries_.clear();
          dictionary_values_.clear();
          dictionary_page_.clear();
        }
        return;
      }
      dictionary_values_.emplace_back(v);
      PutU32(dictionary_page_, static_cast<uint32_t>(v.size()));
      dictionary_page_.append(v);
      it =
          entries_.emplace(dictionary_values_.back(), static_cast<uint32_t>(entries_.size())).first;
    }
    indices_.push_back(it->second);
  }

  Status ClosePage();
  // Compresses `body` into packed_ (a view of scratch_ or of `body`).
  Status Compress(std::string_view body) {
    return parquet::CompressTo(options_.codec, body, options_.level, scratch_, &packed_);
  }

  const ColumnSpec spec_;
  const WriterOptions& options_;
  const bool arrays_;
  // The page being gathered.
  std::vector<uint32_t> levels_;  // definition levels, one per row
  // PLAIN values (byte arrays with their lengths) after kLevelsRoom bytes where ClosePage()
  // puts the page's levels when they fit: the page is then compressed without a copy.
  static constexpr size_t kLevelsRoom = 64;
  std::string values_;
  std::vector<uint32_t> indices_;  // dictionary indices of the values, while encoding so
  uint64_t page_bytes_ = 0;
  int64_t page_nulls_ = 0;
  Bounds page_bounds_;
  // The chunk.
  Dictionary dictionary_ = Dictionary::kOff;
  bool dictionary_fell_back_ = false;
  std::deque<std::string> dictionary_values_;  // what entries_'s keys view
  std::unordered_map<std::string_view, uint32_t> entries_;
  std::string dictionary_page_;  // the dictionary's PLAIN values
  // Compressed data pages with their headers, each its own string: no buffer grows (and
  // copies) to twice a row group's pages.
  std::vector<std::string> pages_;
  std::vector<Page> page_list_;
  size_t pages_bytes_ = 0;
  int64_t rows_ = 0, nulls_ = 0;
  int64_t uncompressed_ = 0, compressed_ = 0;  // data pages, headers included
  Bounds chunk_bounds_;
  ColumnIndex index_;
  std::string page_, encoded_, scratch_;  // scratch
  std::string_view packed_;               // the last Compress()'s output
};

Status ChunkWriter::ClosePage() {
  const size_t rows = levels_.size();
  if (rows == 0) return Status::OK();
  const size_t values = rows - static_cast<size_t>(page_nulls_);
  // The first page decides: a dictionary when its values are at most half distinct.
  if (dictionary_ == Dictionary::kUndecided) {
    if (entries_.size() * 2 <= values && values > 0) {
      dictionary_ = Dictionary::kOn;
    } else {
      dictionary_ = Dictionary::kOff;
      entries_.clear();
      dictionary_values_.clear();
      dictionary_page_.clear();
      indices_.clear();
    }
  }
  const bool use_dictionary = dictionary_ == Dictionary::kOn && indices_.size() == values;
  page_.clear();
  encoded_.clear();
  EncodeHybrid(levels_, 1, encoded_);
  // The page: the levels with their length, then the values.
  std::string_view body;
  if (!use_dictionary && spec_.type != Type::kBoolean && 4 + encoded_.size() <= kLevelsRoom) {
    // PLAIN values: the levels go in the room left before them, and the page is compressed
    // where it lies.
    char* at = values_.data() + kLevelsRoom - 4 - encoded_.size();
    const auto n = static_cast<uint32_t>(encoded_.size());
    std::memcpy(at, &n, 4);  // little-endian, as PutU32
    std::memcpy(at + 4, encoded_.data(), encoded_.size());
    body = std::string_view(at, static_cast<size_t>(values_.data() + values_.size() - at));
  } else {
    PutU32(page_, static_cast<uint32_t>(encoded_.size()));
    page_ += encoded_;
    if (use_dictionary) {
      const int width = BitWidth(entries_.empty() ? 0 : entries_.size() - 1);
      page_.push_back(static_cast<char>(width));
      EncodeHybrid(indices_, width, page_);
    } else if (spec_.type == Type::kBoolean) {  // PLAIN booleans: one bit each
      const size_t at = page_.size();
      page_.resize(at + (values + 7) / 8, '\0');
      for (size_t v = 0; v < values; ++v) {
        if (values_[kLevelsRoom + v] != 0) page_[at + v / 8] |= static_cast<char>(1 << (v % 8));
      }
    } else {
      page_.append(values_, kLevelsRoom);
    }
    body = page_;
  }
  WINNOW_RETURN_IF_ERROR(Compress(body));
  PageHeader h;
  h.type = PageType::kData;
  h.data = DataPageHeader{static_cast<int32_t>(rows),
                          use_dictionary ? Encoding::kRleDictionary : Encoding::kPlain,
                          Encoding::kRle, Encoding::kRle, std::nullopt};
  h.uncompressed_page_size = static_cast<int32_t>(body.size());
  h.compressed_page_size = static_cast<int32_t>(packed_.size());
  h.crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(packed_.data()), static_cast<uInt>(packed_.size())));
  const std::string header = EncodePageHeader(h);
  page_list_.push_back(Page{pages_bytes_, header.size() + packed_.size(), rows_});
  pages_.emplace_back().reserve(header.size() + packed_.size());
  pages_.back() += header;
  pages_.back() += packed_;
  pages_bytes_ += pages_.back().size();
  uncompressed_ += static_cast<int64_t>(header.size() + body.size());
  compressed_ += static_cast<int64_t>(header.size() + packed_.size());
  // The page index and the chunk's statistics.
  const bool all_null = values == 0;
  index_.null_pages.push_back(all_null);
  index_.null_counts.push_back(page_nulls_);
  index_.min_values.push_back(page_bounds_.has() ? page_bounds_.min() : std::string());
  index_.max_values.push_back(page_bounds_.has() ? page_bounds_.max() : std::string());
  if (!all_null && !page_bounds_.has()) index_.boundary_order = -1;  // no column index
  if (page_bounds_.has()) {
    chunk_bounds_.Add(page_bounds_.min());
    chunk_bounds_.Add(page_bounds_.max());
  } else if (!all_null) {
    chunk_bounds_.Disable();
  }
  rows_ += static_cast<int64_t>(rows);
  nulls_ += page_nulls_;
  StartPage();
  return Status::OK();
}

Status ChunkWriter::WriteTo(PartFile& file, ColumnChunk* chunk, ColumnIndex* ci, OffsetIndex* oi) {
  WINNOW_RETURN_IF_ERROR(ClosePage());
  ColumnMetaData& m = chunk->meta;
  m.type = spec_.type;
  m.path = {spec_.name};
  m.codec = options_.codec;
  m.num_values = rows_;
  const auto start = static_cast<int64_t>(file.bytes_written());
  chunk->file_offset = start;
  const bool dictionary =
      !entries_.empty() && (dictionary_ == Dictionary::kOn || dictionary_fell_back_);
  int64_t uncompressed = uncompressed_, compressed = compressed_;
  if (dictionary) {
    WINNOW_RETURN_IF_ERROR(Compress(dictionary_page_));
    PageHeader h;
    h.type = PageType::kDictionary;
    h.dictionary = DictionaryPageHeader{static_cast<int32_t>(entries_.size()), Encoding::kPlain};
    h.uncompressed_page_size = static_cast<int32_t>(dictionary_page_.size());
    h.compressed_page_size = static_cast<int32_t>(packed_.size());
    h.crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(packed_.data()),
                                        static_cast<uInt>(packed_.size())));
    const std::string header = EncodePageHeader(h);
    m.dictionary_page_offset = start;
    WINNOW_RETURN_IF_ERROR(file.Append(header));
    WINNOW_RETURN_IF_ERROR(file.Append(packed_));
    uncompressed += static_cast<int64_t>(header.size() + dictionary_page_.size());
    compressed += static_cast<int64_t>(header.size() + packed_.size());
  }
  const auto data_start = static_cast<int64_t>(file.bytes_written());
  m.data_page_offset = data_start;
  for (const std::string& page : pages_) WINNOW_RETURN_IF_ERROR(file.Append(page));
  oi->pages.clear();
  for (const Page& p : page_list_) {
    oi->pages.push_back(PageLocation{data_start + static_cast<int64_t>(p.offset),
                                     static_cast<int32_t>(p.size), p.first_row});
  }
  if (!chunk_bounds_.usable()) index_.boundary_order = -1;
  *ci = std::move(index_);
  m.encodings =
      dictionary ? std::vector<Encoding>{Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary}
                 : std::vector<Encoding>{Encoding::kPlain, Encoding::kRle};
  m.total_uncompressed_size = uncompressed;
  m.total_compressed_size = compressed;
  Statistics stats;
  stats.null_count = nulls_;
  if (chunk_bounds_.has()) {
    stats.min_value = chunk_bounds_.min();
    stats.max_value = chunk_bounds_.max();
  }
  m.statistics = std::move(stats);
  Reset();
  return Status::OK();
}

ParquetWriter::ParquetWriter() = default;
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
  chunks_.push_back(std::make_unique<ChunkWriter>(spec, options_));
  specs_.push_back(std::move(spec));
  // Rows gathered for the current row group before the column existed are null in it.
  for (size_t r = 0; r < pending_rows_; ++r) {
    chunks_.back()->AddNull();
    (void)chunks_.back()->EndRow();  // nulls fill no page
  }
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
      ChunkWriter& to = *chunks_[c];
      if (c >= data.size() || data[c].rows() == 0 || !data[c].defined[r]) {
        to.AddNull();
        ++pending_bytes_;
      } else {
        const ColumnData& from = data[c];
        std::string_view v;
        if (!from.views.empty()) {
          v = from.views[value[c]];
        } else {
          v = std::string_view(from.bytes)
                  .substr(offset[c], specs_[c].type == Type::kByteArray
                                         ? from.lengths[value[c]]
                                         : ValueWidth(specs_[c].type, specs_[c].type_length));
          offset[c] += v.size();
        }
        to.Add(v);
        ++value[c];
        pending_bytes_ += v.size() + 1;
      }
      WINNOW_RETURN_IF_ERROR(to.EndRow());
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
    WINNOW_RETURN_IF_ERROR(
        chunks_[c]->WriteTo(file_, &chunk, &column_index_.back()[c], &offset_index_.back()[c]));
    g.total_byte_size += chunk.meta.total_uncompressed_size;
    compressed += chunk.meta.total_compressed_size;
    g.columns.push_back(std::move(chunk));
  }
  g.total_compressed_size = compressed;
  groups_.push_back(std::move(g));
  pending_rows_ = 0;
  pending_bytes_ = 0;
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
      ChunkWriter nulls(specs_[c], options_);
      for (size_t r = 0; r < rows; ++r) nulls.AddNull();
      ColumnChunk chunk;
      WINNOW_RETURN_IF_ERROR(
          nulls.WriteTo(file_, &chunk, &column_index_[g][c], &offset_index_[g][c]));
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
