#pragma once
// The Metrics panel's sampler: on its own QThread, every interval it scrapes the engine's
// /metrics (core/net), turns two consecutive scrapes into EngineFigures and reads the local GPUs
// through NVML when a driver is present. For a cluster deployment it also asks Prometheus
// (thanos-querier or any URL) for the DCGM exporter's series of the deployment's pods, matching
// `pod` or `exported_pod`. One MetricsSample per tick comes back by queued signal.
//
// Thread-safety: construct on the GUI thread, move to the worker thread, then call the slots
// only through queued invocations (MetricsPanel does). Signals arrive queued on the GUI thread.
#include "metrics/engine_figures.h"
#include "metrics/gpu_readings.h"
#include "net/http_types.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace slipway::metrics {
class NvmlReader;
}

namespace slipway::ui {

// Where a cluster deployment's GPU figures come from: a Prometheus HTTP API (thanos-querier's
// Route, the API server's service proxy to it, or any Prometheus) and which pods are the
// deployment's. The token is the user's: never shown, sent only over https.
struct ClusterGpuSource {
    QString prometheusUrl;       // base URL; /api/v1/query is appended
    QString bearerToken;
    net::TlsOptions tls;
    QString namespaceName;
    QString podRegex;            // RE2 over pod names, e.g. "ds-r1-.*"
    QString deployment;          // for display
    bool isSet() const { return !prometheusUrl.isEmpty() && !namespaceName.isEmpty(); }
};

// thanos-querier's port 9091 through the API server's service proxy.
QString thanosQuerierProxyUrl(const QString &apiServer);
// The PromQL of one instant query for the DCGM series of `source`'s pods (both label spellings).
std::string clusterGpuQuery(const ClusterGpuSource &source);

struct MetricsSample {
    double time = 0;                 // seconds since the epoch, when the scrape was taken
    QString source;                  // the /metrics URL
    bool ok = false;                 // the scrape succeeded and parsed
    QString error;                   // why not, when !ok
    EngineFigures figures;
    std::vector<metrics::GpuReading> gpus;
    QString gpuError;                // "no NVIDIA driver: …" and the like; empty when GPUs were read
    // The cluster deployment's GPUs from DCGM through Prometheus (when a ClusterGpuSource is set).
    bool clusterGpusQueried = false;
    std::vector<metrics::GpuReading> clusterGpus;
    QString clusterGpuError;         // why there are none
};

class MetricsWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsWorker)

public:
    // `nvmlLibrary`: the NVML library to load (empty: none is tried, GPU figures stay off).
    explicit MetricsWorker(QString nvmlLibrary);
    ~MetricsWorker() override;

    // Worker-thread slots.
    // The engine's base URL ("http://127.0.0.1:30000") or a full /metrics URL; empty stops
    // engine scrapes (GPU readings go on).
    void setSource(const QString &url);
    // Sent with every scrape: a bearer token (a cluster's service proxy) and TLS (its CA). Empty: none.
    void setCredentials(const QString &bearerToken, const slipway::net::TlsOptions &tls);
    void setInterval(int milliseconds);
    // The cluster deployment's GPU source; an unset one stops the Prometheus queries.
    void setClusterGpuSource(const slipway::ui::ClusterGpuSource &source);
    void start();
    void pause();
    void sampleNow();

    // "http://h:p" → "http://h:p/metrics"; a URL whose path already ends in /metrics is kept.
    static QString metricsUrl(const QString &url);

signals:
    void sampled(const slipway::ui::MetricsSample &sample);

private:
    void ensureTimer();
    void queryClusterGpus(MetricsSample &sample);

    QString m_nvmlLibrary;
    QString m_source;
    QString m_bearer;
    net::TlsOptions m_tls;
    ClusterGpuSource m_gpuSource;
    int m_interval = 2000;
    QTimer *m_timer = nullptr;
    std::optional<metrics::Scrape> m_previous;
    QString m_previousSource;
    std::unique_ptr<metrics::NvmlReader> m_nvml;
    QString m_nvmlError;
    bool m_nvmlTried = false;
};

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::ui::MetricsSample)
Q_DECLARE_METATYPE(slipway::ui::ClusterGpuSource)
