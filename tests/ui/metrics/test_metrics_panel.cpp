// The Metrics panel: figures from two scrapes (restart: counters drop, no spike), against a real
// slipway-engine's /metrics after a chat request, gaps while the source is down, the NVML-absent
// message, and screenshots in both languages with nothing untranslated in Chinese.
#include "../chat/engine_fixture.h"
#include "chat/chat_panel.h"
#include "chat/chat_session.h"
#include "i18n/language.h"
#include "metrics/exposition.h"
#include "metrics/metrics_chart.h"
#include "metrics/metrics_panel.h"
#include "metrics/nvml_reader.h"
#include "ui_text_walker.h"

#include <QSignalSpy>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;

namespace {

constexpr int kWaitMs = 15000;

metrics::Scrape scrape(double time, double generated, double requests, double ttftCountLow, double ttftCountAll) {
    const QString text = QStringLiteral(
        "# TYPE sglang:num_running_reqs gauge\nsglang:num_running_reqs{model_name=\"m\"} 2\n"
        "# TYPE sglang:num_queue_reqs gauge\nsglang:num_queue_reqs{model_name=\"m\"} 1\n"
        "# TYPE sglang:token_usage gauge\nsglang:token_usage{model_name=\"m\"} 0.25\n"
        "# TYPE sglang:generation_tokens_total counter\nsglang:generation_tokens_total{model_name=\"m\"} %1\n"
        "# TYPE sglang:num_requests_total counter\nsglang:num_requests_total{model_name=\"m\"} %2\n"
        "# TYPE sglang:time_to_first_token_seconds histogram\n"
        "sglang:time_to_first_token_seconds_bucket{model_name=\"m\",le=\"0.1\"} %3\n"
        "sglang:time_to_first_token_seconds_bucket{model_name=\"m\",le=\"+Inf\"} %4\n"
        "sglang:time_to_first_token_seconds_sum{model_name=\"m\"} 1\n"
        "sglang:time_to_first_token_seconds_count{model_name=\"m\"} %4\n")
                             .arg(generated).arg(requests).arg(ttftCountLow).arg(ttftCountAll);
    auto parsed = metrics::parseExposition(text.toStdString());
    return {time, std::move(parsed.value())};
}

} // namespace

class TestMetricsPanel : public QObject {
    Q_OBJECT

private slots:
    void figuresFromTwoScrapes();
    void restartCountsFromZeroWithoutSpike();
    void nvmlAbsentIsReportedCleanly();
    void chartsFillFromTheEngineAfterAChat();
    void failedScrapesShowAsGaps();
    void rendersInBothLanguages();
};

void TestMetricsPanel::figuresFromTwoScrapes() {
    const auto a = scrape(100, 1000, 10, 5, 10);
    const auto b = scrape(102, 1500, 14, 9, 14);
    const EngineFigures first = engineFigures(std::nullopt, a);
    QCOMPARE(*first.runningRequests, 2.0);
    QCOMPARE(*first.queuedRequests, 1.0);
    QCOMPARE(*first.kvUsagePercent, 25.0);
    QVERIFY(!first.generationTokensPerSecond);
    const EngineFigures f = engineFigures(a, b);
    QCOMPARE(*f.generationTokensPerSecond, 250.0);
    QVERIFY(!f.counterReset);
    QVERIFY(f.ttftP50Seconds && *f.ttftP50Seconds <= 0.1); // all 4 new observations were <= 0.1 s
}

void TestMetricsPanel::restartCountsFromZeroWithoutSpike() {
    const auto before = scrape(100, 50000, 400, 300, 400);
    const auto after = scrape(102, 200, 3, 3, 3); // the engine restarted between the scrapes
    const EngineFigures f = engineFigures(before, after);
    QVERIFY(f.counterReset);
    QCOMPARE(*f.generationTokensPerSecond, 100.0); // 200 tokens since the restart, not -24,900/s
    QVERIFY(f.ttftP50Seconds && *f.ttftP50Seconds <= 0.1);

    MetricsSeriesModel model(300);
    for (const auto &[earlier, later] : {std::pair{std::optional<metrics::Scrape>{}, before}, std::pair{std::optional{before}, after}}) {
        MetricsSample s;
        s.time = later.timeSeconds;
        s.ok = true;
        s.figures = engineFigures(earlier, later);
        model.append(s);
    }
    QCOMPARE(model.resetCount(), 1);
    QCOMPARE(model.series("gen_throughput")->last()->value, 100.0);
}

void TestMetricsPanel::nvmlAbsentIsReportedCleanly() {
    const auto missing = metrics::NvmlReader::open("/nonexistent/libnvidia-ml.so.1");
    QVERIFY(!missing.ok());
    QVERIFY(QString::fromStdString(missing.message()).startsWith(QStringLiteral("no NVIDIA driver")));
    // A library that is not NVML (libm has none of its functions).
    const auto wrong = metrics::NvmlReader::open("libm.so.6");
    QVERIFY(!wrong.ok());
    QVERIFY2(QString::fromStdString(wrong.message()).contains(QStringLiteral("lacks NVML functions")), wrong.message().c_str());
    // This machine's own driver: absent here, read when present.
    const auto local = metrics::NvmlReader::open();
    if (local.ok()) QVERIFY(local.value()->read().ok());
    else QVERIFY(QString::fromStdString(local.message()).startsWith(QStringLiteral("no NVIDIA driver")) ||
                 QString::fromStdString(local.message()).startsWith(QStringLiteral("NVML could not start")));

    MetricsPanel panel(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
    QSignalSpy updated(panel.model(), &MetricsSeriesModel::updated);
    panel.sampleNow();
    QVERIFY(updated.wait(kWaitMs));
    QVERIFY2(panel.gpuStatusText().contains(QStringLiteral("No NVIDIA driver")), qPrintable(panel.gpuStatusText()));
    QVERIFY(!panel.chart(QStringLiteral("gpu_util"))->isVisible());
}

void TestMetricsPanel::chartsFillFromTheEngineAfterAChat() {
    test::EngineFixture engine;
    QString error;
    if (!engine.start({}, &error)) QSKIP(qPrintable(error));
    MetricsPanel panel(QString{});
    panel.setIntervalSeconds(1);
    QSignalSpy updated(panel.model(), &MetricsSeriesModel::updated);
    panel.setLocalEngineUrl(engine.baseUrl());
    QVERIFY(updated.wait(kWaitMs));
    QVERIFY2(panel.model()->lastSample().ok, qPrintable(panel.model()->lastSample().error));

    ChatPanel chat;
    chat.setEndpoint(engine.baseUrl(), {}, QStringLiteral("tiny"));
    chat.setTemperature(0);
    chat.setMaxTokens(200);
    QSignalSpy ended(chat.session(), &ChatSession::replyEnded);
    QVERIFY(chat.send(QStringLiteral("hello there")));
    QVERIFY(ended.wait(kWaitMs));
    // Two more scrapes: the one spanning the request has a throughput above zero.
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->series("gen_throughput") &&
                                 panel.model()->series("gen_throughput")->range() &&
                                 panel.model()->series("gen_throughput")->range()->second > 0,
                             kWaitMs);
    QVERIFY(panel.model()->series("running")->points().size() >= 2);
    QVERIFY(panel.chart(QStringLiteral("throughput"))->pointCount() > 0);
    QVERIFY(panel.chart(QStringLiteral("requests"))->pointCount() >= 2);
    QVERIFY(panel.statusText().contains(QStringLiteral("/metrics")));
}

void TestMetricsPanel::failedScrapesShowAsGaps() {
    MetricsSeriesModel model(300);
    MetricsChart chart;
    chart.setLines({{{"running", {}}, QStringLiteral("running"), Qt::blue}});
    const auto a = scrape(100, 10, 1, 1, 1);
    for (int i = 0; i < 6; ++i) {
        MetricsSample s;
        s.time = 100 + i;
        s.ok = i != 2 && i != 3; // the engine down for two scrapes
        if (s.ok) s.figures = engineFigures(std::nullopt, a);
        model.append(s);
    }
    chart.refresh(model.store(), 105, 300);
    QCOMPARE(chart.segmentCount(0), 2);
    QCOMPARE(chart.pointCount(), 4);
    // The window bounds what is drawn.
    chart.refresh(model.store(), 105, 1);
    QCOMPARE(chart.pointCount(), 2);
}

void TestMetricsPanel::rendersInBothLanguages() {
    test::EngineFixture engine;
    QString error;
    const bool up = engine.start({}, &error);
    LanguageSwitcher switcher;
    const QString shots = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(shots);
    MetricsPanel panel(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
    panel.resize(1300, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setIntervalSeconds(1);
    panel.setWindowMinutes(1);
    QSignalSpy updated(panel.model(), &MetricsSeriesModel::updated);
    panel.setLocalEngineUrl(up ? engine.baseUrl() : QStringLiteral("http://127.0.0.1:9"));
    if (up) {
        ChatPanel chat;
        chat.setEndpoint(engine.baseUrl(), {}, QStringLiteral("tiny"));
        chat.setTemperature(0);
        chat.setMaxTokens(300);
        QSignalSpy ended(chat.session(), &ChatSession::replyEnded);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(chat.send(QStringLiteral("hello there %1").arg(i)));
            QVERIFY(ended.wait(kWaitMs));
            QTest::qWait(1100);
        }
    }
    while (panel.model()->sampleCount() < 4) QVERIFY(updated.wait(kWaitMs));
    QVERIFY(panel.grab().save(shots + QStringLiteral("/metrics_en.png")));
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    QCOMPARE(panel.windowTitle(), QStringLiteral("监控指标"));
    QVERIFY(panel.grab().save(shots + QStringLiteral("/metrics_zh_CN.png")));
    QStringList missing;
    for (const test::VisibleText &t : test::collectVisibleTexts(&panel))
        if (!test::readsAsChinese(t.text)) missing << t.where + QStringLiteral(": ") + t.text;
    switcher.setLanguage(Language::English);
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in Chinese:\n  ") + missing.join(QStringLiteral("\n  "))));
}

QTEST_MAIN(TestMetricsPanel)
#include "test_metrics_panel.moc"
