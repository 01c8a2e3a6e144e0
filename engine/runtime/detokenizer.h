#pragma once
// The output thread (SGLang's DetokenizerManager, in-process): the scheduler loop hands it each
// step's outputs as token ids and goes back to the GPU; this thread turns the ids into text
// (incremental detokenization, runtime/text_stream.h) and invokes the requests' OutputCallbacks.
//
// A request with stop strings is the exception: the loop must see its text to know when it ends,
// so the loop runs that request's TextStream itself and hands over finished text. Every request
// uses its TextStream on exactly one thread.
//
// Order: items are delivered in the order they were pushed, so one request's outputs keep step
// order and its finished output comes last.
//
// Thread-safety: push() and close() from one thread (the scheduler loop, then its owner).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/request.h"
#include "runtime/text_stream.h"

namespace slipway::engine {

// What the loop and the output thread share about one request.
struct OutputStream {
    OutputStream(OutputCallback callback, const DecodeFn *decode, std::vector<std::string> stop)
        : on_output(std::move(callback)), text(decode, std::move(stop)) {}
    OutputCallback on_output;
    TextStream text;
    bool text_on_loop = false;  // the loop owns `text` (the request has stop strings)
};

struct OutputItem {
    std::shared_ptr<OutputStream> stream;
    StepOutput out;
    // Output thread: append the text of out.token_ids (not set for a stop token, whose text is
    // never shown), then, when out.finished, whatever the stream still holds back.
    bool detokenize = false;
};

class Detokenizer final {
public:
    Detokenizer();
    ~Detokenizer();  // close()
    Detokenizer(const Detokenizer &) = delete;
    Detokenizer &operator=(const Detokenizer &) = delete;

    // Queues one step's outputs (one lock, one wake-up).
    void push(std::vector<OutputItem> items);
    // Delivers everything pushed so far, then stops the thread. Idempotent.
    void close();

private:
    void run();
    static void deliver(OutputItem &item);

    std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<OutputItem> queue_;
    bool closing_ = false;
    std::thread thread_;
};

} // namespace slipway::engine
