#pragma once
// Histograms and counters between two scrapes: what the Metrics panel turns into rates, mean
// and quantile latencies (time to first token and inter-token latency from SGLang's
// `sglang:time_to_first_token_seconds` / `sglang:inter_token_latency_seconds`, or vLLM's).
#include "metrics/exposition.h"

#include <optional>
#include <string_view>
#include <vector>

namespace slipway::metrics {

struct Bucket {
    double upperBound = 0; // the `le` label; +Inf for the last bucket
    double count = 0;      // cumulative: observations <= upperBound
};

struct Histogram {
    std::vector<Bucket> buckets; // sorted by upperBound
    double sum = 0;
    double count = 0;
};

struct LabeledHistogram {
    Labels labels; // the series' labels without `le`
    Histogram histogram;
};

// One histogram per label set of the family `name` (from its _bucket, _sum and _count samples).
std::vector<LabeledHistogram> histograms(const Exposition &exposition, std::string_view name);
// The sum of every series of `name` whose labels include `match` (buckets added by bound);
// unset when no series matches.
std::optional<Histogram> histogram(const Exposition &exposition, std::string_view name, const Labels &match = {});

// What was observed between two scrapes of the same histogram. A reset (the engine restarted:
// later.count < earlier.count) yields `later` itself, as Prometheus' rate() assumes.
Histogram difference(const Histogram &later, const Histogram &earlier);

// Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank; the
// lowest bucket starts at 0; a rank in the +Inf bucket gives the highest finite bound. Unset for
// q outside [0, 1], no observations, or no +Inf bucket.
std::optional<double> quantile(const Histogram &histogram, double q);
// sum / count; unset with no observations.
std::optional<double> mean(const Histogram &histogram);

// Per-second increase of a counter between two readings `seconds` apart, counting a decrease
// as a reset to zero. Unset when seconds <= 0.
std::optional<double> counterRate(double earlier, double later, double seconds);

// Two scrapes of one target, with the time each was taken (seconds, any epoch).
struct Scrape {
    double timeSeconds = 0;
    Exposition exposition;
};

// Rate of the summed samples `sampleName` (matching `match`) between two scrapes.
std::optional<double> rate(const Scrape &earlier, const Scrape &later, std::string_view sampleName,
                           const Labels &match = {});
// The histogram `name` observed between two scrapes.
std::optional<Histogram> histogramBetween(const Scrape &earlier, const Scrape &later, std::string_view name,
                                          const Labels &match = {});

} // namespace slipway::metrics
