// Host cost of the scheduler loop at serving batch sizes, without a model: a runner whose steps
// take a fixed simulated device time (0 = free) and return token ids at once, driven like
// `slipway-engine bench-serving` (N requests, input/output lengths uniform in ranges, a fixed
// concurrency). Reports output tokens/s, steps/s and host milliseconds per step, with overlap
// scheduling on or off. With --device-ms 0 the whole step time is the loop's own work.
//
//   bench_scheduler_host [--requests 1000] [--concurrency 256] [--input 64:512] [--output 64:512]
//                        [--device-ms 0] [--decode-row-ms 0] [--prefill-token-ms 0]
//                        [--no-overlap] [--mixed] [--chunk 8192] [--detok-us 0]
//
// A step's simulated device time is device-ms + decode-row-ms per decode row + prefill-token-ms
// per prompt token; the R1-Distill-Qwen-7B shape on an H100 (engine/BENCHMARKS.md) is about
// --device-ms 6 --decode-row-ms 0.115 --prefill-token-ms 0.045.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/device_sampling.h"
#include "runtime/scheduler.h"

namespace slipway::engine {
namespace {

using Clock = std::chrono::steady_clock;

// Steps cost `device` of simulated time, serialized in launch order, starting when launched.
#ifndef SLIPWAY_BENCH_OLD_SCHEDULER
class NullRunner final : public ModelRunner, public DeviceSampler, public AsyncSampler {
#else
class NullRunner final : public ModelRunner, public DeviceSampler {
#endif
public:
    NullRunner(double base_ms, double decode_row_ms, double prefill_token_ms)
        : base_ms_(base_ms), decode_row_ms_(decode_row_ms), prefill_token_ms_(prefill_token_ms) {}
    RunnerInfo info() const override { return {1000, 4096, 1, 2'000'000, 57344}; }
    Status forward(const ForwardBatch &, std::vector<float> &) override {
        return Status::error("the benchmark runner samples on the device only");
    }
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &rows,
                          std::vector<int32_t> &tokens) override {
        auto t = launch_sample(batch, rows);
        if (!t.ok()) return t.status();
        return wait_sample(t.value(), tokens);
    }
#ifndef SLIPWAY_BENCH_OLD_SCHEDULER
    StatusOr<StepTicket> launch_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &) override {
#else
    // Built against the scheduler before overlap (for comparisons): the same step model, called
    // synchronously.
    using StepTicket = uint64_t;
    static bool is_pending_token(int32_t id) { return id < 0; }
    static int32_t pending_token_index(int32_t id) { return -1 - id; }
    StatusOr<StepTicket> launch_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &) {
#endif
        std::vector<int32_t> out;
        double ms = base_ms_;
        for (const SequenceSlice &s : batch.seqs) ms += s.query_len == 1 ? decode_row_ms_ : prefill_token_ms_ * s.query_len;
        for (const SequenceSlice &s : batch.seqs) {
            if (!s.need_logits) continue;
            int32_t last = batch.token_ids[static_cast<size_t>(s.query_start + s.query_len - 1)];
            if (is_pending_token(last)) last = last_[static_cast<size_t>(pending_token_index(last))];
            out.push_back(2 + (last * 31 + s.context_len) % 997);
        }
        const auto now = Clock::now();
        free_at_ = std::max(free_at_, now) + std::chrono::microseconds(static_cast<int64_t>(ms * 1000));
        device_ms += ms;
        done_.push_back({free_at_, out});
        last_ = std::move(out);
        return ++ticket_;
    }
#ifndef SLIPWAY_BENCH_OLD_SCHEDULER
    Status wait_sample(StepTicket, std::vector<int32_t> &tokens) override {
#else
    Status wait_sample(StepTicket, std::vector<int32_t> &tokens) {
#endif
        auto [at, out] = std::move(done_.front());
        done_.pop_front();
        while (Clock::now() < at) {
        }  // the "device" is busy: spin like cudaStreamSynchronize does
        tokens = std::move(out);
        ++steps;
        return {};
    }
    uint64_t steps = 0;
    double device_ms = 0;  // simulated device time of all steps

private:
    double base_ms_, decode_row_ms_, prefill_token_ms_;
    Clock::time_point free_at_{};
    std::deque<std::pair<Clock::time_point, std::vector<int32_t>>> done_;
    std::vector<int32_t> last_;
    StepTicket ticket_ = 0;
};

bool range(const std::string &v, int &lo, int &hi) {
    return std::sscanf(v.c_str(), "%d:%d", &lo, &hi) == 2 && lo >= 1 && hi >= lo;
}

int run(int argc, char **argv) {
    int requests = 1000, concurrency = 256, in_lo = 64, in_hi = 512, out_lo = 64, out_hi = 512, chunk = 8192;
    double device_ms = 0, decode_row_ms = 0, prefill_token_ms = 0, detok_us = 0;
    bool overlap = true, mixed = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const std::string v = i + 1 < argc ? argv[i + 1] : "";
        bool ok = true;
        if (a == "--requests") requests = std::atoi(v.c_str()), ++i;
        else if (a == "--concurrency") concurrency = std::atoi(v.c_str()), ++i;
        else if (a == "--input") ok = range(v, in_lo, in_hi), ++i;
        else if (a == "--output") ok = range(v, out_lo, out_hi), ++i;
        else if (a == "--device-ms") device_ms = std::atof(v.c_str()), ++i;
        else if (a == "--decode-row-ms") decode_row_ms = std::atof(v.c_str()), ++i;
        else if (a == "--prefill-token-ms") prefill_token_ms = std::atof(v.c_str()), ++i;
        else if (a == "--detok-us") detok_us = std::atof(v.c_str()), ++i;
        else if (a == "--chunk") chunk = std::atoi(v.c_str()), ++i;
        else if (a == "--no-overlap") overlap = false;
        else if (a == "--mixed") mixed = true;
        else ok = false;
        if (!ok) {
            std::fprintf(stderr, "bad argument %s (see the comment at the top of bench_scheduler_host.cpp)\n", a.c_str());
            return 2;
        }
    }
    NullRunner runner(device_ms, decode_row_ms, prefill_token_ms);
    SchedulerConfig cfg;
    cfg.max_running_requests = concurrency;
    cfg.chunked_prefill_size = chunk;
#ifndef SLIPWAY_BENCH_OLD_SCHEDULER
    cfg.enable_mixed_chunk = mixed;
    cfg.overlap_schedule = overlap;
#endif
    // A stand-in for the tokenizer's decode: busy for detok_us per call.
    cfg.decode = [detok_us](const std::vector<int32_t> &ids) {
        const auto until = Clock::now() + std::chrono::nanoseconds(static_cast<int64_t>(detok_us * 1000));
        while (Clock::now() < until) {
        }
        return std::string(ids.size(), 'x');
    };
    auto created = Scheduler::create(runner, cfg);
    if (!created.ok()) {
        std::fprintf(stderr, "%s\n", created.message().c_str());
        return 1;
    }
    Scheduler &s = *created.value();
#ifndef SLIPWAY_BENCH_OLD_SCHEDULER
    const bool overlapped = s.overlap();
#else
    const bool overlapped = false;
    (void)mixed;
#endif

    std::mt19937 gen(1);
    std::mutex mutex;
    std::condition_variable cv;
    int finished = 0, submitted = 0;
    std::atomic<int64_t> tokens{0};
    auto submit_one = [&] {
        std::uniform_int_distribution<int> in(in_lo, in_hi), out(out_lo, out_hi), id(2, 999);
        GenerateRequest r;
        r.prompt_ids.resize(static_cast<size_t>(in(gen)));
        for (int32_t &t : r.prompt_ids) t = id(gen);
        r.sampling.temperature = 0.0f;
        r.sampling.ignore_eos = true;
        r.sampling.max_new_tokens = out(gen);
        r.on_output = [&](StepOutput o) {
            tokens += static_cast<int64_t>(o.token_ids.size());
            if (o.finished) {
                std::lock_guard lock(mutex);
                ++finished;
                cv.notify_one();
            }
        };
        if (!s.submit(std::move(r)).ok()) std::abort();
        ++submitted;
    };
    const auto start = Clock::now();
    {
        std::unique_lock lock(mutex);
        while (submitted < std::min(concurrency, requests)) submit_one();
        while (finished < requests) {
            cv.wait(lock);
            while (submitted < requests && submitted - finished < concurrency) submit_one();
        }
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    s.shutdown(std::chrono::milliseconds(0));
    const double steps = static_cast<double>(runner.steps);
    std::printf("requests %d, concurrency %d, input %d:%d, output %d:%d, device %.3f ms + %.3f/decode row + "
                "%.4f/prompt token, detok %.1f us/call, chunk %d, %s, overlap %s\n",
                requests, concurrency, in_lo, in_hi, out_lo, out_hi, device_ms, decode_row_ms, prefill_token_ms,
                detok_us, chunk, mixed ? "mixed" : "alternating", overlapped ? "on" : "off");
    std::printf("output tokens/s %.0f, steps/s %.1f, wall per step %.3f ms, device per step %.3f ms, device busy %.1f %%\n",
                static_cast<double>(tokens.load()) / wall, steps / wall, 1000.0 * wall / steps,
                runner.device_ms / steps, 100.0 * runner.device_ms / (1000.0 * wall));
    return 0;
}

} // namespace
} // namespace slipway::engine

int main(int argc, char **argv) {
    return slipway::engine::run(argc, argv);
}
