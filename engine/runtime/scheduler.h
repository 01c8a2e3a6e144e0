#pragma once
// The scheduler: one loop thread owns the ModelRunner, the KV page allocator and the prefix
// cache, and forms every batch (continuous batching). Other threads submit() and cancel().
//
// Each step: take new requests and cancellations from the inbox; choose the step's kind (see
// SchedulerConfig::enable_mixed_chunk: prefill steps and decode steps alternate, or every step
// mixes both); give the running requests their next query (a decode token, or the next chunk of
// a prompt) and admit waiting requests in FIFO order while there is room (max_running_requests,
// the step's prefill token budget, free KV pages); run one forward; sample; hand the token ids
// to the output thread (runtime/detokenizer.h), which detokenizes and calls the requests back.
// With overlap scheduling the forward of step n runs while the loop processes step n-1 and
// plans step n+1 (SchedulerConfig::overlap_schedule).
//
// Out of KV pages (SGLang-like):
//   1. unlocked prefix-cache leaves are evicted, least recently used first;
//   2. no new request is admitted until its prompt chunk fits (admission keeps FIFO order: a
//      request that does not fit blocks the ones behind it);
//   3. a running request that cannot get a page for its next token is retracted: the most
//      recently admitted running request gives back its pages (its computed prefix goes into
//      the prefix cache) and returns to the front of the waiting queue, keeping its generated
//      tokens, RNG state and stream; it is recomputed when admitted again and its client sees
//      no difference except time. A request that cannot grow while it runs alone is finished
//      with FinishReason::abort and a message (the pool is smaller than its context).
//
// Thread-safety: submit, cancel, metrics, begin_shutdown, shutdown are safe from any thread.
// Output callbacks run on the scheduler's output thread, one at a time, in step order.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/detokenizer.h"
#include "runtime/device_sampling.h"
#include "runtime/host_sampling_runner.h"
#include "runtime/metrics.h"
#include "runtime/request.h"
#include "runtime/scheduler_config.h"
#include "slipway/engine/model_runner.h"
#include "slipway/engine/status.h"

namespace slipway::engine {

class SchedulerLoop;  // the loop's state (scheduler_loop.h); lives on the loop thread

class Scheduler final {
public:
    // Validates the config against runner.info() and starts the loop thread. The runner must
    // outlive the Scheduler and must not be used by anyone else meanwhile.
    static StatusOr<std::unique_ptr<Scheduler>> create(ModelRunner &runner, SchedulerConfig config);
    ~Scheduler();  // shutdown(0): aborts whatever still runs
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    // Checks the request (sampling params, prompt non-empty, ids < vocab, prompt + max_new_tokens
    // within the context length, prompt fits the KV pool) and queues it. On success outputs
    // arrive through request.on_output, the last with finished = true.
    SubmitResult submit(GenerateRequest request);
    // The same checks without queueing.
    SubmitResult check(const GenerateRequest &request) const;

    // Aborts a request (client gone): its pages are released by the loop before its next step,
    // then it receives a final output with FinishReason::abort. Unknown or finished ids are
    // ignored. Returns at once.
    void cancel(RequestId id);

    // Stops accepting (submit -> not_accepting); requests in flight keep running.
    void begin_shutdown();
    // begin_shutdown(), lets in-flight and queued requests finish for up to `grace`, aborts the
    // rest ("server shutting down"), stops the loop and joins it. Idempotent.
    void shutdown(std::chrono::milliseconds grace);

    bool accepting() const { return accepting_.load(); }
    MetricsSnapshot metrics() const { return metrics_.snapshot(); }
    const RunnerInfo &runner_info() const { return info_; }
    int64_t context_length() const { return context_length_; }
    int32_t max_running_requests() const { return max_running_; }
    const SchedulerConfig &config() const { return config_; }
    // Whether steps overlap with host work (SchedulerConfig::overlap_schedule: the runner's own
    // AsyncSampler, or a HostSamplingRunner around it).
    bool overlap() const { return overlap_; }

private:
    friend class SchedulerLoop;
    Scheduler(ModelRunner &runner, SchedulerConfig config, RunnerInfo info);
    void run_loop();

    // What the loop drives: the caller's runner, or host_runner_ wrapping it (overlap on a runner
    // that cannot launch asynchronously). sampler_ is runner_'s DeviceSampler, or null.
    ModelRunner *runner_ = nullptr;
    DeviceSampler *sampler_ = nullptr;
    AsyncSampler *async_ = nullptr;  // runner_'s AsyncSampler when overlap is on
    std::unique_ptr<HostSamplingRunner> host_runner_;
    bool overlap_ = false;
    Detokenizer detokenizer_;
    SchedulerConfig config_;
    RunnerInfo info_;
    int64_t context_length_ = 0;
    int32_t max_running_ = 1;
    Metrics metrics_;

    // Inbox, guarded by mutex_.
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    struct Incoming {
        RequestId id;
        GenerateRequest request;
        std::chrono::steady_clock::time_point arrival;
    };
    std::deque<Incoming> incoming_;
    std::vector<RequestId> cancels_;
    std::chrono::steady_clock::time_point drain_deadline_{};
    bool draining_ = false;

    std::atomic<bool> accepting_{true};
    std::atomic<RequestId> next_id_{1};
    std::thread thread_;
    bool joined_ = false;
    std::mutex shutdown_mutex_;
};

} // namespace slipway::engine
