#pragma once
// Internal: the state the scheduler loop thread owns (requests, pages, prefix cache) and one
// step of continuous batching. Not part of the public API; see scheduler.h for the contract.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "runtime/page_allocator.h"
#include "runtime/radix_cache.h"
#include "runtime/request.h"
#include "runtime/sampler.h"
#include "runtime/text_stream.h"

namespace slipway::engine {

class Scheduler;

struct Sequence {
    using Clock = std::chrono::steady_clock;

    Sequence(RequestId id, GenerateRequest request, Clock::time_point arrival, const DecodeFn *decode, uint64_t seed);

    RequestId id;
    GenerateRequest request;
    std::vector<int32_t> tokens;   // prompt, then generated tokens
    int32_t prompt_len = 0;
    std::vector<int32_t> pages;    // page table; this sequence holds one reference to each
    int64_t kv_len = 0;            // positions whose K/V are in `pages`
    RadixCache::Node *locked = nullptr;
    int32_t cached_tokens = 0;
    bool admitted_once = false;
    RequestRng rng;
    TextStream text;
    Clock::time_point arrival;
    Clock::time_point last_token_time{};
    bool has_first_token = false;
    bool finished = false;

    int32_t num_output() const { return static_cast<int32_t>(tokens.size()) - prompt_len; }
};

class SchedulerLoop final {
public:
    explicit SchedulerLoop(Scheduler &owner);
    ~SchedulerLoop();
    void run();

private:
    struct Planned {
        Sequence *seq;
        int32_t query_len;
    };

    bool take_inbox();  // false when the loop must exit
    void step();
    bool grow(Sequence &seq, int64_t new_len);  // pages for positions [0, new_len)
    bool reserve_pages(int64_t pages);          // frees pages by evicting the prefix cache
    void retract(Sequence &seq);
    void release_kv(Sequence &seq, bool cache_kv);
    void refresh_cache_lock(Sequence &seq);
    void finish(Sequence &seq, FinishReason reason, StepOutput out, const std::string &message = {},
                bool cache_kv = true);
    void remove_running(Sequence *seq);
    void abort_all(const std::string &message);
    void publish_metrics();
    StepOutput make_output(const Sequence &seq) const;

    Scheduler &owner_;
    PageAllocator allocator_;
    std::unique_ptr<RadixCache> cache_;
    std::deque<std::unique_ptr<Sequence>> waiting_;
    std::vector<std::unique_ptr<Sequence>> running_;  // admission order
    uint64_t seed_counter_;
    // metrics state
    uint64_t admitted_prompt_tokens_ = 0;
    uint64_t admitted_cached_tokens_ = 0;
    std::deque<std::pair<Sequence::Clock::time_point, int64_t>> recent_tokens_;
};

} // namespace slipway::engine
