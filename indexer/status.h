// Status and Result<T>: expected failures as values, with domain codes (never HTTP codes).
// Only server/ maps a StatusCode to an HTTP status.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace citeqa {

enum class StatusCode {
  kOk,
  kInvalidArgument,    // the caller's input is unusable (bad question, bad file name, ...)
  kNotFound,           // the thing asked for does not exist
  kAlreadyExists,      // refusing to overwrite
  kIoError,            // the file system or the database failed
  kCorruption,         // stored data does not have the shape we wrote
  kResourceExhausted,  // a size or count limit was hit
  kUnauthenticated,    // missing or wrong credentials
  kUnavailable,        // temporarily unable (busy, shutting down)
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message", or "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status. Accessing value() of an error is a programming error.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace citeqa

// Returns early from the enclosing function with the Status when `expr` is not OK.
#define CITEQA_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::citeqa::Status citeqa_status_ = (expr);   \
    if (!citeqa_status_.ok()) return citeqa_status_; \
  } while (false)
