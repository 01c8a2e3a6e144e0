#include "runtime/metrics.h"

#include <algorithm>
#include <cstdio>

namespace slipway::engine {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds(std::move(upper_bounds)), counts(bounds.size() + 1, 0) {}

void Histogram::observe(double value, uint64_t times) {
    const auto it = std::lower_bound(bounds.begin(), bounds.end(), value);  // first bound >= value
    counts[static_cast<size_t>(it - bounds.begin())] += times;
    sum += value * static_cast<double>(times);
    count += times;
}

uint64_t Histogram::cumulative(size_t i) const {
    uint64_t total = 0;
    for (size_t b = 0; b <= i && b < counts.size(); ++b) total += counts[b];
    return total;
}

std::vector<double> ttft_buckets() {
    return {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400};
}

std::vector<double> inter_token_latency_buckets() {
    return {0.002, 0.004, 0.006, 0.008, 0.010, 0.015, 0.020, 0.025, 0.030, 0.035, 0.040, 0.060,
            0.080, 0.100, 0.200, 0.400, 0.600, 0.800, 1.000, 2.000, 4.000, 6.000, 8.000};
}

std::vector<double> e2e_latency_buckets() {
    return {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 800};
}

MetricsSnapshot Metrics::snapshot() const {
    std::lock_guard lock(mutex_);
    return data_;
}

namespace {

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string render_prometheus(const MetricsSnapshot &s, std::string_view model_name) {
    const std::string label = "model_name=\"" + escape_label(model_name) + "\"";
    std::string out;
    auto scalar = [&](const char *name, const char *type, const char *help, double value) {
        out += std::string("# HELP sglang:") + name + " " + help + "\n";
        out += std::string("# TYPE sglang:") + name + " " + type + "\n";
        out += std::string("sglang:") + name + "{" + label + "} " + number(value) + "\n";
    };
    auto histogram = [&](const char *name, const char *help, const Histogram &h) {
        out += std::string("# HELP sglang:") + name + " " + help + "\n";
        out += std::string("# TYPE sglang:") + name + " histogram\n";
        for (size_t i = 0; i < h.bounds.size(); ++i) {
            out += std::string("sglang:") + name + "_bucket{" + label + ",le=\"" + number(h.bounds[i]) + "\"} " +
                   number(static_cast<double>(h.cumulative(i))) + "\n";
        }
        out += std::string("sglang:") + name + "_bucket{" + label + ",le=\"+Inf\"} " +
               number(static_cast<double>(h.count)) + "\n";
        out += std::string("sglang:") + name + "_sum{" + label + "} " + number(h.sum) + "\n";
        out += std::string("sglang:") + name + "_count{" + label + "} " + number(static_cast<double>(h.count)) + "\n";
    };
    scalar("num_running_reqs", "gauge", "The number of running requests.", static_cast<double>(s.num_running_reqs));
    scalar("num_queue_reqs", "gauge", "The number of requests in the waiting queue.", static_cast<double>(s.num_queue_reqs));
    scalar("num_used_tokens", "gauge", "The number of used tokens.", static_cast<double>(s.num_used_tokens));
    scalar("token_usage", "gauge", "The token usage.", s.token_usage);
    scalar("gen_throughput", "gauge", "The generation throughput (token/s).", s.gen_throughput);
    scalar("cache_hit_rate", "gauge", "The prefix cache hit rate.", s.cache_hit_rate);
    scalar("max_total_num_tokens", "gauge", "Maximum total number of tokens in the KV cache pool.",
           static_cast<double>(s.max_total_num_tokens));
    scalar("prompt_tokens_total", "counter", "Number of prefill tokens processed.", static_cast<double>(s.prompt_tokens_total));
    scalar("generation_tokens_total", "counter", "Number of generation tokens processed.",
           static_cast<double>(s.generation_tokens_total));
    scalar("cached_tokens_total", "counter", "Number of cached prompt tokens.", static_cast<double>(s.cached_tokens_total));
    scalar("num_requests_total", "counter", "Number of requests processed.", static_cast<double>(s.num_requests_total));
    scalar("num_aborted_requests_total", "counter", "Number of requests aborted.",
           static_cast<double>(s.num_aborted_requests_total));
    histogram("time_to_first_token_seconds", "Histogram of time to first token in seconds.", s.time_to_first_token_seconds);
    histogram("inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", s.inter_token_latency_seconds);
    histogram("e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds",
              s.e2e_request_latency_seconds);
    return out;
}

} // namespace slipway::engine
