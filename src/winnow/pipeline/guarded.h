// Guarded(f): runs a stage's code, turning an exception it lets escape into an error, so a run
// fails cleanly (every batch in flight is recycled, nothing half-written is committed)
// instead of unwinding through the pipeline. For the pass runner and the document stream.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "winnow/core/status.h"

namespace winnow::pipeline {

template <typename F>
Status Guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("threw an exception: ") + e.what());
  } catch (...) {
    return Status::Internal("threw an unknown exception");
  }
}

}  // namespace winnow::pipeline
