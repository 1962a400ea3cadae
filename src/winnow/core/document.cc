#include "winnow/core/document.h"

namespace winnow {

void Document::SetSignal(std::string_view name, double value) {
  for (Signal& s : signals) {
    if (s.name == name) {
      s.value = value;
      return;
    }
  }
  signals.push_back(Signal{name, value});
}

}  // namespace winnow
