#pragma once
// What the Metrics panel plots from two consecutive scrapes of an engine's /metrics: gauges as
// they are, throughput from counter deltas, latency quantiles from histogram deltas. SGLang's
// names (sglang:…, also slipway-engine's) and vLLM's (vllm:…) are both understood. A counter
// that went down means the engine restarted: rates then count from zero (core/metrics), and
// the figures say so.
//
// Thread-safety: pure functions over values.
#include "metrics/histogram.h"

#include <optional>

namespace slipway::ui {

struct EngineFigures {
    std::optional<double> runningRequests;
    std::optional<double> queuedRequests;
    std::optional<double> kvUsagePercent;            // 0–100
    std::optional<double> generationTokensPerSecond; // from the generation token counter
    std::optional<double> promptTokensPerSecond;
    std::optional<double> ttftP50Seconds;            // observed between the two scrapes
    std::optional<double> ttftP99Seconds;
    std::optional<double> itlP50Seconds;
    std::optional<double> itlP99Seconds;
    bool counterReset = false;                       // a counter dropped: the engine restarted
};

// `earlier` unset (the first scrape): gauges only.
EngineFigures engineFigures(const std::optional<metrics::Scrape> &earlier, const metrics::Scrape &later);

} // namespace slipway::ui
