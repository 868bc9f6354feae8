// Errors as values across the API boundary: nothing in the library throws to its caller.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace og {

/// An I/O or usage failure that is not tied to a position in a document.
struct Error {
  std::string message;
};

/// Either a value or an Error. Check with ok() before value().
template <class T> class Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const Error& error() const { return std::get<1>(state_); }

private:
  std::variant<T, Error> state_;
};

/// A Result without a value.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
  return Unit{};
}

} // namespace og
