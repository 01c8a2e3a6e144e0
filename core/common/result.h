#pragma once
// Errors as values at module boundaries. A Result<T> holds either a value or an Error whose
// message a person can act on: it names what failed and what to change.
#include "common/message.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace slipway {

struct Error {
    std::string message;           // English, as the CLI prints it
    std::string code;              // common/message.h; empty when the text has no code
    std::vector<std::string> args; // what the code's %1, %2, … stand for
    std::vector<Message> argMessages; // see Message::argMessages

    Message asMessage() const { return Message{code, args, message, argMessages}; }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}              // NOLINT: implicit by design
    Result(Error error) : m_state(std::move(error)) {}          // NOLINT: implicit by design

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T *operator->() const { return &std::get<T>(m_state); }
    T *operator->() { return &std::get<T>(m_state); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<Error>(m_state); }
    const std::string &message() const { return error().message; }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {} // NOLINT: implicit by design

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }
    const std::string &message() const { return m_error.message; }

private:
    Error m_error;
    bool m_failed = false;
};

inline Error fail(std::string message) { return Error{std::move(message), {}, {}, {}}; }
inline Error fail(Message message)
{
    return Error{std::move(message.english), std::move(message.code), std::move(message.args),
                 std::move(message.argMessages)};
}
inline Error fail(const MessageTemplate &t, std::vector<std::string> args = {}) { return fail(makeMessage(t, std::move(args))); }

} // namespace slipway
