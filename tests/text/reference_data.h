// The datatrove reference outputs (../shared/reference/datatrove), loaded for tests.
#pragma once

#include <string>
#include <vector>

namespace winnow::testing {

// "" when ../shared/reference/datatrove is absent (tests then skip with a message).
std::string DatatroveReferenceDir();

struct ReferenceDoc {
  std::string id;
  std::string text;
};
// input.jsonl.zst, in file order.
std::vector<ReferenceDoc> LoadReferenceInputs();

}  // namespace winnow::testing
