#include "winnow/io/parquet_meta.h"

#include "winnow/io/thrift_compact.h"

namespace winnow::io::parquet {
namespace {

using T = ThriftType;

// Calls field(id, type) for each field of the struct the reader is at; `field` reads the
// value or returns false to have it skipped.
template <typename F>
void ForEachField(ThriftReader& r, F&& field) {
  r.BeginStruct();
  int16_t id;
  ThriftType type;
  while (r.ok() && r.NextField(&id, &type)) {
    if (!field(id, type)) r.Skip(type);
  }
  r.EndStruct();
}

// Reads list<element> with `read` per element; a list of another element type is skipped.
template <typename F>
void ForEachElement(ThriftReader& r, ThriftType want, F&& read) {
  ThriftType element;
  const uint32_t n = r.ReadListHeader(&element);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    if (element != want) {
      r.Skip(element);
    } else {
      read();
    }
  }
}

TimeUnit ReadTimeUnit(ThriftReader& r) {
  TimeUnit unit = TimeUnit::kMillis;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (type != T::kStruct) return false;
    unit = id == 1 ? TimeUnit::kMillis : id == 2 ? TimeUnit::kMicros : TimeUnit::kNanos;
    r.Skip(type);  // the unit's (empty) struct
    return true;
  });
  return unit;
}

LogicalType ReadLogicalType(ThriftReader& r) {
  LogicalType lt;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (type != T::kStruct) return false;
    using K = LogicalType::Kind;
    switch (id) {
      case 1:
        lt.kind = K::kString;
        break;
      case 2:
        lt.kind = K::kMap;
        break;
      case 3:
        lt.kind = K::kList;
        break;
      case 4:
        lt.kind = K::kEnum;
        break;
      case 5:
        lt.kind = K::kDecimal;
        ForEachField(r, [&](int16_t f, ThriftType t) {
          if (t != T::kI32) return false;
          (f == 1 ? lt.scale : lt.precision) = r.ReadI32();
          return f == 1 || f == 2;
        });
        return true;
      case 6:
        lt.kind = K::kDate;
        break;
      case 7:
      case 8:
        lt.kind = id == 7 ? K::kTime : K::kTimestamp;
        ForEachField(r, [&](int16_t f, ThriftType t) {
          if (f == 1 && (t == T::kTrue || t == T::kFalse)) {
            lt.utc = r.FieldBool(t);
            return true;
          }
          if (f == 2 && t == T::kStruct) {
            lt.unit = ReadTimeUnit(r);
            return true;
          }
          return false;
        });
        return true;
      case 10:
        lt.kind = K::kInteger;
        ForEachField(r, [&](int16_t f, ThriftType t) {
          if (f == 1 && t == T::kByte) {
            lt.bit_width = r.ReadByte();
            return true;
          }
          if (f == 2 && (t == T::kTrue || t == T::kFalse)) {
            lt.is_signed = r.FieldBool(t);
            return true;
          }
          return false;
        });
        return true;
      case 11:
        lt.kind = K::kUnknown;
        break;
      case 12:
        lt.kind = K::kJson;
        break;
      case 13:
        lt.kind = K::kBson;
        break;
      case 14:
        lt.kind = K::kUuid;
        break;
      case 15:
        lt.kind = K::kFloat16;
        break;
      default:
        lt.kind = K::kOther;
        break;
    }
    r.Skip(type);
    return true;
  });
  return lt;
}

// The logical type older writers state with a ConvertedType.
LogicalType FromConverted(const SchemaElement& e) {
  using K = LogicalType::Kind;
  LogicalType lt;
  auto integer = [&](int8_t bits, bool is_signed) {
    lt.kind = K::kInteger;
    lt.bit_width = bits;
    lt.is_signed = is_signed;
  };
  switch (e.converted) {
    case ConvertedType::kUtf8:
      lt.kind = K::kString;
      break;
    case ConvertedType::kMap:
    case ConvertedType::kMapKeyValue:
      lt.kind = K::kMap;
      break;
    case ConvertedType::kList:
      lt.kind = K::kList;
      break;
    case ConvertedType::kEnum:
      lt.kind = K::kEnum;
      break;
    case ConvertedType::kDecimal:
      lt.kind = K::kDecimal;
      lt.scale = e.scale;
      lt.precision = e.precision;
      break;
    case ConvertedType::kDate:
      lt.kind = K::kDate;
      break;
    case ConvertedType::kTimeMillis:
    case ConvertedType::kTimeMicros:
      lt.kind = K::kTime;
      lt.utc = true;
      lt.unit = e.converted == ConvertedType::kTimeMillis ? TimeUnit::kMillis : TimeUnit::kMicros;
      break;
    case ConvertedType::kTimestampMillis:
    case ConvertedType::kTimestampMicros:
      lt.kind = K::kTimestamp;
      lt.utc = true;
      lt.unit =
          e.converted == ConvertedType::kTimestampMillis ? TimeUnit::kMillis : TimeUnit::kMicros;
      break;
    case ConvertedType::kUint8:
      integer(8, false);
      break;
    case ConvertedType::kUint16:
      integer(16, false);
      break;
    case ConvertedType::kUint32:
      integer(32, false);
      break;
    case ConvertedType::kUint64:
      integer(64, false);
      break;
    case ConvertedType::kInt8:
      integer(8, true);
      break;
    case ConvertedType::kInt16:
      integer(16, true);
      break;
    case ConvertedType::kInt32:
      integer(32, true);
      break;
    case ConvertedType::kInt64:
      integer(64, true);
      break;
    case ConvertedType::kJson:
      lt.kind = K::kJson;
      break;
    case ConvertedType::kBson:
      lt.kind = K::kBson;
      break;
    case ConvertedType::kInterval:
      lt.kind = K::kOther;
      break;
    case ConvertedType::kNone:
      break;
  }
  return lt;
}

SchemaElement ReadSchemaElement(ThriftReader& r) {
  SchemaElement e;
  bool logical = false;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 4 && type == T::kBinary) {
      e.name = std::string(r.ReadBinary());
      return true;
    }
    if (id == 10 && type == T::kStruct) {
      e.logical = ReadLogicalType(r);
      logical = true;
      return true;
    }
    if (type != T::kI32) return false;
    const int32_t v = r.ReadI32();
    switch (id) {
      case 1:
        e.type = static_cast<Type>(v);
        break;
      case 2:
        e.type_length = v;
        break;
      case 3:
        e.repetition = static_cast<Repetition>(v);
        break;
      case 5:
        e.num_children = v;
        break;
      case 6:
        e.converted = static_cast<ConvertedType>(v);
        break;
      case 7:
        e.scale = v;
        break;
      case 8:
        e.precision = v;
        break;
      case 9:
        e.field_id = v;
        break;
      default:
        break;
    }
    return true;
  });
  if (!logical || e.logical.kind == LogicalType::Kind::kNone) e.logical = FromConverted(e);
  return e;
}

Statistics ReadStatistics(ThriftReader& r) {
  Statistics s;
  std::optional<std::string> legacy_min, legacy_max;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (type == T::kBinary) {
      std::string v(r.ReadBinary());
      if (id == 1) legacy_max = std::move(v);
      if (id == 2) legacy_min = std::move(v);
      if (id == 5) s.max_value = std::move(v);
      if (id == 6) s.min_value = std::move(v);
      return true;
    }
    if (type == T::kI64 && (id == 3 || id == 4)) {
      (id == 3 ? s.null_count : s.distinct_count) = r.ReadI64();
      return true;
    }
    return false;
  });
  // The deprecated min/max have an ill-defined order; they are kept only for reporting.
  if (!s.min_value) s.min_value = std::move(legacy_min);
  if (!s.max_value) s.max_value = std::move(legacy_max);
  return s;
}

ColumnMetaData ReadColumnMetaData(ThriftReader& r) {
  ColumnMetaData m;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 2 && type == T::kList) {
      ForEachElement(r, T::kI32,
                     [&] { m.encodings.push_back(static_cast<Encoding>(r.ReadI32())); });
      return true;
    }
    if (id == 3 && type == T::kList) {
      ForEachElement(r, T::kBinary, [&] { m.path.emplace_back(r.ReadBinary()); });
      return true;
    }
    if (id == 12 && type == T::kStruct) {
      m.statistics = ReadStatistics(r);
      return true;
    }
    if (type == T::kI32 && (id == 1 || id == 4)) {
      const int32_t v = r.ReadI32();
      if (id == 1) m.type = static_cast<Type>(v);
      if (id == 4) m.codec = static_cast<Codec>(v);
      return true;
    }
    if (type == T::kI64) {
      const int64_t v = r.ReadI64();
      switch (id) {
        case 5:
          m.num_values = v;
          break;
        case 6:
          m.total_uncompressed_size = v;
          break;
        case 7:
          m.total_compressed_size = v;
          break;
        case 9:
          m.data_page_offset = v;
          break;
        case 11:
          m.dictionary_page_offset = v;
          break;
        default:
          break;
      }
      return true;
    }
    return false;
  });
  return m;
}

ColumnChunk ReadColumnChunk(ThriftReader& r) {
  ColumnChunk c;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 3 && type == T::kStruct) {
      c.meta = ReadColumnMetaData(r);
      return true;
    }
    if (type == T::kI64 && (id == 2 || id == 4 || id == 6)) {
      const int64_t v = r.ReadI64();
      if (id == 2) c.file_offset = v;
      if (id == 4) c.offset_index_offset = v;
      if (id == 6) c.column_index_offset = v;
      return true;
    }
    if (type == T::kI32 && (id == 5 || id == 7)) {
      (id == 5 ? c.offset_index_length : c.column_index_length) = r.ReadI32();
      return true;
    }
    return false;
  });
  return c;
}

RowGroup ReadRowGroup(ThriftReader& r) {
  RowGroup g;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 1 && type == T::kList) {
      ForEachElement(r, T::kStruct, [&] { g.columns.push_back(ReadColumnChunk(r)); });
      return true;
    }
    if (type == T::kI64) {
      const int64_t v = r.ReadI64();
      if (id == 2) g.total_byte_size = v;
      if (id == 3) g.num_rows = v;
      if (id == 5) g.file_offset = v;
      if (id == 6) g.total_compressed_size = v;
      return true;
    }
    if (id == 7 && type == T::kI16) {
      g.ordinal = static_cast<int16_t>(r.ReadI32());
      return true;
    }
    return false;
  });
  return g;
}

DataPageHeader ReadDataPageHeader(ThriftReader& r) {
  DataPageHeader h;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 5 && type == T::kStruct) {
      h.statistics = ReadStatistics(r);
      return true;
    }
    if (type != T::kI32) return false;
    const int32_t v = r.ReadI32();
    if (id == 1) h.num_values = v;
    if (id == 2) h.encoding = static_cast<Encoding>(v);
    if (id == 3) h.definition_level_encoding = static_cast<Encoding>(v);
    if (id == 4) h.repetition_level_encoding = static_cast<Encoding>(v);
    return true;
  });
  return h;
}

DataPageHeaderV2 ReadDataPageHeaderV2(ThriftReader& r) {
  DataPageHeaderV2 h;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (id == 7 && (type == T::kTrue || type == T::kFalse)) {
      h.is_compressed = r.FieldBool(type);
      return true;
    }
    if (id == 8 && type == T::kStruct) {
      h.statistics = ReadStatistics(r);
      return true;
    }
    if (type != T::kI32) return false;
    const int32_t v = r.ReadI32();
    switch (id) {
      case 1:
        h.num_values = v;
        break;
      case 2:
        h.num_nulls = v;
        break;
      case 3:
        h.num_rows = v;
        break;
      case 4:
        h.encoding = static_cast<Encoding>(v);
        break;
      case 5:
        h.definition_levels_byte_length = v;
        break;
      case 6:
        h.repetition_levels_byte_length = v;
        break;
      default:
        break;
    }
    return true;
  });
  return h;
}

// ---- writing ----

void WriteStatistics(ThriftWriter& w, int16_t field, const Statistics& s) {
  w.BeginStructField(field);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.distinct_count) w.FieldI64(4, *s.distinct_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  w.EndStruct();
}

void WriteLogicalType(ThriftWriter& w, const LogicalType& lt) {
  using K = LogicalType::Kind;
  auto empty = [&](int16_t id) {
    w.BeginStructField(id);
    w.EndStruct();
  };
  auto unit = [&](TimeUnit u) {
    w.BeginStructField(2);
    empty(u == TimeUnit::kMillis ? 1 : u == TimeUnit::kMicros ? 2 : 3);
    w.EndStruct();
  };
  w.BeginStructField(10);
  switch (lt.kind) {
    case K::kString:
      empty(1);
      break;
    case K::kMap:
      empty(2);
      break;
    case K::kList:
      empty(3);
      break;
    case K::kEnum:
      empty(4);
      break;
    case K::kDecimal:
      w.BeginStructField(5);
      w.FieldI32(1, lt.scale);
      w.FieldI32(2, lt.precision);
      w.EndStruct();
      break;
    case K::kDate:
      empty(6);
      break;
    case K::kTime:
    case K::kTimestamp:
      w.BeginStructField(lt.kind == K::kTime ? 7 : 8);
      w.FieldBool(1, lt.utc);
      unit(lt.unit);
      w.EndStruct();
      break;
    case K::kInteger:
      w.BeginStructField(10);
      w.FieldByte(1, lt.bit_width);
      w.FieldBool(2, lt.is_signed);
      w.EndStruct();
      break;
    case K::kUnknown:
      empty(11);
      break;
    case K::kJson:
      empty(12);
      break;
    case K::kBson:
      empty(13);
      break;
    case K::kUuid:
      empty(14);
      break;
    case K::kFloat16:
      empty(15);
      break;
    case K::kNone:
    case K::kOther:
      break;
  }
  w.EndStruct();
}

void WriteSchemaElement(ThriftWriter& w, const SchemaElement& e) {
  w.BeginStructElement();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type == Type::kFixedLenByteArray) w.FieldI32(2, e.type_length);
  if (e.repetition) w.FieldI32(3, static_cast<int32_t>(*e.repetition));
  w.FieldBinary(4, e.name);
  if (!e.type) w.FieldI32(5, e.num_children);
  if (e.converted != ConvertedType::kNone) w.FieldI32(6, static_cast<int32_t>(e.converted));
  if (e.converted == ConvertedType::kDecimal) {
    w.FieldI32(7, e.scale);
    w.FieldI32(8, e.precision);
  }
  if (e.field_id) w.FieldI32(9, *e.field_id);
  if (e.logical.kind != LogicalType::Kind::kNone && e.logical.kind != LogicalType::Kind::kOther) {
    WriteLogicalType(w, e.logical);
  }
  w.EndStruct();
}

void WriteColumnChunk(ThriftWriter& w, const ColumnChunk& c) {
  w.BeginStructElement();
  w.FieldI64(2, c.file_offset);
  w.BeginStructField(3);
  const ColumnMetaData& m = c.meta;
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.ListField(2, T::kI32, static_cast<uint32_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.ElementI32(static_cast<int32_t>(e));
  w.ListField(3, T::kBinary, static_cast<uint32_t>(m.path.size()));
  for (const std::string& p : m.path) w.ElementBinary(p);
  w.FieldI32(4, static_cast<int32_t>(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) WriteStatistics(w, 12, *m.statistics);
  w.EndStruct();
  if (c.offset_index_offset) {
    w.FieldI64(4, *c.offset_index_offset);
    w.FieldI32(5, c.offset_index_length);
  }
  if (c.column_index_offset) {
    w.FieldI64(6, *c.column_index_offset);
    w.FieldI32(7, c.column_index_length);
  }
  w.EndStruct();
}

}  // namespace

Result<FileMetaData> DecodeFileMetaData(std::string_view bytes) {
  ThriftReader r(bytes);
  FileMetaData m;
  bool has_schema = false;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    switch (id) {
      case 1:
        if (type != T::kI32) return false;
        m.version = r.ReadI32();
        return true;
      case 2:
        if (type != T::kList) return false;
        has_schema = true;
        ForEachElement(r, T::kStruct, [&] { m.schema.push_back(ReadSchemaElement(r)); });
        return true;
      case 3:
        if (type != T::kI64) return false;
        m.num_rows = r.ReadI64();
        return true;
      case 4:
        if (type != T::kList) return false;
        ForEachElement(r, T::kStruct, [&] { m.row_groups.push_back(ReadRowGroup(r)); });
        return true;
      case 5:
        if (type != T::kList) return false;
        ForEachElement(r, T::kStruct, [&] {
          KeyValue kv;
          ForEachField(r, [&](int16_t f, ThriftType t) {
            if (t != T::kBinary) return false;
            if (f == 1) kv.key = std::string(r.ReadBinary());
            if (f == 2) kv.value = std::string(r.ReadBinary());
            return f == 1 || f == 2;
          });
          m.key_value.push_back(std::move(kv));
        });
        return true;
      case 6:
        if (type != T::kBinary) return false;
        m.created_by = std::string(r.ReadBinary());
        return true;
      case 8:
      case 9:
        // An encrypted footer's fields: this reader does not decrypt.
        m.row_groups.clear();
        r.Fail();
        return true;
      default:
        return false;
    }
  });
  if (!r.ok()) return Status::Corrupt("the footer (file metadata) does not decode");
  if (!has_schema || m.schema.empty()) return Status::Corrupt("the footer has no schema");
  return m;
}

Result<PageHeader> DecodePageHeader(std::string_view bytes, size_t* size) {
  ThriftReader r(bytes);
  PageHeader h;
  ForEachField(r, [&](int16_t id, ThriftType type) {
    if (type == T::kI32 && id >= 1 && id <= 4) {
      const int32_t v = r.ReadI32();
      if (id == 1) h.type = static_cast<PageType>(v);
      if (id == 2) h.uncompressed_page_size = v;
      if (id == 3) h.compressed_page_size = v;
      if (id == 4) h.crc = static_cast<uint32_t>(v);
      return true;
    }
    if (type != T::kStruct) return false;
    if (id == 5) {
      h.data = ReadDataPageHeader(r);
    } else if (id == 7) {
      DictionaryPageHeader d;
      ForEachField(r, [&](int16_t f, ThriftType t) {
        if (t != T::kI32 || (f != 1 && f != 2)) return false;
        const int32_t v = r.ReadI32();
        if (f == 1) d.num_values = v;
        if (f == 2) d.encoding = static_cast<Encoding>(v);
        return true;
      });
      h.dictionary = d;
    } else if (id == 8) {
      h.data_v2 = ReadDataPageHeaderV2(r);
    } else {
      return false;
    }
    return true;
  });
  if (!r.ok()) return Status::Corrupt("a page header does not decode");
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Status::Corrupt("a page header gives a negative size");
  }
  *size = r.position();
  return h;
}

std::string EncodeFileMetaData(const FileMetaData& m) {
  ThriftWriter w;
  w.FieldI32(1, m.version);
  w.ListField(2, T::kStruct, static_cast<uint32_t>(m.schema.size()));
  for (const SchemaElement& e : m.schema) WriteSchemaElement(w, e);
  w.FieldI64(3, m.num_rows);
  w.ListField(4, T::kStruct, static_cast<uint32_t>(m.row_groups.size()));
  for (const RowGroup& g : m.row_groups) {
    w.BeginStructElement();
    w.ListField(1, T::kStruct, static_cast<uint32_t>(g.columns.size()));
    for (const ColumnChunk& c : g.columns) WriteColumnChunk(w, c);
    w.FieldI64(2, g.total_byte_size);
    w.FieldI64(3, g.num_rows);
    if (g.file_offset) w.FieldI64(5, *g.file_offset);
    if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
    if (g.ordinal) w.FieldI16(7, *g.ordinal);
    w.EndStruct();
  }
  if (!m.key_value.empty()) {
    w.ListField(5, T::kStruct, static_cast<uint32_t>(m.key_value.size()));
    for (const KeyValue& kv : m.key_value) {
      w.BeginStructElement();
      w.FieldBinary(1, kv.key);
      if (kv.value) w.FieldBinary(2, *kv.value);
      w.EndStruct();
    }
  }
  if (!m.created_by.empty()) w.FieldBinary(6, m.created_by);
  if (m.type_defined_order) {
    size_t leaves = 0;
    for (const SchemaElement& e : m.schema) leaves += e.type.has_value();
    w.ListField(7, T::kStruct, static_cast<uint32_t>(leaves));
    for (size_t i = 0; i < leaves; ++i) {
      w.BeginStructElement();
      w.BeginStructField(1);
      w.EndStruct();
      w.EndStruct();
    }
  }
  w.Finish();
  return std::move(w.bytes());
}

std::string EncodePageHeader(const PageHeader& h) {
  ThriftWriter w;
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.crc) w.FieldI32(4, static_cast<int32_t>(*h.crc));
  if (h.data) {
    w.BeginStructField(5);
    w.FieldI32(1, h.data->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.data->encoding));
    w.FieldI32(3, static_cast<int32_t>(h.data->definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(h.data->repetition_level_encoding));
    if (h.data->statistics) WriteStatistics(w, 5, *h.data->statistics);
    w.EndStruct();
  }
  if (h.dictionary) {
    w.BeginStructField(7);
    w.FieldI32(1, h.dictionary->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.dictionary->encoding));
    w.EndStruct();
  }
  w.Finish();
  return std::move(w.bytes());
}

std::string EncodeColumnIndex(const ColumnIndex& index) {
  ThriftWriter w;
  w.ListField(1, T::kTrue, static_cast<uint32_t>(index.null_pages.size()));
  for (bool b : index.null_pages) w.ElementBool(b);
  w.ListField(2, T::kBinary, static_cast<uint32_t>(index.min_values.size()));
  for (const std::string& v : index.min_values) w.ElementBinary(v);
  w.ListField(3, T::kBinary, static_cast<uint32_t>(index.max_values.size()));
  for (const std::string& v : index.max_values) w.ElementBinary(v);
  w.FieldI32(4, index.boundary_order);
  w.ListField(5, T::kI64, static_cast<uint32_t>(index.null_counts.size()));
  for (int64_t n : index.null_counts) w.ElementI64(n);
  w.Finish();
  return std::move(w.bytes());
}

std::string EncodeOffsetIndex(const OffsetIndex& index) {
  ThriftWriter w;
  w.ListField(1, T::kStruct, static_cast<uint32_t>(index.pages.size()));
  for (const PageLocation& p : index.pages) {
    w.BeginStructElement();
    w.FieldI64(1, p.offset);
    w.FieldI32(2, p.compressed_page_size);
    w.FieldI64(3, p.first_row_index);
    w.EndStruct();
  }
  w.Finish();
  return std::move(w.bytes());
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kBoolean:
      return "BOOLEAN";
    case Type::kInt32:
      return "INT32";
    case Type::kInt64:
      return "INT64";
    case Type::kInt96:
      return "INT96";
    case Type::kFloat:
      return "FLOAT";
    case Type::kDouble:
      return "DOUBLE";
    case Type::kByteArray:
      return "BYTE_ARRAY";
    case Type::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "an unknown type";
}

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kGzip:
      return "GZIP";
    case Codec::kLzo:
      return "LZO";
    case Codec::kBrotli:
      return "BROTLI";
    case Codec::kLz4:
      return "LZ4";
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kLz4Raw:
      return "LZ4_RAW";
  }
  return "an unknown codec";
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kPlain:
      return "PLAIN";
    case Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::kRle:
      return "RLE";
    case Encoding::kBitPacked:
      return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "an unknown encoding";
}

}  // namespace winnow::io::parquet
