#include "metrics/metrics_worker.h"

#include "metrics/exposition.h"
#include "metrics/labels.h"
#include "metrics/nvml_reader.h"
#include "metrics/prometheus_client.h"
#include "net/http_client.h"
#include "net/http_error.h"

#include <QDateTime>
#include <QTimer>
#include <QUrl>

#include <algorithm>

namespace slipway::ui {

namespace {

const char *const kDcgmFields[] = {"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
                                   "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_TEMP"};

} // namespace

QString thanosQuerierProxyUrl(const QString &apiServer) {
    QString base = apiServer.trimmed();
    while (base.endsWith(QLatin1Char('/'))) base.chop(1);
    return base + QStringLiteral("/api/v1/namespaces/openshift-monitoring/services/https:thanos-querier:9091/proxy");
}

std::string clusterGpuQuery(const ClusterGpuSource &source) {
    return metrics::workloadQuery(std::vector<std::string>(std::begin(kDcgmFields), std::end(kDcgmFields)),
                                  source.namespaceName.toStdString(), source.podRegex.toStdString());
}

MetricsWorker::MetricsWorker(QString nvmlLibrary) : m_nvmlLibrary(std::move(nvmlLibrary)) {}

MetricsWorker::~MetricsWorker() = default;

QString MetricsWorker::metricsUrl(const QString &url) {
    QString u = url.trimmed();
    if (u.isEmpty()) return u;
    while (u.endsWith(QLatin1Char('/'))) u.chop(1);
    if (u.endsWith(QLatin1String("/v1"))) u.chop(3);
    if (!u.endsWith(QLatin1String("/metrics"))) u += QStringLiteral("/metrics");
    return u;
}

void MetricsWorker::ensureTimer() {
    if (m_timer) return;
    m_timer = new QTimer(this);
    m_timer->setInterval(m_interval);
    connect(m_timer, &QTimer::timeout, this, &MetricsWorker::sampleNow);
}

void MetricsWorker::setSource(const QString &url) {
    const QString next = metricsUrl(url);
    if (next == m_source) return;
    m_source = next;
    m_previous.reset(); // rates never span two different engines
}

void MetricsWorker::setInterval(int milliseconds) {
    m_interval = std::max(250, milliseconds);
    if (m_timer) m_timer->setInterval(m_interval);
}

void MetricsWorker::start() {
    ensureTimer();
    m_timer->start();
    sampleNow();
}

void MetricsWorker::pause() {
    if (m_timer) m_timer->stop();
}

void MetricsWorker::sampleNow() {
    MetricsSample sample;
    sample.time = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    sample.source = m_source;
    if (m_source.isEmpty()) {
        sample.error = tr("No source: enter the engine's URL, or start the Local engine.");
    } else if (const QUrl url(m_source); !url.isValid() || url.host().isEmpty() ||
               (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        sample.error = tr("\"%1\" is not an http:// or https:// URL.").arg(m_source);
    } else {
        net::Request request;
        request.url = m_source.toStdString();
        request.tls = m_tls;
        if (!m_bearer.isEmpty())
            request.headers.push_back({"Authorization", "Bearer " + m_bearer.toStdString()});
        request.timeouts.connect = std::chrono::milliseconds(std::min(m_interval, 3000));
        request.timeouts.total = std::chrono::milliseconds(std::max(m_interval, 2000));
        const auto response = net::perform(request);
        if (!response.ok()) {
            sample.error = QString::fromStdString(response.message());
        } else if (!response->isSuccess()) {
            sample.error = tr("%1 answered HTTP %2; start the engine with --enable-metrics.")
                               .arg(m_source)
                               .arg(response->status);
        } else if (auto parsed = metrics::parseExposition(response->body); !parsed.ok()) {
            sample.error = tr("%1 is not Prometheus text: %2").arg(m_source, QString::fromStdString(parsed.message()));
        } else {
            metrics::Scrape scrape{sample.time, std::move(parsed.value())};
            sample.figures = engineFigures(m_previous, scrape);
            sample.ok = true;
            m_previous = std::move(scrape);
        }
    }
    if (m_gpuSource.isSet()) queryClusterGpus(sample);
    if (!m_nvmlLibrary.isEmpty()) {
        if (!m_nvmlTried) {
            m_nvmlTried = true;
            auto opened = metrics::NvmlReader::open(m_nvmlLibrary.toStdString());
            if (opened.ok()) m_nvml = std::move(opened.value());
            else m_nvmlError = QString::fromStdString(opened.message());
        }
        if (m_nvml) {
            auto readings = m_nvml->read();
            if (readings.ok()) sample.gpus = std::move(readings.value());
            else sample.gpuError = QString::fromStdString(readings.message());
        } else {
            sample.gpuError = m_nvmlError;
        }
    }
    emit sampled(sample);
}

void MetricsWorker::setClusterGpuSource(const ClusterGpuSource &source) {
    m_gpuSource = source;
}

void MetricsWorker::queryClusterGpus(MetricsSample &sample) {
    sample.clusterGpusQueried = true;
    const QUrl url(m_gpuSource.prometheusUrl);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        sample.clusterGpuError = tr("\"%1\" is not an http:// or https:// Prometheus URL.").arg(m_gpuSource.prometheusUrl);
        return;
    }
    metrics::PrometheusEndpoint endpoint;
    endpoint.baseUrl = m_gpuSource.prometheusUrl.toStdString();
    // The user's token never travels in clear text.
    if (url.scheme() == QLatin1String("https")) endpoint.bearerToken = m_gpuSource.bearerToken.toStdString();
    endpoint.tls = m_gpuSource.tls;
    endpoint.timeout = std::chrono::milliseconds(std::clamp(m_interval, 2000, 10000));
    const metrics::PrometheusClient client(endpoint);
    auto result = client.query(clusterGpuQuery(m_gpuSource));
    if (!result.ok()) {
        sample.clusterGpuError = QString::fromStdString(result.message());
        return;
    }
    sample.clusterGpus = metrics::gpuReadings(metrics::toSamples(result.value()));
    if (sample.clusterGpus.empty())
        sample.clusterGpuError = tr("Prometheus has no DCGM series for the pods of %1 in namespace %2: check that the "
                                    "pods run on GPUs and that the GPU operator's DCGM exporter is scraped "
                                    "(its ServiceMonitor, cluster monitoring).")
                                     .arg(m_gpuSource.deployment, m_gpuSource.namespaceName);
}

void MetricsWorker::setCredentials(const QString &bearerToken, const net::TlsOptions &tls)
{
    m_bearer = bearerToken;
    m_tls = tls;
}

} // namespace slipway::ui
