// core/metrics without a server: the text format (an SGLang /metrics page and a DCGM page with
// exported_* labels, written out here), label escapes and malformed lines, histogram quantiles
// and means worked by hand, counter rates across a restart, and the bounded series store.
#include "metrics/exposition.h"
#include "metrics/gpu_readings.h"
#include "metrics/histogram.h"
#include "metrics/series_store.h"

#include <QtTest>

#include <cmath>

using namespace slipway::metrics;

namespace {

const char *kModel = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";

// An SGLang page as prometheus_client writes it; `ttft` holds the six cumulative TTFT bucket
// counts (le 0.1, 0.25, 0.5, 1, 2.5, +Inf), then the sum; `generated` the generation counter.
std::string sglangPage(const std::vector<double> &ttft, double ttftSum, double generated)
{
    const std::string m = std::string("model_name=\"") + kModel + "\"";
    const char *bounds[] = {"0.1", "0.25", "0.5", "1.0", "2.5", "+Inf"};
    std::string page =
        "# HELP sglang:num_running_reqs The number of running requests.\n"
        "# TYPE sglang:num_running_reqs gauge\n"
        "sglang:num_running_reqs{" + m + "} 3.0\n"
        "# HELP sglang:num_queue_reqs The number of requests in the waiting queue.\n"
        "# TYPE sglang:num_queue_reqs gauge\n"
        "sglang:num_queue_reqs{" + m + "} 1.0\n"
        "# HELP sglang:token_usage The token usage.\n"
        "# TYPE sglang:token_usage gauge\n"
        "sglang:token_usage{" + m + "} 0.27\n"
        "# HELP sglang:gen_throughput The generation throughput (token/s).\n"
        "# TYPE sglang:gen_throughput gauge\n"
        "sglang:gen_throughput{" + m + "} 142.5\n"
        "# HELP sglang:prompt_tokens_total Number of prefill tokens processed.\n"
        "# TYPE sglang:prompt_tokens_total counter\n"
        "sglang:prompt_tokens_total{" + m + "} 12800.0\n"
        "# HELP sglang:generation_tokens Number of generation tokens processed.\n"
        "# TYPE sglang:generation_tokens counter\n"
        "sglang:generation_tokens_total{" + m + "} " + std::to_string(generated) + "\n"
        "sglang:generation_tokens_created{" + m + "} 1.7e+09\n"
        "# HELP sglang:time_to_first_token_seconds Histogram of time to first token in seconds.\n"
        "# TYPE sglang:time_to_first_token_seconds histogram\n";
    for (int i = 0; i < 6; ++i)
        page += "sglang:time_to_first_token_seconds_bucket{le=\"" + std::string(bounds[i]) + "\"," + m + "} " +
                std::to_string(ttft[std::size_t(i)]) + "\n";
    page += "sglang:time_to_first_token_seconds_count{" + m + "} " + std::to_string(ttft[5]) + "\n";
    page += "sglang:time_to_first_token_seconds_sum{" + m + "} " + std::to_string(ttftSum) + "\n";
    return page;
}

const char *kDcgmPage =
    "# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n"
    "# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n"
    "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-1111\",device=\"nvidia0\",modelName=\"NVIDIA H100 80GB HBM3\","
    "Hostname=\"worker-gpu-1\",container=\"nvidia-dcgm-exporter\",namespace=\"nvidia-gpu-operator\","
    "pod=\"nvidia-dcgm-exporter-7xk2p\",exported_container=\"sglang\",exported_namespace=\"llm\","
    "exported_pod=\"ds-r1-7b-5d9f7c8b6-abcde\"} 87\n"
    "DCGM_FI_DEV_GPU_UTIL{gpu=\"1\",UUID=\"GPU-2222\",device=\"nvidia1\",modelName=\"NVIDIA H100 80GB HBM3\","
    "Hostname=\"worker-gpu-1\",container=\"sglang\",namespace=\"llm\",pod=\"ds-r1-lws-0-1\"} 45\n"
    "DCGM_FI_DEV_GPU_UTIL{gpu=\"2\",UUID=\"GPU-3333\",device=\"nvidia2\",modelName=\"NVIDIA H100 80GB HBM3\","
    "Hostname=\"worker-gpu-1\",namespace=\"nvidia-gpu-operator\",pod=\"nvidia-dcgm-exporter-7xk2p\"} 0\n"
    "# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).\n"
    "# TYPE DCGM_FI_DEV_FB_USED gauge\n"
    "DCGM_FI_DEV_FB_USED{gpu=\"0\",UUID=\"GPU-1111\",Hostname=\"worker-gpu-1\",exported_pod=\"ds-r1-7b-5d9f7c8b6-abcde\","
    "exported_namespace=\"llm\",pod=\"nvidia-dcgm-exporter-7xk2p\",namespace=\"nvidia-gpu-operator\"} 75000\n"
    "# TYPE DCGM_FI_DEV_FB_FREE gauge\n"
    "DCGM_FI_DEV_FB_FREE{gpu=\"0\",UUID=\"GPU-1111\",Hostname=\"worker-gpu-1\"} 6559\n"
    "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n"
    "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-1111\",Hostname=\"worker-gpu-1\"} 612.25\n"
    "# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n"
    "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",UUID=\"GPU-1111\",Hostname=\"worker-gpu-1\"} 64\n";

Exposition parsed(const std::string &text)
{
    auto result = parseExposition(text);
    if (!result)
        qFatal("parse failed: %s", result.message().c_str());
    return std::move(result).value();
}

Histogram makeHistogram(const std::vector<std::pair<double, double>> &buckets, double sum)
{
    Histogram h;
    for (const auto &[bound, count] : buckets)
        h.buckets.push_back(Bucket{bound, count});
    h.count = buckets.back().second;
    h.sum = sum;
    return h;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

class TestMetricsExposition : public QObject {
    Q_OBJECT

private slots:
    void parsesAnSglangPage()
    {
        const Exposition page = parsed(sglangPage({10, 20, 30, 38, 40, 40}, 12.0, 5000));
        const MetricFamily *running = page.family("sglang:num_running_reqs");
        QVERIFY(running);
        QVERIFY(running->type == MetricType::Gauge);
        QCOMPARE(running->help, std::string("The number of running requests."));
        QCOMPARE(running->samples.size(), std::size_t(1));
        QCOMPARE(labelValue(running->samples[0].labels, "model_name").value_or(""), std::string_view(kModel));
        QCOMPARE(page.sum("sglang:token_usage").value_or(-1), 0.27);

        // A counter declared without _total still owns its _total and _created samples.
        const MetricFamily *generated = page.family("sglang:generation_tokens");
        QVERIFY(generated);
        QVERIFY(generated->type == MetricType::Counter);
        QCOMPARE(generated->samples.size(), std::size_t(2));
        QVERIFY(!page.family("sglang:generation_tokens_total"));
        QCOMPARE(page.sum("sglang:prompt_tokens_total").value_or(-1), 12800.0);

        const MetricFamily *ttft = page.family("sglang:time_to_first_token_seconds");
        QVERIFY(ttft);
        QVERIFY(ttft->type == MetricType::Histogram);
        QCOMPARE(ttft->samples.size(), std::size_t(8));
        const auto hs = histograms(page, "sglang:time_to_first_token_seconds");
        QCOMPARE(hs.size(), std::size_t(1));
        QCOMPARE(hs[0].histogram.buckets.size(), std::size_t(6));
        QVERIFY(std::isinf(hs[0].histogram.buckets.back().upperBound));
        QCOMPARE(hs[0].histogram.count, 40.0);
        QCOMPARE(hs[0].histogram.sum, 12.0);
        QVERIFY2(!labelValue(hs[0].labels, "le"), "le is not part of the series' labels");
    }

    void labelEscapesValuesAndTimestamps()
    {
        const Exposition page = parsed(
            "# A plain comment\n"
            "\n"
            "odd_metric{path=\"C:\\\\dir\\\\\",msg=\"say \\\"hi\\\"\\nbye\",} +Inf 1700000000123\n"
            "odd_metric{path=\"b\"} -Inf\n"
            "odd_metric{path=\"c\"}\t NaN\r\n"
            "plain 1.5e3\n"
            "# HELP with_help line one\\nline two \\\\ end\n"
            "# EOF\n");
        const auto odd = page.samples("odd_metric");
        QCOMPARE(odd.size(), std::size_t(3));
        QCOMPARE(labelValue(odd[0]->labels, "path").value_or(""), std::string_view("C:\\dir\\"));
        QCOMPARE(labelValue(odd[0]->labels, "msg").value_or(""), std::string_view("say \"hi\"\nbye"));
        QVERIFY(std::isinf(odd[0]->value) && odd[0]->value > 0);
        QCOMPARE(odd[0]->timestampMs.value_or(0), std::int64_t(1700000000123));
        QVERIFY(std::isinf(odd[1]->value) && odd[1]->value < 0);
        QVERIFY(std::isnan(odd[2]->value));
        QCOMPARE(page.sum("plain").value_or(0), 1500.0);
        QCOMPARE(page.family("with_help")->help, std::string("line one\nline two \\ end"));
        QVERIFY(page.family("odd_metric")->type == MetricType::Untyped);
        // Labels are kept sorted, and the text form escapes again.
        QCOMPARE(odd[0]->labels.front().name, std::string("msg"));
        QCOMPARE(formatLabels(odd[1]->labels), std::string("{path=\"b\"}"));
    }

    void malformedLinesAreReportedWithTheirNumber_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addRow("no value") << "ok 1\nbroken{a=\"b\"}\n" << "line 2: '' is not a number";
        QTest::addRow("bad number") << "x 1,5\n" << "'1,5' is not a number";
        QTest::addRow("unclosed labels") << "x{a=\"b\" 1\n" << "expected ',' or '}'";
        QTest::addRow("unclosed value") << "x{a=\"b} 1\n" << "is not closed";
        QTest::addRow("bad escape") << "x{a=\"\\t\"} 1\n" << "invalid escape";
        QTest::addRow("unquoted value") << "x{a=b} 1\n" << "expected a quoted value";
        QTest::addRow("duplicate label") << "x{a=\"1\",a=\"2\"} 1\n" << "appears twice";
        QTest::addRow("bad type") << "# TYPE x countr\n" << "unknown metric type 'countr'";
        QTest::addRow("bad timestamp") << "x 1 soon\n" << "not a timestamp";
        QTest::addRow("bad name") << "9x 1\n" << "expected a metric name";
    }
    void malformedLinesAreReportedWithTheirNumber()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto result = parseExposition(text.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.message()).contains(message), result.message().c_str());
        QVERIFY(result.message().starts_with("line "));
    }

    void quantilesAndMeanOverAnInterval()
    {
        // Two scrapes 10 s apart. Observed in between (cumulative):
        //   le 0.1: 0, 0.25: 5, 0.5: 20, 1: 40, 2.5: 40, +Inf: 40; count 40, sum 20.
        const Scrape before{100.0, parsed(sglangPage({10, 20, 30, 38, 40, 40}, 12.0, 5000))};
        const Scrape after{110.0, parsed(sglangPage({10, 25, 50, 78, 80, 80}, 32.0, 6420))};
        const auto interval = histogramBetween(before, after, "sglang:time_to_first_token_seconds",
                                               {{"model_name", kModel}});
        QVERIFY(interval.has_value());
        QCOMPARE(interval->count, 40.0);
        QCOMPARE(interval->buckets[1].count, 5.0);
        // mean = 20 / 40.
        QCOMPARE(mean(*interval).value_or(-1), 0.5);
        // p50: rank 20 falls in (0.25, 0.5] holding 15 from rank 5: 0.25 + 0.25 * 15/15.
        QCOMPARE(quantile(*interval, 0.5).value_or(-1), 0.5);
        // p90: rank 36 in (0.5, 1] holding 20 from rank 20: 0.5 + 0.5 * 16/20.
        QCOMPARE(quantile(*interval, 0.9).value_or(-1), 0.9);
        // p10: rank 4 in (0.1, 0.25] holding 5 from rank 0: 0.1 + 0.15 * 4/5.
        QVERIFY(std::fabs(quantile(*interval, 0.1).value_or(-1) - 0.22) < 1e-12);
        // Over the whole life (second scrape): p99, rank 79.2 in (1, 2.5] holding 2 from 78: 1 + 1.5 * 0.6.
        const auto whole = histogram(after.exposition, "sglang:time_to_first_token_seconds");
        QVERIFY(std::fabs(quantile(*whole, 0.99).value_or(-1) - 1.9) < 1e-12);
        // Generation rate: (6420 - 5000) / 10 s.
        QCOMPARE(rate(before, after, "sglang:generation_tokens_total").value_or(-1), 142.0);
        // No series matches: nothing, not zero.
        QVERIFY(!histogramBetween(before, after, "sglang:time_to_first_token_seconds", {{"model_name", "other"}}));
    }

    void quantileEdges()
    {
        // A rank in the +Inf bucket reports the highest finite bound (Prometheus does the same).
        const Histogram tail = makeHistogram({{1.0, 5}, {kInf, 10}}, 30);
        QCOMPARE(quantile(tail, 0.9).value_or(-1), 1.0);
        // The first bucket starts at zero.
        QCOMPARE(quantile(tail, 0.25).value_or(-1), 0.5);
        QVERIFY(!quantile(tail, 1.5));
        QVERIFY(!quantile(makeHistogram({{1.0, 0}, {kInf, 0}}, 0), 0.5));
        QVERIFY2(!quantile(makeHistogram({{1.0, 3}, {2.0, 4}}, 5), 0.5), "no +Inf bucket: undefined");
        QVERIFY(!mean(makeHistogram({{1.0, 0}, {kInf, 0}}, 0)));
        // Falling cumulative counts (a racing scrape) are smoothed, not trusted.
        QCOMPARE(quantile(makeHistogram({{1.0, 4}, {2.0, 3}, {kInf, 4}}, 4), 0.5).value_or(-1), 0.5);
    }

    void countersAcrossARestart()
    {
        QCOMPARE(counterRate(100, 160, 30).value_or(-1), 2.0);
        // The engine restarted: the counter began again from zero and reached 30.
        QCOMPARE(counterRate(6420, 30, 10).value_or(-1), 3.0);
        QVERIFY(!counterRate(1, 2, 0));
        const Histogram earlier = makeHistogram({{1.0, 50}, {kInf, 60}}, 70);
        const Histogram restarted = makeHistogram({{1.0, 3}, {kInf, 4}}, 2);
        const Histogram d = difference(restarted, earlier);
        QCOMPARE(d.count, 4.0);
        QCOMPARE(d.sum, 2.0);
    }

    void dcgmPageWithExportedLabels()
    {
        const Exposition page = parsed(kDcgmPage);
        const auto readings = gpuReadings(page.allSamples());
        QCOMPARE(readings.size(), std::size_t(3));
        const GpuReading &renamed = readings[0];
        QCOMPARE(renamed.gpu, std::string("0"));
        QCOMPARE(renamed.uuid, std::string("GPU-1111"));
        QCOMPARE(renamed.modelName, std::string("NVIDIA H100 80GB HBM3"));
        QCOMPARE(renamed.hostname, std::string("worker-gpu-1"));
        QCOMPARE(renamed.pod, std::string("ds-r1-7b-5d9f7c8b6-abcde"));
        QCOMPARE(renamed.namespaceName, std::string("llm"));
        QCOMPARE(renamed.container, std::string("sglang"));
        QCOMPARE(renamed.utilizationPercent.value_or(-1), 87.0);
        QCOMPARE(renamed.memoryTotalMiB().value_or(-1), 81559.0);
        QCOMPARE(renamed.powerWatts.value_or(-1), 612.25);
        QCOMPARE(renamed.temperatureC.value_or(-1), 64.0);
        QVERIFY(!renamed.smClockMHz);

        QCOMPARE(readings[1].pod, std::string("ds-r1-lws-0-1")); // plain labels, not renamed
        QCOMPARE(readings[1].namespaceName, std::string("llm"));
        QVERIFY(!readings[1].memoryTotalMiB());
        QCOMPARE(readings[2].pod, std::string()); // idle: only the exporter's own pod label

        const auto util = page.samples("DCGM_FI_DEV_GPU_UTIL");
        QVERIFY(belongsTo(util[0]->labels, "llm", "ds-r1-7b-5d9f7c8b6-abcde"));
        QVERIFY(belongsTo(util[1]->labels, "llm"));
        QVERIFY(!belongsTo(util[0]->labels, "nvidia-gpu-operator"));
    }

    void workloadQueryCoversBothSpellings()
    {
        QCOMPARE(workloadQuery("DCGM_FI_DEV_GPU_UTIL", "llm", "ds-r1-.*"),
                 std::string("DCGM_FI_DEV_GPU_UTIL{exported_namespace=\"llm\",exported_pod=~\"ds-r1-.*\"} or "
                             "DCGM_FI_DEV_GPU_UTIL{namespace=\"llm\",pod=~\"ds-r1-.*\",exported_namespace=\"\"}"));
        QCOMPARE(workloadQuery("m", "a\"b"), std::string("m{exported_namespace=\"a\\\"b\"} or "
                                                         "m{namespace=\"a\\\"b\",exported_namespace=\"\"}"));
        QCOMPARE(workloadQuery(std::vector<std::string>{"a", "b"}, "llm", "p-.*"),
                 std::string("{__name__=~\"a|b\",exported_namespace=\"llm\",exported_pod=~\"p-.*\"} or "
                             "{__name__=~\"a|b\",namespace=\"llm\",pod=~\"p-.*\",exported_namespace=\"\"}"));
        QCOMPARE(workloadQuery(std::vector<std::string>{"a"}, "llm"),
                 std::string("{__name__=~\"a\",exported_namespace=\"llm\"} or {__name__=~\"a\",namespace=\"llm\",exported_namespace=\"\"}"));
    }

    void seriesStoreIsBounded()
    {
        SeriesStore store(60.0, 5, 2);
        const SeriesKey gpu0{"util", {{"gpu", "0"}}};
        const SeriesKey gpu1{"util", {{"gpu", "1"}}};
        for (int t = 0; t < 10; ++t)
            QVERIFY(store.append(gpu0, t, t * 10.0));
        QCOMPARE(store.series(gpu0)->points().size(), std::size_t(5)); // at most 5 points
        QCOMPARE(store.series(gpu0)->points().front().time, 5.0);
        QVERIFY2(!store.append(gpu0, 3, 1), "out of order");
        QVERIFY(store.append(gpu1, 9, std::nan("")));
        QVERIFY2(!store.append(SeriesKey{"util", {{"gpu", "2"}}}, 9, 1), "at most 2 series");
        QCOMPARE(store.keysNamed("util").size(), std::size_t(2));
        // Time moves on by 100 s: gpu1's only point falls out of the window, so does the series.
        QVERIFY(store.append(gpu0, 100, 5));
        QCOMPARE(store.series(gpu0)->points().size(), std::size_t(1));
        QVERIFY(!store.series(gpu1));
        QCOMPARE(store.size(), std::size_t(1));
        QCOMPARE(gpu0.displayName(), std::string("util{gpu=\"0\"}"));
        const auto range = store.series(gpu0)->range();
        QCOMPARE(range->first, 5.0);
        // Narrowing the window prunes at once.
        QVERIFY(store.append(gpu0, 130, 7));
        store.setWindow(10);
        QCOMPARE(store.series(gpu0)->points().size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestMetricsExposition)
#include "test_metrics_exposition.moc"
