// Reading a run's output directory back in tests.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "testing/test_util.h"

namespace winnow::testing {

// Every line of every part under OUT/<kind>/, parts in name order.
inline std::vector<std::string> OutputLines(const std::string& out, const std::string& kind) {
  std::vector<std::string> names;
  std::filesystem::path dir = std::filesystem::path(out) / kind;
  if (!std::filesystem::exists(dir)) return {};
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().string());
  std::sort(names.begin(), names.end());
  std::vector<std::string> lines;
  for (const std::string& n : names) {
    for (std::string& l : SplitLines(ReadDecoded(n))) lines.push_back(std::move(l));
  }
  return lines;
}

// Raw bytes of every file under OUT (relative path -> bytes), stats.json and report.html
// excluded (they hold timings).
inline std::map<std::string, std::string> OutputFiles(const std::string& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(out)) {
    if (!e.is_regular_file() || e.path().filename() == "stats.json" ||
        e.path().filename() == "report.html" ||
        e.path().filename().string().starts_with(".winnow-checkpoint")) {
      continue;
    }
    files[std::filesystem::relative(e.path(), out).string()] = ReadRaw(e.path().string());
  }
  return files;
}

}  // namespace winnow::testing
