// Running a planned step and taking its tokens: synchronously (forward + host sampling, or the
// runner's forward_sample), or overlapped (launch step n+1, then process step n while it runs).
#include <algorithm>
#include <cstdio>
#include <span>
#include <string>

#include "runtime/scheduler.h"
#include "runtime/scheduler_loop.h"

namespace slipway::engine {
namespace {

double seconds(Sequence::Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

// EOS and stop tokens are forbidden while the request is below min_new_tokens.
void masked_ids(const SamplingParams &sp, const std::vector<int32_t> &eos, int32_t outputs_so_far,
                std::vector<int32_t> &out) {
    out.clear();
    if (outputs_so_far >= sp.min_new_tokens) return;
    out = sp.stop_token_ids;
    if (!sp.ignore_eos) out.insert(out.end(), eos.begin(), eos.end());
}

} // namespace

void SchedulerLoop::step() {
    Step &step = next_;
    if (!plan_step(step)) {
        if (inflight_) complete_inflight();
        sweep_finished();
        return;
    }
    // Logprobs need the logits here; penalties need every earlier token of the request.
    bool host_sampling = owner_.sampler_ == nullptr;
    bool needs_known_tokens = false;
    for (const Planned &p : step.planned) {
        if (!p.sample) continue;
        host_sampling = host_sampling || p.seq->wants_logprobs;
        needs_known_tokens = needs_known_tokens || (p.seq->penalized && p.seq->has_pending());
    }
    if (inflight_ && (host_sampling || needs_known_tokens || !owner_.overlap_)) {
        complete_inflight();
        // The tokens the placeholders named are known now (a request that finished meanwhile
        // keeps a dropped row; any valid id does for it).
        for (size_t i = 0; i < step.planned.size(); ++i) {
            int32_t &id = step.batch.token_ids[static_cast<size_t>(step.batch.seqs[i].query_start)];
            if (is_pending_token(id)) id = step.planned[i].seq->tokens.back();
        }
    }
    if (host_sampling) {
        run_sync(step, true);
        return;
    }
    build_rows(step);
    if (!owner_.overlap_) {
        run_sync(step, false);
        return;
    }
    StatusOr<StepTicket> ticket = owner_.async_->launch_sample(step.batch, step.rows);
    if (!ticket.ok()) {
        if (inflight_) complete_inflight();
        fail_step(step, ticket.status());
        sweep_finished();
        return;
    }
    InFlight launched{ticket.value(), std::move(step)};
    // Step n+1 is queued behind step n on the device: now take step n's tokens.
    if (inflight_) complete_inflight();
    for (const Planned &p : launched.step.planned) {
        if (p.sample && !p.seq->finished) p.seq->pending_row = p.row;
    }
    inflight_ = std::move(launched);
    next_ = std::move(spare_);
    sweep_finished();
}

// One DeviceSampling row per sampled request, in row order: its parameters, its next uniform
// draw (the host sampler draws once per sampled non-greedy token: the same stream), penalty
// counts and masked ids.
void SchedulerLoop::build_rows(Step &step) {
    const std::vector<int32_t> &eos = owner_.config_.eos_token_ids;
    step.rows.resize(static_cast<size_t>(step.num_rows));
    for (const Planned &p : step.planned) {
        if (!p.sample) continue;
        Sequence &seq = *p.seq;
        const SamplingParams &sp = seq.request.sampling;
        DeviceSampling &d = step.rows[static_cast<size_t>(p.row)];
        d.temperature = sp.greedy() ? 0.0f : sp.temperature;
        d.top_k = sp.top_k;
        d.top_p = sp.top_p;
        d.min_p = sp.min_p;
        d.repetition_penalty = sp.repetition_penalty;
        d.frequency_penalty = sp.frequency_penalty;
        d.presence_penalty = sp.presence_penalty;
        d.uniform = sp.greedy() ? 0.0 : seq.rng.uniform();
        d.penalty_ids.clear();
        d.penalty_counts.clear();
        if (seq.penalized) {
            std::vector<int32_t> &ids = d.penalty_ids;
            ids.assign(seq.tokens.begin(), seq.tokens.end());
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            d.penalty_counts.assign(ids.size(), 0);
            for (size_t t = static_cast<size_t>(seq.prompt_len); t < seq.tokens.size(); ++t) {
                const auto it = std::lower_bound(ids.begin(), ids.end(), seq.tokens[t]);
                ++d.penalty_counts[static_cast<size_t>(it - ids.begin())];
            }
        }
        masked_ids(sp, eos, seq.num_output() + (seq.has_pending() ? 1 : 0), d.masked_ids);
    }
}

void SchedulerLoop::run_sync(Step &step, bool host_sampling) {
    Status st;
    if (host_sampling) {
        st = owner_.runner_->forward(step.batch, logits_buffer_);
        const size_t want = static_cast<size_t>(step.num_rows) * static_cast<size_t>(owner_.info_.vocab_size);
        if (st.ok() && logits_buffer_.size() != want)
            st = Status::error("the runner returned " + std::to_string(logits_buffer_.size()) + " logits for " +
                               std::to_string(step.num_rows) + " rows");
        if (st.ok()) process(step, nullptr, &logits_buffer_);
    } else {
        st = owner_.sampler_->forward_sample(step.batch, step.rows, tokens_buffer_);
        if (st.ok() && tokens_buffer_.size() != static_cast<size_t>(step.num_rows))
            st = Status::error("the runner sampled " + std::to_string(tokens_buffer_.size()) + " tokens for " +
                               std::to_string(step.num_rows) + " sequences");
        if (st.ok()) process(step, &tokens_buffer_, nullptr);
    }
    if (!st.ok()) fail_step(step, st);
    sweep_finished();
}

void SchedulerLoop::complete_inflight() {
    InFlight done = std::move(*inflight_);
    inflight_.reset();
    Status st = owner_.async_->wait_sample(done.ticket, tokens_buffer_);
    if (st.ok() && tokens_buffer_.size() != static_cast<size_t>(done.step.num_rows))
        st = Status::error("the runner sampled " + std::to_string(tokens_buffer_.size()) + " tokens for " +
                           std::to_string(done.step.num_rows) + " sequences");
    if (st.ok()) {
        process(done.step, &tokens_buffer_, nullptr);
    } else {
        fail_step(done.step, st);
    }
    spare_ = std::move(done.step);
}

// A finished step: its KV counts as computed (for the prefix cache), its tokens go to their
// requests. Rows of requests that finished meanwhile are dropped.
void SchedulerLoop::process(Step &step, const std::vector<int32_t> *tokens, std::vector<float> *logits) {
    const auto now = Clock::now();
    const auto vocab = static_cast<size_t>(owner_.info_.vocab_size);
    int64_t generated = 0;
    std::vector<int32_t> masked;
    for (const Planned &p : step.planned) {
        Sequence &seq = *p.seq;
        --seq.plans;
        if (seq.finished) continue;
        if (p.epoch == seq.epoch) {
            seq.kv_done += p.query_len;
            if (p.prefill) refresh_cache_lock(seq);
        }
        if (!p.sample) continue;
        seq.pending_row = -1;
        if (tokens != nullptr) {
            accept_token(seq, (*tokens)[static_cast<size_t>(p.row)], nullptr, now);
        } else {
            const SamplingParams &sp = seq.request.sampling;
            std::span<float> row(logits->data() + static_cast<size_t>(p.row) * vocab, vocab);
            masked_ids(sp, owner_.config_.eos_token_ids, seq.num_output(), masked);
            const std::span<const int32_t> prompt(seq.tokens.data(), static_cast<size_t>(seq.prompt_len));
            const std::span<const int32_t> output(seq.tokens.data() + seq.prompt_len,
                                                  static_cast<size_t>(seq.num_output()));
            SampleResult sampled = sample_token(row, sp, prompt, output, masked, seq.rng);
            accept_token(seq, sampled.token_id, &sampled, now);
        }
        ++generated;
    }
    recent_tokens_.emplace_back(now, generated);
    recent_sum_ += generated;
}

void SchedulerLoop::accept_token(Sequence &seq, int32_t token, SampleResult *host_sample, Clock::time_point now) {
    const SamplingParams &sp = seq.request.sampling;
    const std::vector<int32_t> &eos = owner_.config_.eos_token_ids;
    seq.tokens.push_back(token);
    if (!seq.has_first_token) {
        pending_metrics_.ttft.push_back(seconds(now - seq.arrival));
    } else {
        pending_metrics_.itl.push_back(seconds(now - seq.last_token_time));
    }
    seq.has_first_token = true;
    seq.last_token_time = now;

    StepOutput out = make_output(seq);
    out.token_ids.push_back(token);
    if (host_sample != nullptr && seq.wants_logprobs) out.logprobs.push_back(std::move(host_sample->logprob));
    FinishReason reason = FinishReason::none;
    bool detokenize = false;
    const bool is_stop_token = std::find(sp.stop_token_ids.begin(), sp.stop_token_ids.end(), token) !=
                                   sp.stop_token_ids.end() ||
                               (!sp.ignore_eos && std::find(eos.begin(), eos.end(), token) != eos.end());
    if (is_stop_token) {
        reason = FinishReason::stop;
        out.matched_stop_token = token;
    } else {
        if (seq.stream->text_on_loop) {
            out.text = seq.stream->text.push(token);
            if (seq.stream->text.stopped()) {
                reason = FinishReason::stop;
                out.matched_stop_string = seq.stream->text.matched_stop();
            }
        } else {
            detokenize = true;  // on the output thread
        }
        if (reason == FinishReason::none && (seq.num_output() >= sp.max_new_tokens ||
                                             static_cast<int64_t>(seq.tokens.size()) >= owner_.context_length_)) {
            reason = FinishReason::length;
        }
    }
    if (reason != FinishReason::none) {
        finish(seq, reason, std::move(out), {}, true, detokenize);
    } else {
        emit(seq, std::move(out), detokenize);
    }
}

void SchedulerLoop::fail_step(Step &step, const Status &status) {
    std::fprintf(stderr, "slipway-engine: forward failed: %s\n", status.message().c_str());
    for (const Planned &p : step.planned) {
        Sequence &seq = *p.seq;
        --seq.plans;
        if (seq.finished) continue;
        seq.pending_row = -1;
        finish(seq, FinishReason::abort, make_output(seq), "backend error: " + status.message(), false);
    }
}

} // namespace slipway::engine
