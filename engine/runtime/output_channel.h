#pragma once
// A per-request queue from the scheduler (its output thread) to the thread serving the request
// (an HTTP connection): pass channel->callback() as GenerateRequest::on_output and pop() on your
// thread.
//
// Thread-safety: all members are safe from any thread. The callback keeps the channel alive.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "runtime/request.h"

namespace slipway::engine {

class OutputChannel final : public std::enable_shared_from_this<OutputChannel> {
public:
    static std::shared_ptr<OutputChannel> create();

    OutputCallback callback();
    void push(StepOutput output);
    // Blocks until an output is there.
    StepOutput pop();
    // nullopt when nothing came within timeout (e.g. check the client socket, then wait again).
    std::optional<StepOutput> pop_for(std::chrono::milliseconds timeout);

private:
    OutputChannel() = default;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<StepOutput> items_;
};

} // namespace slipway::engine
