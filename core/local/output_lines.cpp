#include "local/output_lines.h"

#include <algorithm>

namespace slipway::local {

namespace {

// The largest cut <= limit that does not split a UTF-8 sequence (a continuation byte is 10xxxxxx).
std::size_t utf8Cut(const std::string &s, std::size_t limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return cut == 0 ? limit : cut;  // not UTF-8 at all: cut anywhere
}

} // namespace

OutputLineSplitter::OutputLineSplitter(std::size_t maxLineBytes) : m_maxLineBytes(std::max<std::size_t>(maxLineBytes, 4)) {}

void OutputLineSplitter::deliver(std::string line, const LineSink &sink) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    sink(std::move(line));
}

void OutputLineSplitter::feed(std::string_view bytes, const LineSink &sink) {
    while (!bytes.empty()) {
        const std::size_t newline = bytes.find('\n');
        const std::string_view head = bytes.substr(0, newline);
        m_partial.append(head);
        while (m_partial.size() > m_maxLineBytes) {
            const std::size_t cut = utf8Cut(m_partial, m_maxLineBytes);
            sink(m_partial.substr(0, cut));
            m_partial.erase(0, cut);
        }
        if (newline == std::string_view::npos) return;
        deliver(std::move(m_partial), sink);
        m_partial.clear();
        bytes.remove_prefix(newline + 1);
    }
}

void OutputLineSplitter::finish(const LineSink &sink) {
    if (m_partial.empty()) return;
    deliver(std::move(m_partial), sink);
    m_partial.clear();
}

RecentLines::RecentLines(std::size_t capacity) : m_capacity(capacity) {}

void RecentLines::add(const std::string &line) {
    if (m_capacity == 0) return;
    if (m_lines.size() == m_capacity) m_lines.pop_front();
    m_lines.push_back(line);
}

std::vector<std::string> RecentLines::lines() const { return {m_lines.begin(), m_lines.end()}; }

} // namespace slipway::local
