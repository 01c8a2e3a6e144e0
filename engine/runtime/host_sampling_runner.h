#pragma once
// Gives a runner real asynchronous steps under the AsyncSampler contract: launch_sample() hands
// the step to a worker thread, which runs it on the wrapped runner while the scheduler processes
// the previous step and plans the next one. A runner without device sampling (the CPU backend)
// runs forward() there and every row is sampled on the host with sample_row(); a runner whose
// own DeviceSampler is synchronous (the CUDA backend: it samples on the GPU and waits for the
// token ids) runs its forward_sample() there, so the scheduler's host work for step n + 1
// overlaps the GPU's step n. Steps run one at a time in launch order, so the wrapped runner
// still sees one caller at a time.
//
// Thread-safety: the ModelRunner / DeviceSampler members are called by one thread (the
// scheduler loop); the worker is internal.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/device_sampling.h"
#include "slipway/engine/model_runner.h"

namespace slipway::engine {

class HostSamplingRunner final : public ModelRunner, public DeviceSampler, public AsyncSampler {
public:
    // `inner` must outlive this object and have no other user meanwhile.
    explicit HostSamplingRunner(ModelRunner &inner);
    ~HostSamplingRunner() override;  // runs what was launched, then joins the worker
    HostSamplingRunner(const HostSamplingRunner &) = delete;
    HostSamplingRunner &operator=(const HostSamplingRunner &) = delete;

    RunnerInfo info() const override { return info_; }
    // Synchronous; waits until every launched step has run first (the wrapped runner has one
    // caller at a time).
    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override;
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override;

    StatusOr<StepTicket> launch_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling) override;
    Status wait_sample(StepTicket ticket, std::vector<int32_t> &tokens) override;

private:
    struct Job {
        StepTicket ticket = 0;
        ForwardBatch batch;
        std::vector<DeviceSampling> rows;
        Status status;
        std::vector<int32_t> tokens;
    };
    void work();
    void wait_idle();
    Status run(const ForwardBatch &batch, const std::vector<DeviceSampling> &rows, std::vector<int32_t> &tokens);

    ModelRunner &inner_;
    DeviceSampler *inner_sampler_ = nullptr;  // the wrapped runner's own (synchronous) sampling, if any
    RunnerInfo info_;
    std::vector<float> logits_;          // used by whoever runs a step (worker, or forward_sample when idle)
    std::vector<int32_t> last_tokens_;   // worker: tokens of the last step it ran
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Job> queued_;   // launched, not yet run
    std::deque<Job> done_;     // run, not yet waited for
    bool running_ = false;     // the worker is running a step
    bool stop_ = false;
    StepTicket next_ticket_ = 1;
    std::thread worker_;
};

} // namespace slipway::engine
