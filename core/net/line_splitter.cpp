#include "net/line_splitter.h"

namespace slipway::net {

namespace {

std::string_view withoutCr(std::string_view line)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

} // namespace

LineSplitter::LineSplitter(std::size_t maxLineBytes) : m_maxLineBytes(maxLineBytes) {}

Result<void> LineSplitter::feed(std::string_view chunk, const LineCallback &onLine)
{
    while (!chunk.empty()) {
        const auto newline = chunk.find('\n');
        if (newline == std::string_view::npos) {
            if (m_pending.size() + chunk.size() > m_maxLineBytes)
                return fail("a line in the stream is longer than " + std::to_string(m_maxLineBytes) +
                            " bytes; the stream is not line-delimited");
            m_pending.append(chunk);
            return {};
        }
        if (m_pending.empty()) {
            onLine(withoutCr(chunk.substr(0, newline)));
        } else {
            m_pending.append(chunk.substr(0, newline));
            // Move out first: the callback may not re-enter, but keep the state clean anyway.
            const std::string line = std::move(m_pending);
            m_pending.clear();
            onLine(withoutCr(line));
        }
        chunk.remove_prefix(newline + 1);
    }
    return {};
}

void LineSplitter::finish(const LineCallback &onLine)
{
    if (m_pending.empty())
        return;
    const std::string line = std::move(m_pending);
    m_pending.clear();
    onLine(withoutCr(line));
}

} // namespace slipway::net
