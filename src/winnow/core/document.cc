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

}  // namespace winnow
