#include "runtime/scheduler_loop.h"

#include <algorithm>
#include <random>

#include "runtime/scheduler.h"

namespace slipway::engine {
namespace {

double seconds(Sequence::Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

} // namespace

Sequence::Sequence(RequestId id_, GenerateRequest request_, Clock::time_point arrival_, const DecodeFn *decode,
                   uint64_t seed)
    : id(id_), request(std::move(request_)), tokens(std::move(request.prompt_ids)),
      prompt_len(static_cast<int32_t>(tokens.size())), rng(seed), arrival(arrival_) {
    request.prompt_ids = {};  // `tokens` holds them now
    const SamplingParams &sp = request.sampling;
    stream = std::make_shared<OutputStream>(std::move(request.on_output), decode, sp.stop);
    // A request with stop strings ends on its text: the loop has to decode it as it goes.
    stream->text_on_loop = !sp.stop.empty();
    penalized = sp.repetition_penalty != 1.0f || sp.frequency_penalty != 0.0f || sp.presence_penalty != 0.0f;
    wants_logprobs = sp.logprobs || sp.top_logprobs_num > 0;
}

SchedulerLoop::SchedulerLoop(Scheduler &owner)
    : owner_(owner), allocator_(owner.info_.num_pages), seed_counter_(std::random_device{}()) {
    if (!owner_.config_.disable_radix_cache) {
        cache_ = std::make_unique<RadixCache>(allocator_, owner_.info_.page_size);
    }
    owner_.metrics_.update([&](MetricsSnapshot &m) {
        m.max_total_num_tokens = owner_.info_.num_pages * owner_.info_.page_size;
        m.num_pages = owner_.info_.num_pages;
        m.num_free_pages = allocator_.num_free();
        m.page_size = owner_.info_.page_size;
    });
}

SchedulerLoop::~SchedulerLoop() {
    // Requests hold page references; drop them before the cache and allocator go.
    for (auto &seq : running_) release_kv(*seq, false);
    running_.clear();
    cache_.reset();
}

void SchedulerLoop::run() {
    while (take_inbox()) {
        step();
        flush_outputs();
    }
    if (inflight_) complete_inflight();  // a finished request's dropped step
    flush_outputs();
}

// Moves submitted requests and cancellations into the loop; waits while there is nothing to do.
// Returns false once draining is over.
bool SchedulerLoop::take_inbox() {
    std::deque<Scheduler::Incoming> incoming;
    std::vector<RequestId> cancels;
    bool past_deadline = false;
    {
        std::unique_lock lock(owner_.mutex_);
        auto has_work = [&] {
            return !owner_.incoming_.empty() || !owner_.cancels_.empty() || owner_.draining_ ||
                   !running_.empty() || !waiting_.empty() || inflight_.has_value();
        };
        if (!has_work()) {
            lock.unlock();
            flush_outputs();
            lock.lock();
        }
        owner_.wake_.wait(lock, has_work);
        incoming.swap(owner_.incoming_);
        cancels.swap(owner_.cancels_);
        past_deadline = owner_.draining_ && Sequence::Clock::now() >= owner_.drain_deadline_;
    }
    for (auto &in : incoming) {
        const uint64_t seed = in.request.sampling.seed.value_or(seed_counter_++ * 0x9E3779B97F4A7C15ull);
        const DecodeFn *decode = owner_.config_.decode ? &owner_.config_.decode : nullptr;
        auto seq = std::make_unique<Sequence>(in.id, std::move(in.request), in.arrival, decode, seed);
        if (seq->request.sampling.max_new_tokens == 0) {
            finish(*seq, FinishReason::length, make_output(*seq));
            continue;
        }
        waiting_.push_back(std::move(seq));
    }
    bool cancelled = false;
    for (RequestId id : cancels) {
        auto match = [id](const auto &s) { return s->id == id && !s->finished; };
        Sequence *seq = nullptr;
        if (auto w = std::find_if(waiting_.begin(), waiting_.end(), match); w != waiting_.end()) seq = w->get();
        else if (auto r = std::find_if(running_.begin(), running_.end(), match); r != running_.end()) seq = r->get();
        if (seq == nullptr) continue;
        finish(*seq, FinishReason::abort, make_output(*seq), "cancelled: the client went away");
        cancelled = true;
    }
    if (cancelled) sweep_finished();
    if (past_deadline) {
        abort_all("the server is shutting down; the request was stopped before it finished");
    }
    if (!outbox_.empty()) flush_outputs();
    bool done;
    {
        std::lock_guard lock(owner_.mutex_);
        done = owner_.draining_ && owner_.incoming_.empty() && running_.empty() && waiting_.empty();
    }
    return !done;
}

StepOutput SchedulerLoop::make_output(const Sequence &seq) const {
    StepOutput out;
    out.id = seq.id;
    out.usage.prompt_tokens = seq.prompt_len;
    out.usage.completion_tokens = seq.num_output();
    out.usage.cached_tokens = seq.cached_tokens;
    return out;
}

bool SchedulerLoop::reserve_pages(int64_t pages) {
    if (allocator_.num_free() >= pages) return true;
    if (cache_) cache_->evict(pages - allocator_.num_free());
    return allocator_.num_free() >= pages;
}

bool SchedulerLoop::grow(Sequence &seq, int64_t new_len) {
    const int32_t ps = owner_.info_.page_size;
    const int64_t need = (new_len + ps - 1) / ps - static_cast<int64_t>(seq.pages.size());
    if (need <= 0) return true;
    if (!reserve_pages(need)) return false;
    return allocator_.allocate(need, seq.pages);
}

// Only K/V whose steps have finished go into the prefix cache (a step still running could fail).
// Pages released while a launched step still writes them are safe to hand out again: steps run
// in launch order, so that step is done before any later step touches them.
void SchedulerLoop::release_kv(Sequence &seq, bool cache_kv) {
    if (cache_ && cache_kv && seq.kv_done > 0) {
        const std::vector<int32_t> computed(seq.tokens.begin(), seq.tokens.begin() + seq.kv_done);
        cache_->insert(computed, seq.pages);
    }
    if (cache_ && seq.locked != nullptr) cache_->unlock(seq.locked);
    seq.locked = nullptr;
    allocator_.release(seq.pages);
    seq.pages.clear();
    seq.kv_len = 0;
    seq.kv_done = 0;
}

// After a prefill chunk: put the computed prefix into the tree so later requests share it, and
// move this request's lock to the deepest node covering it.
void SchedulerLoop::refresh_cache_lock(Sequence &seq) {
    if (!cache_) return;
    const std::vector<int32_t> computed(seq.tokens.begin(), seq.tokens.begin() + seq.kv_done);
    cache_->insert(computed, seq.pages);
    RadixCache::Match m = cache_->match_prefix(computed);
    cache_->lock(m.node);
    if (seq.locked != nullptr) cache_->unlock(seq.locked);
    seq.locked = m.node;
}

void SchedulerLoop::retract(Sequence &seq) {
    release_kv(seq, true);
    ++seq.epoch;
    auto it = std::find_if(running_.begin(), running_.end(), [&seq](const auto &s) { return s.get() == &seq; });
    std::unique_ptr<Sequence> owned = std::move(*it);
    running_.erase(it);
    waiting_.push_front(std::move(owned));
}

void SchedulerLoop::bury(std::unique_ptr<Sequence> seq) {
    if (seq->plans > 0) graveyard_.push_back(std::move(seq));  // a step still names it
}

void SchedulerLoop::sweep_finished() {
    auto sweep = [this](auto &list) {
        auto keep = list.begin();
        for (auto it = list.begin(); it != list.end(); ++it) {
            if ((*it)->finished) {
                bury(std::move(*it));
            } else {
                if (keep != it) *keep = std::move(*it);
                ++keep;
            }
        }
        list.erase(keep, list.end());
    };
    sweep(running_);
    sweep(waiting_);
    std::erase_if(graveyard_, [](const auto &s) { return s->plans == 0; });
}

// Frees the request's pages (its computed KV goes to the prefix cache unless it came from a
// failed step), records metrics and queues the last output. sweep_finished() then drops it.
void SchedulerLoop::finish(Sequence &seq, FinishReason reason, StepOutput out, const std::string &message,
                           bool cache_kv, bool detokenize) {
    release_kv(seq, cache_kv);
    seq.finished = true;
    if (seq.stream->text_on_loop) out.text += seq.stream->text.flush();
    out.finished = true;
    out.finish_reason = reason;
    out.message = message;
    out.usage.completion_tokens = seq.num_output();
    out.usage.cached_tokens = seq.cached_tokens;
    PendingMetrics &m = pending_metrics_;
    m.prompt_tokens += static_cast<uint64_t>(seq.prompt_len);
    m.generation_tokens += static_cast<uint64_t>(seq.num_output());
    m.cached_tokens += static_cast<uint64_t>(seq.cached_tokens);
    m.requests += 1;
    if (reason == FinishReason::abort) m.aborted += 1;
    m.e2e.push_back(seconds(Clock::now() - seq.arrival));
    emit(seq, std::move(out), detokenize);
}

void SchedulerLoop::abort_all(const std::string &message) {
    for (auto &seq : running_) finish(*seq, FinishReason::abort, make_output(*seq), message);
    for (auto &seq : waiting_) finish(*seq, FinishReason::abort, make_output(*seq), message);
    sweep_finished();
}

void SchedulerLoop::emit(Sequence &seq, StepOutput out, bool detokenize) {
    outbox_.push_back({seq.stream, std::move(out), detokenize});
}

// Metrics first: a client that saw its last output also sees its pages freed.
void SchedulerLoop::flush_outputs() {
    publish_metrics();
    if (!outbox_.empty()) {
        owner_.detokenizer_.push(std::move(outbox_));
        outbox_.clear();
    }
}

void SchedulerLoop::publish_metrics() {
    const auto now = Clock::now();
    const double window = owner_.config_.throughput_window_seconds;
    while (!recent_tokens_.empty() && seconds(now - recent_tokens_.front().first) > window) {
        recent_sum_ -= recent_tokens_.front().second;
        recent_tokens_.pop_front();
    }
    const int64_t evictable = cache_ ? cache_->evictable_pages() : 0;
    const int32_t ps = owner_.info_.page_size;
    PendingMetrics pending = std::move(pending_metrics_);
    pending_metrics_ = {};
    owner_.metrics_.update([&](MetricsSnapshot &m) {
        m.num_running_reqs = static_cast<int64_t>(running_.size());
        m.num_queue_reqs = static_cast<int64_t>(waiting_.size());
        m.num_free_pages = allocator_.num_free();
        m.num_evictable_pages = evictable;
        m.num_used_tokens = (allocator_.num_pages() - allocator_.num_free() - evictable) * ps;
        m.token_usage = m.max_total_num_tokens > 0
                            ? static_cast<double>(m.num_used_tokens) / static_cast<double>(m.max_total_num_tokens)
                            : 0.0;
        m.gen_throughput = static_cast<double>(recent_sum_) / window;
        m.cache_hit_rate = admitted_prompt_tokens_ > 0 ? static_cast<double>(admitted_cached_tokens_) /
                                                             static_cast<double>(admitted_prompt_tokens_)
                                                       : 0.0;
        m.prompt_tokens_total += pending.prompt_tokens;
        m.generation_tokens_total += pending.generation_tokens;
        m.cached_tokens_total += pending.cached_tokens;
        m.num_requests_total += pending.requests;
        m.num_aborted_requests_total += pending.aborted;
        for (double v : pending.ttft) m.time_to_first_token_seconds.observe(v);
        for (double v : pending.itl) m.inter_token_latency_seconds.observe(v);
        for (double v : pending.e2e) m.e2e_request_latency_seconds.observe(v);
    });
}

} // namespace slipway::engine
