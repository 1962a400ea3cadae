#include "winnow/io/doc_spill.h"

#include <zstd.h>

#include <cstring>

#include "winnow/io/record_codec.h"

namespace winnow::io {
namespace {

// The fixed part of a record. Plain integers, copied with memcpy in host order (spill files
// never leave the machine that wrote them).
struct RecordHeader {
  uint64_t ordinal;
  int64_t cluster_id;
  uint64_t cluster_size;
  uint64_t text_begin, text_size, winnow_begin, winnow_size;
  uint32_t id_len, url_len, record_len, text_len, duplicate_of_len;
  uint16_t reason_len, signals;
  uint16_t fields;
  uint8_t text_changed;
  uint8_t text_in_record;  // the text is not stored: it is the record's "text" value
  uint8_t pad[4];
};
static_assert(sizeof(RecordHeader) == 88);

template <typename T>
void Put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool Take(size_t n, std::string_view* out) {
    if (bytes_.size() - pos_ < n) return false;
    *out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool Get(T* v) {
    std::string_view s;
    if (!Take(sizeof(T), &s)) return false;
    std::memcpy(v, s.data(), sizeof(T));
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

void AppendSpillRecord(const Document& doc, std::string& out) {
  RecordHeader h{};
  h.ordinal = doc.where.ordinal;
  h.cluster_id = doc.cluster_id;
  h.cluster_size = doc.cluster_size;
  h.text_begin = doc.text_span.begin;
  h.text_size = doc.text_span.size;
  h.winnow_begin = doc.winnow_span.begin;
  h.winnow_size = doc.winnow_span.size;
  h.id_len = static_cast<uint32_t>(doc.id.size());
  h.url_len = static_cast<uint32_t>(doc.url.size());
  h.record_len = static_cast<uint32_t>(doc.record.size());
  // An unedited text is the record's "text" value: store it once, in the record.
  const bool in_record = !doc.text_changed && !doc.record.empty() && !doc.text_span.empty();
  h.text_in_record = in_record ? 1 : 0;
  h.text_len = in_record ? 0 : static_cast<uint32_t>(doc.text.size());
  h.duplicate_of_len = static_cast<uint32_t>(doc.duplicate_of.size());
  h.reason_len = static_cast<uint16_t>(doc.reason.size());
  h.signals = static_cast<uint16_t>(doc.signals.size());
  h.fields = static_cast<uint16_t>(doc.fields.size());
  h.text_changed = doc.text_changed ? 1 : 0;
  Put(out, h);
  out += doc.id;
  out += doc.url;
  out += doc.record;
  if (!in_record) out += doc.text;
  out += doc.duplicate_of;
  out += doc.reason;
  for (const Signal& s : doc.signals) {
    Put(out, static_cast<uint8_t>(s.name.size()));
    out += s.name.substr(0, 255);
    Put(out, s.value);
  }
  for (const auto& [name, value] : doc.fields) {
    Put(out, static_cast<uint8_t>(name.size()));
    out += name.substr(0, 255);
    Put(out, static_cast<uint64_t>(value.size()));
    out += value;
  }
}

Status DecodeSpillRecords(Batch& batch, NameTable& names) {
  // Records are decoded where they lie: batch.input is not touched again, so views into it
  // stay valid for the batch's life.
  Cursor c(std::string_view(batch.input.data(), batch.input.size() - Batch::kInputPadding));
  auto corrupt = [&] {
    return Status::Corrupt("spill of " + std::string(batch.source) + ": damaged record " +
                           std::to_string(batch.docs.size()));
  };
  while (!c.done()) {
    RecordHeader h;
    if (!c.Get(&h)) return corrupt();
    Document doc;
    doc.where = Provenance{batch.shard, h.ordinal};
    doc.cluster_id = h.cluster_id;
    doc.cluster_size = h.cluster_size;
    doc.text_span = Span{h.text_begin, h.text_size};
    doc.winnow_span = Span{h.winnow_begin, h.winnow_size};
    doc.text_changed = h.text_changed != 0;
    std::string_view id, url, record, text, dup, reason;
    if (!c.Take(h.id_len, &id) || !c.Take(h.url_len, &url) || !c.Take(h.record_len, &record) ||
        !c.Take(h.text_len, &text) || !c.Take(h.duplicate_of_len, &dup) ||
        !c.Take(h.reason_len, &reason)) {
      return corrupt();
    }
    // The spans locate the text and the winnow object inside the record, which the writer
    // splices: a damaged header must not point outside it (compared without adding: a sum
    // may wrap around).
    auto inside = [&](uint64_t begin, uint64_t size) {
      return begin <= record.size() && size <= record.size() - begin;
    };
    if (!inside(h.text_begin, h.text_size) || !inside(h.winnow_begin, h.winnow_size)) {
      return corrupt();
    }
    doc.id.assign(id);
    doc.url.assign(url);
    doc.record = record;
    if (h.text_in_record) {
      if (!UnescapeJsonString(record.substr(h.text_begin, h.text_size), &doc.text)) {
        return corrupt();
      }
    } else {
      doc.text.assign(text);
    }
    doc.duplicate_of.assign(dup);
    if (!reason.empty()) doc.reason = names.Intern(reason);
    doc.signals.reserve(h.signals);
    for (uint16_t i = 0; i < h.signals; ++i) {
      uint8_t len;
      std::string_view name;
      double value;
      if (!c.Get(&len) || !c.Take(len, &name) || !c.Get(&value)) return corrupt();
      doc.signals.push_back(Signal{names.Intern(name), value});
    }
    for (uint16_t i = 0; i < h.fields; ++i) {
      uint8_t len;
      uint64_t size;
      std::string_view name, value;
      if (!c.Get(&len) || !c.Take(len, &name) || !c.Get(&size) || !c.Take(size, &value))
        return corrupt();
      doc.fields.emplace_back(names.Intern(name), std::string(value));
    }
    batch.docs.push_back(std::move(doc));
  }
  return Status::OK();
}

Result<SpillWriter> SpillWriter::Create(std::string path) {
  SpillWriter w;
  WINNOW_ASSIGN_OR_RETURN(
      w.file_, ScratchWriter::Create(std::move(path), ScratchKind::kSpill, kSpillVersion));
  return w;
}

Status SpillWriter::Append(std::string_view frame, uint64_t raw_size, uint64_t docs) {
  std::string sizes;
  Put(sizes, raw_size);
  Put(sizes, docs);
  return file_.Append({sizes, frame});
}

Result<std::unique_ptr<SpillReader>> SpillReader::Open(const std::string& path) {
  std::unique_ptr<SpillReader> r(new SpillReader());
  WINNOW_ASSIGN_OR_RETURN(r->file_, ScratchReader::Open(path, ScratchKind::kSpill, kSpillVersion));
  r->dctx_ = ZSTD_createDCtx();
  return r;
}

SpillReader::~SpillReader() { ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(dctx_)); }

Result<bool> SpillReader::Next(Batch& batch) {
  const uint64_t at = file_->offset();
  WINNOW_ASSIGN_OR_RETURN(bool more, file_->Next(&block_));
  if (!more) return false;
  Cursor c(block_);
  uint64_t raw_size = 0, docs = 0;
  std::string_view frame;
  if (!c.Get(&raw_size) || !c.Get(&docs) || raw_size > (uint64_t{1} << 36)) {
    return Status::Corrupt(file_->path() + ": implausible spill frame at byte " +
                           std::to_string(at));
  }
  c.Take(block_.size() - 2 * sizeof(uint64_t), &frame);
  batch.input.resize(raw_size + Batch::kInputPadding);
  size_t n = ZSTD_decompressDCtx(static_cast<ZSTD_DCtx*>(dctx_), batch.input.data(), raw_size,
                                 frame.data(), frame.size());
  if (ZSTD_isError(n) || n != raw_size) {
    return Status::Corrupt(file_->path() + ": damaged spill frame at byte " + std::to_string(at));
  }
  std::memset(batch.input.data() + raw_size, 0, Batch::kInputPadding);
  batch.input_bytes = raw_size;
  return true;
}

}  // namespace winnow::io
