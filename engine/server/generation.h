#pragma once
// One request's life on its HTTP thread: submit to the scheduler, then relay its StepOutputs.
// While it waits it checks the client's socket every 50 ms; when the client is gone the request
// is cancelled at once, so the scheduler frees its KV pages before its next step.
//
// Thread-safety: a Generation belongs to the HTTP thread that made it.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/output_channel.h"
#include "runtime/request.h"

namespace slipway::engine {

class HttpExchange;
class Scheduler;

class Generation final {
public:
    // Submits; a rejection throws ApiFailure (400 invalid request, 400 context_length_exceeded,
    // 503 not accepting). `client` may be null (internal requests: warm-up, health checks).
    Generation(Scheduler &scheduler, std::vector<int32_t> prompt_ids, SamplingParams sampling, HttpExchange *client,
               std::string rid = {});
    ~Generation();  // cancels the request if it has not finished
    Generation(const Generation &) = delete;
    Generation &operator=(const Generation &) = delete;

    // The next output (the last has finished = true); nullopt when the client went away (the
    // request is then cancelled) or `deadline` passed (not cancelled: call cancel()).
    std::optional<StepOutput> next(std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
    void cancel();
    bool finished() const { return finished_; }
    bool client_gone() const { return client_gone_; }
    RequestId id() const { return id_; }
    int32_t prompt_tokens() const { return prompt_tokens_; }
    std::chrono::steady_clock::time_point start_time() const { return start_; }

private:
    Scheduler &scheduler_;
    HttpExchange *client_;
    std::shared_ptr<OutputChannel> channel_;
    RequestId id_ = 0;
    int32_t prompt_tokens_ = 0;
    bool finished_ = false;
    bool cancelled_ = false;
    bool client_gone_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace slipway::engine
