#pragma once
// Splitting a child's output bytes into lines, and keeping the last few of them.
//
// Thread-safety: plain values; one thread at a time.
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::local {

// Turns a byte stream into lines without their "\n" (and without a trailing "\r"). A line longer
// than maxLineBytes is delivered in pieces of at most that many bytes, cut on a UTF-8 character
// boundary, so one runaway line cannot grow memory without bound.
class OutputLineSplitter final {
public:
    using LineSink = std::function<void(std::string line)>;

    explicit OutputLineSplitter(std::size_t maxLineBytes = 16 * 1024);

    // Feeds bytes; calls sink once per completed line (or piece of an overlong line).
    void feed(std::string_view bytes, const LineSink &sink);
    // Delivers what is left after the stream ended (a last line with no "\n").
    void finish(const LineSink &sink);

    std::size_t maxLineBytes() const { return m_maxLineBytes; }

private:
    void deliver(std::string line, const LineSink &sink);

    std::size_t m_maxLineBytes;
    std::string m_partial;
};

// The last `capacity` lines seen, oldest first.
class RecentLines final {
public:
    explicit RecentLines(std::size_t capacity = 50);

    void add(const std::string &line);
    std::vector<std::string> lines() const;
    std::size_t capacity() const { return m_capacity; }

private:
    std::size_t m_capacity;
    std::deque<std::string> m_lines;
};

} // namespace slipway::local
