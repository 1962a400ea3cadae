#include "winnow/io/record_codec.h"

#include <cstring>

#include <simdjson.h>

#include "winnow/core/json_writer.h"

namespace winnow::io {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kExcerptBytes = 256;
constexpr int kMaxDepth = 256;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Consumes `value` entirely, so that any malformed byte in it is reported.
simdjson::error_code Walk(od::value value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case od::json_type::object: {
      od::object obj;
      if (auto err = value.get_object().get(obj)) return err;
      for (auto field : obj) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        od::value v;
        if (auto err = field.value().get(v)) return err;
        if (auto err = Walk(v, depth + 1)) return err;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if (auto err = value.get_array().get(arr)) return err;
      for (auto element : arr) {
        od::value v;
        if (auto err = element.get(v)) return err;
        if (auto err = Walk(v, depth + 1)) return err;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return value.get_string().get(s);
    }
    case od::json_type::number: {
      od::number n;
      return value.get_number().get(n);
    }
    case od::json_type::boolean: {
      bool b;
      return value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto err = value.is_null().get(is_null)) return err;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

std::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::object:
      return "an object";
    case od::json_type::array:
      return "an array";
    case od::json_type::string:
      return "a string";
    case od::json_type::number:
      return "a number";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "unknown";
}

}  // namespace

struct RecordParser::Impl {
  od::parser parser;
};

RecordParser::RecordParser(std::string text_field, std::string id_field)
    : impl_(std::make_unique<Impl>()),
      text_field_(std::move(text_field)),
      id_field_(std::move(id_field)) {}
RecordParser::~RecordParser() = default;

Status RecordParser::ParseJson(std::string_view record, size_t capacity, Document* doc,
                               std::string_view* kind) {
  *kind = "json";
  auto fail = [&](simdjson::error_code err) {
    if (err == simdjson::UTF8_ERROR) *kind = "utf8";
    return Status::Corrupt(std::string("invalid JSON: ") + simdjson::error_message(err));
  };
  od::document json;
  if (auto err = impl_->parser.iterate(record.data(), record.size(), capacity).get(json)) {
    return fail(err);
  }
  od::object obj;
  if (auto err = json.get_object().get(obj)) {
    if (err == simdjson::INCORRECT_TYPE) {
      return Status::Corrupt("invalid record: not a JSON object");
    }
    return fail(err);
  }
  bool have_text = false;
  bool have_id = false;
  const char* base = record.data();
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return fail(err);
    od::value value;
    if (auto err = field.value().get(value)) return fail(err);
    if (key == text_field_) {
      if (have_text) {
        return Status::Corrupt("invalid record: duplicate key \"" + text_field_ + "\"");
      }
      od::json_type type;
      if (auto err = value.type().get(type)) return fail(err);
      if (type != od::json_type::string) {
        *kind = "missing_text";
        return Status::Corrupt("invalid record: \"" + text_field_ + "\" is " +
                               std::string(TypeName(type)) + ", not a string");
      }
      std::string_view raw = TrimRight(value.raw_json_token());
      std::string_view text;
      if (auto err = value.get_string().get(text)) return fail(err);
      doc->text.assign(text);
      doc->text_span = Span{static_cast<size_t>(raw.data() - base), raw.size()};
      have_text = true;
    } else if (key == id_field_ && !have_id) {
      od::json_type type;
      if (auto err = value.type().get(type)) return fail(err);
      if (type == od::json_type::string) {
        std::string_view id;
        if (auto err = value.get_string().get(id)) return fail(err);
        doc->id.assign(id);
        have_id = true;
      } else if (type == od::json_type::number) {
        doc->id.assign(TrimRight(value.raw_json_token()));
        od::number n;
        if (auto err = value.get_number().get(n)) return fail(err);
        have_id = true;
      } else if (auto err = Walk(value, 1)) {
        return fail(err);
      }
    } else if (key == "url") {
      od::json_type type;
      if (auto err = value.type().get(type)) return fail(err);
      if (type == od::json_type::string) {
        std::string_view url;
        if (auto err = value.get_string().get(url)) return fail(err);
        doc->url.assign(url);
      } else if (auto err = Walk(value, 1)) {
        return fail(err);
      }
    } else if (key == "winnow") {
      // An earlier run's object: the output replaces it, so only its extent matters.
      od::json_type type;
      if (auto err = value.type().get(type)) return fail(err);
      std::string_view raw;
      if (type == od::json_type::object) {
        od::object inner;
        if (auto err = value.get_object().get(inner)) return fail(err);
        if (auto err = inner.raw_json().get(raw)) return fail(err);
      } else if (type == od::json_type::array) {
        od::array inner;
        if (auto err = value.get_array().get(inner)) return fail(err);
        if (auto err = inner.raw_json().get(raw)) return fail(err);
      } else {
        raw = TrimRight(value.raw_json_token());
        if (auto err = Walk(value, 1)) return fail(err);
      }
      raw = TrimRight(raw);
      doc->winnow_span = Span{static_cast<size_t>(raw.data() - base), raw.size()};
    } else if (auto err = Walk(value, 1)) {
      return fail(err);
    }
  }
  // At the end of the input, current_location() reports OUT_OF_BOUNDS; anything else is a
  // token after the object.
  if (json.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return Status::Corrupt("invalid JSON: trailing content after the object");
  }
  if (!have_text) {
    *kind = "missing_text";
    return Status::Corrupt("invalid record: no \"" + text_field_ + "\" field");
  }
  doc->record = record;
  return Status::OK();
}

void RecordParser::ParseBatch(Batch& batch) {
  batch.docs.reserve(batch.docs.size() + batch.records.size());
  const size_t end = batch.input.size();
  for (const RecordRef& ref : batch.records) {
    Document doc;
    doc.where = Provenance{batch.shard, ref.ordinal};
    std::string_view record(batch.input.data() + ref.begin, ref.size);
    if (batch.format == RecordFormat::kText) {
      if (!IsValidUtf8(record)) {
        Rejected r;
        r.file = std::string(batch.source);
        r.line = ref.line;
        r.byte_offset = ref.byte_offset;
        r.ordinal = ref.ordinal;
        r.kind = "utf8";
        r.error = "text: invalid UTF-8: " + r.file;
        r.excerpt.assign(record.substr(0, kExcerptBytes));
        batch.rejected.push_back(std::move(r));
        continue;
      }
      doc.text.assign(record);
      doc.id = std::string(batch.source);
      batch.docs.push_back(std::move(doc));
      continue;
    }
    std::string_view kind;
    Status st = ParseJson(record, end - ref.begin, &doc, &kind);
    if (!st.ok()) {
      Rejected r;
      r.file = std::string(batch.source);
      r.line = ref.line;
      r.byte_offset = ref.byte_offset;
      r.ordinal = ref.ordinal;
      r.kind = kind;
      r.error = std::string(st.message()) + ": " + r.file + ":" + std::to_string(ref.line) + "@" +
                std::to_string(ref.byte_offset);
      r.excerpt.assign(record.substr(0, kExcerptBytes));
      batch.rejected.push_back(std::move(r));
      continue;
    }
    if (doc.id.empty()) {
      doc.id = std::to_string(batch.shard) + ":" + std::to_string(ref.ordinal);
    }
    doc.needs_extraction = ref.html;
    batch.docs.push_back(std::move(doc));
  }
}

Status RecordParser::Fields(
    std::string_view record, size_t capacity,
    const std::function<void(std::string_view key, std::string_view raw)>& fn) {
  auto fail = [](simdjson::error_code err) {
    return Status::Corrupt(std::string("invalid JSON: ") + simdjson::error_message(err));
  };
  od::document json;
  if (auto err = impl_->parser.iterate(record.data(), record.size(), capacity).get(json)) {
    return fail(err);
  }
  od::object obj;
  if (auto err = json.get_object().get(obj)) return fail(err);
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return fail(err);
    od::value value;
    if (auto err = field.value().get(value)) return fail(err);
    od::json_type type;
    if (auto err = value.type().get(type)) return fail(err);
    std::string_view raw;
    if (type == od::json_type::object) {
      od::object inner;
      if (auto err = value.get_object().get(inner)) return fail(err);
      if (auto err = inner.raw_json().get(raw)) return fail(err);
    } else if (type == od::json_type::array) {
      od::array inner;
      if (auto err = value.get_array().get(inner)) return fail(err);
      if (auto err = inner.raw_json().get(raw)) return fail(err);
    } else {
      raw = value.raw_json_token();
    }
    fn(key, TrimRight(raw));
  }
  return Status::OK();
}

bool UnescapeJsonString(std::string_view q, std::string* out) {
  out->clear();
  if (q.size() < 2 || q.front() != '"' || q.back() != '"') return false;
  q = q.substr(1, q.size() - 2);
  out->reserve(q.size());
  auto hex4 = [&](size_t at, uint32_t* v) {
    if (at + 4 > q.size()) return false;
    *v = 0;
    for (size_t k = at; k < at + 4; ++k) {
      char c = q[k];
      uint32_t d = c >= '0' && c <= '9'                     ? uint32_t(c - '0')
                   : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? uint32_t((c | 0x20) - 'a' + 10)
                                                            : 16;
      if (d == 16) return false;
      *v = *v * 16 + d;
    }
    return true;
  };
  size_t i = 0;
  while (i < q.size()) {
    const void* slash = std::memchr(q.data() + i, '\\', q.size() - i);
    size_t end = slash ? static_cast<size_t>(static_cast<const char*>(slash) - q.data()) : q.size();
    out->append(q.data() + i, end - i);
    if (end == q.size()) break;
    if (end + 1 >= q.size()) return false;
    char e = q[end + 1];
    i = end + 2;
    switch (e) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(i, &cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (i + 6 > q.size() || q[i] != '\\' || q[i + 1] != 'u' || !hex4(i + 2, &lo) ||
              lo < 0xDC00 || lo > 0xDFFF) {
            return false;
          }
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        if (cp < 0x80) {
          out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
          out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

void AppendWinnowObject(const Document& doc, std::string& out) {
  out.push_back('{');
  bool first = true;
  auto comma = [&] {
    if (!first) out.push_back(',');
    first = false;
  };
  if (doc.removed()) {
    comma();
    out += "\"reason\":";
    AppendJsonString(out, doc.reason);
  }
  if (!doc.duplicate_of.empty()) {
    comma();
    out += "\"duplicate_of\":";
    AppendJsonString(out, doc.duplicate_of);
  }
  if (doc.cluster_id >= 0) {
    comma();
    out += "\"cluster_id\":";
    out += std::to_string(doc.cluster_id);
    out += ",\"cluster_size\":";
    out += std::to_string(doc.cluster_size);
  }
  for (const auto& [name, value] : doc.fields) {
    comma();
    AppendJsonString(out, name);
    out.push_back(':');
    AppendJsonString(out, value);
  }
  if (!doc.signals.empty()) {
    comma();
    out += "\"signals\":{";
    for (size_t i = 0; i < doc.signals.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendJsonString(out, doc.signals[i].name);
      out.push_back(':');
      AppendJsonNumber(out, doc.signals[i].value);
    }
    out.push_back('}');
  }
  out.push_back('}');
}

void AppendDocumentLine(const Document& doc, std::string& out) {
  if (doc.record.empty()) {
    out += "{\"id\":";
    AppendJsonString(out, doc.id);
    if (!doc.url.empty()) {
      out += ",\"url\":";
      AppendJsonString(out, doc.url);
    }
    out += ",\"text\":";
    AppendJsonString(out, doc.text);
    out += ",\"winnow\":";
    AppendWinnowObject(doc, out);
    out += "}\n";
    return;
  }
  std::string_view rec = doc.record;
  // Up to two edits, applied in record order: the text value and the winnow value (replaced,
  // or inserted before the closing brace).
  struct Edit {
    size_t begin, size;
    int what;  // 0: text, 1: winnow
  } edits[2];
  int n = 0;
  if (doc.text_changed) edits[n++] = {doc.text_span.begin, doc.text_span.size, 0};
  if (!doc.winnow_span.empty()) {
    edits[n++] = {doc.winnow_span.begin, doc.winnow_span.size, 1};
  } else {
    size_t close = rec.find_last_of('}');
    edits[n++] = {close, 0, 2};
  }
  if (n == 2 && edits[1].begin < edits[0].begin) std::swap(edits[0], edits[1]);
  size_t pos = 0;
  for (int i = 0; i < n; ++i) {
    out.append(rec.data() + pos, edits[i].begin - pos);
    if (edits[i].what == 0) {
      AppendJsonString(out, doc.text);
    } else {
      if (edits[i].what == 2) {
        // Insert before the closing brace; any whitespace before it stays after our field.
        out += ",\"winnow\":";
      }
      AppendWinnowObject(doc, out);
    }
    pos = edits[i].begin + edits[i].size;
  }
  out.append(rec.data() + pos, rec.size() - pos);
  out.push_back('\n');
}

void AppendAnnotateLine(const Document& doc, std::string& out) {
  out += "{\"id\":";
  AppendJsonString(out, doc.id);
  out += ",\"winnow\":{\"filters\":{";
  for (size_t i = 0; i < doc.outcomes.size(); ++i) {
    const FilterOutcome& o = doc.outcomes[i];
    if (i > 0) out.push_back(',');
    AppendJsonString(out, o.filter);
    out += o.keep ? ":{\"keep\":true,\"reason\":" : ":{\"keep\":false,\"reason\":";
    if (o.keep) {
      out += "null";
    } else {
      AppendJsonString(out, o.reason);
    }
    out.push_back('}');
  }
  out += "},\"signals\":{";
  for (size_t i = 0; i < doc.signals.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(out, doc.signals[i].name);
    out.push_back(':');
    AppendJsonNumber(out, doc.signals[i].value);
  }
  out.push_back('}');
  // What stages wrote beside the signals ("language": "de"), as `clean` writes them.
  for (const auto& [name, value] : doc.fields) {
    out.push_back(',');
    AppendJsonString(out, name);
    out.push_back(':');
    AppendJsonString(out, value);
  }
  out += "}}\n";
}

void AppendRejectedLine(const Rejected& r, std::string& out) {
  out += "{\"file\":";
  AppendJsonStringLossy(out, r.file);
  out += ",\"line\":";
  AppendJsonInt(out, static_cast<int64_t>(r.line));
  out += ",\"offset\":";
  AppendJsonInt(out, static_cast<int64_t>(r.byte_offset));
  out += ",\"kind\":";
  AppendJsonString(out, r.kind);
  out += ",\"error\":";
  AppendJsonStringLossy(out, r.error);
  out += ",\"excerpt\":";
  AppendJsonStringLossy(out, r.excerpt);
  out += "}\n";
}

}  // namespace winnow::io
