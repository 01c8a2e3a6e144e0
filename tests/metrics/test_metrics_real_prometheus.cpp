// core/metrics against a real Prometheus server (the Debian package's /usr/bin/prometheus),
// started by the test in a temporary folder and scraping every second:
//   - tests/support/prometheus/dcgm_test_exporter.mjs: DCGM exporter pages for two GPU nodes,
//     one scraped with the exporter pod's target labels (so Prometheus renames the workload's
//     pod/namespace to exported_pod/exported_namespace) and one without (plain pod/namespace);
//     the same script is a thanos-querier-like tenancy proxy that requires ?namespace=;
//   - a real slipway-engine --enable-metrics on the tiny Qwen2 fixture (when built), serving
//     SGLang's `sglang:` counters and histograms.
// PrometheusClient's instant and range queries, gpuReadings, workloadQuery and core/metrics'
// histogram quantile are checked against what the real server computes.
#include "metrics/gpu_readings.h"
#include "metrics/histogram.h"
#include "metrics/prometheus_client.h"
#include "net/http_client.h"
#include "prometheus_test_stack.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>


#include <algorithm>
#include <cmath>

using namespace slipway::metrics;
using slipway::testing::PrometheusTestStack;
namespace net = slipway::net;

namespace {

bool contains(const std::string &text, std::string_view needle)
{
    return text.find(needle) != std::string::npos;
}

double now()
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

QString findEngine()
{
    const QStringList candidates{qEnvironmentVariable("SLIPWAY_ENGINE"),
                                 QStringLiteral(SLIPWAY_BINARY_DIR "/engine/server/app/slipway-engine"),
                                 QStringLiteral(SLIPWAY_BINARY_DIR "/bin/slipway-engine"),
                                 QStringLiteral(SLIPWAY_SOURCE_DIR "/build/engine/server/app/slipway-engine"),
                                 QStringLiteral(SLIPWAY_SOURCE_DIR "/build/bin/slipway-engine")};
    for (const QString &c : candidates) {
        if (!c.isEmpty() && QFileInfo(c).isExecutable())
            return c;
    }
    return {};
}

// The histogram family `name` from an instant query of its _bucket series, as core/metrics
// reads it from an exporter page.
std::optional<Histogram> histogramFromQuery(const QueryResult &buckets, const std::string &name)
{
    Exposition exposition;
    exposition.families.push_back(MetricFamily{name, MetricType::Histogram, {}, toSamples(buckets)});
    return histogram(exposition, name);
}

const GpuReading *readingFor(const std::vector<GpuReading> &readings, const std::string &uuid)
{
    const auto it = std::find_if(readings.begin(), readings.end(), [&](const GpuReading &r) { return r.uuid == uuid; });
    return it == readings.end() ? nullptr : &*it;
}

} // namespace

class TestMetricsRealPrometheus : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PrometheusTestStack> m_stack;  // the DCGM test exporter and Prometheus
    QProcess m_engine;
    std::string m_engineUrl;     // empty when no engine runs
    QString m_noEngineReason;
    std::string m_prometheusUrl;

    std::string exporterUrl(const std::string &path) const
    {
        return "http://127.0.0.1:" + std::to_string(m_stack->exporterPort()) + path;
    }

    PrometheusClient client(const std::string &baseUrl = {}, const std::string &ns = {}) const
    {
        PrometheusEndpoint endpoint;
        endpoint.baseUrl = baseUrl.empty() ? m_prometheusUrl : baseUrl;
        endpoint.namespaceName = ns;
        endpoint.timeout = std::chrono::milliseconds(5000);
        return PrometheusClient(endpoint);
    }

    // The single value of an instant query, or unset.
    std::optional<double> scalarOf(const std::string &promql, std::optional<double> time = std::nullopt) const
    {
        const auto result = client().query(promql, time);
        if (!result.ok() || result->series.size() != 1 || result->series[0].points.empty())
            return std::nullopt;
        return result->series[0].points.back().value;
    }

    // A real engine on the tiny Qwen2 fixture; false (with the reason) when none is built.
    bool startEngine(QString *reason)
    {
        const QString engine = findEngine();
        if (engine.isEmpty()) {
            *reason = QStringLiteral("slipway-engine is not built (build it, or set SLIPWAY_ENGINE)");
            return false;
        }
        m_engine.setProcessChannelMode(QProcess::MergedChannels);
        m_engine.start(engine, {QStringLiteral("--model-path"),
                                QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/engine/fixtures/qwen2-tiny-bf16"),
                                QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--host"),
                                QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QStringLiteral("0"),
                                QStringLiteral("--served-model-name"), QStringLiteral("tiny"),
                                QStringLiteral("--enable-metrics"), QStringLiteral("--threads"), QStringLiteral("1")});
        const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
        QByteArray output;
        const QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() && m_engine.state() != QProcess::NotRunning) {
            m_engine.waitForReadyRead(100);
            output += m_engine.readAll();
            const auto match = listening.match(QString::fromUtf8(output));
            if (!match.hasMatch())
                continue;
            m_engineUrl = match.captured(1).toStdString();
            // Listening is not serving: /health_generate answers 200 once a generation works.
            while (!deadline.hasExpired()) {
                if (slipway::testing::httpGet(m_engineUrl + "/health_generate").status == 200)
                    return true;
                QTest::qWait(100);
            }
            break;
        }
        qWarning("engine output: %s", output.right(2000).constData());
        QTest::qFail("slipway-engine is built but did not start serving", __FILE__, __LINE__);
        m_engineUrl.clear();
        return false;
    }

    // core/metrics' quantile of `ours` against Prometheus' histogram_quantile(q, `promBuckets`)
    // evaluated at `at`, for each q.
    void compareQuantiles(const std::string &what, const Histogram &ours, const std::string &promBuckets, double at,
                          std::initializer_list<double> qs) const
    {
        for (const double q : qs) {
            char qText[32];
            std::snprintf(qText, sizeof qText, "%g", q);
            const auto theirs = scalarOf("histogram_quantile(" + std::string(qText) + ", " + promBuckets + ")", at);
            QVERIFY2(theirs && std::isfinite(*theirs), qPrintable(QStringLiteral("no histogram_quantile for ") +
                                                                   QString::fromStdString(promBuckets)));
            const auto mine = quantile(ours, q);
            QVERIFY(mine);
            QVERIFY2(std::abs(*mine - *theirs) <= 1e-9 + 1e-6 * std::abs(*theirs),
                     qPrintable(QStringLiteral("%1 q=%2: core/metrics %3, Prometheus %4")
                                    .arg(QString::fromStdString(what)).arg(q).arg(*mine, 0, 'g', 12)
                                    .arg(*theirs, 0, 'g', 12)));
        }
    }

private slots:
    void initTestCase()
    {
        QString why;
        if (PrometheusTestStack::findPrometheus(&why).isEmpty())
            QSKIP(qPrintable(why + QStringLiteral(" (installer/setup.sh installs it)")));
        if (!startEngine(&m_noEngineReason) && QTest::currentTestFailed())
            return;
        m_stack = std::make_unique<PrometheusTestStack>();
        QString error;
        QVERIFY2(m_stack->start(&error, m_engineUrl), qPrintable(error));
        m_prometheusUrl = m_stack->prometheusUrl();
    }

    void cleanupTestCase()
    {
        m_stack.reset();
        slipway::testing::stopProcess(m_engine);
    }

    // Every target scraped: `up` is 1 for each job, read through PrometheusClient.
    void everyTargetIsUp()
    {
        QStringList jobs{QStringLiteral("dcgm-exporter-static"), QStringLiteral("nvidia-dcgm-exporter"),
                         QStringLiteral("vllm-fixture")};
        if (!m_engineUrl.empty())
            jobs << QStringLiteral("slipway-engine");
        jobs.sort();
        QStringList upJobs;
        std::string last;
        const QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            const auto result = client().query("up");
            QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
            QCOMPARE(result->resultType, std::string("vector"));
            upJobs.clear();
            for (const QuerySeries &s : result->series) {
                if (!s.points.empty() && s.points.back().value == 1.0)
                    upJobs << QString::fromStdString(std::string(labelValue(s.labels, "job").value_or("")));
            }
            upJobs.sort();
            if (upJobs == jobs)
                return;
            QTest::qWait(200);
        }
        QFAIL(qPrintable(QStringLiteral("targets not up after 15 s; up: ") + upJobs.join(u',') +
                         QStringLiteral("; expected: ") + jobs.join(u',')));
    }

    // An instant query of the DCGM gauges gives one reading per GPU with the exporter's numbers,
    // the workload attributed through exported_pod (renamed by Prometheus) or plain pod.
    void dcgmReadingsPerGpu()
    {
        const auto result = client().query("{__name__=~\"DCGM_FI_DEV_(GPU_UTIL|FB_USED|FB_FREE|POWER_USAGE|GPU_TEMP)\"}");
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->series.size(), std::size_t(4 * 5));

        // Prometheus itself did the renaming: the node-1 workload series carries both.
        bool sawRenamed = false;
        for (const QuerySeries &s : result->series) {
            if (labelValue(s.labels, "exported_pod") == std::optional<std::string_view>("ds-r1-0")) {
                sawRenamed = true;
                QCOMPARE(labelValue(s.labels, "pod").value_or(""), std::string_view("nvidia-dcgm-exporter-7xk2p"));
                QCOMPARE(labelValue(s.labels, "namespace").value_or(""), std::string_view("nvidia-gpu-operator"));
                QCOMPARE(labelValue(s.labels, "exported_namespace").value_or(""), std::string_view("llm"));
            }
        }
        QVERIFY2(sawRenamed, "no series with exported_pod: Prometheus did not rename the exporter's pod label");

        const auto readings = gpuReadings(toSamples(*result));
        QCOMPARE(readings.size(), std::size_t(4));

        // The exporter's own record of what it serves.
        const auto source = slipway::testing::httpGet(exporterUrl("/readings.json"));
        QCOMPARE(source.status, 200L);
        const QJsonArray expected = QJsonDocument::fromJson(QByteArray::fromStdString(source.body)).array();
        QCOMPARE(expected.size(), 4);
        for (const QJsonValue &v : expected) {
            const QJsonObject e = v.toObject();
            const GpuReading *r = readingFor(readings, e.value("uuid").toString().toStdString());
            QVERIFY2(r, qPrintable("no reading for GPU " + e.value("uuid").toString()));
            QCOMPARE(QString::fromStdString(r->hostname), e.value("hostname").toString());
            QCOMPARE(QString::fromStdString(r->gpu), e.value("gpu").toString());
            QCOMPARE(QString::fromStdString(r->modelName), e.value("modelName").toString());
            QCOMPARE(QString::fromStdString(r->pod), e.value("pod").toString());
            QCOMPARE(QString::fromStdString(r->namespaceName), e.value("namespace").toString());
            QCOMPARE(QString::fromStdString(r->container), e.value("container").toString());
            QCOMPARE(r->utilizationPercent.value_or(-1), e.value("util").toDouble());
            QCOMPARE(r->memoryUsedMiB.value_or(-1), e.value("used").toDouble());
            QCOMPARE(r->memoryFreeMiB.value_or(-1), e.value("free").toDouble());
            QCOMPARE(r->powerWatts.value_or(-1), e.value("power").toDouble());
            QCOMPARE(r->temperatureC.value_or(-1), e.value("temp").toDouble());
        }

        // The cases that matter, spelled out.
        const GpuReading *viaExported = readingFor(readings, "GPU-1f0e7a52-3c1d-4b7e-9a51-0b1c2d3e4f01");
        QVERIFY(viaExported);
        QCOMPARE(viaExported->pod, std::string("ds-r1-0"));
        QCOMPARE(viaExported->namespaceName, std::string("llm"));
        QCOMPARE(viaExported->utilizationPercent.value_or(-1), 87.0);
        QCOMPARE(viaExported->memoryTotalMiB().value_or(-1), 81559.0);
        QCOMPARE(viaExported->powerWatts.value_or(-1), 612.5);
        const GpuReading *idle = readingFor(readings, "GPU-1f0e7a52-3c1d-4b7e-9a51-0b1c2d3e4f02");
        QVERIFY(idle);
        QCOMPARE(idle->pod, std::string()); // only the exporter's own pod label: not a workload
        const GpuReading *viaPlain = readingFor(readings, "GPU-2a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c01");
        QVERIFY(viaPlain);
        QCOMPARE(viaPlain->pod, std::string("ds-r1-1"));
        QCOMPARE(viaPlain->hostname, std::string("gpu-node-2"));
    }

    // workloadQuery finds the namespace's pods under both label styles, each GPU once.
    void workloadQueryMatchesBothStylesOnce()
    {
        const std::string util = workloadQuery("DCGM_FI_DEV_GPU_UTIL", "llm", "ds-r1-.*");
        const auto result = client().query(util);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->series.size(), std::size_t(2));
        QStringList pods;
        for (const QuerySeries &s : result->series)
            pods << QString::fromStdString(podOf(s.labels));
        pods.sort();
        QCOMPARE(pods, (QStringList{QStringLiteral("ds-r1-0"), QStringLiteral("ds-r1-1")}));
        QCOMPARE(scalarOf("sum(" + util + ")").value_or(-1), 87.0 + 12.5);
        QCOMPARE(scalarOf("count(" + workloadQuery("DCGM_FI_DEV_FB_USED", "llm") + ")").value_or(-1), 2.0);
        QCOMPARE(scalarOf("sum(" + workloadQuery("DCGM_FI_DEV_FB_USED", "llm", "ds-r1-.*") + ")").value_or(-1),
                 71234.0 + 40960.0);
        // Another namespace's GPU and the idle GPU stay out; an unknown pod matches nothing.
        QCOMPARE(scalarOf("sum(" + workloadQuery("DCGM_FI_DEV_GPU_UTIL", "team-b") + ")").value_or(-1), 50.0);
        const auto none = client().query(workloadQuery("DCGM_FI_DEV_GPU_UTIL", "llm", "nope-.*"));
        QVERIFY(none.ok());
        QVERIFY(none->series.empty());
        // Several metrics in one query keep every series (joining single-metric queries with `or`
        // would drop all but the first metric, as `or` ignores the name): 2 pods × 3 metrics.
        const auto several = client().query(workloadQuery({"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_GPU_TEMP"},
                                                          "llm", "ds-r1-.*"));
        QVERIFY2(several.ok(), several.ok() ? "" : several.message().c_str());
        QCOMPARE(several->series.size(), std::size_t(6));
        const std::vector<GpuReading> readings = gpuReadings(toSamples(*several));
        QCOMPARE(readings.size(), std::size_t(2));
        for (const GpuReading &r : readings)
            QVERIFY(r.utilizationPercent && r.memoryUsedMiB && r.temperatureC);
        if (!m_engineUrl.empty()) {
            // The engine's series carry the workload as plain target labels.
            const auto engine = client().query(workloadQuery("sglang:num_running_reqs", "llm", "ds-r1-.*"));
            QVERIFY2(engine.ok(), engine.ok() ? "" : engine.message().c_str());
            QCOMPARE(engine->series.size(), std::size_t(1));
        }
    }

    // Real traffic to the engine: the token rate seen by Prometheus is positive, and core/metrics'
    // quantile over the scraped buckets equals Prometheus' histogram_quantile.
    void engineRateAndLatencyQuantiles()
    {
        if (m_engineUrl.empty())
            QSKIP(qPrintable(m_noEngineReason));
        const double start = now();
        for (int i = 0; i < 4; ++i) {
            net::Request request;
            request.method = "POST";
            request.url = m_engineUrl + "/v1/chat/completions";
            request.headers.push_back({"Content-Type", "application/json"});
            // A dozen tokens of a 2-layer model take milliseconds; the margin is for a loaded machine.
            request.timeouts.total = std::chrono::milliseconds(20000);
            request.body = "{\"model\":\"tiny\",\"max_tokens\":12,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                           "\"content\":\"count to " + std::to_string(i + 3) + "\"}]}";
            const auto response = net::perform(request);
            if (!response.ok() || response->status != 200)
                qWarning("request %d failed; engine output: %s", i, m_engine.readAll().right(3000).constData());
            QVERIFY2(response.ok() && response->status == 200,
                     response.ok() ? response->body.c_str() : response.message().c_str());
        }
        // The engine's own page after the traffic; wait until Prometheus has scraped the same.
        const auto page = slipway::testing::httpGet(m_engineUrl + "/metrics");
        QCOMPARE(page.status, 200L);
        const auto exposition = parseExposition(page.body);
        QVERIFY2(exposition.ok(), exposition.ok() ? "" : exposition.message().c_str());
        const double tokens = exposition->sum("sglang:generation_tokens_total").value_or(-1);
        const double ttftCount = exposition->sum("sglang:time_to_first_token_seconds_count").value_or(-1);
        const double itlCount = exposition->sum("sglang:inter_token_latency_seconds_count").value_or(-1);
        QVERIFY(tokens >= 4 * 12);
        QVERIFY(ttftCount >= 4);
        double at = 0;
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            at = now();
            if (scalarOf("sglang:generation_tokens_total", at) == tokens &&
                scalarOf("sglang:time_to_first_token_seconds_count", at) == ttftCount &&
                scalarOf("sglang:inter_token_latency_seconds_count", at) == itlCount)
                break;
            at = 0;
            QTest::qWait(200);
        }
        QVERIFY2(at > 0, "Prometheus did not scrape the engine's final counters within 10 s");

        // Steps counted back from `at`, so the last point evaluates the final scrape.
        const double steps = std::ceil(at - start) + 2;
        const auto rate = client().queryRange("rate(sglang:generation_tokens_total[5s])", at - steps, at, 1);
        QVERIFY2(rate.ok(), rate.ok() ? "" : rate.message().c_str());
        QCOMPARE(rate->resultType, std::string("matrix"));
        QCOMPARE(rate->series.size(), std::size_t(1));
        QCOMPARE(labelValue(rate->series[0].labels, "model_name").value_or(""), std::string_view("tiny"));
        double highest = 0;
        for (const Point &p : rate->series[0].points) {
            QVERIFY(std::isfinite(p.value));
            highest = std::max(highest, p.value);
        }
        QVERIFY2(highest > 0, "rate(sglang:generation_tokens_total[5s]) never rose above 0");

        for (const std::string &name : std::vector<std::string>{"sglang:time_to_first_token_seconds", "sglang:inter_token_latency_seconds"}) {
            const auto buckets = client().query(name + "_bucket", at);
            QVERIFY2(buckets.ok(), buckets.ok() ? "" : buckets.message().c_str());
            const auto scraped = histogramFromQuery(*buckets, name);
            QVERIFY2(scraped, name.c_str());
            const auto direct = histogram(*exposition, name);
            QVERIFY(direct);
            QCOMPARE(scraped->buckets.size(), direct->buckets.size());
            for (std::size_t i = 0; i < direct->buckets.size(); ++i) {
                QCOMPARE(scraped->buckets[i].upperBound, direct->buckets[i].upperBound);
                QCOMPARE(scraped->buckets[i].count, direct->buckets[i].count);
            }
            compareQuantiles(name + " (scraped)", *scraped, name + "_bucket", at, {0.5, 0.9, 0.99});
            compareQuantiles(name + " (engine page)", *direct, name + "_bucket", at, {0.5, 0.9, 0.99});
            if (QTest::currentTestFailed())
                return;
        }
    }

    // Buckets spread over many bounds, with observations above the highest finite bound:
    // interpolation inside buckets, the +Inf rule, one series and the sum of two, as scraped.
    void quantilesAgreeOnSpreadHistograms()
    {
        const std::string name = "vllm:time_to_first_token_seconds";
        const double at = now();
        const auto buckets = client().query(name + "_bucket", at);
        QVERIFY2(buckets.ok(), buckets.ok() ? "" : buckets.message().c_str());
        QCOMPARE(buckets->series.size(), std::size_t(2 * 17));
        Exposition exposition;
        exposition.families.push_back(MetricFamily{name, MetricType::Histogram, {}, toSamples(*buckets)});
        const std::initializer_list<double> qs{0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99};
        for (const char *model : {"ds-r1", "ds-v3"}) {
            const auto one = histogram(exposition, name, Labels{{"model_name", model}});
            QVERIFY(one);
            compareQuantiles(name + " " + model, *one, name + "_bucket{model_name=\"" + model + "\"}", at, qs);
            if (QTest::currentTestFailed())
                return;
        }
        const auto both = histogram(exposition, name);
        QVERIFY(both);
        QVERIFY(std::isinf(both->buckets.back().upperBound));
        QCOMPARE(both->buckets.back().count, 52.0 + 47.0);
        compareQuantiles(name + " summed", *both, "sum by (le) (" + name + "_bucket)", at, qs);
        // The rank of q=0.99 for ds-r1 lies in the +Inf bucket: the highest finite bound, on both sides.
        QCOMPARE(quantile(*histogram(exposition, name, Labels{{"model_name", "ds-r1"}}), 0.99).value_or(-1), 10.0);
    }

    void invalidPromqlIsExplained()
    {
        const auto unclosed = client().query("rate(sglang:generation_tokens_total[5s]");
        QVERIFY(!unclosed.ok());
        QVERIFY2(contains(unclosed.message(), "Prometheus rejected the query: bad_data") &&
                     contains(unclosed.message(), "parse error") &&
                     contains(unclosed.message(), "(query: rate(sglang:generation_tokens_total[5s])"),
                 unclosed.message().c_str());
        const auto wrongType = client().query("rate(DCGM_FI_DEV_GPU_UTIL)");
        QVERIFY(!wrongType.ok());
        QVERIFY2(contains(wrongType.message(), "bad_data") && contains(wrongType.message(), "range vector"),
                 wrongType.message().c_str());
        const auto badRange = client().queryRange("up", now() - 10, now(), 0);
        QVERIFY(!badRange.ok());
        QVERIFY(contains(badRange.message(), "positive number of seconds"));
    }

    // A namespaced endpoint (thanos-querier's tenancy port) sends ?namespace=; the proxy in front
    // of the real Prometheus refuses requests without it, as kube-rbac-proxy does.
    void tenancyNamespaceIsSent()
    {
        net::Request upstream;
        upstream.method = "POST";
        upstream.url = exporterUrl("/tenancy/upstream");
        upstream.body = m_prometheusUrl;
        const auto set = net::perform(upstream);
        QVERIFY(set.ok() && set->status == 204);

        const std::string proxy = exporterUrl("/tenancy");
        const std::string promql = workloadQuery("DCGM_FI_DEV_GPU_UTIL", "llm");
        const auto result = client(proxy, "llm").query(promql);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QCOMPARE(result->series.size(), std::size_t(2));
        const std::string forwarded = slipway::testing::httpGet(exporterUrl("/tenancy/last")).body;
        QVERIFY2(contains(forwarded, "/api/v1/query?") && contains(forwarded, "&namespace=llm"), forwarded.c_str());

        const auto range = client(proxy, "llm").queryRange("up", now() - 5, now(), 1);
        QVERIFY2(range.ok(), range.ok() ? "" : range.message().c_str());
        QVERIFY(contains(slipway::testing::httpGet(exporterUrl("/tenancy/last")).body, "/api/v1/query_range?"));

        const auto refused = client(proxy).query(promql);
        QVERIFY(!refused.ok());
        QVERIFY2(contains(refused.message(), "400"), refused.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestMetricsRealPrometheus)
#include "test_metrics_real_prometheus.moc"
