#pragma once
// Serving metrics with SGLang's names (exported as `sglang:<name>{model_name="..."}`) and its
// default histogram buckets. The scheduler loop records; any thread may take a snapshot.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::engine {

struct Histogram {
    std::vector<double> bounds;   // upper bounds, ascending; +Inf is implicit
    std::vector<uint64_t> counts; // per bucket (not cumulative), bounds.size() + 1 entries
    double sum = 0.0;
    uint64_t count = 0;

    explicit Histogram(std::vector<double> upper_bounds = {});
    void observe(double value, uint64_t times = 1);
    // Cumulative count of observations <= bounds[i] (i == bounds.size(): all).
    uint64_t cumulative(size_t i) const;
};

// SGLang's defaults (python/sglang/srt/metrics/collector.py).
std::vector<double> ttft_buckets();
std::vector<double> inter_token_latency_buckets();
std::vector<double> e2e_latency_buckets();

struct MetricsSnapshot {
    // gauges
    int64_t num_running_reqs = 0;
    int64_t num_queue_reqs = 0;
    int64_t num_used_tokens = 0;       // KV tokens held by requests (not the evictable cache)
    double token_usage = 0.0;          // num_used_tokens / max_total_num_tokens
    double gen_throughput = 0.0;       // generated tokens/s over the last window
    double cache_hit_rate = 0.0;       // cached / all prompt tokens of admitted requests
    int64_t max_total_num_tokens = 0;  // KV pool capacity in tokens
    // counters (totals over finished requests, as SGLang counts them)
    uint64_t prompt_tokens_total = 0;
    uint64_t generation_tokens_total = 0;
    uint64_t cached_tokens_total = 0;
    uint64_t num_requests_total = 0;
    uint64_t num_aborted_requests_total = 0;
    // histograms
    Histogram time_to_first_token_seconds{ttft_buckets()};
    Histogram inter_token_latency_seconds{inter_token_latency_buckets()};
    Histogram e2e_request_latency_seconds{e2e_latency_buckets()};
    // KV pool detail (not SGLang metrics; for tests and logs)
    int64_t num_pages = 0;
    int64_t num_free_pages = 0;
    int64_t num_evictable_pages = 0;  // held only by the prefix cache
    int32_t page_size = 1;
};

// Thread-safe holder: the scheduler writes under the lock, readers copy.
class Metrics final {
public:
    MetricsSnapshot snapshot() const;
    template <typename Fn> void update(Fn &&fn) {
        std::lock_guard lock(mutex_);
        fn(data_);
    }

private:
    mutable std::mutex mutex_;
    MetricsSnapshot data_;
};

// Prometheus text exposition format 0.0.4 of the SGLang metrics, each with the model_name label.
std::string render_prometheus(const MetricsSnapshot &snapshot, std::string_view model_name);

} // namespace slipway::engine
