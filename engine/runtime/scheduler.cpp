#include "runtime/scheduler.h"

#include <algorithm>
#include <string>

#include "runtime/scheduler_loop.h"

namespace slipway::engine {

StatusOr<std::unique_ptr<Scheduler>> Scheduler::create(ModelRunner &runner, SchedulerConfig config) {
    const RunnerInfo info = runner.info();
    if (info.vocab_size <= 0 || info.page_size <= 0 || info.num_pages <= 0 || info.max_context_len <= 0) {
        return Status::error("the model runner reports an unusable KV pool (vocab " + std::to_string(info.vocab_size) +
                             ", page size " + std::to_string(info.page_size) + ", pages " +
                             std::to_string(info.num_pages) + ", context " + std::to_string(info.max_context_len) +
                             "); raise --mem-fraction-static so the KV cache gets memory");
    }
    if (config.context_length < 0 || config.context_length > info.max_context_len) {
        return Status::error("--context-length " + std::to_string(config.context_length) +
                             " is outside 1.." + std::to_string(info.max_context_len) +
                             " (the model's positions); lower it or leave it unset");
    }
    if (config.max_running_requests < 0) {
        return Status::error("--max-running-requests must be >= 1 (or unset), got " +
                             std::to_string(config.max_running_requests));
    }
    if (config.max_prefill_tokens <= 0) {
        return Status::error("--max-prefill-tokens must be >= 1, got " + std::to_string(config.max_prefill_tokens));
    }
    if (config.num_continuous_decode_steps < 1) {
        return Status::error("--num-continuous-decode-steps must be >= 1, got " +
                             std::to_string(config.num_continuous_decode_steps));
    }
    if (config.throughput_window_seconds <= 0) {
        config.throughput_window_seconds = 5.0;
    }
    for (int32_t id : config.eos_token_ids) {
        if (id < 0 || id >= info.vocab_size) {
            return Status::error("eos_token_id " + std::to_string(id) + " is outside the vocabulary (" +
                                 std::to_string(info.vocab_size) + "); check generation_config.json");
        }
    }
    std::unique_ptr<Scheduler> scheduler(new Scheduler(runner, std::move(config), info));
    scheduler->thread_ = std::thread([s = scheduler.get()] { s->run_loop(); });
    return scheduler;
}

Scheduler::Scheduler(ModelRunner &runner, SchedulerConfig config, RunnerInfo info)
    : runner_(&runner), config_(std::move(config)), info_(info) {
    sampler_ = dynamic_cast<DeviceSampler *>(&runner);
    if (config_.overlap_schedule) {
        async_ = dynamic_cast<AsyncSampler *>(&runner);
        if (async_ == nullptr) {
            // No device sampling (the CPU backend: sampled on the worker), or device sampling that
            // waits for its tokens (the CUDA backend): steps run on a worker thread, so planning
            // step n + 1 overlaps step n.
            host_runner_ = std::make_unique<HostSamplingRunner>(runner);
            runner_ = host_runner_.get();
            sampler_ = host_runner_.get();
            async_ = host_runner_.get();
        }
        overlap_ = true;
    }
    context_length_ = config_.context_length > 0 ? config_.context_length : info_.max_context_len;
    const int64_t pool_tokens = info_.num_pages * info_.page_size;
    max_running_ = config_.max_running_requests > 0
                       ? config_.max_running_requests
                       : static_cast<int32_t>(std::clamp<int64_t>(pool_tokens / 8, 1, 1024));
}

Scheduler::~Scheduler() {
    shutdown(std::chrono::milliseconds(0));
}

void Scheduler::run_loop() {
    SchedulerLoop loop(*this);
    loop.run();
}

SubmitResult Scheduler::check(const GenerateRequest &request) const {
    SubmitResult r;
    auto reject = [&r](RejectReason reason, std::string message) {
        r.reject = reason;
        r.message = std::move(message);
        return r;
    };
    if (!request.on_output) {
        return reject(RejectReason::invalid_request, "internal: the request has no output callback");
    }
    if (request.prompt_ids.empty()) {
        return reject(RejectReason::invalid_request, "the prompt is empty; send at least one token");
    }
    for (int32_t id : request.prompt_ids) {
        if (id < 0 || id >= info_.vocab_size) {
            return reject(RejectReason::invalid_request, "prompt token id " + std::to_string(id) +
                                                             " is outside the vocabulary (0.." +
                                                             std::to_string(info_.vocab_size - 1) + ")");
        }
    }
    if (Status st = request.sampling.validate(info_.vocab_size); !st.ok()) {
        return reject(RejectReason::invalid_request, st.message());
    }
    if (!request.sampling.stop.empty() && !config_.decode) {
        return reject(RejectReason::invalid_request, "stop strings need a tokenizer, and this server has none loaded");
    }
    const auto prompt = static_cast<int64_t>(request.prompt_ids.size());
    if (prompt >= context_length_) {
        return reject(RejectReason::context_too_long,
                      "the prompt has " + std::to_string(prompt) + " tokens, but the context length is " +
                          std::to_string(context_length_) + "; shorten the prompt");
    }
    if (prompt + request.sampling.max_new_tokens > context_length_) {
        return reject(RejectReason::context_too_long,
                      "this model's maximum context length is " + std::to_string(context_length_) +
                          " tokens, but " + std::to_string(prompt + request.sampling.max_new_tokens) +
                          " were requested (" + std::to_string(prompt) + " in the prompt, " +
                          std::to_string(request.sampling.max_new_tokens) +
                          " for the completion); lower max_tokens or shorten the prompt");
    }
    const int64_t pool_tokens = info_.num_pages * info_.page_size;
    if (prompt + 1 > pool_tokens) {
        return reject(RejectReason::context_too_long,
                      "the prompt has " + std::to_string(prompt) + " tokens, but the KV cache holds only " +
                          std::to_string(pool_tokens) + "; shorten the prompt or give the KV cache more memory "
                          "(--mem-fraction-static)");
    }
    return r;
}

SubmitResult Scheduler::submit(GenerateRequest request) {
    SubmitResult r = check(request);
    if (!r.ok()) {
        return r;
    }
    {
        std::lock_guard lock(mutex_);
        if (!accepting_.load()) {
            r.reject = RejectReason::not_accepting;
            r.message = "the server is shutting down and accepts no new requests";
            return r;
        }
        r.id = next_id_.fetch_add(1);
        incoming_.push_back({r.id, std::move(request), std::chrono::steady_clock::now()});
    }
    wake_.notify_one();
    return r;
}

void Scheduler::cancel(RequestId id) {
    {
        std::lock_guard lock(mutex_);
        cancels_.push_back(id);
    }
    wake_.notify_one();
}

void Scheduler::begin_shutdown() {
    std::lock_guard lock(mutex_);
    accepting_.store(false);
}

void Scheduler::shutdown(std::chrono::milliseconds grace) {
    std::lock_guard guard(shutdown_mutex_);
    if (joined_) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        accepting_.store(false);
        draining_ = true;
        drain_deadline_ = std::chrono::steady_clock::now() + grace;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
    detokenizer_.close();  // every output the loop produced reaches its request
    joined_ = true;
}

const char *finish_reason_name(FinishReason reason) {
    switch (reason) {
    case FinishReason::none: return "none";
    case FinishReason::stop: return "stop";
    case FinishReason::length: return "length";
    case FinishReason::abort: return "abort";
    }
    return "none";
}

} // namespace slipway::engine
