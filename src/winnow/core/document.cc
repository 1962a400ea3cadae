#include "winnow/core/document.h"

namespace winnow {

void Document::SetSignal(std::string_view name, double value) {
  for (Signal& s : signals) {
    if (s.name == name) {
      s.value = value;
      return;
    }
  }
  if (signals.capacity() == 0) signals.reserve(32);  // a filter chain writes ~30
  signals.push_back(Signal{name, value});
}

std::string_view Document::Field(std::string_view name) const {
  for (const auto& [n, v] : fields) {
    if (n == name) return v;
  }
  return {};
}

void Document::SetField(std::string_view name, std::string value) {
  for (auto& [n, v] : fields) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  fields.emplace_back(name, std::move(value));
}

}  // namespace winnow
