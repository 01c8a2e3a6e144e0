#pragma once
// The Metrics panel's data: bounded time series (core/metrics SeriesStore) fed one
// MetricsSample at a time. A failed scrape adds a NaN to every engine series, which the charts
// draw as a gap; a counter reset (the engine restarted) is counted and gives no spike.
//
// Series names (label "gpu" = index for GPU series): running, queued, gen_throughput,
// prompt_throughput, kv_usage, ttft_p50, ttft_p99, itl_p50, itl_p99 (milliseconds),
// gpu_util, gpu_memory (percent used), gpu_power (W), gpu_temperature (°C); a cluster deployment's
// GPUs from DCGM (labels "gpu" and "pod"): dcgm_util (%), dcgm_memory_used, dcgm_memory_free (GiB),
// dcgm_power (W), dcgm_temperature (°C). A failed Prometheus query adds a gap to each.
//
// Thread-safety: GUI thread only.
#include "metrics/metrics_worker.h"
#include "metrics/series_store.h"

#include <QObject>

namespace slipway::ui {

class MetricsSeriesModel final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsSeriesModel)

public:
    explicit MetricsSeriesModel(double windowSeconds = 300, QObject *parent = nullptr);

    void append(const MetricsSample &sample);
    void setWindow(double seconds);
    double window() const { return m_store.window(); }
    void clear();

    const metrics::SeriesStore &store() const { return m_store; }
    // The series `name` without labels (engine series), or nullptr before its first point.
    const metrics::TimeSeries *series(const std::string &name) const;
    const MetricsSample &lastSample() const { return m_last; }
    int sampleCount() const { return m_samples; }
    int resetCount() const { return m_resets; }
    int gpuCount() const { return static_cast<int>(m_last.gpus.size()); }
    // The cluster GPUs seen in the window so far, as (pod, gpu index), in order of first appearance.
    const std::vector<std::pair<std::string, std::string>> &clusterGpus() const { return m_clusterGpus; }
    static metrics::Labels clusterGpuLabels(const std::string &pod, const std::string &gpu) {
        return {{"gpu", gpu}, {"pod", pod}};
    }

signals:
    void updated();

private:
    void add(const std::string &name, double time, const std::optional<double> &value, metrics::Labels labels = {});

    metrics::SeriesStore m_store;
    MetricsSample m_last;
    int m_samples = 0;
    int m_resets = 0;
    std::vector<std::pair<std::string, std::string>> m_clusterGpus;
};

} // namespace slipway::ui
