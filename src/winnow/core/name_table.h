// NameTable: stable storage for names read back from disk (signal names, reasons), so that
// documents decoded from a spill can hold views as those made by stages hold static strings.
// Append-only, thread-safe; views stay valid for the table's lifetime.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace winnow {

class NameTable {
 public:
  std::string_view Intern(std::string_view name) {
    std::lock_guard<std::mutex> lock(mu_);
    return *names_.emplace(name).first;  // nodes never move: the view stays valid
  }

 private:
  std::mutex mu_;
  std::unordered_set<std::string> names_;
};

}  // namespace winnow
