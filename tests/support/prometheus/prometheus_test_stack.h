#pragma once
// A real Prometheus (Debian's /usr/bin/prometheus, or $SLIPWAY_PROMETHEUS) scraping the DCGM test
// exporter (dcgm_test_exporter.mjs) every second, in a temporary folder, for the metrics and UI
// tests. The exporter's gpu-node-1 page reaches Prometheus with `exported_pod` (pod ds-r1-0), its
// gpu-node-2 page with plain `pod` (ds-r1-1; other-0 in team-b); see prometheus.yml.in. Given a
// running slipway-engine, it scrapes that too (engine-job.yml.in).
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <string>

#include "net/http_client.h"

namespace slipway::testing {

// GET with a 5 s limit; an empty Response (status 0) when the request fails.
net::Response httpGet(const std::string &url);
// Stops a child: SIGTERM first (Prometheus closes its TSDB cleanly), SIGKILL after 5 s.
void stopProcess(QProcess &process);

class PrometheusTestStack final {
public:
    PrometheusTestStack();
    ~PrometheusTestStack();
    PrometheusTestStack(const PrometheusTestStack &) = delete;
    PrometheusTestStack &operator=(const PrometheusTestStack &) = delete;

    // The prometheus executable, or empty (with the reason in *why).
    static QString findPrometheus(QString *why);
    // Starts the exporter and Prometheus and waits until both DCGM jobs' series are queryable;
    // engineUrl (http://host:port of a slipway-engine --enable-metrics, or empty) is scraped as
    // the job slipway-engine.
    bool start(QString *error, const std::string &engineUrl = {});

    std::string prometheusUrl() const { return m_prometheusUrl; }
    int exporterPort() const { return m_exporterPort; }

private:
    bool startExporter(QString *error);
    bool startPrometheus(const QString &program, QString *error);

    QTemporaryDir m_dir;
    QProcess m_exporter;
    QProcess m_prometheus;
    int m_exporterPort = 0;
    std::string m_engineUrl;
    std::string m_prometheusUrl;
};

} // namespace slipway::testing
