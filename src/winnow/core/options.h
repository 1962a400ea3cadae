// Options: a stage's configuration, validated against the options the stage declares.
//
// Each stage declares a StageSpec: its name, one line of help, and every option with its
// default and help. The spec is the single source of truth: `winnow config --defaults` prints
// it, unknown keys are rejected with the list of known ones, and getters fall back to the
// declared default. Values arrive as strings (YAML scalars) or lists of strings; getters parse
// and report bad values as InvalidArgument ("length: option min_words: expected an integer,
// got 'many'"). Options are read during Stage::Create() only, never on the hot path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

struct OptionSpec {
  std::string_view name;
  std::string_view default_value;  // YAML text: "50", "0.3", "true", "[a, b]", "" (none)
  std::string_view help;
};

struct StageSpec {
  std::string_view name;
  std::string_view help;
  std::vector<OptionSpec> options;
};

// An option value as given: a scalar, or a list of scalars.
struct OptionValue {
  std::string scalar;
  std::vector<std::string> list;
  bool is_list = false;
};

class Options {
 public:
  // Validates `given` against `spec`: every key must be a declared option.
  static Result<Options> Make(const StageSpec& spec, std::map<std::string, OptionValue> given);

  // The value of `name` (given, else the declared default). REQUIRES: `name` is declared.
  Result<int64_t> Int(std::string_view name) const;
  Result<double> Double(std::string_view name) const;
  Result<bool> Bool(std::string_view name) const;
  Result<std::string> String(std::string_view name) const;
  Result<std::vector<std::string>> StringList(std::string_view name) const;
  // For thresholds that can be switched off: "null", "~", "none" or "" give nullopt.
  Result<std::optional<double>> OptionalDouble(std::string_view name) const;
  Result<std::optional<int64_t>> OptionalInt(std::string_view name) const;

  bool Given(std::string_view name) const { return given_.count(std::string(name)) > 0; }
  std::string_view stage() const { return spec_->name; }

 private:
  Options(const StageSpec* spec, std::map<std::string, OptionValue> given)
      : spec_(spec), given_(std::move(given)) {}
  Result<OptionValue> Raw(std::string_view name) const;
  Status Bad(std::string_view name, std::string_view expected, std::string_view got) const;

  const StageSpec* spec_;
  std::map<std::string, OptionValue> given_;
};

// Parses a size in bytes: "1073741824", "512M", "2G", "64K" (binary units, optional "B" or
// "iB" after the letter). InvalidArgument otherwise.
Result<uint64_t> ParseByteSize(std::string_view text);

// Parses "[a, b, c]" (or "a" as a one-element list) into its items.
std::vector<std::string> ParseInlineList(std::string_view text);

}  // namespace winnow
