#include "runtime/scheduler_loop.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>

#include "runtime/device_sampling.h"
#include "runtime/scheduler.h"

namespace slipway::engine {
namespace {

int64_t pages_for(int64_t tokens, int32_t page_size) {
    return (tokens + page_size - 1) / page_size;
}

double seconds(Sequence::Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

} // namespace

Sequence::Sequence(RequestId id_, GenerateRequest request_, Clock::time_point arrival_, const DecodeFn *decode,
                   uint64_t seed)
    : id(id_), request(std::move(request_)), tokens(request.prompt_ids),
      prompt_len(static_cast<int32_t>(request.prompt_ids.size())), rng(seed),
      text(decode, request.sampling.stop), arrival(arrival_) {
    request.prompt_ids = {};  // `tokens` holds them now
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
        publish_metrics();
    }
    publish_metrics();
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
                   !running_.empty() || !waiting_.empty();
        };
        if (!has_work()) publish_metrics();
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
    for (RequestId id : cancels) {
        auto w = std::find_if(waiting_.begin(), waiting_.end(), [id](const auto &s) { return s->id == id; });
        if (w != waiting_.end()) {
            std::unique_ptr<Sequence> seq = std::move(*w);
            waiting_.erase(w);
            finish(*seq, FinishReason::abort, make_output(*seq), "cancelled: the client went away");
            continue;
        }
        auto r = std::find_if(running_.begin(), running_.end(), [id](const auto &s) { return s->id == id; });
        if (r != running_.end()) {
            finish(**r, FinishReason::abort, make_output(**r), "cancelled: the client went away");
            remove_running(r->get());
        }
    }
    if (past_deadline) {
        abort_all("the server is shutting down; the request was stopped before it finished");
    }
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
    const int64_t need = pages_for(new_len, owner_.info_.page_size) - static_cast<int64_t>(seq.pages.size());
    if (need <= 0) return true;
    if (!reserve_pages(need)) return false;
    return allocator_.allocate(need, seq.pages);
}

void SchedulerLoop::release_kv(Sequence &seq, bool cache_kv) {
    if (cache_ && cache_kv && seq.kv_len > 0) {
        const std::vector<int32_t> computed(seq.tokens.begin(), seq.tokens.begin() + seq.kv_len);
        cache_->insert(computed, seq.pages);
    }
    if (cache_ && seq.locked != nullptr) cache_->unlock(seq.locked);
    seq.locked = nullptr;
    allocator_.release(seq.pages);
    seq.pages.clear();
    seq.kv_len = 0;
}

// After a prefill chunk: put the computed prefix into the tree so later requests share it, and
// move this request's lock to the deepest node covering it.
void SchedulerLoop::refresh_cache_lock(Sequence &seq) {
    if (!cache_) return;
    const std::vector<int32_t> computed(seq.tokens.begin(), seq.tokens.begin() + seq.kv_len);
    cache_->insert(computed, seq.pages);
    RadixCache::Match m = cache_->match_prefix(computed);
    cache_->lock(m.node);
    if (seq.locked != nullptr) cache_->unlock(seq.locked);
    seq.locked = m.node;
}

void SchedulerLoop::retract(Sequence &seq) {
    release_kv(seq, true);
    auto it = std::find_if(running_.begin(), running_.end(), [&seq](const auto &s) { return s.get() == &seq; });
    std::unique_ptr<Sequence> owned = std::move(*it);
    running_.erase(it);
    waiting_.push_front(std::move(owned));
}

void SchedulerLoop::remove_running(Sequence *seq) {
    running_.erase(std::remove_if(running_.begin(), running_.end(), [seq](const auto &s) { return s.get() == seq; }),
                   running_.end());
}

// Frees the request's pages (its computed KV goes to the prefix cache unless it came from a
// failed step), records metrics and sends the last output. The caller removes it from its list.
void SchedulerLoop::finish(Sequence &seq, FinishReason reason, StepOutput out, const std::string &message,
                           bool cache_kv) {
    release_kv(seq, cache_kv);
    seq.finished = true;
    out.text += seq.text.flush();
    out.finished = true;
    out.finish_reason = reason;
    out.message = message;
    out.usage.completion_tokens = seq.num_output();
    out.usage.cached_tokens = seq.cached_tokens;
    const auto now = Sequence::Clock::now();
    owner_.metrics_.update([&](MetricsSnapshot &m) {
        m.prompt_tokens_total += static_cast<uint64_t>(seq.prompt_len);
        m.generation_tokens_total += static_cast<uint64_t>(seq.num_output());
        m.cached_tokens_total += static_cast<uint64_t>(seq.cached_tokens);
        m.num_requests_total += 1;
        if (reason == FinishReason::abort) m.num_aborted_requests_total += 1;
        m.e2e_request_latency_seconds.observe(seconds(now - seq.arrival));
    });
    publish_metrics();  // a client that saw its last output also sees its pages freed
    seq.request.on_output(std::move(out));
}

void SchedulerLoop::abort_all(const std::string &message) {
    for (auto &seq : running_) finish(*seq, FinishReason::abort, make_output(*seq), message);
    running_.clear();
    for (auto &seq : waiting_) finish(*seq, FinishReason::abort, make_output(*seq), message);
    waiting_.clear();
}

void SchedulerLoop::step() {
    const Scheduler &s = owner_;
    const int32_t ps = s.info_.page_size;
    const bool chunking = s.config_.chunked_prefill_size > 0;
    const int64_t chunk_limit = chunking ? s.config_.chunked_prefill_size : std::numeric_limits<int64_t>::max();
    int64_t budget = chunking ? std::min<int64_t>(s.config_.chunked_prefill_size, s.config_.max_prefill_tokens)
                              : s.config_.max_prefill_tokens;
    bool prefill_started = false;  // without chunking, one over-budget prompt may still go alone
    std::vector<Planned> plan;
    // Prompt tokens a request may compute this step (0: not this step).
    auto prefill_len = [&](int64_t remaining) -> int64_t {
        if (!chunking) return (!prefill_started || remaining <= budget) ? remaining : 0;
        return std::max<int64_t>(0, std::min({remaining, chunk_limit, budget}));
    };

    // 1. Running requests, oldest first: the next decode token or prompt chunk.
    for (size_t i = 0; i < running_.size(); ++i) {
        Sequence &seq = *running_[i];
        const int64_t remaining = static_cast<int64_t>(seq.tokens.size()) - seq.kv_len;
        int64_t q = 1;
        if (remaining > 1) {
            q = prefill_len(remaining);
            if (q <= 0) continue;
        }
        bool placed = false;
        while (!(placed = grow(seq, seq.kv_len + q))) {
            Sequence &victim = *running_.back();
            if (&victim != &seq) {
                retract(victim);
                continue;
            }
            if (i == 0) {
                StepOutput out = make_output(seq);
                finish(seq, FinishReason::abort, std::move(out),
                       "the KV cache is full: this request alone needs more than the " +
                           std::to_string(s.info_.num_pages * ps) +
                           " tokens it holds; give the KV cache more memory (--mem-fraction-static) or lower max_tokens");
                running_.erase(running_.begin());
            } else {
                retract(seq);
            }
            break;
        }
        if (!placed) {
            break;  // seq was the newest: nothing after it is left to plan
        }
        if (remaining > 1) {
            budget -= q;
            prefill_started = true;
        }
        plan.push_back({&seq, static_cast<int32_t>(q)});
    }

    // 2. Admit waiting requests in FIFO order while they fit.
    while (!waiting_.empty() && static_cast<int32_t>(running_.size()) < s.max_running_) {
        Sequence &seq = *waiting_.front();
        const auto total = static_cast<int64_t>(seq.tokens.size());
        RadixCache::Match match;
        if (cache_) {
            // Leave at least one token to compute so the step yields logits.
            match = cache_->match_prefix(std::vector<int32_t>(seq.tokens.begin(), seq.tokens.end() - 1));
            cache_->lock(match.node);
        }
        const int64_t matched = match.matched_tokens;
        const int64_t q = prefill_len(total - matched);
        if (q <= 0) {
            if (cache_) cache_->unlock(match.node);
            break;  // this step's prefill budget is spent
        }
        const int64_t need = pages_for(matched + q, ps) - static_cast<int64_t>(match.pages.size());
        // Keep one page per running request for its next decode step.
        const int64_t reserve = static_cast<int64_t>(running_.size());
        if (!reserve_pages(need + reserve)) {
            if (cache_) cache_->unlock(match.node);
            if (running_.empty()) {
                std::unique_ptr<Sequence> owned = std::move(waiting_.front());
                waiting_.pop_front();
                finish(*owned, FinishReason::abort, make_output(*owned),
                       "the KV cache cannot hold this prompt; give it more memory (--mem-fraction-static)");
                continue;
            }
            break;  // wait for running requests to free pages; keep FIFO order
        }
        std::unique_ptr<Sequence> owned = std::move(waiting_.front());
        waiting_.pop_front();
        owned->locked = cache_ ? match.node : nullptr;
        for (int32_t page : match.pages) allocator_.retain(page);
        owned->pages = match.pages;
        owned->kv_len = matched;
        allocator_.allocate(need, owned->pages);
        if (!owned->admitted_once) {
            owned->admitted_once = true;
            owned->cached_tokens = static_cast<int32_t>(matched);
            admitted_prompt_tokens_ += static_cast<uint64_t>(owned->prompt_len);
            admitted_cached_tokens_ += static_cast<uint64_t>(matched);
        }
        budget -= q;
        prefill_started = true;
        plan.push_back({owned.get(), static_cast<int32_t>(q)});
        running_.push_back(std::move(owned));
        if (matched + q < total) break;  // a chunked prompt: it continues next step
    }

    if (plan.empty()) return;

    // 3. One forward over the whole batch.
    ForwardBatch batch;
    for (const Planned &p : plan) {
        SequenceSlice slice;
        slice.query_start = static_cast<int32_t>(batch.token_ids.size());
        slice.query_len = p.query_len;
        slice.context_len = static_cast<int32_t>(p.seq->kv_len);
        slice.page_table = p.seq->pages;
        slice.need_logits = p.seq->kv_len + p.query_len == static_cast<int64_t>(p.seq->tokens.size());
        batch.token_ids.insert(batch.token_ids.end(), p.seq->tokens.begin() + p.seq->kv_len,
                               p.seq->tokens.begin() + p.seq->kv_len + p.query_len);
        batch.seqs.push_back(std::move(slice));
    }
    // Sampling on the device when the runner can and nobody wants logprobs (they need the
    // logits here): the rows' parameters, penalty ids and uniform draws go down, ids come back.
    auto *device_sampler = dynamic_cast<DeviceSampler *>(&owner_.runner_);
    std::vector<int32_t> device_tokens;
    if (device_sampler != nullptr) {
        for (size_t b = 0; b < plan.size() && device_sampler != nullptr; ++b) {
            const SamplingParams &sp = plan[b].seq->request.sampling;
            if (batch.seqs[b].need_logits && (sp.logprobs || sp.top_logprobs_num > 0)) device_sampler = nullptr;
        }
    }
    std::vector<float> logits;
    Status forward_status;
    if (device_sampler != nullptr) {
        std::vector<DeviceSampling> rows;
        for (size_t b = 0; b < plan.size(); ++b) {
            if (!batch.seqs[b].need_logits) continue;
            Sequence &seq = *plan[b].seq;
            const SamplingParams &sp = seq.request.sampling;
            DeviceSampling d;
            d.temperature = sp.greedy() ? 0.0f : sp.temperature;
            d.top_k = sp.top_k;
            d.top_p = sp.top_p;
            d.min_p = sp.min_p;
            d.repetition_penalty = sp.repetition_penalty;
            d.frequency_penalty = sp.frequency_penalty;
            d.presence_penalty = sp.presence_penalty;
            // The CPU sampler draws once per sampled (non-greedy) token: the same stream here.
            if (!sp.greedy()) d.uniform = seq.rng.uniform();
            if (sp.repetition_penalty != 1.0f || sp.frequency_penalty != 0.0f || sp.presence_penalty != 0.0f) {
                std::vector<int32_t> ids(seq.tokens.begin(), seq.tokens.end());
                std::sort(ids.begin(), ids.end());
                ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
                std::vector<int32_t> counts(ids.size(), 0);
                for (size_t t = static_cast<size_t>(seq.prompt_len); t < seq.tokens.size(); ++t) {
                    const auto it = std::lower_bound(ids.begin(), ids.end(), seq.tokens[t]);
                    ++counts[static_cast<size_t>(it - ids.begin())];
                }
                d.penalty_ids = std::move(ids);
                d.penalty_counts = std::move(counts);
            }
            if (seq.num_output() < sp.min_new_tokens) {
                d.masked_ids = sp.stop_token_ids;
                if (!sp.ignore_eos)
                    d.masked_ids.insert(d.masked_ids.end(), s.config_.eos_token_ids.begin(), s.config_.eos_token_ids.end());
            }
            rows.push_back(std::move(d));
        }
        forward_status = device_sampler->forward_sample(batch, rows, device_tokens);
        if (forward_status.ok() && device_tokens.size() != rows.size())
            forward_status = Status::error("the runner sampled " + std::to_string(device_tokens.size()) +
                                           " tokens for " + std::to_string(rows.size()) + " sequences");
    } else {
        forward_status = owner_.runner_.forward(batch, logits);
    }
    if (Status st = forward_status; !st.ok()) {
        std::fprintf(stderr, "slipway-engine: forward failed: %s\n", st.message().c_str());
        for (const Planned &p : plan) {
            finish(*p.seq, FinishReason::abort, make_output(*p.seq), "backend error: " + st.message(), false);
            remove_running(p.seq);
        }
        return;
    }

    // 4. Sample and stream.
    const auto vocab = static_cast<size_t>(s.info_.vocab_size);
    size_t row = 0;
    const auto now = Sequence::Clock::now();
    int64_t generated = 0;
    std::vector<Sequence *> finished;
    for (size_t b = 0; b < plan.size(); ++b) {
        Sequence &seq = *plan[b].seq;
        const bool prefill = plan[b].query_len > 1 || !batch.seqs[b].need_logits;
        seq.kv_len += plan[b].query_len;
        if (prefill) refresh_cache_lock(seq);
        if (!batch.seqs[b].need_logits) continue;
        const SamplingParams &sp = seq.request.sampling;
        SampleResult sampled;
        if (device_sampler != nullptr) {
            sampled.token_id = device_tokens[row];
        } else {
            std::span<float> row_logits(logits.data() + row * vocab, vocab);
            std::vector<int32_t> masked;
            if (seq.num_output() < sp.min_new_tokens) {
                masked = sp.stop_token_ids;
                if (!sp.ignore_eos) masked.insert(masked.end(), s.config_.eos_token_ids.begin(), s.config_.eos_token_ids.end());
            }
            const std::span<const int32_t> prompt(seq.tokens.data(), static_cast<size_t>(seq.prompt_len));
            const std::span<const int32_t> output(seq.tokens.data() + seq.prompt_len, static_cast<size_t>(seq.num_output()));
            sampled = sample_token(row_logits, sp, prompt, output, masked, seq.rng);
        }
        ++row;
        const int32_t token = sampled.token_id;
        seq.tokens.push_back(token);
        ++generated;

        StepOutput out = make_output(seq);
        out.token_ids.push_back(token);
        if (sp.logprobs || sp.top_logprobs_num > 0) out.logprobs.push_back(std::move(sampled.logprob));
        FinishReason reason = FinishReason::none;
        const bool is_stop_token =
            std::find(sp.stop_token_ids.begin(), sp.stop_token_ids.end(), token) != sp.stop_token_ids.end() ||
            (!sp.ignore_eos && std::find(s.config_.eos_token_ids.begin(), s.config_.eos_token_ids.end(), token) !=
                                   s.config_.eos_token_ids.end());
        if (is_stop_token) {
            reason = FinishReason::stop;
            out.matched_stop_token = token;
        } else {
            out.text = seq.text.push(token);
            if (seq.text.stopped()) {
                reason = FinishReason::stop;
                out.matched_stop_string = seq.text.matched_stop();
            } else if (seq.num_output() >= sp.max_new_tokens ||
                       static_cast<int64_t>(seq.tokens.size()) >= s.context_length_) {
                reason = FinishReason::length;
            }
        }
        owner_.metrics_.update([&](MetricsSnapshot &m) {
            if (!seq.has_first_token) {
                m.time_to_first_token_seconds.observe(seconds(now - seq.arrival));
            } else {
                m.inter_token_latency_seconds.observe(seconds(now - seq.last_token_time));
            }
        });
        seq.has_first_token = true;
        seq.last_token_time = now;
        if (reason != FinishReason::none) {
            finish(seq, reason, std::move(out));
            finished.push_back(&seq);
        } else {
            seq.request.on_output(std::move(out));
        }
    }
    for (Sequence *seq : finished) remove_running(seq);
    recent_tokens_.emplace_back(now, generated);
}

void SchedulerLoop::publish_metrics() {
    const auto now = Sequence::Clock::now();
    const double window = owner_.config_.throughput_window_seconds;
    while (!recent_tokens_.empty() && seconds(now - recent_tokens_.front().first) > window) recent_tokens_.pop_front();
    int64_t tokens = 0;
    for (const auto &[t, n] : recent_tokens_) tokens += n;
    const int64_t evictable = cache_ ? cache_->evictable_pages() : 0;
    const int32_t ps = owner_.info_.page_size;
    owner_.metrics_.update([&](MetricsSnapshot &m) {
        auto live = [](const auto &list) {
            return static_cast<int64_t>(std::count_if(list.begin(), list.end(), [](const auto &q) { return !q->finished; }));
        };
        m.num_running_reqs = live(running_);
        m.num_queue_reqs = live(waiting_);
        m.num_free_pages = allocator_.num_free();
        m.num_evictable_pages = evictable;
        m.num_used_tokens = (allocator_.num_pages() - allocator_.num_free() - evictable) * ps;
        m.token_usage = m.max_total_num_tokens > 0
                            ? static_cast<double>(m.num_used_tokens) / static_cast<double>(m.max_total_num_tokens)
                            : 0.0;
        m.gen_throughput = static_cast<double>(tokens) / window;
        m.cache_hit_rate = admitted_prompt_tokens_ > 0 ? static_cast<double>(admitted_cached_tokens_) /
                                                             static_cast<double>(admitted_prompt_tokens_)
                                                       : 0.0;
    });
}

} // namespace slipway::engine
