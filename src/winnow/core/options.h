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
  // Accepts `per_language: {zh: {option: value, ...}, ...}`: other values of its options for
  // documents the language stage put in that language.
  bool per_language = false;
};

// An option value as given: a scalar, or a list of scalars.
struct OptionValue {
  std::string scalar;
  std::vector<std::string> list;
  bool is_list = false;
};

using OptionMap = std::map<std::string, OptionValue>;
// Language code -> the options that differ for documents in that language.
using PerLanguageOptions = std::map<std::string, OptionMap>;

class Options {
 public:
  // Validates `given` against `spec`: every key must be a declared option, in `given` and in
  // each language of `per_language` (which needs spec.per_language).
  static Result<Options> Make(const StageSpec& spec, OptionMap given,
                              PerLanguageOptions per_language = {});

  // The languages with options of their own, and the options for one of them: the stage's
  // options with that language's values on top.
  std::vector<std::string> Languages() const;
  Options ForLanguage(const std::string& language) const;

  // The value of `name` (given, else the declared default). REQUIRES: `name` is declared.
  Result<int64_t> Int(std::string_view name) const;
  Result<double> Double(std::string_view name) const;
  Result<bool> Bool(std::string_view name) const;
  Result<std::string> String(std::string_view name) const;
  Result<std::vector<std::string>> StringList(std::string_view name) const;
  // Whether `name` was given as a list (a YAML sequence, or a scalar written "[a, b]") rather
  // than one scalar: for options that take a list or the path of a file holding one.
  Result<bool> IsList(std::string_view name) const;
  // For thresholds that can be switched off: "null", "~", "none" or "" give nullopt.
  Result<std::optional<double>> OptionalDouble(std::string_view name) const;
  Result<std::optional<int64_t>> OptionalInt(std::string_view name) const;

  bool Given(std::string_view name) const { return given_.count(std::string(name)) > 0; }
  std::string_view stage() const { return spec_->name; }

 private:
  Options(const StageSpec* spec, OptionMap given, PerLanguageOptions per_language = {})
      : spec_(spec), given_(std::move(given)), per_language_(std::move(per_language)) {}
  Result<OptionValue> Raw(std::string_view name) const;
  Status Bad(std::string_view name, std::string_view expected, std::string_view got) const;

  const StageSpec* spec_;
  OptionMap given_;
  PerLanguageOptions per_language_;
};

// Parses a size in bytes: "1073741824", "512M", "2G", "64K" (binary units, optional "B" or
// "iB" after the letter). InvalidArgument otherwise.
Result<uint64_t> ParseByteSize(std::string_view text);

// Parses "[a, b, c]" (or "a" as a one-element list) into its items.
std::vector<std::string> ParseInlineList(std::string_view text);

}  // namespace winnow
