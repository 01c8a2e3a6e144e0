#pragma once
// A cancellation flag shared between the thread that runs a long call and the thread that wants
// it stopped (a UI's Stop button). Thread-safe: cancel() from any thread, checked by the transfer
// loop between short polls, so a blocked transfer returns within about 50 ms.
#include <atomic>

namespace slipway::net {

class CancelToken final {
public:
    CancelToken() = default;
    CancelToken(const CancelToken &) = delete;
    CancelToken &operator=(const CancelToken &) = delete;

    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    void reset() { m_cancelled.store(false, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

} // namespace slipway::net
