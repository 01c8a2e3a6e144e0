// The Metrics panel's GPU box for a cluster deployment, offscreen, against a real Prometheus
// (Debian's package) scraping the DCGM test exporter: the exporter's gpu-node-1 page reaches
// Prometheus with `exported_pod` (ds-r1-0), its gpu-node-2 page with plain `pod` (ds-r1-1), and
// both pods of the deployment ds-r1 must show, per pod and GPU, with the exporter's values; the
// pod of another namespace and idle GPUs must not. Queried through the Kubernetes API test
// server's service proxy to thanos-querier (as on OpenShift), then through a Prometheus URL typed
// in the panel; bad sources say what is wrong.
#include "kube_test_server.h"
#include "prometheus_test_stack.h"

#include "metrics/metrics_chart.h"
#include "metrics/metrics_panel.h"
#include "workloads/cluster_workloads.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace slipway;
using namespace slipway::ui;
using slipway::testing::KubeTestServer;
using slipway::testing::PrometheusTestStack;

namespace {

constexpr int kWait = 20000;
const QString kPod0 = QStringLiteral("ds-r1-0 · GPU 0"); // exported_pod on gpu-node-1
const QString kPod1 = QStringLiteral("ds-r1-1 · GPU 0"); // pod on gpu-node-2

double newest(const MetricsPanel &panel, const char *name, const std::string &pod)
{
    const metrics::TimeSeries *series = panel.model()->store().series({name, MetricsSeriesModel::clusterGpuLabels(pod, "0")});
    if (!series || series->points().empty())
        return std::nan("");
    return series->points().back().value;
}

} // namespace

class TestMetricsClusterGpus final : public QObject {
    Q_OBJECT

    std::unique_ptr<PrometheusTestStack> m_prometheus;
    std::unique_ptr<KubeTestServer> m_kube;

    ClusterGpuSource source(const QString &url) const
    {
        kube::DeploymentInfo d;
        d.name = "ds-r1";
        d.namespaceName = "llm";
        d.mode = "lws";
        ClusterGpuSource s;
        s.prometheusUrl = url;
        s.bearerToken = QString::fromLatin1(KubeTestServer::kAdminToken);
        s.tls = m_kube->connection().tls;
        s.namespaceName = QStringLiteral("llm");
        s.podRegex = deploymentPodRegex(d);
        s.deployment = QStringLiteral("ds-r1");
        return s;
    }
    // Both pods of ds-r1 are charted with the exporter's readings, and nothing else.
    void verifyBothPods(MetricsPanel &panel)
    {
        QTRY_VERIFY2_WITH_TIMEOUT(panel.clusterGpuLabels().size() == 2 && !std::isnan(newest(panel, "dcgm_util", "ds-r1-1")),
                                  qPrintable(panel.clusterGpuStatusText()), kWait);
        QVERIFY(panel.clusterGpuLabels().contains(kPod0));
        QVERIFY(panel.clusterGpuLabels().contains(kPod1));
        QCOMPARE(newest(panel, "dcgm_util", "ds-r1-0"), 87.0);
        QCOMPARE(newest(panel, "dcgm_util", "ds-r1-1"), 12.5);
        QCOMPARE(newest(panel, "dcgm_memory_used", "ds-r1-0"), 71234.0 / 1024.0);
        QCOMPARE(newest(panel, "dcgm_memory_free", "ds-r1-1"), (81559.0 - 40960.0) / 1024.0);
        QCOMPARE(newest(panel, "dcgm_power", "ds-r1-0"), 612.5);
        QCOMPARE(newest(panel, "dcgm_temperature", "ds-r1-1"), 48.0);
        QVERIFY(panel.clusterGpuStatusText().contains(QStringLiteral("NVIDIA H100 80GB HBM3")));
        QVERIFY(!panel.clusterGpuStatusText().contains(QStringLiteral("other-0")));
        QTRY_VERIFY_WITH_TIMEOUT(panel.chart(QStringLiteral("dcgm_util"))->pointCount() >= 2, kWait);
        QVERIFY(panel.chart(QStringLiteral("dcgm_memory"))->pointCount() >= 4);
        QVERIFY(panel.chart(QStringLiteral("dcgm_power"))->pointCount() >= 4);
    }

private slots:
    void initTestCase()
    {
        QString why;
        if (PrometheusTestStack::findPrometheus(&why).isEmpty())
            QSKIP(qPrintable(why));
        m_prometheus = std::make_unique<PrometheusTestStack>();
        QString error;
        QVERIFY2(m_prometheus->start(&error), qPrintable(error));
        m_kube = std::make_unique<KubeTestServer>();
        QVERIFY2(m_kube->start(&error), qPrintable(error));
        // OpenShift's thanos-querier Service; the test server's proxy leads to the real Prometheus.
        QVERIFY(m_kube->control("objects", R"({"objects": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "openshift-monitoring"}},
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "thanos-querier", "namespace": "openshift-monitoring"},
             "spec": {"ports": [{"name": "web", "port": 9091}]}}]})").find("ERROR") == std::string::npos);
        const std::string reply = m_kube->control("proxy", "{\"namespace\": \"openshift-monitoring\", \"kind\": \"services\", \"name\": "
                                                           "\"thanos-querier\", \"upstream\": \"" + m_prometheus->prometheusUrl() + "\"}");
        QVERIFY2(reply.find("\"ok\":true") != std::string::npos, reply.c_str());
    }

    void podAndExportedPodBothShowThroughTheServiceProxy()
    {
        MetricsPanel panel(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
        panel.setIntervalSeconds(1);
        const QString url = thanosQuerierProxyUrl(QString::fromStdString(m_kube->server()));
        QVERIFY(url.endsWith(QStringLiteral("/api/v1/namespaces/openshift-monitoring/services/https:thanos-querier:9091/proxy")));
        panel.setClusterGpuSource(source(url));
        QVERIFY(panel.clusterGpusVisible());
        verifyBothPods(panel);
        // The queries went through the API server's service proxy, with the user's token.
        const QJsonArray requests = QJsonDocument::fromJson(QByteArray::fromStdString(m_kube->controlGet("requests"))).array();
        bool proxied = false;
        for (const QJsonValue &r : requests)
            proxied = proxied || r.toObject()[QStringLiteral("path")].toString().endsWith(
                                     QStringLiteral("/services/https:thanos-querier:9091/proxy/api/v1/query"));
        QVERIFY(proxied);
        // The token is not on screen.
        for (QLineEdit *edit : panel.findChildren<QLineEdit *>())
            QVERIFY(!edit->text().contains(QString::fromLatin1(KubeTestServer::kAdminToken)));
        QVERIFY(!panel.clusterGpuStatusText().contains(QString::fromLatin1(KubeTestServer::kAdminToken)));
        panel.pause();
    }

    void aPrometheusUrlTypedByTheUserWorksToo()
    {
        MetricsPanel panel(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
        panel.setIntervalSeconds(1);
        // Start from a cluster proxy that refuses (no such Service), then type the Prometheus URL.
        panel.setClusterGpuSource(source(QString::fromStdString(m_kube->server()) +
                                         QStringLiteral("/api/v1/namespaces/openshift-monitoring/services/https:missing:9091/proxy")));
        QTRY_VERIFY_WITH_TIMEOUT(panel.clusterGpuStatusText().startsWith(QStringLiteral("GPU figures unavailable")), kWait);
        auto *edit = panel.findChild<QLineEdit *>(QStringLiteral("metricsPrometheus"));
        QVERIFY(edit);
        edit->setText(QString::fromStdString(m_prometheus->prometheusUrl()));
        emit edit->editingFinished();
        QCOMPARE(panel.clusterGpuSource().prometheusUrl, QString::fromStdString(m_prometheus->prometheusUrl()));
        verifyBothPods(panel);
        // Emptying the field goes back to the URL found for the cluster.
        edit->clear();
        emit edit->editingFinished();
        QVERIFY(panel.clusterGpuSource().prometheusUrl.contains(QStringLiteral("https:missing:9091")));
        // Another engine as the source ends the cluster GPU box.
        panel.setSource(QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(!panel.clusterGpusVisible());
        panel.pause();
    }

    void noSeriesForThePodsSaysWhatToCheck()
    {
        MetricsPanel panel(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
        panel.setIntervalSeconds(1);
        ClusterGpuSource s = source(QString::fromStdString(m_prometheus->prometheusUrl()));
        s.namespaceName = QStringLiteral("elsewhere");
        panel.setClusterGpuSource(s);
        QTRY_VERIFY_WITH_TIMEOUT(panel.clusterGpuStatusText().contains(QStringLiteral("no DCGM series")), kWait);
        QVERIFY(panel.clusterGpuStatusText().contains(QStringLiteral("elsewhere")));
        QVERIFY(panel.clusterGpuLabels().isEmpty());
        s.prometheusUrl = QStringLiteral("ftp://prometheus");
        panel.setClusterGpuSource(s);
        QTRY_VERIFY_WITH_TIMEOUT(panel.clusterGpuStatusText().contains(QStringLiteral("not an http:// or https://")), kWait);
        panel.pause();
    }

    void podRegexFollowsTheMode()
    {
        kube::DeploymentInfo d;
        d.name = "granite";
        d.mode = "kserve";
        QCOMPARE(deploymentPodRegex(d), QStringLiteral("granite-predictor-.*"));
        d.mode = "deployment";
        QCOMPARE(deploymentPodRegex(d), QStringLiteral("granite-.*"));
        const std::string query = clusterGpuQuery(source(QStringLiteral("http://p")));
        QCOMPARE(query, std::string("{__name__=~\"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_FB_USED|DCGM_FI_DEV_FB_FREE|"
                                    "DCGM_FI_DEV_POWER_USAGE|DCGM_FI_DEV_GPU_TEMP\",exported_namespace=\"llm\",exported_pod=~\"ds-r1-.*\"} or "
                                    "{__name__=~\"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_FB_USED|DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_POWER_USAGE|"
                                    "DCGM_FI_DEV_GPU_TEMP\",namespace=\"llm\",pod=~\"ds-r1-.*\",exported_namespace=\"\"}"));
    }
};

QTEST_MAIN(TestMetricsClusterGpus)
#include "test_metrics_cluster_gpus.moc"
