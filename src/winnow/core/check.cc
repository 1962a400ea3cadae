#include "winnow/core/check.h"

#include <cstdio>
#include <cstdlib>

namespace winnow::internal {

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "winnow: internal check failed: %s at %s:%d\n", condition, file, line);
  std::abort();
}

}  // namespace winnow::internal
