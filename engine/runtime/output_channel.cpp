#include "runtime/output_channel.h"

namespace slipway::engine {

std::shared_ptr<OutputChannel> OutputChannel::create() {
    return std::shared_ptr<OutputChannel>(new OutputChannel());
}

OutputCallback OutputChannel::callback() {
    return [self = shared_from_this()](StepOutput output) { self->push(std::move(output)); };
}

void OutputChannel::push(StepOutput output) {
    {
        std::lock_guard lock(mutex_);
        items_.push_back(std::move(output));
    }
    ready_.notify_one();
}

StepOutput OutputChannel::pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !items_.empty(); });
    StepOutput out = std::move(items_.front());
    items_.pop_front();
    return out;
}

std::optional<StepOutput> OutputChannel::pop_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [this] { return !items_.empty(); })) {
        return std::nullopt;
    }
    StepOutput out = std::move(items_.front());
    items_.pop_front();
    return out;
}

} // namespace slipway::engine
