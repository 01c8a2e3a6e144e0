#include "runtime/host_sampling_runner.h"

#include <span>
#include <string>

#include "runtime/sampler.h"

namespace slipway::engine {

HostSamplingRunner::HostSamplingRunner(ModelRunner &inner)
    : inner_(inner), inner_sampler_(dynamic_cast<DeviceSampler *>(&inner)), info_(inner.info()) {
    worker_ = std::thread([this] { work(); });
}

HostSamplingRunner::~HostSamplingRunner() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
}

void HostSamplingRunner::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stop_ || !queued_.empty(); });
        if (queued_.empty()) return;  // stopping, and everything launched has run
        Job job = std::move(queued_.front());
        queued_.pop_front();
        running_ = true;
        lock.unlock();
        job.status = resolve_pending_tokens(job.batch, last_tokens_);
        if (job.status.ok()) job.status = run(job.batch, job.rows, job.tokens);
        if (job.status.ok()) {
            last_tokens_ = job.tokens;
        } else {
            last_tokens_.clear();
            job.tokens.clear();
        }
        lock.lock();
        running_ = false;
        done_.push_back(std::move(job));
        changed_.notify_all();
    }
}

void HostSamplingRunner::wait_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queued_.empty() && !running_; });
}

Status HostSamplingRunner::run(const ForwardBatch &batch, const std::vector<DeviceSampling> &rows,
                               std::vector<int32_t> &tokens) {
    tokens.clear();
    size_t wanted = 0;
    for (const SequenceSlice &s : batch.seqs) wanted += s.need_logits ? 1 : 0;
    if (rows.size() != wanted) {
        return Status::error("forward_sample: " + std::to_string(rows.size()) + " sampling rows for " +
                             std::to_string(wanted) + " sequences that want a token");
    }
    if (inner_sampler_ != nullptr) return inner_sampler_->forward_sample(batch, rows, tokens);
    if (Status st = inner_.forward(batch, logits_); !st.ok()) return st;
    const auto vocab = static_cast<size_t>(info_.vocab_size);
    if (logits_.size() != wanted * vocab) {
        return Status::error("the runner returned " + std::to_string(logits_.size()) + " logits for " +
                             std::to_string(wanted) + " rows of " + std::to_string(vocab));
    }
    tokens.reserve(wanted);
    for (size_t r = 0; r < wanted; ++r) {
        tokens.push_back(sample_row(std::span<float>(logits_.data() + r * vocab, vocab), rows[r]));
    }
    return {};
}

Status HostSamplingRunner::forward(const ForwardBatch &batch, std::vector<float> &logits) {
    wait_idle();
    return inner_.forward(batch, logits);
}

Status HostSamplingRunner::forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                                          std::vector<int32_t> &tokens) {
    wait_idle();
    return run(batch, sampling, tokens);
}

StatusOr<StepTicket> HostSamplingRunner::launch_sample(const ForwardBatch &batch,
                                                       const std::vector<DeviceSampling> &sampling) {
    Job job;
    job.batch = batch;
    job.rows = sampling;
    {
        std::lock_guard lock(mutex_);
        job.ticket = next_ticket_++;
        queued_.push_back(std::move(job));
        changed_.notify_all();
        return next_ticket_ - 1;
    }
}

Status HostSamplingRunner::wait_sample(StepTicket ticket, std::vector<int32_t> &tokens) {
    tokens.clear();
    std::unique_lock lock(mutex_);
    if (ticket == 0 || ticket >= next_ticket_) {
        return Status::error("internal: wait for step " + std::to_string(ticket) + ", which was not launched");
    }
    changed_.wait(lock, [&] { return !done_.empty(); });
    if (done_.front().ticket != ticket) {
        return Status::error("internal: wait for step " + std::to_string(ticket) + " before step " +
                             std::to_string(done_.front().ticket) + ", launched earlier");
    }
    Job job = std::move(done_.front());
    done_.pop_front();
    if (!job.status.ok()) return job.status;
    tokens = std::move(job.tokens);
    return {};
}

} // namespace slipway::engine
