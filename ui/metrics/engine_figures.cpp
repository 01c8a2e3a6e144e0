#include "metrics/engine_figures.h"

#include <array>
#include <string>

namespace slipway::ui {

namespace {

struct Names {
    const char *running;
    const char *queued;
    const char *kvUsage;     // a 0–1 ratio
    const char *generation;  // counter sample
    const char *prompt;
    const char *requests;
    const char *ttft;        // histogram family
    const char *itl;
};

constexpr std::array<Names, 2> kDialects{{
    {"sglang:num_running_reqs", "sglang:num_queue_reqs", "sglang:token_usage", "sglang:generation_tokens_total",
     "sglang:prompt_tokens_total", "sglang:num_requests_total", "sglang:time_to_first_token_seconds",
     "sglang:inter_token_latency_seconds"},
    {"vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
     "vllm:generation_tokens_total", "vllm:prompt_tokens_total", "vllm:request_success_total",
     "vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds"},
}};

const Names &dialectOf(const metrics::Exposition &exposition) {
    for (const Names &n : kDialects)
        if (exposition.sum(n.running) || exposition.sum(n.generation)) return n;
    return kDialects[0];
}

bool dropped(const metrics::Scrape &earlier, const metrics::Scrape &later, const char *sample) {
    const auto a = earlier.exposition.sum(sample);
    const auto b = later.exposition.sum(sample);
    return a && b && *b < *a;
}

} // namespace

EngineFigures engineFigures(const std::optional<metrics::Scrape> &earlier, const metrics::Scrape &later) {
    const metrics::Exposition &e = later.exposition;
    const Names &n = dialectOf(e);
    EngineFigures f;
    f.runningRequests = e.sum(n.running);
    f.queuedRequests = e.sum(n.queued);
    if (const auto usage = e.sum(n.kvUsage)) f.kvUsagePercent = *usage * 100.0;
    if (!earlier) return f;

    f.counterReset = dropped(*earlier, later, n.generation) || dropped(*earlier, later, n.requests) ||
                     dropped(*earlier, later, n.prompt);
    f.generationTokensPerSecond = metrics::rate(*earlier, later, n.generation);
    f.promptTokensPerSecond = metrics::rate(*earlier, later, n.prompt);
    if (const auto ttft = metrics::histogramBetween(*earlier, later, n.ttft)) {
        f.ttftP50Seconds = metrics::quantile(*ttft, 0.5);
        f.ttftP99Seconds = metrics::quantile(*ttft, 0.99);
    }
    if (const auto itl = metrics::histogramBetween(*earlier, later, n.itl)) {
        f.itlP50Seconds = metrics::quantile(*itl, 0.5);
        f.itlP99Seconds = metrics::quantile(*itl, 0.99);
    }
    return f;
}

} // namespace slipway::ui
