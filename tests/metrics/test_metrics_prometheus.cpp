// core/metrics' Prometheus HTTP API client against the test server's /api/v1/query and
// /api/v1/query_range (JSON as Prometheus writes it), plus the API JSON parser on its own.
#include "metrics/gpu_readings.h"
#include "metrics/prometheus_client.h"
#include "test_http_server.h"

#include <QtTest>

#include <cmath>

using namespace slipway::metrics;
using slipway::testing::TestHttpServer;

namespace {

const char *kToken = "sha256~prom-token-abcdef";

bool contains(const std::string &text, const char *needle)
{
    return text.find(needle) != std::string::npos;
}

} // namespace

class TestMetricsPrometheus : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestHttpServer> m_server;

    PrometheusClient client(const std::string &token = kToken, const std::string &ns = {}) const
    {
        PrometheusEndpoint endpoint;
        endpoint.baseUrl = m_server->baseUrl();
        endpoint.bearerToken = token;
        endpoint.namespaceName = ns;
        return PrometheusClient(endpoint);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<TestHttpServer>(QStringList{"--bearer", kToken});
        QString error;
        if (!m_server->start(&error))
            QSKIP(qPrintable(error));
    }

    void instantQueryGivesLabelledSeries()
    {
        const std::string promql = workloadQuery("DCGM_FI_DEV_GPU_UTIL", "llm", "ds-r1-.*");
        const auto result = client().query(promql, 1700000123.5);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->resultType, std::string("vector"));
        QCOMPARE(result->series.size(), std::size_t(2));
        // The query survived URL encoding byte for byte (braces, quotes, =~, spaces).
        QCOMPARE(labelValue(result->series[0].labels, "query").value_or(""), std::string_view(promql));
        QCOMPARE(result->series[0].metricName(), std::string("DCGM_FI_DEV_GPU_UTIL"));
        QCOMPARE(result->series[0].points.size(), std::size_t(1));
        QCOMPARE(result->series[0].points[0].time, 1700000123.5);
        QCOMPARE(result->series[0].points[0].value, 87.0);
        QCOMPARE(result->series[1].points[0].value, 12.5);

        // Query results feed the same GPU readings as an exporter page.
        const auto readings = gpuReadings(toSamples(*result));
        QCOMPARE(readings.size(), std::size_t(2));
        QCOMPARE(readings[0].pod, std::string("ds-r1-0"));       // from exported_pod
        QCOMPARE(readings[0].namespaceName, std::string("llm")); // from exported_namespace
        QCOMPARE(readings[1].pod, std::string("ds-r1-1"));       // from pod
        QCOMPARE(readings[1].utilizationPercent.value_or(-1), 12.5);
    }

    void tenancyNamespaceIsPassed()
    {
        const auto result = client(kToken, "team-a").query("up");
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(namespaceOf(result->series[1].labels), std::string("team-a"));
    }

    void rangeQueryGivesPointsWithGaps()
    {
        const auto result = client().queryRange("sglang:num_running_reqs", 1000, 1040, 10);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->resultType, std::string("matrix"));
        QCOMPARE(result->series.size(), std::size_t(1));
        const auto &points = result->series[0].points;
        QCOMPARE(points.size(), std::size_t(5));
        QCOMPARE(points[0].time, 1000.0);
        QCOMPARE(points[4].value, 40.0);
        QVERIFY(std::isnan(points[2].value));
        QCOMPARE(labelValue(result->series[0].labels, "model_name").value_or(""), std::string_view("m"));

        const auto tooMany = client().queryRange("up", 0, 1e6, 1);
        QVERIFY(!tooMany.ok());
        QVERIFY(contains(tooMany.message(), "11,000 points"));
    }

    void scalarResult()
    {
        const auto result = client().query("scalar(sum(up))");
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->resultType, std::string("scalar"));
        QCOMPARE(result->series.at(0).points.at(0).value, 1.5);
    }

    void badQueryShowsPrometheusExplanation()
    {
        const auto result = client().query("rate(sglang:generation_tokens_total[1m]");
        QVERIFY(!result.ok());
        QVERIFY2(contains(result.message(), "Prometheus rejected the query: bad_data"), result.message().c_str());
        QVERIFY(contains(result.message(), "unclosed left parenthesis"));
    }

    void rejectedTokenIsExplainedAndNeverShown()
    {
        const auto result = client("sha256~wrong-token-999").query("up");
        QVERIFY(!result.ok());
        QVERIFY2(contains(result.message(), "HTTP 401") && contains(result.message(), "log in again"),
                 result.message().c_str());
        QVERIFY(!contains(result.message(), "wrong-token-999"));
        const auto none = client("").query("up");
        QVERIFY(!none.ok());
        QVERIFY(contains(none.message(), "needs a bearer token"));
    }

    void unreachablePrometheusIsExplained()
    {
        PrometheusEndpoint endpoint;
        endpoint.baseUrl = "http://no-such-prometheus.invalid:9091";
        const auto result = PrometheusClient(endpoint).query("up");
        QVERIFY(!result.ok());
        QVERIFY2(contains(result.message(), "cannot query Prometheus") && contains(result.message(), "DNS"),
                 result.message().c_str());
    }

    void parserRejectsWhatIsNotTheApi_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::addRow("html") << "<html>login</html>" << "not Prometheus API JSON";
        QTest::addRow("no status") << "{\"data\":{}}" << "no \"status\": \"success\"";
        QTest::addRow("error") << "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}"
                               << "timeout: query timed out";
        QTest::addRow("string result") << "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}"
                                       << "returned a string";
        QTest::addRow("bad value") << "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}"
                                   << "malformed";
    }
    void parserRejectsWhatIsNotTheApi()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        const auto result = parseQueryResponse(json.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.message()).contains(message), result.message().c_str());
    }

    void warningsAreKept()
    {
        const auto result = client().query("up_warn");
        QVERIFY(result.ok());
        QCOMPARE(result->warnings.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestMetricsPrometheus)
#include "test_metrics_prometheus.moc"
