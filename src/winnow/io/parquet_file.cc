#include "winnow/io/parquet_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "winnow/io/parquet_codec.h"

namespace winnow::io::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kEncryptedMagic = "PARE";
constexpr int kMaxSchemaDepth = 64;

uint32_t ReadU32(std::string_view b) {
  uint32_t v;
  std::memcpy(&v, b.data(), 4);
  return v;
}

}  // namespace

ParquetFile::~ParquetFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status ParquetFile::ReadAt(uint64_t offset, size_t n, std::string* out) const {
  out->resize(n);
  return ReadAt(offset, n, out->data());
}

Status ParquetFile::ReadAt(uint64_t offset, size_t n, char* out) const {
  if (offset > size_ || n > size_ - offset) {
    return Status::Corrupt("a range past the end of the file (" + std::to_string(offset) + "+" +
                           std::to_string(n) + " of " + std::to_string(size_) + " bytes)");
  }
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot read " + path_ + ": " + std::strerror(errno));
    }
    if (r == 0) return Status::Corrupt("the file ends early (was it cut while copied?)");
    got += static_cast<size_t>(r);
  }
  return Status::OK();
}

Result<std::unique_ptr<ParquetFile>> ParquetFile::Open(const std::string& path) {
  std::unique_ptr<ParquetFile> f(new ParquetFile());
  f->path_ = path;
  f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd_ < 0) {
    if (errno == ENOENT) return Status::NotFound("no such input file: " + path);
    return Status::IOError("cannot open input: " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f->fd_, &st) != 0) return Status::IOError("cannot size " + path);
  f->size_ = static_cast<uint64_t>(st.st_size);
  if (f->size_ < 12)
    return Status::Corrupt("not a Parquet file (only " + std::to_string(f->size_) + " bytes)");
  std::string tail, head;
  WINNOW_RETURN_IF_ERROR(f->ReadAt(f->size_ - 8, 8, &tail));
  WINNOW_RETURN_IF_ERROR(f->ReadAt(0, 4, &head));
  if (std::string_view(tail).substr(4) == kEncryptedMagic) {
    return Status::Unimplemented("an encrypted Parquet file (its footer is encrypted)");
  }
  if (std::string_view(tail).substr(4) != kMagic || head != kMagic) {
    return Status::Corrupt("not a Parquet file (no PAR1 magic at its start and end)");
  }
  const uint32_t footer = ReadU32(tail);
  if (footer > f->size_ - 12) {
    return Status::Corrupt("the footer's length (" + std::to_string(footer) +
                           " bytes) runs past the file's start");
  }
  std::string bytes;
  WINNOW_RETURN_IF_ERROR(f->ReadAt(f->size_ - 8 - footer, footer, &bytes));
  WINNOW_ASSIGN_OR_RETURN(f->meta_, DecodeFileMetaData(bytes));
  WINNOW_RETURN_IF_ERROR(f->BuildSchema());
  for (size_t g = 0; g < f->meta_.row_groups.size(); ++g) {
    const RowGroup& rg = f->meta_.row_groups[g];
    if (rg.columns.size() != f->columns_.size()) {
      return Status::Corrupt("row group " + std::to_string(g) + " has " +
                             std::to_string(rg.columns.size()) + " columns, the schema " +
                             std::to_string(f->columns_.size()));
    }
    if (rg.num_rows < 0)
      return Status::Corrupt("row group " + std::to_string(g) + " has negative rows");
  }
  return f;
}

Status ParquetFile::BuildSchema() {
  const std::vector<SchemaElement>& s = meta_.schema;
  nodes_.clear();
  nodes_.push_back(SchemaNode{});
  nodes_[0].name = s[0].name;
  size_t next = 1;
  // Depth-first: each group's children follow it, `num_children` of them.
  struct Frame {
    size_t node;
    int32_t left;
  };
  std::vector<Frame> stack{{0, s[0].num_children}};
  if (s[0].num_children < 0) return Status::Corrupt("the schema's root has negative children");
  while (!stack.empty()) {
    if (stack.back().left == 0) {
      stack.pop_back();
      continue;
    }
    --stack.back().left;
    if (next >= s.size()) return Status::Corrupt("the schema has fewer elements than it announces");
    if (stack.size() > kMaxSchemaDepth) return Status::Corrupt("the schema nests too deep");
    const SchemaElement& e = s[next];
    const size_t parent = stack.back().node;
    SchemaNode n;
    n.name = e.name;
    n.repetition = e.repetition.value_or(Repetition::kRequired);
    n.logical = e.logical;
    n.converted = e.converted;
    n.def = static_cast<uint16_t>(nodes_[parent].def + (n.repetition != Repetition::kRequired));
    n.rep = static_cast<uint16_t>(nodes_[parent].rep + (n.repetition == Repetition::kRepeated));
    const size_t id = nodes_.size();
    nodes_[parent].children.push_back(id);
    ++next;
    if (e.num_children > 0 || !e.type) {
      if (e.num_children < 0) return Status::Corrupt("a schema group has negative children");
      nodes_.push_back(std::move(n));
      stack.push_back({id, e.num_children});
      continue;
    }
    ColumnDescriptor c;
    c.schema_index = next - 1;
    c.max_def = n.def;
    c.max_rep = n.rep;
    c.type = *e.type;
    c.type_length = e.type_length;
    c.logical = e.logical;
    if (static_cast<int32_t>(c.type) < 0 || static_cast<int32_t>(c.type) > 7) {
      return Status::Corrupt("column " + e.name + " has an unknown physical type");
    }
    if (c.type == Type::kFixedLenByteArray && (e.type_length <= 0 || e.type_length > (1 << 20))) {
      return Status::Corrupt("FIXED_LEN_BYTE_ARRAY column " + e.name + " has an invalid length");
    }
    n.leaf = static_cast<int>(columns_.size());
    nodes_.push_back(std::move(n));
    columns_.push_back(std::move(c));
  }
  if (next != s.size()) return Status::Corrupt("the schema has elements past its tree");
  // Paths, fields, and each node's leaves.
  for (size_t f = 0; f < nodes_[0].children.size(); ++f) {
    std::vector<std::pair<size_t, std::vector<std::string>>> todo{{nodes_[0].children[f], {}}};
    while (!todo.empty()) {
      auto [id, path] = std::move(todo.back());
      todo.pop_back();
      path.push_back(nodes_[id].name);
      if (nodes_[id].leaf >= 0) {
        ColumnDescriptor& c = columns_[static_cast<size_t>(nodes_[id].leaf)];
        c.field = f;
        c.path = path;
        continue;
      }
      for (auto it = nodes_[id].children.rbegin(); it != nodes_[id].children.rend(); ++it) {
        todo.emplace_back(*it, path);
      }
    }
  }
  for (size_t id = nodes_.size(); id-- > 0;) {
    SchemaNode& n = nodes_[id];
    if (n.leaf >= 0) n.leaves.push_back(static_cast<size_t>(n.leaf));
    for (size_t c : n.children) {
      n.leaves.insert(n.leaves.end(), nodes_[c].leaves.begin(), nodes_[c].leaves.end());
    }
  }
  for (const SchemaNode& n : nodes_) {
    if (n.leaf < 0 && &n != &nodes_[0] && n.leaves.empty()) {
      return Status::Corrupt("schema group " + n.name + " holds no column");
    }
  }
  return Status::OK();
}

Status ParquetFile::ReadColumn(size_t group, size_t column, uint64_t max_bytes,
                               ColumnValues* out) const {
  out->Clear();
  const ColumnChunk& chunk = meta_.row_groups[group].columns[column];
  const ColumnMetaData& m = chunk.meta;
  const ColumnDescriptor& c = columns_[column];
  if (m.type != c.type) return Status::Corrupt("its chunk's type differs from the schema's");
  if (m.num_values == 0) return Status::OK();  // an empty chunk (some writers give no offsets)
  // The chunk starts at its dictionary page when it has one (some writers give offset 0 for
  // "none", others a data page offset of 0 beside a dictionary's).
  int64_t start_offset = m.data_page_offset;
  if (m.dictionary_page_offset && *m.dictionary_page_offset >= 4 &&
      (start_offset < 4 || *m.dictionary_page_offset < start_offset)) {
    start_offset = *m.dictionary_page_offset;
  }
  if (start_offset < 4 || m.total_compressed_size < 0 || m.num_values < 0) {
    return Status::Corrupt("its chunk's offsets are invalid");
  }
  const auto start = static_cast<uint64_t>(start_offset);
  const uint64_t length = static_cast<uint64_t>(m.total_compressed_size);
  if (start > size_ || length > size_ - start)
    return Status::Corrupt("its chunk runs past the file");
  char* raw = out->Allocate(length);
  WINNOW_RETURN_IF_ERROR(ReadAt(start, length, raw));
  const std::string_view bytes(raw, length);
  // A page's bytes, decompressed into memory `out` keeps (uncompressed ones are used in place).
  auto inflate = [&](std::string_view body, size_t size, std::string_view* page) -> Status {
    if (m.codec == Codec::kUncompressed) {
      if (body.size() != size) {
        return Status::Corrupt("UNCOMPRESSED page: its size differs from the page header's");
      }
      *page = body;
      return Status::OK();
    }
    char* to = out->Allocate(size);
    WINNOW_RETURN_IF_ERROR(Decompress(m.codec, body, size, to));
    *page = std::string_view(to, size);
    return Status::OK();
  };
  std::vector<std::string_view> dictionary;
  uint64_t decoded_bytes = 0;
  int64_t values = 0;
  size_t pos = 0;
  while (values < m.num_values && pos < bytes.size()) {
    size_t header_size = 0;
    WINNOW_ASSIGN_OR_RETURN(PageHeader h, DecodePageHeader(bytes.substr(pos), &header_size));
    pos += header_size;
    const auto body_size = static_cast<size_t>(h.compressed_page_size);
    if (body_size > bytes.size() - pos) return Status::Corrupt("a page runs past its chunk");
    const std::string_view body = bytes.substr(pos, body_size);
    pos += body_size;
    if (h.crc) {
      const auto crc = static_cast<uint32_t>(
          crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
      if (crc != *h.crc) return Status::Corrupt("a page's checksum does not match (damaged page)");
    }
    decoded_bytes += static_cast<uint64_t>(h.uncompressed_page_size);
    if (decoded_bytes > max_bytes) {
      return Status::ResourceExhausted("the row group decompresses to more than " +
                                       std::to_string(max_bytes) + " bytes");
    }
    if (h.type == PageType::kIndex) continue;
    if (h.type == PageType::kDictionary) {
      if (!h.dictionary) return Status::Corrupt("a dictionary page without its header");
      if (!dictionary.empty()) return Status::Corrupt("a second dictionary page");
      std::string_view kept;
      WINNOW_RETURN_IF_ERROR(inflate(body, static_cast<size_t>(h.uncompressed_page_size), &kept));
      if (h.dictionary->num_values < 0) return Status::Corrupt("a dictionary of negative size");
      const size_t before = out->values.size();
      WINNOW_RETURN_IF_ERROR(DecodeValues(Encoding::kPlain, c.type, c.type_length, kept,
                                          static_cast<size_t>(h.dictionary->num_values), {}, out));
      dictionary.assign(out->values.begin() + static_cast<ptrdiff_t>(before), out->values.end());
      out->values.resize(before);
      continue;
    }
    if (h.type != PageType::kData && h.type != PageType::kDataV2) {
      return Status::Corrupt("a page of unknown type " + std::to_string(static_cast<int>(h.type)));
    }
    const bool v2 = h.type == PageType::kDataV2;
    if (v2 ? !h.data_v2 : !h.data) return Status::Corrupt("a data page without its header");
    const int32_t n = v2 ? h.data_v2->num_values : h.data->num_values;
    if (n < 0 || n > m.num_values - values)
      return Status::Corrupt("a page holds more values than its chunk");
    std::string_view levels, page;
    if (v2) {
      const DataPageHeaderV2& d = *h.data_v2;
      if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0 ||
          static_cast<uint64_t>(d.repetition_levels_byte_length) + d.definition_levels_byte_length >
              body.size()) {
        return Status::Corrupt("a v2 page's levels run past it");
      }
      const size_t level_bytes = static_cast<size_t>(d.repetition_levels_byte_length) +
                                 static_cast<size_t>(d.definition_levels_byte_length);
      levels = body.substr(0, level_bytes);
      std::string_view data = body.substr(level_bytes);
      if (d.is_compressed && m.codec != Codec::kUncompressed) {
        if (static_cast<size_t>(h.uncompressed_page_size) < level_bytes) {
          return Status::Corrupt("a v2 page is smaller than its levels");
        }
        WINNOW_RETURN_IF_ERROR(
            inflate(data, static_cast<size_t>(h.uncompressed_page_size) - level_bytes, &page));
      } else {
        page = data;
      }
      const auto count = static_cast<size_t>(n);
      if (c.max_rep > 0) {
        WINNOW_RETURN_IF_ERROR(DecodeHybridLevels(
            levels.substr(0, static_cast<size_t>(d.repetition_levels_byte_length)),
            BitWidth(c.max_rep), count, c.max_rep, &out->rep));
      }
      if (c.max_def > 0) {
        WINNOW_RETURN_IF_ERROR(
            DecodeHybridLevels(levels.substr(static_cast<size_t>(d.repetition_levels_byte_length)),
                               BitWidth(c.max_def), count, c.max_def, &out->def));
      }
    } else {
      WINNOW_RETURN_IF_ERROR(inflate(body, static_cast<size_t>(h.uncompressed_page_size), &page));
      const auto count = static_cast<size_t>(n);
      // v1: repetition then definition levels, each RLE with a 4-byte length (or BIT_PACKED).
      auto levels_v1 = [&](Encoding encoding, uint16_t max, std::vector<uint16_t>* into) -> Status {
        if (encoding == Encoding::kBitPacked) {
          size_t used = 0;
          WINNOW_RETURN_IF_ERROR(
              DecodeBitPackedLevels(page, BitWidth(max), count, max, into, &used));
          page.remove_prefix(used);
          return Status::OK();
        }
        if (encoding != Encoding::kRle) return Status::Corrupt("levels in an unknown encoding");
        if (page.size() < 4) return Status::Corrupt("levels without their length");
        const uint32_t len = ReadU32(page);
        if (len > page.size() - 4) return Status::Corrupt("levels run past their page");
        WINNOW_RETURN_IF_ERROR(
            DecodeHybridLevels(page.substr(4, len), BitWidth(max), count, max, into));
        page.remove_prefix(4 + len);
        return Status::OK();
      };
      if (c.max_rep > 0)
        WINNOW_RETURN_IF_ERROR(levels_v1(h.data->repetition_level_encoding, c.max_rep, &out->rep));
      if (c.max_def > 0)
        WINNOW_RETURN_IF_ERROR(levels_v1(h.data->definition_level_encoding, c.max_def, &out->def));
    }
    size_t present = static_cast<size_t>(n);
    if (c.max_def > 0) {
      present = 0;
      for (size_t i = out->def.size() - static_cast<size_t>(n); i < out->def.size(); ++i) {
        present += out->def[i] == c.max_def;
      }
    }
    const Encoding encoding = v2 ? h.data_v2->encoding : h.data->encoding;
    WINNOW_RETURN_IF_ERROR(
        DecodeValues(encoding, c.type, c.type_length, page, present, dictionary, out));
    values += n;
  }
  if (values != m.num_values) {
    return Status::Corrupt("its chunk holds " + std::to_string(values) +
                           " values, its metadata says " + std::to_string(m.num_values));
  }
  return Status::OK();
}

}  // namespace winnow::io::parquet
