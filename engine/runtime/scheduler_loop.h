#pragma once
// Internal: the state the scheduler loop thread owns (requests, pages, prefix cache) and one
// step of continuous batching. Not part of the public API; see scheduler.h for the contract.
//
// Files: scheduler_loop.cpp (the loop, inbox, finishing, KV bookkeeping, metrics, outputs),
// scheduler_plan.cpp (what the next step computes: the prefill budget and the mixed /
// alternating policy), scheduler_step.cpp (running a planned step, synchronously or overlapped,
// and taking its tokens).
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/detokenizer.h"
#include "runtime/device_sampling.h"
#include "runtime/page_allocator.h"
#include "runtime/radix_cache.h"
#include "runtime/request.h"
#include "runtime/sampler.h"

namespace slipway::engine {

class Scheduler;

struct Sequence {
    using Clock = std::chrono::steady_clock;

    Sequence(RequestId id, GenerateRequest request, Clock::time_point arrival, const DecodeFn *decode, uint64_t seed);

    RequestId id;
    GenerateRequest request;       // prompt_ids moved into `tokens`; on_output moved into `stream`
    std::vector<int32_t> tokens;   // prompt, then generated tokens known on the host
    int32_t prompt_len = 0;
    std::vector<int32_t> pages;    // page table; this sequence holds one reference to each
    int64_t kv_len = 0;            // positions whose K/V are computed or in a launched step
    int64_t kv_done = 0;           // positions whose K/V steps have finished (<= kv_len)
    RadixCache::Node *locked = nullptr;
    int32_t cached_tokens = 0;
    bool admitted_once = false;
    RequestRng rng;
    std::shared_ptr<OutputStream> stream;
    bool penalized = false;        // repetition / frequency / presence penalty set
    bool wants_logprobs = false;
    Clock::time_point arrival;
    Clock::time_point last_token_time{};
    bool has_first_token = false;
    bool finished = false;
    // Overlap: >= 0 while its next token is sampled by the launched step, as that step's row
    // `pending_row`; the token is not in `tokens` yet.
    int32_t pending_row = -1;
    int32_t plans = 0;             // planned or launched steps that name it, not yet processed
    uint32_t epoch = 0;            // bumped when retracted: older steps no longer own its KV

    int32_t num_output() const { return static_cast<int32_t>(tokens.size()) - prompt_len; }
    bool has_pending() const { return pending_row >= 0; }
    // Tokens including the one a launched step is sampling.
    int64_t scheduled_len() const { return static_cast<int64_t>(tokens.size()) + (has_pending() ? 1 : 0); }
};

class SchedulerLoop final {
public:
    explicit SchedulerLoop(Scheduler &owner);
    ~SchedulerLoop();
    void run();

private:
    using Clock = Sequence::Clock;

    struct Planned {
        Sequence *seq;
        int32_t query_len;
        bool prefill;       // a prompt chunk (or a recomputation), not a decode token
        bool sample;        // its last query token's logits make the next token
        int32_t row;        // index among the step's sampled sequences, or -1
        uint32_t epoch;     // seq->epoch when planned
    };
    // One step: what it computes and the batch given to the runner (buffers reused).
    struct Step {
        std::vector<Planned> planned;
        ForwardBatch batch;
        std::vector<DeviceSampling> rows;
        int32_t num_rows = 0;
        bool has_prefill = false;
        bool has_decode = false;
    };
    // A step launched asynchronously and not yet processed.
    struct InFlight {
        StepTicket ticket = 0;
        Step step;
    };

    // scheduler_loop.cpp
    bool take_inbox();  // false when the loop must exit
    bool grow(Sequence &seq, int64_t new_len);  // pages for positions [0, new_len)
    bool reserve_pages(int64_t pages);          // frees pages by evicting the prefix cache
    void retract(Sequence &seq);
    void release_kv(Sequence &seq, bool cache_kv);
    void refresh_cache_lock(Sequence &seq);
    void finish(Sequence &seq, FinishReason reason, StepOutput out, const std::string &message = {},
                bool cache_kv = true, bool detokenize = false);
    void sweep_finished();  // drops finished sequences from running_ / waiting_
    void bury(std::unique_ptr<Sequence> seq);
    void abort_all(const std::string &message);
    void emit(Sequence &seq, StepOutput out, bool detokenize);
    void flush_outputs();  // publishes metrics, then hands the outputs to the output thread
    void publish_metrics();
    StepOutput make_output(const Sequence &seq) const;

    // scheduler_plan.cpp
    bool plan_step(Step &step);
    void plan_running(Step &step, bool decodes, bool prefills, int64_t &budget, bool &prefill_started);
    void admit_waiting(Step &step, int64_t &budget, bool &prefill_started);
    bool predicted_done(const Sequence &seq) const;
    void add_to_step(Step &step, Sequence &seq, int32_t query_len, bool prefill);

    // scheduler_step.cpp
    void step();
    void build_rows(Step &step);
    void run_sync(Step &step, bool host_sampling);
    void complete_inflight();
    void process(Step &step, const std::vector<int32_t> *tokens, std::vector<float> *logits);
    void accept_token(Sequence &seq, int32_t token, SampleResult *host_sample, Clock::time_point now);
    void fail_step(Step &step, const Status &status);

    Scheduler &owner_;
    PageAllocator allocator_;
    std::unique_ptr<RadixCache> cache_;
    std::deque<std::unique_ptr<Sequence>> waiting_;
    std::vector<std::unique_ptr<Sequence>> running_;  // admission order
    std::vector<std::unique_ptr<Sequence>> graveyard_;  // finished, still named by a step
    uint64_t seed_counter_;
    int32_t decode_debt_ = 0;  // decode steps owed before the next prefill step (alternating policy)
    Step next_;                // the step being planned
    Step spare_;               // a processed step's buffers, for reuse
    std::optional<InFlight> inflight_;
    std::vector<OutputItem> outbox_;
    std::vector<int32_t> tokens_buffer_;
    std::vector<float> logits_buffer_;
    // metrics state
    uint64_t admitted_prompt_tokens_ = 0;
    uint64_t admitted_cached_tokens_ = 0;
    std::deque<std::pair<Clock::time_point, int64_t>> recent_tokens_;
    int64_t recent_sum_ = 0;
    struct PendingMetrics {
        std::vector<double> ttft, itl, e2e;
        uint64_t prompt_tokens = 0, generation_tokens = 0, cached_tokens = 0, requests = 0, aborted = 0;
    } pending_metrics_;
};

} // namespace slipway::engine
