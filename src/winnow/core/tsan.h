// Happens-before annotations for ThreadSanitizer around oneTBB pipelines.
//
// Debian's libtbb is not built with TSan, so the synchronisation inside its pipeline (handing a
// batch from one filter to the next, running a serial filter's calls one after another,
// finishing the pipeline) is invisible to TSan, which then reports races that cannot happen.
// The caller releases a per-pipeline sync object before starting the pipeline; each filter call
// acquires it when it starts and releases it when it ends; the caller acquires it once the
// pipeline has returned. Calls that overlap in time
// stay unordered, so real races between concurrent filter calls are still reported. No-ops
// outside TSan builds.
#pragma once

#if defined(__SANITIZE_THREAD__)  // GCC
#define WINNOW_TSAN_BUILD 1
#elif defined(__has_feature)  // Clang
#if __has_feature(thread_sanitizer)
#define WINNOW_TSAN_BUILD 1
#endif
#endif

#if defined(WINNOW_TSAN_BUILD)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#define WINNOW_TSAN_ACQUIRE(addr) __tsan_acquire(const_cast<void*>(static_cast<const void*>(addr)))
#define WINNOW_TSAN_RELEASE(addr) __tsan_release(const_cast<void*>(static_cast<const void*>(addr)))
#else
#define WINNOW_TSAN_ACQUIRE(addr) ((void)(addr))
#define WINNOW_TSAN_RELEASE(addr) ((void)(addr))
#endif

namespace winnow {

// Brackets one filter call: acquire on construction, release on destruction.
class TsanFilterScope {
 public:
  explicit TsanFilterScope(const void* sync) : sync_(sync) { WINNOW_TSAN_ACQUIRE(sync_); }
  ~TsanFilterScope() { WINNOW_TSAN_RELEASE(sync_); }
  TsanFilterScope(const TsanFilterScope&) = delete;
  TsanFilterScope& operator=(const TsanFilterScope&) = delete;

 private:
  const void* sync_;
};

}  // namespace winnow
