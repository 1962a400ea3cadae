#include "winnow/io/parquet_json.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "winnow/core/json_writer.h"
#include "winnow/io/record_codec.h"

namespace winnow::io::parquet {
namespace {

using K = LogicalType::Kind;
// Decimals of up to 38 digits (16 bytes): GCC's and Clang's 128-bit integers.
__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

template <typename T>
T Load(std::string_view v) {
  T x{};
  std::memcpy(&x, v.data(), std::min(sizeof(T), v.size()));
  return x;
}

void AppendUnsigned(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

void AppendFloat(std::string& out, float v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

// 128-bit two's complement from big-endian bytes (decimals); false past 16 bytes unless the
// extra leading bytes are sign extension.
bool BigEndian128(std::string_view b, Int128* out) {
  if (b.empty()) {
    *out = 0;
    return true;
  }
  const bool negative = static_cast<uint8_t>(b[0]) & 0x80;
  while (b.size() > 16) {
    if (static_cast<uint8_t>(b[0]) != (negative ? 0xff : 0x00)) return false;
    b.remove_prefix(1);
  }
  UInt128 v = negative ? ~static_cast<UInt128>(0) : 0;
  for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  *out = static_cast<Int128>(v);
  return true;
}

// `unscaled` / 10^scale, exactly, as a JSON number.
void AppendDecimal(std::string& out, Int128 unscaled, int32_t scale) {
  const bool negative = unscaled < 0;
  UInt128 u = negative ? static_cast<UInt128>(-(unscaled + 1)) + 1 : static_cast<UInt128>(unscaled);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u > 0);
  if (scale < 0) {  // a negative scale multiplies
    digits.insert(0, static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  while (static_cast<int32_t>(digits.size()) <= scale) digits.push_back('0');
  if (negative) out.push_back('-');
  for (size_t i = digits.size(); i-- > 0;) {
    out.push_back(digits[i]);
    if (i == static_cast<size_t>(scale) && scale > 0) out.push_back('.');
  }
}

// printf's "%0<width>lld" (sign, then zeros up to `width` characters, then the digits), without
// printf's cost: every timestamp of a row goes through here.
void AppendZeroPadded(std::string& out, int64_t v, int width) {
  char digits[20];
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out += '-';
  const int pad = width - n - (v < 0 ? 1 : 0);
  if (pad > 0) out.append(static_cast<size_t>(pad), '0');
  while (n > 0) out += digits[--n];
}

// Civil date of days since 1970-01-01 (Howard Hinnant's algorithm).
void AppendDate(std::string& out, int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
  AppendZeroPadded(out, y, 4);
  out += '-';
  AppendZeroPadded(out, m, 2);
  out += '-';
  AppendZeroPadded(out, d, 2);
}

// "HH:MM:SS[.fraction]" of `value` units (10^digits per second) into the day.
void AppendTimeOfDay(std::string& out, int64_t value, int digits) {
  int64_t per_second = 1;
  for (int i = 0; i < digits; ++i) per_second *= 10;
  const int64_t seconds = value / per_second, fraction = value % per_second;
  AppendZeroPadded(out, seconds / 3600, 2);
  out += ':';
  AppendZeroPadded(out, seconds / 60 % 60, 2);
  out += ':';
  AppendZeroPadded(out, seconds % 60, 2);
  if (fraction != 0) {
    out += '.';
    AppendZeroPadded(out, fraction, digits);
    while (out.back() == '0') out.pop_back();
  }
}

// "YYYY-MM-DD HH:MM:SS[.fraction]" of `days` since the epoch and `rest` units (10^digits per
// second) into that day.
void AppendDateTime(std::string& out, int64_t days, int64_t rest, int digits) {
  int64_t per_day = 86400;
  for (int i = 0; i < digits; ++i) per_day *= 10;
  days += rest / per_day;
  rest %= per_day;
  if (rest < 0) {
    rest += per_day;
    --days;
  }
  out.push_back('"');
  AppendDate(out, days);
  out.push_back(' ');
  AppendTimeOfDay(out, rest, digits);
  out.push_back('"');
}

// The same of `value` units since the epoch.
void AppendTimestamp(std::string& out, int64_t value, int digits) {
  AppendDateTime(out, 0, value, digits);
}

int UnitDigits(TimeUnit u) { return u == TimeUnit::kMillis ? 3 : u == TimeUnit::kMicros ? 6 : 9; }

void AppendBase64(std::string& out, std::string_view b) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.push_back('"');
  size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(b[i]) << 16) | (static_cast<uint8_t>(b[i + 1]) << 8) |
                       static_cast<uint8_t>(b[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(kAlphabet[(v >> k) & 63]);
  }
  if (i < b.size()) {
    uint32_t v = static_cast<uint8_t>(b[i]) << 16;
    if (i + 1 < b.size()) v |= static_cast<uint8_t>(b[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < b.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  out.push_back('"');
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant ? NAN : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

void AppendBytes(const ColumnDescriptor& c, std::string_view v, std::string& out) {
  const K kind = c.logical.kind;
  if (kind == K::kString || kind == K::kEnum || kind == K::kJson) {
    // As stored; invalid UTF-8 makes the record a utf8 rejection downstream, as in JSONL.
    AppendJsonString(out, v);
    return;
  }
  if (kind == K::kDecimal) {
    Int128 unscaled;
    if (BigEndian128(v, &unscaled)) {
      AppendDecimal(out, unscaled, c.logical.scale);
      return;
    }
  }
  if (kind == K::kUuid && v.size() == 16) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (size_t i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
      out.push_back(kHex[static_cast<uint8_t>(v[i]) >> 4]);
      out.push_back(kHex[static_cast<uint8_t>(v[i]) & 15]);
    }
    out.push_back('"');
    return;
  }
  if (kind == K::kFloat16 && v.size() == 2) {
    AppendFloat(out, HalfToFloat(Load<uint16_t>(v)));
    return;
  }
  if (IsValidUtf8(v)) {
    AppendJsonString(out, v);
  } else {
    AppendBase64(out, v);
  }
}

}  // namespace

void AppendValueJson(const ColumnDescriptor& c, std::string_view v, std::string& out) {
  const LogicalType& lt = c.logical;
  if (lt.kind == K::kUnknown) {
    out += "null";
    return;
  }
  switch (c.type) {
    case Type::kBoolean:
      out += v[0] ? "true" : "false";
      return;
    case Type::kInt32: {
      const auto x = Load<int32_t>(v);
      if (lt.kind == K::kDate) {
        out.push_back('"');
        AppendDate(out, x);
        out.push_back('"');
      } else if (lt.kind == K::kDecimal) {
        AppendDecimal(out, x, lt.scale);
      } else if (lt.kind == K::kTime) {
        out.push_back('"');
        AppendTimeOfDay(out, x, UnitDigits(lt.unit));
        out.push_back('"');
      } else if (lt.kind == K::kInteger && !lt.is_signed) {
        AppendUnsigned(out, static_cast<uint32_t>(x));
      } else {
        AppendJsonInt(out, x);
      }
      return;
    }
    case Type::kInt64: {
      const auto x = Load<int64_t>(v);
      if (lt.kind == K::kTimestamp) {
        AppendTimestamp(out, x, UnitDigits(lt.unit));
      } else if (lt.kind == K::kDecimal) {
        AppendDecimal(out, x, lt.scale);
      } else if (lt.kind == K::kTime) {
        out.push_back('"');
        AppendTimeOfDay(out, x, UnitDigits(lt.unit));
        out.push_back('"');
      } else if (lt.kind == K::kInteger && !lt.is_signed) {
        AppendUnsigned(out, static_cast<uint64_t>(x));
      } else {
        AppendJsonInt(out, x);
      }
      return;
    }
    case Type::kInt96: {  // Impala's timestamps: nanoseconds of the day, then the Julian day
      const auto nanos = Load<int64_t>(v);
      const auto julian = Load<uint32_t>(v.substr(8));
      // Days and time kept apart: years past 2262 overflow nanoseconds since the epoch.
      AppendDateTime(out, static_cast<int64_t>(julian) - 2440588, nanos, 9);
      return;
    }
    case Type::kFloat:
      AppendFloat(out, Load<float>(v));
      return;
    case Type::kDouble:
      AppendJsonNumber(out, Load<double>(v));
      return;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      AppendBytes(c, v, out);
      return;
  }
  out += "null";
}

// ---- JSON to values (the writer's side) ----

namespace {

bool ParseInt(std::string_view s, int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// "YYYY-MM-DD" at the start of `s`: days since the epoch (Hinnant's days_from_civil).
bool ParseDate(std::string_view s, int64_t* days) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  int64_t y, m, d;
  if (!ParseInt(s.substr(0, 4), &y) || !ParseInt(s.substr(5, 2), &m) ||
      !ParseInt(s.substr(8, 2), &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *days = era * 146097 + doe - 719468;
  return true;
}

// "HH:MM:SS[.fraction]": units of 10^-digits seconds.
bool ParseTimeOfDay(std::string_view s, int digits, int64_t* v) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return false;
  int64_t h, m, sec;
  if (!ParseInt(s.substr(0, 2), &h) || !ParseInt(s.substr(3, 2), &m) ||
      !ParseInt(s.substr(6, 2), &sec)) {
    return false;
  }
  int64_t per_second = 1;
  for (int i = 0; i < digits; ++i) per_second *= 10;
  int64_t fraction = 0;
  if (s.size() > 8) {
    if (s[8] != '.' || s.size() == 9) return false;
    std::string_view f = s.substr(9);
    if (f.size() > static_cast<size_t>(digits) || !ParseInt(f, &fraction) || fraction < 0)
      return false;
    for (size_t i = f.size(); i < static_cast<size_t>(digits); ++i) fraction *= 10;
  }
  *v = ((h * 60 + m) * 60 + sec) * per_second + fraction;
  return true;
}

// Exact decimal text to its unscaled integer at `scale`.
bool ParseDecimal(std::string_view s, int32_t scale, Int128* out) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  UInt128 v = 0;
  int fraction_digits = -1;
  bool any = false;
  for (char c : s) {
    if (c == '.' && fraction_digits < 0) {
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return false;
    if (fraction_digits >= 0) {
      if (fraction_digits == scale) {
        if (c != '0') return false;  // more digits than the scale holds
        continue;
      }
      ++fraction_digits;
    }
    v = v * 10 + static_cast<unsigned>(c - '0');
    any = true;
  }
  if (!any) return false;
  for (int i = std::max(fraction_digits, 0); i < scale; ++i) v *= 10;
  *out = negative ? -static_cast<Int128>(v) : static_cast<Int128>(v);
  return true;
}

// Big-endian two's complement of `v` in `width` bytes (0: the fewest that hold it).
std::string BigEndian(Int128 v, size_t width) {
  std::string b(16, '\0');
  auto u = static_cast<UInt128>(v);
  for (int i = 15; i >= 0; --i) {
    b[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint8_t>(u & 0xff));
    u >>= 8;
  }
  if (width == 0) {
    size_t skip = 0;
    while (skip < 15) {
      const auto lead = static_cast<uint8_t>(b[skip]), next = static_cast<uint8_t>(b[skip + 1]);
      if ((lead == 0x00 && !(next & 0x80)) || (lead == 0xff && (next & 0x80))) {
        ++skip;
      } else {
        break;
      }
    }
    return b.substr(skip);
  }
  if (width >= 16) return std::string(width - 16, v < 0 ? '\xff' : '\0') + b;
  return b.substr(16 - width);
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  const int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (((x >> 23) & 0xff) == 0xff) return static_cast<uint16_t>(sign | 0x7c00 | (mant ? 0x200 : 0));
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00);
  if (exp <= 0) {
    if (exp < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000;
    return static_cast<uint16_t>(sign | (mant >> (14 - exp)));
  }
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13));
}

template <typename T>
void Put(std::string* bytes, T v) {
  bytes->assign(reinterpret_cast<const char*>(&v), sizeof(T));
}

}  // namespace

bool JsonToValue(Type type, int32_t type_length, const LogicalType& lt, std::string_view json,
                 std::string* bytes) {
  if (json.empty() || json == "null") return false;
  std::string text;
  const bool quoted = json.front() == '"';
  if (quoted && !UnescapeJsonString(json, &text)) return false;
  switch (type) {
    case Type::kBoolean:
      if (json != "true" && json != "false") return false;
      bytes->assign(1, json == "true" ? '\1' : '\0');
      return true;
    case Type::kInt32:
    case Type::kInt64: {
      int64_t v = 0;
      if (lt.kind == K::kDate) {
        if (!quoted || !ParseDate(text, &v)) return false;
      } else if (lt.kind == K::kTime) {
        if (!quoted || !ParseTimeOfDay(text, UnitDigits(lt.unit), &v)) return false;
      } else if (lt.kind == K::kTimestamp) {
        int64_t days, rest;
        if (!quoted || text.size() < 19 || text[10] != ' ' || !ParseDate(text, &days) ||
            !ParseTimeOfDay(std::string_view(text).substr(11), UnitDigits(lt.unit), &rest)) {
          return false;
        }
        int64_t per_day = 86400;
        for (int i = 0; i < UnitDigits(lt.unit); ++i) per_day *= 10;
        v = days * per_day + rest;
      } else if (lt.kind == K::kDecimal) {
        Int128 u;
        if (quoted || !ParseDecimal(json, lt.scale, &u)) return false;
        v = static_cast<int64_t>(u);
      } else if (lt.kind == K::kInteger && !lt.is_signed) {
        uint64_t u;
        auto r = std::from_chars(json.data(), json.data() + json.size(), u);
        if (r.ec != std::errc() || r.ptr != json.data() + json.size()) return false;
        v = static_cast<int64_t>(u);
      } else if (quoted || !ParseInt(json, &v)) {
        return false;
      }
      if (type == Type::kInt32) {
        Put(bytes, static_cast<int32_t>(v));
      } else {
        Put(bytes, v);
      }
      return true;
    }
    case Type::kInt96: {
      int64_t days, nanos;
      if (!quoted || text.size() < 19 || text[10] != ' ' || !ParseDate(text, &days) ||
          !ParseTimeOfDay(std::string_view(text).substr(11), 9, &nanos)) {
        return false;
      }
      const auto julian = static_cast<uint32_t>(days + 2440588);
      bytes->assign(reinterpret_cast<const char*>(&nanos), 8);
      bytes->append(reinterpret_cast<const char*>(&julian), 4);
      return true;
    }
    case Type::kFloat:
    case Type::kDouble: {
      double d;
      auto r = std::from_chars(json.data(), json.data() + json.size(), d);
      if (quoted || r.ec != std::errc() || r.ptr != json.data() + json.size()) return false;
      if (type == Type::kFloat) {
        Put(bytes, static_cast<float>(d));
      } else {
        Put(bytes, d);
      }
      return true;
    }
    case Type::kByteArray:
    case Type::kFixedLenByteArray: {
      const auto width = type == Type::kFixedLenByteArray ? static_cast<size_t>(type_length) : 0;
      if (lt.kind == K::kDecimal) {
        Int128 u;
        if (quoted || !ParseDecimal(json, lt.scale, &u)) return false;
        *bytes = BigEndian(u, width);
      } else if (lt.kind == K::kUuid) {
        if (!quoted) return false;
        bytes->clear();
        for (size_t i = 0; i + 1 < text.size(); ++i) {
          if (text[i] == '-') continue;
          auto hex = [](char c) {
            return c >= '0' && c <= '9'                     ? c - '0'
                   : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                            : -1;
          };
          const int hi = hex(text[i]), lo = hex(text[i + 1]);
          if (hi < 0 || lo < 0) return false;
          bytes->push_back(static_cast<char>(hi * 16 + lo));
          ++i;
        }
      } else if (lt.kind == K::kFloat16) {
        double d;
        auto r = std::from_chars(json.data(), json.data() + json.size(), d);
        if (quoted || r.ec != std::errc()) return false;
        Put(bytes, FloatToHalf(static_cast<float>(d)));
      } else if (quoted) {
        *bytes = std::move(text);
      } else {
        bytes->assign(json);  // a number, a boolean, an object or an array: its JSON text
      }
      return width == 0 || bytes->size() == width;
    }
  }
  return false;
}

// ---- assembly ----

RowAssembler::RowAssembler(const ParquetFile& file, const std::vector<ColumnValues>& columns)
    : file_(file), columns_(columns) {}

uint16_t RowAssembler::DefAt(size_t leaf, size_t slot) const {
  const ColumnValues& c = columns_[leaf];
  return c.def.empty() ? file_.columns()[leaf].max_def : c.def[slot];
}

uint16_t RowAssembler::RepAt(size_t leaf, size_t slot) const {
  const ColumnValues& c = columns_[leaf];
  return c.rep.empty() ? 0 : c.rep[slot];
}

Status RowAssembler::Index(size_t rows) {
  const auto& descs = file_.columns();
  row_start_.assign(descs.size(), {});
  cursor_.assign(descs.size(), 0);
  ranges_.assign(descs.size(), Range{0, 0});
  for (size_t l = 0; l < descs.size(); ++l) {
    const ColumnValues& c = columns_[l];
    size_t slots = descs[l].max_def > 0 ? c.def.size() : c.values.size();
    if (descs[l].max_rep == 0) {
      if (slots != rows) {
        return Status::Corrupt("column " + descs[l].path.back() + " holds " +
                               std::to_string(slots) + " values for " + std::to_string(rows) +
                               " rows");
      }
      continue;
    }
    if (c.rep.size() != c.def.size()) return Status::Corrupt("levels of unequal counts");
    std::vector<uint32_t>& starts = row_start_[l];
    for (size_t s = 0; s < c.rep.size(); ++s) {
      if (c.rep[s] == 0) starts.push_back(static_cast<uint32_t>(s));
    }
    if (starts.size() != rows || (!c.rep.empty() && c.rep[0] != 0)) {
      return Status::Corrupt("column " + descs[l].path.back() + " holds " +
                             std::to_string(starts.size()) + " records for " +
                             std::to_string(rows) + " rows");
    }
    starts.push_back(static_cast<uint32_t>(c.rep.size()));
  }
  return Status::OK();
}

Status RowAssembler::AppendRow(size_t row, std::string& out) {
  const auto& descs = file_.columns();
  for (size_t l = 0; l < descs.size(); ++l) {
    ranges_[l] = descs[l].max_rep == 0 ? Range{row, row + 1}
                                       : Range{row_start_[l][row], row_start_[l][row + 1]};
  }
  const std::vector<SchemaNode>& nodes = file_.nodes();
  out.push_back('{');
  bool first = true;
  for (size_t f : file_.fields()) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(out, nodes[f].name);
    out.push_back(':');
    WINNOW_RETURN_IF_ERROR(nodes[f].repetition == Repetition::kRepeated ? EmitList(f, ranges_, out)
                                                                        : Emit(f, ranges_, out));
  }
  out.push_back('}');
  return Status::OK();
}

// One occurrence of `node` (not repeated here): its leaves' ranges cover exactly it.
Status RowAssembler::Emit(size_t id, std::vector<Range>& ranges, std::string& out) {
  const SchemaNode& n = file_.nodes()[id];
  const size_t probe = n.leaves.front();
  if (ranges[probe].begin >= ranges[probe].end) return Status::Corrupt("a record without its slot");
  if (DefAt(probe, ranges[probe].begin) < n.def) {  // this node (or one above) is null
    out += "null";
    return Status::OK();
  }
  if (n.leaf >= 0) {
    const auto l = static_cast<size_t>(n.leaf);
    const ColumnValues& c = columns_[l];
    if (cursor_[l] >= c.values.size()) return Status::Corrupt("fewer values than levels say");
    AppendValueJson(file_.columns()[l], c.values[cursor_[l]++], out);
    return Status::OK();
  }
  const bool list = n.logical.kind == K::kList || n.converted == ConvertedType::kList;
  const bool map = n.logical.kind == K::kMap || n.converted == ConvertedType::kMap ||
                   n.converted == ConvertedType::kMapKeyValue;
  const std::vector<SchemaNode>& nodes = file_.nodes();
  if ((list || map) && n.children.size() == 1 &&
      nodes[n.children[0]].repetition == Repetition::kRepeated) {
    return map ? EmitMap(n.children[0], ranges, out) : EmitList(n.children[0], ranges, out);
  }
  out.push_back('{');
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (i > 0) out.push_back(',');
    const size_t child = n.children[i];
    AppendJsonString(out, nodes[child].name);
    out.push_back(':');
    WINNOW_RETURN_IF_ERROR(nodes[child].repetition == Repetition::kRepeated
                               ? EmitList(child, ranges, out)
                               : Emit(child, ranges, out));
  }
  out.push_back('}');
  return Status::OK();
}

// The elements of repeated `node` within its parent's occurrence: a JSON array. Each element's
// value is the node's, or, for a LIST's one-child element group, that child's.
Status RowAssembler::EmitList(size_t id, std::vector<Range>& ranges, std::string& out) {
  const SchemaNode& n = file_.nodes()[id];
  const size_t probe = n.leaves.front();
  if (ranges[probe].begin >= ranges[probe].end) return Status::Corrupt("a record without its slot");
  // Defined up to the parent but not to this node: an empty list (a null one above that).
  const uint16_t def = DefAt(probe, ranges[probe].begin);
  if (def < n.def - 1) {
    out += "null";
    return Status::OK();
  }
  out.push_back('[');
  if (def >= n.def) {
    // Split each leaf's range into elements: a new one starts where rep == this node's level.
    std::vector<Range> outer(ranges.size());
    for (size_t l : n.leaves) outer[l] = ranges[l];
    bool first = true;
    while (outer[probe].begin < outer[probe].end) {
      for (size_t l : n.leaves) {
        size_t e = outer[l].begin + 1;
        while (e < outer[l].end && RepAt(l, e) > n.rep) ++e;
        ranges[l] = Range{outer[l].begin, e};
        outer[l].begin = e;
        if (ranges[l].begin >= ranges[l].end)
          return Status::Corrupt("list elements of unequal counts");
      }
      if (!first) out.push_back(',');
      first = false;
      WINNOW_RETURN_IF_ERROR(EmitElement(id, ranges, out));
    }
    for (size_t l : n.leaves) {
      if (outer[l].begin != outer[l].end) return Status::Corrupt("list elements of unequal counts");
    }
  }
  out.push_back(']');
  return Status::OK();
}

// One element of repeated `node`. The LIST conventions: an element group with one child (not
// named "array", not "<list>_tuple") stands for that child; otherwise the element is the node.
Status RowAssembler::EmitElement(size_t id, std::vector<Range>& ranges, std::string& out) {
  const std::vector<SchemaNode>& nodes = file_.nodes();
  const SchemaNode& n = nodes[id];
  if (n.leaf < 0 && n.children.size() == 1 && n.name != "array" &&
      !(n.name.size() > 6 && n.name.compare(n.name.size() - 6, 6, "_tuple") == 0)) {
    const size_t child = n.children[0];
    return nodes[child].repetition == Repetition::kRepeated ? EmitList(child, ranges, out)
                                                            : Emit(child, ranges, out);
  }
  // The node itself, as one occurrence: Emit checks its definition against its own level.
  return Emit(id, ranges, out);
}

// A MAP's key_value group: {key: value, ...}, keys written as strings.
Status RowAssembler::EmitMap(size_t id, std::vector<Range>& ranges, std::string& out) {
  const std::vector<SchemaNode>& nodes = file_.nodes();
  const SchemaNode& kv = nodes[id];
  if (kv.children.empty() || kv.children.size() > 2) return EmitList(id, ranges, out);
  const size_t probe = kv.leaves.front();
  const uint16_t def = DefAt(probe, ranges[probe].begin);
  if (def < kv.def - 1) {
    out += "null";
    return Status::OK();
  }
  out.push_back('{');
  if (def >= kv.def) {
    std::vector<Range> outer(ranges.size());
    for (size_t l : kv.leaves) outer[l] = ranges[l];
    bool first = true;
    while (outer[probe].begin < outer[probe].end) {
      for (size_t l : kv.leaves) {
        size_t e = outer[l].begin + 1;
        while (e < outer[l].end && RepAt(l, e) > kv.rep) ++e;
        ranges[l] = Range{outer[l].begin, e};
        outer[l].begin = e;
      }
      if (!first) out.push_back(',');
      first = false;
      std::string key;
      WINNOW_RETURN_IF_ERROR(Emit(kv.children[0], ranges, key));
      if (key.empty() || key[0] != '"') {
        std::string quoted;
        AppendJsonString(quoted, key);
        key = std::move(quoted);
      }
      out += key;
      out.push_back(':');
      if (kv.children.size() == 2) {
        WINNOW_RETURN_IF_ERROR(Emit(kv.children[1], ranges, out));
      } else {
        out += "null";
      }
    }
  }
  out.push_back('}');
  return Status::OK();
}

}  // namespace winnow::io::parquet
