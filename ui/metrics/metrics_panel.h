#pragma once
// The Metrics panel: live charts of a running engine from its /metrics — running and queued
// requests, generation throughput (tokens/s from the counters), KV cache usage, time to first
// token and inter-token latency (p50/p99 between scrapes) — and, where an NVIDIA driver is
// present, each local GPU's utilisation, memory, power and temperature through NVML. The
// window (1/5/15/60 min) and the scrape interval are selectable; for a cluster deployment, its
// GPUs from the DCGM exporter through Prometheus (thanos-querier or a URL the user types), per
// pod and GPU, in their own box below the engine's charts; an engine restart (counters
// drop) and scrapes that fail (engine down) show as gaps, not spikes.
//
// MainWindow builds it as:
//     auto *metrics = new MetricsPanel();
//     addPanel(metrics, metrics->windowTitle());
//     // when the Local engine becomes ready:
//     metrics->setLocalEngineUrl(QString::fromStdString(engine.baseUrl()));
//
// Thread-safety: GUI thread only; scrapes run on the panel's worker thread.
#include "metrics/metrics_series_model.h"

#include <QThread>
#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace slipway::ui {

class MetricsChart;

class MetricsPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPanel)

public:
    // `nvmlLibrary`: what NvmlReader loads (tests pass a missing path or a fake library).
    explicit MetricsPanel(const QString &nvmlLibrary = QStringLiteral("libnvidia-ml.so.1"), QWidget *parent = nullptr);
    ~MetricsPanel() override;

    // The Local engine's base URL; becomes the source while the source field is empty or still
    // shows the previous local URL. Sampling starts.
    void setLocalEngineUrl(const QString &baseUrl);
    // Any engine or exporter URL (base or …/metrics); sampling starts.
    void setSource(const QString &url);
    // A cluster deployment's /metrics through the API server's service proxy: the URL with the
    // user's bearer token and the cluster's TLS settings (never shown); sampling starts.
    void setClusterSource(const QString &url, const QString &bearerToken, const net::TlsOptions &tls);
    // A cluster deployment's GPUs from DCGM through Prometheus (ClusterWorkloads finds the source);
    // the box shows the Prometheus URL, which the user may replace with any Prometheus.
    // Sampling starts. setSource() (another engine) ends it.
    void setClusterGpuSource(const ClusterGpuSource &source);
    void clearClusterGpuSource();
    // The Prometheus URL typed by the user (empty: back to the one found for the cluster).
    void setPrometheusUrl(const QString &url);
    const ClusterGpuSource &clusterGpuSource() const { return m_gpuSource; }
    QString source() const;
    void setIntervalSeconds(int seconds);
    // 1, 5, 15 or 60.
    void setWindowMinutes(int minutes);
    void start();
    void pause();
    bool isRunning() const { return m_running; }
    // One scrape now (also while paused).
    void sampleNow();

    MetricsSeriesModel *model() const { return m_model; }
    // "requests", "throughput", "kv", "ttft", "itl", "gpu_util", "gpu_power", and the cluster's
    // "dcgm_util", "dcgm_memory", "dcgm_power".
    MetricsChart *chart(const QString &name) const;
    QString statusText() const;
    QString gpuStatusText() const;
    QString clusterGpuStatusText() const;
    bool clusterGpusVisible() const;
    // The legend of each cluster GPU ("<pod> · GPU <n>"), in order of first appearance.
    QStringList clusterGpuLabels() const { return m_clusterGpuLabels; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void onSample(const MetricsSample &sample);
    void redraw();
    void updateStatus();
    void rebuildGpuLines();
    void rebuildClusterGpuLines();
    void sendClusterGpuSource();

    MetricsSeriesModel *m_model;
    QThread m_thread;
    MetricsWorker *m_worker;
    bool m_running = false;
    QString m_localUrl;
    int m_gpuLines = -1;
    ClusterGpuSource m_gpuSource;
    QString m_foundPrometheusUrl;
    int m_clusterGpuLines = -1;
    QStringList m_clusterGpuLabels;

    QLabel *m_sourceLabel = nullptr;
    QLineEdit *m_sourceEdit = nullptr;
    QPushButton *m_localButton = nullptr;
    QLabel *m_intervalLabel = nullptr;
    QSpinBox *m_intervalSpin = nullptr;
    QLabel *m_windowLabel = nullptr;
    QComboBox *m_windowBox = nullptr;
    QPushButton *m_runButton = nullptr;
    QLabel *m_statusLabel = nullptr;
    QGroupBox *m_engineGroup = nullptr;
    QGroupBox *m_gpuGroup = nullptr;
    QLabel *m_gpuStatus = nullptr;
    MetricsChart *m_requests = nullptr;
    MetricsChart *m_throughput = nullptr;
    MetricsChart *m_kv = nullptr;
    MetricsChart *m_ttft = nullptr;
    MetricsChart *m_itl = nullptr;
    MetricsChart *m_gpuUtil = nullptr;
    MetricsChart *m_gpuPower = nullptr;
    QGroupBox *m_clusterGpuGroup = nullptr;
    QLabel *m_prometheusLabel = nullptr;
    QLineEdit *m_prometheusEdit = nullptr;
    QLabel *m_clusterGpuStatus = nullptr;
    MetricsChart *m_dcgmUtil = nullptr;
    MetricsChart *m_dcgmMemory = nullptr;
    MetricsChart *m_dcgmPower = nullptr;
};

} // namespace slipway::ui
