// WINNOW_CHECK / WINNOW_DCHECK: assertions for programming errors (bugs), never for input.
//
// A failed check prints the condition and location to stderr and aborts. Nothing a user passes
// (files, options, bytes) may trigger one: user errors travel as Status.
#pragma once

namespace winnow::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace winnow::internal

#define WINNOW_CHECK(cond)                                                                        \
  do {                                                                                            \
    if (__builtin_expect(!(cond), 0)) ::winnow::internal::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (0)

#ifdef NDEBUG
#define WINNOW_DCHECK(cond) \
  do {                      \
  } while (0 && (cond))
#else
#define WINNOW_DCHECK(cond) WINNOW_CHECK(cond)
#endif
