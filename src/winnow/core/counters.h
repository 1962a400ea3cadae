// Counters: named integer tallies a stage worker keeps on its own thread, merged at the end.
//
// No atomics on the hot path: each worker owns one Counters; the executor merges them
// (Combine) after the run. Names are static strings ("exact.unique").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace winnow {

class Counters {
 public:
  void Add(std::string_view name, int64_t n = 1) { values_[name] += n; }
  int64_t Get(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? 0 : it->second;
  }
  void Combine(const Counters& other) {
    for (const auto& [k, v] : other.values_) values_[k] += v;
  }
  const std::map<std::string_view, int64_t>& values() const { return values_; }

 private:
  std::map<std::string_view, int64_t> values_;
};

}  // namespace winnow
