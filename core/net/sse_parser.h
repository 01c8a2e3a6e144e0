#pragma once
// Server-sent events (the WHATWG event-stream format), fed in arbitrary chunks:
// `event:` names the event, `data:` lines join with "\n", `id:` and `retry:` are kept, lines
// starting with ":" are comments (keep-alives), a blank line dispatches the event. CRLF, CR and
// LF line ends are all accepted, and a leading byte-order mark is skipped. An event with no data
// lines is not dispatched (as browsers do). Not thread-safe: one per stream.
#include "common/result.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::net {

struct SseEvent {
    std::string event = "message";
    std::string data;
    std::string id;                // the last event id seen on the stream
    std::optional<long> retryMs;   // from the latest `retry:` line

    // OpenAI-style end of stream: `data: [DONE]`.
    bool isDone() const { return data == "[DONE]"; }
};

class SseParser final {
public:
    using EventCallback = std::function<void(const SseEvent &event)>;

    explicit SseParser(std::size_t maxEventBytes = 16u << 20);

    Result<void> feed(std::string_view chunk, const EventCallback &onEvent);
    // End of stream. Per the format an event not ended by a blank line is discarded; returns
    // true when such an incomplete event was dropped (a sign of a cut stream).
    bool finish();

    std::size_t commentCount() const { return m_comments; }

private:
    void processLine(std::string_view line, const EventCallback &onEvent);

    std::string m_buffer;      // bytes not yet ending a line
    bool m_sawCr = false;      // the previous chunk ended with "\r": skip a following "\n"
    bool m_started = false;    // the BOM check is done
    std::string m_eventName;
    std::string m_data;
    bool m_hasData = false;
    std::string m_lastId;
    std::optional<long> m_retryMs;
    std::size_t m_maxEventBytes;
    std::size_t m_comments = 0;
};

} // namespace slipway::net
