#pragma once
// The Prometheus text exposition format (version 0.0.4, as /metrics of SGLang, vLLM,
// slipway-engine and the DCGM exporter serve it): `# HELP`, `# TYPE`, other comments, samples
// `name{label="value",...} value [timestamp_ms]` with escapes in label values (\\ \" \n), values
// NaN / +Inf / -Inf, metric names with colons (`sglang:num_running_reqs`). Samples of a
// histogram or summary (`_bucket`, `_sum`, `_count`) and a counter's `_total`/`_created` are
// grouped under their declared family.
#include "common/result.h"
#include "metrics/labels.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::metrics {

enum class MetricType { Untyped, Counter, Gauge, Histogram, Summary };

std::string_view toString(MetricType type);

struct Sample {
    std::string name;                     // the sample's own name, e.g. "x_bucket"
    Labels labels;                        // sorted by name
    double value = 0;
    std::optional<std::int64_t> timestampMs;
};

struct MetricFamily {
    std::string name;
    MetricType type = MetricType::Untyped;
    std::string help;
    std::vector<Sample> samples;
};

struct Exposition {
    std::vector<MetricFamily> families;

    const MetricFamily *family(std::string_view name) const;
    // Every sample named exactly `sampleName` whose labels include `match`.
    std::vector<const Sample *> samples(std::string_view sampleName, const Labels &match = {}) const;
    // The sum of those samples' values; unset when there is none.
    std::optional<double> sum(std::string_view sampleName, const Labels &match = {}) const;
    // All samples, flattened.
    std::vector<Sample> allSamples() const;
};

// Fails on the first malformed line with its number and what is wrong.
Result<Exposition> parseExposition(std::string_view text);

// A sample value as the format writes it ("1.5e3", "NaN", "+Inf", "-Inf"), locale-independent.
std::optional<double> parseSampleValue(std::string_view text);

} // namespace slipway::metrics
