#include "metrics/metrics_series_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace slipway::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// 1 h at one sample a second, per series.
constexpr std::size_t kMaxPoints = 3600;

std::optional<double> millis(const std::optional<double> &seconds) {
    return seconds ? std::optional<double>(*seconds * 1000.0) : std::nullopt;
}

} // namespace

MetricsSeriesModel::MetricsSeriesModel(double windowSeconds, QObject *parent)
    : QObject(parent), m_store(windowSeconds, kMaxPoints, 256) {}

const metrics::TimeSeries *MetricsSeriesModel::series(const std::string &name) const {
    return m_store.series({name, {}});
}

void MetricsSeriesModel::add(const std::string &name, double time, const std::optional<double> &value, metrics::Labels labels) {
    m_store.append({name, std::move(labels)}, time, value ? *value : kNaN);
}

void MetricsSeriesModel::append(const MetricsSample &sample) {
    const double t = sample.time;
    const EngineFigures &f = sample.figures;
    if (sample.ok) {
        if (f.counterReset) ++m_resets;
        add("running", t, f.runningRequests);
        add("queued", t, f.queuedRequests);
        add("kv_usage", t, f.kvUsagePercent);
        add("gen_throughput", t, f.generationTokensPerSecond);
        add("prompt_throughput", t, f.promptTokensPerSecond);
        add("ttft_p50", t, millis(f.ttftP50Seconds));
        add("ttft_p99", t, millis(f.ttftP99Seconds));
        add("itl_p50", t, millis(f.itlP50Seconds));
        add("itl_p99", t, millis(f.itlP99Seconds));
    } else {
        for (const char *name : {"running", "queued", "kv_usage", "gen_throughput", "prompt_throughput", "ttft_p50",
                                 "ttft_p99", "itl_p50", "itl_p99"})
            add(name, t, std::nullopt);
    }
    for (const metrics::GpuReading &g : sample.gpus) {
        const metrics::Labels labels{{"gpu", g.gpu}};
        add("gpu_util", t, g.utilizationPercent, labels);
        std::optional<double> memory;
        if (const auto total = g.memoryTotalMiB(); total && *total > 0 && g.memoryUsedMiB) memory = *g.memoryUsedMiB / *total * 100.0;
        add("gpu_memory", t, memory, labels);
        add("gpu_power", t, g.powerWatts, labels);
        add("gpu_temperature", t, g.temperatureC, labels);
    }
    if (sample.clusterGpusQueried) {
        if (!sample.clusterGpuError.isEmpty() && sample.clusterGpus.empty()) {
            for (const auto &[pod, gpu] : m_clusterGpus)
                for (const char *name : {"dcgm_util", "dcgm_memory_used", "dcgm_memory_free", "dcgm_power", "dcgm_temperature"})
                    add(name, t, std::nullopt, clusterGpuLabels(pod, gpu));
        }
        const auto gib = [](const std::optional<double> &mib) { return mib ? std::optional<double>(*mib / 1024.0) : std::nullopt; };
        for (const metrics::GpuReading &g : sample.clusterGpus) {
            const std::pair<std::string, std::string> id{g.pod, g.gpu};
            if (std::find(m_clusterGpus.begin(), m_clusterGpus.end(), id) == m_clusterGpus.end()) m_clusterGpus.push_back(id);
            const metrics::Labels labels = clusterGpuLabels(g.pod, g.gpu);
            add("dcgm_util", t, g.utilizationPercent, labels);
            add("dcgm_memory_used", t, gib(g.memoryUsedMiB), labels);
            add("dcgm_memory_free", t, gib(g.memoryFreeMiB), labels);
            add("dcgm_power", t, g.powerWatts, labels);
            add("dcgm_temperature", t, g.temperatureC, labels);
        }
    }
    m_last = sample;
    ++m_samples;
    emit updated();
}

void MetricsSeriesModel::setWindow(double seconds) {
    m_store.setWindow(seconds);
    emit updated();
}

void MetricsSeriesModel::clear() {
    m_store.clear();
    m_samples = 0;
    m_resets = 0;
    m_clusterGpus.clear();
    m_last = {};
    emit updated();
}

} // namespace slipway::ui
