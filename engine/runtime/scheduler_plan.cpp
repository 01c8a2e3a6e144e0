// What the next step computes: which running requests get a query, which waiting requests are
// admitted, within the step's prefill token budget, under the mixed or alternating policy
// (SchedulerConfig::enable_mixed_chunk).
#include <algorithm>
#include <limits>
#include <string>

#include "runtime/scheduler.h"
#include "runtime/scheduler_loop.h"

namespace slipway::engine {

// Overlap: the token the launched step samples will end this request by length, so nothing more
// is planned for it (without overlap it would already be finished).
bool SchedulerLoop::predicted_done(const Sequence &seq) const {
    if (!seq.has_pending()) return false;
    return seq.num_output() + 1 >= seq.request.sampling.max_new_tokens ||
           seq.scheduled_len() >= owner_.context_length_;
}

bool SchedulerLoop::plan_step(Step &step) {
    step.planned.clear();
    step.batch.token_ids.clear();
    step.batch.seqs.clear();
    step.rows.clear();
    step.num_rows = 0;
    step.has_prefill = false;
    step.has_decode = false;

    const SchedulerConfig &cfg = owner_.config_;
    int64_t decodes = 0;
    bool prefill_running = false;
    for (const auto &seq : running_) {
        const int64_t remaining = seq->scheduled_len() - seq->kv_len;
        if (remaining == 1 && !predicted_done(*seq)) ++decodes;
        else if (remaining > 1) prefill_running = true;
    }
    // A retracted request whose last token is still being sampled waits for it (admission
    // keeps FIFO order, so nothing behind it is admitted either).
    const bool can_admit = !waiting_.empty() && static_cast<int32_t>(running_.size()) < owner_.max_running_ &&
                           !waiting_.front()->has_pending();
    const bool want_prefill = prefill_running || can_admit;

    // The step's prefill token budget: SGLang's chunked_prefill_size and max_prefill_tokens.
    int64_t budget = cfg.chunked_prefill_size > 0
                         ? std::min<int64_t>(cfg.chunked_prefill_size, cfg.max_prefill_tokens)
                         : cfg.max_prefill_tokens;
    bool prefill_started = false;  // without chunking, one over-budget prompt may still go alone

    if (cfg.enable_mixed_chunk) {
        // Every decoding request joins the step; their tokens come out of the budget (SGLang's
        // PrefillAdder), but a quarter of it stays for prompts so they never starve.
        budget = std::max(budget - decodes, std::max<int64_t>(1, budget / 4));
        plan_running(step, true, true, budget, prefill_started);
        if (can_admit) admit_waiting(step, budget, prefill_started);
        return !step.planned.empty();
    }

    // Alternating: a prefill step when prompts wait and the decode steps owed after the last
    // prefill step have run (or nothing decodes); otherwise a decode step. Whichever kind finds
    // nothing to do (no free pages for a prompt, every request mid-prompt) yields to the other.
    const bool prefill_turn = want_prefill && (decode_debt_ == 0 || decodes == 0);
    auto plan_prefill = [&] {
        plan_running(step, false, true, budget, prefill_started);
        if (!waiting_.empty() && static_cast<int32_t>(running_.size()) < owner_.max_running_ &&
            !waiting_.front()->has_pending())
            admit_waiting(step, budget, prefill_started);
    };
    if (prefill_turn) plan_prefill();
    if (step.planned.empty()) plan_running(step, true, false, budget, prefill_started);
    if (step.planned.empty() && !prefill_turn && want_prefill) plan_prefill();
    if (step.has_prefill) {
        decode_debt_ = cfg.num_continuous_decode_steps;
    } else if (step.has_decode) {
        decode_debt_ = std::max(0, decode_debt_ - 1);
    }
    return !step.planned.empty();
}

// Running requests, oldest first: the next decode token (`decodes`) or prompt chunk
// (`prefills`). A request that cannot get pages retracts the newest running ones.
void SchedulerLoop::plan_running(Step &step, bool decodes, bool prefills, int64_t &budget, bool &prefill_started) {
    const Scheduler &s = owner_;
    const bool chunking = s.config_.chunked_prefill_size > 0;
    const int64_t chunk_limit = chunking ? s.config_.chunked_prefill_size : std::numeric_limits<int64_t>::max();
    for (size_t i = 0; i < running_.size(); ++i) {
        Sequence &seq = *running_[i];
        const int64_t remaining = seq.scheduled_len() - seq.kv_len;
        if (remaining <= 0) continue;
        const bool prefill = remaining > 1;
        int64_t q = 1;
        if (prefill) {
            if (!prefills) continue;
            q = chunking ? std::max<int64_t>(0, std::min({remaining, chunk_limit, budget}))
                         : ((!prefill_started || remaining <= budget) ? remaining : 0);
            if (q <= 0) continue;
        } else if (!decodes || predicted_done(seq)) {
            continue;
        }
        bool placed = false;
        while (!(placed = grow(seq, seq.kv_len + q))) {
            Sequence &victim = *running_.back();
            if (&victim != &seq) {
                retract(victim);
                continue;
            }
            if (i == 0) {
                finish(seq, FinishReason::abort, make_output(seq),
                       "the KV cache is full: this request alone needs more than the " +
                           std::to_string(s.info_.num_pages * s.info_.page_size) +
                           " tokens it holds; give the KV cache more memory (--mem-fraction-static) or lower max_tokens");
                bury(std::move(running_.front()));
                running_.erase(running_.begin());
            } else {
                retract(seq);
            }
            break;
        }
        if (!placed) break;  // seq was the newest: nothing after it is left to plan
        if (prefill) {
            budget -= q;
            prefill_started = true;
        }
        add_to_step(step, seq, static_cast<int32_t>(q), prefill);
    }
}

// Waiting requests in FIFO order while they fit: max_running_requests, the budget, free pages
// (one page is kept per running request for its next decode token).
void SchedulerLoop::admit_waiting(Step &step, int64_t &budget, bool &prefill_started) {
    const Scheduler &s = owner_;
    const int32_t ps = s.info_.page_size;
    const bool chunking = s.config_.chunked_prefill_size > 0;
    const int64_t chunk_limit = chunking ? s.config_.chunked_prefill_size : std::numeric_limits<int64_t>::max();
    while (!waiting_.empty() && static_cast<int32_t>(running_.size()) < s.max_running_) {
        Sequence &seq = *waiting_.front();
        if (seq.has_pending()) break;
        const auto total = static_cast<int64_t>(seq.tokens.size());
        RadixCache::Match match;
        if (cache_) {
            // Leave at least one token to compute so the step yields logits.
            match = cache_->match_prefix(std::vector<int32_t>(seq.tokens.begin(), seq.tokens.end() - 1));
            cache_->lock(match.node);
        }
        const int64_t matched = match.matched_tokens;
        const int64_t remaining = total - matched;
        const int64_t q = chunking ? std::max<int64_t>(0, std::min({remaining, chunk_limit, budget}))
                                   : ((!prefill_started || remaining <= budget) ? remaining : 0);
        if (q <= 0) {
            if (cache_) cache_->unlock(match.node);
            break;  // this step's prefill budget is spent
        }
        const int64_t need = (matched + q + ps - 1) / ps - static_cast<int64_t>(match.pages.size());
        const auto reserve = static_cast<int64_t>(running_.size());
        if (!reserve_pages(need + reserve)) {
            if (cache_) cache_->unlock(match.node);
            if (running_.empty()) {
                std::unique_ptr<Sequence> owned = std::move(waiting_.front());
                waiting_.pop_front();
                finish(*owned, FinishReason::abort, make_output(*owned),
                       "the KV cache cannot hold this prompt; give it more memory (--mem-fraction-static)");
                bury(std::move(owned));
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
        owned->kv_done = matched;
        allocator_.allocate(need, owned->pages);
        if (!owned->admitted_once) {
            owned->admitted_once = true;
            owned->cached_tokens = static_cast<int32_t>(matched);
            admitted_prompt_tokens_ += static_cast<uint64_t>(owned->prompt_len);
            admitted_cached_tokens_ += static_cast<uint64_t>(matched);
        }
        budget -= q;
        prefill_started = true;
        Sequence &admitted = *owned;
        running_.push_back(std::move(owned));
        add_to_step(step, admitted, static_cast<int32_t>(q), true);
        if (matched + q < total) break;  // a chunked prompt: it continues next step
    }
}

// Appends the request's query to the step's batch and advances its KV length (the positions are
// now computed or being computed).
void SchedulerLoop::add_to_step(Step &step, Sequence &seq, int32_t query_len, bool prefill) {
    const bool sample = seq.kv_len + query_len == seq.scheduled_len();
    SequenceSlice slice;
    slice.query_start = static_cast<int32_t>(step.batch.token_ids.size());
    slice.query_len = query_len;
    slice.context_len = static_cast<int32_t>(seq.kv_len);
    slice.page_table = seq.pages;
    slice.need_logits = sample;
    if (seq.has_pending()) {
        // Decoding the token the launched step is sampling: the runner reads it there.
        step.batch.token_ids.push_back(pending_token(seq.pending_row));
    } else {
        step.batch.token_ids.insert(step.batch.token_ids.end(), seq.tokens.begin() + seq.kv_len,
                                    seq.tokens.begin() + seq.kv_len + query_len);
    }
    step.batch.seqs.push_back(std::move(slice));
    step.planned.push_back({&seq, query_len, prefill, sample, sample ? step.num_rows++ : -1, seq.epoch});
    seq.kv_len += query_len;
    ++seq.plans;
    (prefill ? step.has_prefill : step.has_decode) = true;
}

} // namespace slipway::engine
