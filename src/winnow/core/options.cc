#include "winnow/core/options.h"

#include <charconv>
#include <cmath>

namespace winnow {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const OptionSpec* Find(const StageSpec& spec, std::string_view name) {
  for (const OptionSpec& o : spec.options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> ParseInlineList(std::string_view text) {
  text = Trim(text);
  std::vector<std::string> items;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (Trim(text).empty()) return items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = Trim(text.substr(start, comma - start));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') &&
        item.back() == item.front()) {
      item = item.substr(1, item.size() - 2);  // a quoted scalar, as YAML would unquote it
    }
    items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

namespace {

Status CheckKeys(const StageSpec& spec, const OptionMap& given, std::string_view where) {
  for (const auto& [key, value] : given) {
    if (Find(spec, key) != nullptr) continue;
    std::string known;
    for (const OptionSpec& o : spec.options) {
      if (!known.empty()) known += ", ";
      known += o.name;
    }
    return Status::InvalidArgument("stage " + std::string(spec.name) + ": unknown option '" + key +
                                   "'" + std::string(where) +
                                   " (known: " + (known.empty() ? "none" : known) + ")");
  }
  return Status::OK();
}

}  // namespace

Result<Options> Options::Make(const StageSpec& spec, OptionMap given,
                              PerLanguageOptions per_language) {
  WINNOW_RETURN_IF_ERROR(CheckKeys(spec, given, ""));
  if (!per_language.empty() && !spec.per_language) {
    return Status::InvalidArgument("stage " + std::string(spec.name) +
                                   " has no per-language options (per_language)");
  }
  for (const auto& [language, options] : per_language) {
    if (language.empty()) {
      return Status::InvalidArgument("stage " + std::string(spec.name) +
                                     ": per_language: empty language code");
    }
    WINNOW_RETURN_IF_ERROR(CheckKeys(spec, options, " in per_language." + language));
  }
  return Options(&spec, std::move(given), std::move(per_language));
}

std::vector<std::string> Options::Languages() const {
  std::vector<std::string> out;
  for (const auto& [language, options] : per_language_) out.push_back(language);
  return out;
}

Options Options::ForLanguage(const std::string& language) const {
  OptionMap merged = given_;
  auto it = per_language_.find(language);
  if (it != per_language_.end()) {
    for (const auto& [key, value] : it->second) merged[key] = value;
  }
  return Options(spec_, std::move(merged));
}

Result<OptionValue> Options::Raw(std::string_view name) const {
  auto it = given_.find(std::string(name));
  if (it != given_.end()) return it->second;
  const OptionSpec* o = Find(*spec_, name);
  WINNOW_CHECK(o != nullptr);  // a stage asked for an option it did not declare: a bug
  OptionValue v;
  v.scalar = std::string(o->default_value);
  return v;
}

Status Options::Bad(std::string_view name, std::string_view expected, std::string_view got) const {
  return Status::InvalidArgument(std::string(spec_->name) + ": option " + std::string(name) +
                                 ": expected " + std::string(expected) + ", got '" +
                                 std::string(got) + "'");
}

Result<int64_t> Options::Int(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  std::string_view s = Trim(v.scalar);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (v.is_list || s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return Bad(name, "an integer", v.is_list ? "a list" : v.scalar);
  }
  return out;
}

Result<double> Options::Double(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  std::string_view s = Trim(v.scalar);
  double out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (v.is_list || s.empty() || ec != std::errc() || ptr != s.data() + s.size() ||
      !std::isfinite(out)) {
    return Bad(name, "a number", v.is_list ? "a list" : v.scalar);
  }
  return out;
}

Result<bool> Options::Bool(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  std::string_view s = Trim(v.scalar);
  if (!v.is_list) {
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  return Bad(name, "true or false", v.is_list ? "a list" : v.scalar);
}

namespace {
bool IsNone(const OptionValue& v) {
  if (v.is_list) return false;
  std::string_view s = v.scalar;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s.empty() || s == "null" || s == "~" || s == "none" || s == "None";
}
}  // namespace

Result<std::optional<double>> Options::OptionalDouble(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  if (IsNone(v)) return std::optional<double>();
  WINNOW_ASSIGN_OR_RETURN(double d, Double(name));
  return std::optional<double>(d);
}

Result<std::optional<int64_t>> Options::OptionalInt(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  if (IsNone(v)) return std::optional<int64_t>();
  WINNOW_ASSIGN_OR_RETURN(int64_t i, Int(name));
  return std::optional<int64_t>(i);
}

Result<std::string> Options::String(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  if (v.is_list) return Bad(name, "a string", "a list");
  return v.scalar;
}

Result<std::vector<std::string>> Options::StringList(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  if (v.is_list) return v.list;
  return ParseInlineList(v.scalar);
}

Result<bool> Options::IsList(std::string_view name) const {
  WINNOW_ASSIGN_OR_RETURN(OptionValue v, Raw(name));
  return v.is_list || (!v.scalar.empty() && v.scalar.front() == '[');
}

Result<uint64_t> ParseByteSize(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("expected a size such as 512M or 2G, got '" + std::string(text) +
                                   "'");
  };
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > (UINT64_MAX - 9) / 10) return bad();
    n = n * 10 + static_cast<uint64_t>(text[i++] - '0');
  }
  if (i == 0) return bad();
  std::string_view unit = text.substr(i);
  int shift = 0;
  if (!unit.empty()) {
    switch (unit[0] | 0x20) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      case 'b':
        shift = 0;
        break;
      default:
        return bad();
    }
    unit.remove_prefix(1);
    if (unit == "iB" || unit == "ib" || unit == "B" || unit == "b") unit = {};
    if (!unit.empty()) return bad();
  }
  if (shift > 0 && n > (UINT64_MAX >> shift)) return bad();
  return n << shift;
}

}  // namespace winnow
