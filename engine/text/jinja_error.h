#pragma once
// The one error type of the Jinja interpreter. It is thrown inside the lexer, parser and
// interpreter only; ChatTemplate catches it (and anything else) at its public boundary and
// returns a Status, so no exception ever leaves the chat-template API.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace slipway::engine::jinja {

inline constexpr std::size_t kNoOffset = static_cast<std::size_t>(-1);

enum class ErrorKind {
    syntax,  // the template text cannot be parsed
    runtime, // evaluation failed (wrong types, unknown filter, ...)
    raised,  // the template called raise_exception(message)
};

class JinjaError : public std::runtime_error {
public:
    JinjaError(ErrorKind kind, std::string message, std::size_t offset = kNoOffset)
        : std::runtime_error(message), kind_(kind), offset_(offset) {}

    ErrorKind kind() const { return kind_; }
    // Byte offset into the original template source, or kNoOffset when not known yet.
    std::size_t offset() const { return offset_; }
    void set_offset(std::size_t offset) { offset_ = offset; }

private:
    ErrorKind kind_;
    std::size_t offset_;
};

// Shorthand for runtime errors raised by builtins (the interpreter adds the position).
[[noreturn]] inline void fail(std::string message) { throw JinjaError(ErrorKind::runtime, std::move(message)); }

} // namespace slipway::engine::jinja
