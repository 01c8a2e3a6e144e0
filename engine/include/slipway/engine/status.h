#pragma once
// Errors as values inside the engine. A Status carries a message that names the file, tensor,
// flag or field at fault and what to change. Engine naming: PascalCase types, snake_case
// functions and variables, trailing underscore for private members.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace slipway::engine {

class [[nodiscard]] Status {
public:
    Status() = default;
    static Status error(std::string message) { Status s; s.message_ = std::move(message); s.ok_ = false; return s; }
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const std::string &message() const { return message_; }

private:
    bool ok_ = true;
    std::string message_;
};

template <typename T>
class [[nodiscard]] StatusOr {
public:
    StatusOr(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
    StatusOr(Status status) : state_(std::move(status)) {}   // NOLINT: must be an error status

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(state_); }
    T &value() & { return std::get<T>(state_); }
    T &&value() && { return std::get<T>(std::move(state_)); }
    const T *operator->() const { return &std::get<T>(state_); }
    T *operator->() { return &std::get<T>(state_); }
    Status status() const { return ok() ? Status() : std::get<Status>(state_); }
    const std::string &message() const { static const std::string empty; return ok() ? empty : std::get<Status>(state_).message(); }

private:
    std::variant<T, Status> state_;
};

} // namespace slipway::engine
