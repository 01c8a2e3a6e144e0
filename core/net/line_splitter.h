#pragma once
// Splits a byte stream that arrives in arbitrary chunks into lines (NDJSON watch events, follow
// log streams). Lines end at "\n"; a trailing "\r" is removed. Not thread-safe: one per stream.
#include "common/result.h"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace slipway::net {

class LineSplitter final {
public:
    using LineCallback = std::function<void(std::string_view line)>;

    // A line longer than maxLineBytes is an error (a stream that never ends a line would
    // otherwise grow without bound).
    explicit LineSplitter(std::size_t maxLineBytes = 16u << 20);

    // Calls onLine for every line completed by this chunk, in order.
    Result<void> feed(std::string_view chunk, const LineCallback &onLine);
    // End of stream: a last line without "\n" is delivered too.
    void finish(const LineCallback &onLine);

    std::size_t pendingBytes() const { return m_pending.size(); }

private:
    std::string m_pending;
    std::size_t m_maxLineBytes;
};

} // namespace slipway::net
