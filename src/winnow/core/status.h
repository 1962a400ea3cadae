// Status and Result<T>: how every fallible winnow operation reports failure.
//
// A Status is OK or carries a code and a one-line message ("static text first, then values":
// "jsonl: line too long: crawl.jsonl.zst:81920"). An OK Status is a null pointer, so returning
// and checking it on the success path costs nothing. Result<T> holds either a T or a non-OK
// Status, with the API of absl::StatusOr. Neither ever prints or aborts on user input.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "winnow/core/check.h"

namespace winnow {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,    // bad usage or configuration: the CLI exits 2
  kNotFound,           // a file or a name that does not exist
  kIOError,            // the operating system refused a read, write, rename...
  kCorrupt,            // input bytes that cannot be decoded
  kResourceExhausted,  // a configured limit was hit
  kUnimplemented,      // a feature that is not built yet
  kInternal,           // a bug or a failure of third-party code
  kCancelled,          // the caller stopped the run (RunConfig::cancel); it can be resumed
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Corrupt(std::string msg) { return Status(StatusCode::kCorrupt, std::move(msg)); }
  static Status ResourceExhausted(std::string msg) {
    return Status(StatusCode::kResourceExhausted, std::move(msg));
  }
  static Status Unimplemented(std::string msg) {
    return Status(StatusCode::kUnimplemented, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  static Status Cancelled(std::string msg) {
    return Status(StatusCode::kCancelled, std::move(msg));
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // The message without the code name; empty when OK.
  std::string_view message() const;
  // "OK" or "<message>" for display: messages are written to stand alone.
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>".
  Status WithContext(std::string_view prefix) const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

// Either a value or a non-OK Status. REQUIRES: constructed from a non-OK Status or a value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const Status& status) : status_(status) {  // NOLINT: implicit by design
    WINNOW_CHECK(!status_.ok());
  }
  Result(Status&& status) : status_(std::move(status)) {  // NOLINT
    WINNOW_CHECK(!status_.ok());
  }
  Result(const T& value) : value_(value) {}        // NOLINT
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT
  template <typename U>
  requires std::is_convertible_v<U&&, T> &&
      (!std::is_same_v<std::decay_t<U>, T>)&&(!std::is_same_v<std::decay_t<U>, Status>)
          Result(U&& value)
      : value_(std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  // REQUIRES: ok().
  const T& value() const& {
    WINNOW_CHECK(ok());
    return *value_;
  }
  T& value() & {
    WINNOW_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    WINNOW_CHECK(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace winnow

#define WINNOW_STATUS_CONCAT_INNER(a, b) a##b
#define WINNOW_STATUS_CONCAT(a, b) WINNOW_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define WINNOW_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::winnow::Status winnow_status_ = (expr);        \
    if (!winnow_status_.ok()) return winnow_status_; \
  } while (0)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define WINNOW_ASSIGN_OR_RETURN(lhs, expr) \
  WINNOW_ASSIGN_OR_RETURN_IMPL(WINNOW_STATUS_CONCAT(winnow_result_, __LINE__), lhs, expr)
#define WINNOW_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()
