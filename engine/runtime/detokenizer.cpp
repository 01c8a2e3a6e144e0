#include "runtime/detokenizer.h"

namespace slipway::engine {

Detokenizer::Detokenizer() : thread_([this] { run(); }) {}

Detokenizer::~Detokenizer() {
    close();
}

void Detokenizer::push(std::vector<OutputItem> items) {
    if (items.empty()) return;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) {
            queue_ = std::move(items);
        } else {
            for (OutputItem &item : items) queue_.push_back(std::move(item));
        }
    }
    ready_.notify_one();
}

void Detokenizer::close() {
    {
        std::lock_guard lock(mutex_);
        if (closing_ && !thread_.joinable()) return;
        closing_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void Detokenizer::deliver(OutputItem &item) {
    OutputStream &stream = *item.stream;
    if (!stream.text_on_loop) {
        if (item.detokenize) {
            for (int32_t id : item.out.token_ids) item.out.text += stream.text.push(id);
        }
        if (item.out.finished) item.out.text += stream.text.flush();
    }
    stream.on_output(std::move(item.out));
}

void Detokenizer::run() {
    std::vector<OutputItem> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;  // closing, and everything was delivered
            batch.swap(queue_);
        }
        for (OutputItem &item : batch) deliver(item);
        batch.clear();
    }
}

} // namespace slipway::engine
