#include "server/generation.h"

#include "runtime/scheduler.h"
#include "server/http_server.h"
#include "server/request_fields.h"

namespace slipway::engine {

namespace {
constexpr std::chrono::milliseconds kClientCheckInterval{50};
}

Generation::Generation(Scheduler &scheduler, std::vector<int32_t> prompt_ids, SamplingParams sampling,
                       HttpExchange *client, std::string rid)
    : scheduler_(scheduler), client_(client), channel_(OutputChannel::create()),
      start_(std::chrono::steady_clock::now()) {
    prompt_tokens_ = static_cast<int32_t>(prompt_ids.size());
    GenerateRequest request;
    request.prompt_ids = std::move(prompt_ids);
    request.sampling = std::move(sampling);
    request.on_output = channel_->callback();
    request.rid = std::move(rid);
    const SubmitResult r = scheduler_.submit(std::move(request));
    switch (r.reject) {
    case RejectReason::none: break;
    case RejectReason::invalid_request: fail_bad_request(r.message);
    case RejectReason::context_too_long: fail(ApiError::context_too_long(r.message));
    case RejectReason::not_accepting: fail(ApiError::unavailable(r.message));
    }
    id_ = r.id;
}

Generation::~Generation() {
    if (!finished_) cancel();
}

void Generation::cancel() {
    if (!cancelled_ && !finished_) {
        cancelled_ = true;
        scheduler_.cancel(id_);
    }
}

std::optional<StepOutput> Generation::next(std::optional<std::chrono::steady_clock::time_point> deadline) {
    for (;;) {
        auto wait = kClientCheckInterval;
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left <= std::chrono::milliseconds(0)) return std::nullopt;
            wait = std::min(wait, left);
        }
        if (std::optional<StepOutput> out = channel_->pop_for(wait)) {
            if (out->finished) finished_ = true;
            return out;
        }
        if (client_ != nullptr && client_->client_gone()) {
            client_gone_ = true;
            cancel();
            return std::nullopt;
        }
    }
}

} // namespace slipway::engine
