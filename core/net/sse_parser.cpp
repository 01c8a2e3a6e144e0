#include "net/sse_parser.h"

#include <charconv>

namespace slipway::net {

SseParser::SseParser(std::size_t maxEventBytes) : m_maxEventBytes(maxEventBytes) {}

Result<void> SseParser::feed(std::string_view chunk, const EventCallback &onEvent)
{
    if (!m_started) {
        // The byte-order mark may itself arrive split; wait for three bytes before deciding.
        m_buffer.append(chunk);
        if (m_buffer.size() < 3 && std::string_view("\xEF\xBB\xBF").starts_with(m_buffer))
            return {};
        if (m_buffer.starts_with("\xEF\xBB\xBF"))
            m_buffer.erase(0, 3);
        m_started = true;
        chunk = {};
    }
    m_buffer.append(chunk);

    std::size_t start = 0;
    for (std::size_t i = 0; i < m_buffer.size(); ++i) {
        const char c = m_buffer[i];
        if (c == '\n' && m_sawCr && i == start) {
            // The "\n" of a "\r\n" whose "\r" ended the previous line.
            m_sawCr = false;
            start = i + 1;
            continue;
        }
        m_sawCr = false;
        if (c == '\r' || c == '\n') {
            processLine(std::string_view(m_buffer).substr(start, i - start), onEvent);
            if (c == '\r') {
                if (i + 1 < m_buffer.size()) {
                    if (m_buffer[i + 1] == '\n')
                        ++i;
                } else {
                    m_sawCr = true;
                }
            }
            start = i + 1;
        }
    }
    m_buffer.erase(0, start);
    if (m_buffer.size() + m_data.size() > m_maxEventBytes)
        return fail("an event in the stream is larger than " + std::to_string(m_maxEventBytes) +
                    " bytes; the stream is not a server-sent event stream");
    return {};
}

void SseParser::processLine(std::string_view line, const EventCallback &onEvent)
{
    if (line.empty()) {
        if (m_hasData) {
            SseEvent event;
            event.event = m_eventName.empty() ? "message" : m_eventName;
            event.data = std::move(m_data);
            event.id = m_lastId;
            event.retryMs = m_retryMs;
            onEvent(event);
        }
        m_eventName.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    std::string_view field = line;
    std::string_view value;
    if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (field == "data") {
        if (m_hasData)
            m_data.push_back('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_eventName.assign(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_lastId.assign(value);
    } else if (field == "retry") {
        long ms = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc() && end == value.data() + value.size() && !value.empty())
            m_retryMs = ms;
    }
    // Other fields are ignored, as the format requires.
}

bool SseParser::finish()
{
    const bool dropped = m_hasData || !m_buffer.empty();
    m_buffer.clear();
    m_data.clear();
    m_eventName.clear();
    m_hasData = false;
    return dropped;
}

} // namespace slipway::net
