#include "metrics/histogram.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace slipway::metrics {

namespace {

void sortBuckets(Histogram &h)
{
    std::sort(h.buckets.begin(), h.buckets.end(),
              [](const Bucket &a, const Bucket &b) { return a.upperBound < b.upperBound; });
}

} // namespace

std::vector<LabeledHistogram> histograms(const Exposition &exposition, std::string_view name)
{
    const std::string bucketName = std::string(name) + "_bucket";
    const std::string sumName = std::string(name) + "_sum";
    const std::string countName = std::string(name) + "_count";
    std::map<Labels, Histogram> byLabels;
    for (const MetricFamily &f : exposition.families) {
        if (!bucketName.starts_with(f.name))
            continue;
        for (const Sample &s : f.samples) {
            if (s.name == bucketName) {
                const auto le = labelValue(s.labels, "le");
                if (!le)
                    continue;
                const auto bound = parseSampleValue(*le);
                if (!bound)
                    continue;
                byLabels[withoutLabel(s.labels, "le")].buckets.push_back(Bucket{*bound, s.value});
            } else if (s.name == sumName) {
                byLabels[s.labels].sum = s.value;
            } else if (s.name == countName) {
                byLabels[s.labels].count = s.value;
            }
        }
    }
    std::vector<LabeledHistogram> out;
    for (auto &[labels, h] : byLabels) {
        if (h.buckets.empty())
            continue;
        sortBuckets(h);
        out.push_back(LabeledHistogram{labels, std::move(h)});
    }
    return out;
}

std::optional<Histogram> histogram(const Exposition &exposition, std::string_view name, const Labels &match)
{
    std::optional<Histogram> total;
    std::map<double, double> buckets;
    for (const LabeledHistogram &series : histograms(exposition, name)) {
        if (!matchesAll(series.labels, match))
            continue;
        if (!total)
            total = Histogram{};
        total->sum += series.histogram.sum;
        total->count += series.histogram.count;
        for (const Bucket &b : series.histogram.buckets)
            buckets[b.upperBound] += b.count;
    }
    if (total) {
        for (const auto &[bound, count] : buckets)
            total->buckets.push_back(Bucket{bound, count});
    }
    return total;
}

Histogram difference(const Histogram &later, const Histogram &earlier)
{
    if (later.count < earlier.count)
        return later;
    Histogram out;
    out.sum = later.sum - earlier.sum;
    out.count = later.count - earlier.count;
    for (const Bucket &b : later.buckets) {
        double before = 0;
        for (const Bucket &e : earlier.buckets) {
            if (e.upperBound == b.upperBound) {
                before = e.count;
                break;
            }
        }
        out.buckets.push_back(Bucket{b.upperBound, std::max(0.0, b.count - before)});
    }
    return out;
}

std::optional<double> quantile(const Histogram &histogram, double q)
{
    if (!(q >= 0.0 && q <= 1.0) || histogram.buckets.size() < 2)
        return std::nullopt;
    std::vector<Bucket> buckets = histogram.buckets;
    std::sort(buckets.begin(), buckets.end(),
              [](const Bucket &a, const Bucket &b) { return a.upperBound < b.upperBound; });
    if (!std::isinf(buckets.back().upperBound))
        return std::nullopt;
    // Cumulative counts must not fall (they can, slightly, when scrapes race): make them monotonic.
    for (std::size_t i = 1; i < buckets.size(); ++i)
        buckets[i].count = std::max(buckets[i].count, buckets[i - 1].count);
    const double observations = buckets.back().count;
    if (observations <= 0)
        return std::nullopt;
    double rank = q * observations;
    std::size_t b = 0;
    while (b < buckets.size() && buckets[b].count < rank)
        ++b;
    if (b == buckets.size() - 1)
        return buckets[buckets.size() - 2].upperBound;
    if (b == 0 && buckets[0].upperBound <= 0)
        return buckets[0].upperBound;
    double start = 0;
    const double end = buckets[b].upperBound;
    double count = buckets[b].count;
    if (b > 0) {
        start = buckets[b - 1].upperBound;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    if (count <= 0)
        return end;
    return start + (end - start) * (rank / count);
}

std::optional<double> mean(const Histogram &histogram)
{
    if (histogram.count <= 0)
        return std::nullopt;
    return histogram.sum / histogram.count;
}

std::optional<double> counterRate(double earlier, double later, double seconds)
{
    if (!(seconds > 0))
        return std::nullopt;
    const double increase = later >= earlier ? later - earlier : later;
    return increase / seconds;
}

std::optional<double> rate(const Scrape &earlier, const Scrape &later, std::string_view sampleName,
                           const Labels &match)
{
    const auto before = earlier.exposition.sum(sampleName, match);
    const auto after = later.exposition.sum(sampleName, match);
    if (!before || !after)
        return std::nullopt;
    return counterRate(*before, *after, later.timeSeconds - earlier.timeSeconds);
}

std::optional<Histogram> histogramBetween(const Scrape &earlier, const Scrape &later, std::string_view name,
                                          const Labels &match)
{
    const auto before = histogram(earlier.exposition, name, match);
    const auto after = histogram(later.exposition, name, match);
    if (!after)
        return std::nullopt;
    if (!before)
        return after;
    return difference(*after, *before);
}

} // namespace slipway::metrics
