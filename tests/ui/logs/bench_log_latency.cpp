// bench_log_latency: how late the GUI thread's event loop gets while log lines stream into the
// Logs panel from a worker thread, the way slipway-engine's output arrives.
//
// A 1 ms precise timer runs on the GUI thread; each time it fires, how much later than 1 ms after
// the previous firing it came is one latency sample (a stall of the event loop shows up as one
// large sample). A worker posts `--lines` lines at `--rate` lines/s (every 10 ms a slice) through
// LogBridge::lineSink(), into a shown LogsPanel (offscreen unless QT_QPA_PLATFORM says otherwise).
// Prints worst, p99 and mean latency per scenario; exits 1 when a worst case passes --target ms.
// Lateness also counts time the GUI thread was not scheduled at all (a loaded machine), so the
// CPU time of the most expensive single event the GUI thread handled is printed beside it: the
// cost of the panel's own work, whatever the machine's load.
//
//   bench_log_latency [--lines 100000] [--rate 10000] [--target 50] [--scenario NAME]...
//   scenarios: follow-wrap (default view), follow-nowrap, search, filter, timestamps-scrolled
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <thread>
#include <time.h>

#include "logs/log_bridge.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "logs/log_view.h"
#include "logs/logs_panel.h"

using namespace slipway::ui;

namespace {

double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Measures the GUI thread's CPU time per top-level event.
class BenchApplication final : public QApplication {
public:
    using QApplication::QApplication;
    double worstEventCpuMs = 0;
    bool notify(QObject *receiver, QEvent *event) override {
        if (m_depth > 0) return QApplication::notify(receiver, event);
        ++m_depth;
        const double before = threadCpuMs();
        const bool handled = QApplication::notify(receiver, event);
        worstEventCpuMs = std::max(worstEventCpuMs, threadCpuMs() - before);
        --m_depth;
        return handled;
    }

private:
    int m_depth = 0;
};

struct Result {
    double worstMs = 0, p99Ms = 0, meanMs = 0;
    int samples = 0;
    double seconds = 0;
    int rows = 0;
    int paints = 0;
    double worstEventCpuMs = 0;
};

// Counts the log view's paint events: proof that the view really repaints as lines arrive.
class PaintCounter final : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject *, QEvent *event) override {
        if (event->type() == QEvent::Paint) ++paints;
        return false;
    }
};

// Lines shaped like an engine's log: a timestamp, a level, a message of varying length.
std::string makeLine(int i, std::mt19937 &rng) {
    static const char *messages[] = {
        "scheduler: batch of %d requests, %d prefill tokens, %d decode tokens",
        "http: POST /v1/chat/completions 200 in %d ms (prompt %d tokens, completion %d tokens)",
        "kv cache: %d of %d pages in use; prefix hits %d",
        "ERROR request %d failed: the prompt is longer than the context (%d > %d tokens)",
    };
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, messages[i % 4], int(rng() % 64), int(rng() % 8192), int(rng() % 512));
    std::string line = "[2025-01-01T00:00:00.000Z] #" + std::to_string(i) + " " + buffer;
    if (i % 50 == 0) line += " " + std::string(200 + rng() % 400, 'x');  // now and then a long line
    return line;
}

Result runScenario(const QString &scenario, int lines, int rate) {
    auto *app = static_cast<BenchApplication *>(QCoreApplication::instance());
    LogSourceModel sources(LogModel::kDefaultMaxLines);
    LogBridge *bridge = sources.addSource(QStringLiteral("local-engine"), QStringLiteral("Local engine"));
    LogsPanel panel(&sources);
    panel.resize(1280, 800);
    panel.show();
    if (scenario == QLatin1String("follow-nowrap")) panel.setWrap(false);
    if (scenario == QLatin1String("search")) panel.setSearchText(QStringLiteral("error"));
    if (scenario == QLatin1String("filter")) panel.setFilterText(QStringLiteral("kv cache"));
    QCoreApplication::processEvents();
    app->worstEventCpuMs = 0;  // the set-up above (filtering an empty log, first layout) is not measured
    PaintCounter paintCounter;
    panel.view()->viewport()->installEventFilter(&paintCounter);

    std::vector<double> samples;
    samples.reserve(size_t(lines / rate + 5) * 1000);
    QElapsedTimer clock;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    qint64 last = -1;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) samples.push_back(std::max(0.0, double(now - last) / 1e6 - 1.0));
        last = now;
    });

    std::atomic<bool> done{false};
    const auto sink = bridge->lineSink();
    clock.start();
    ticker.start();
    std::thread producer([&] {
        std::mt19937 rng(42);
        const int slice = std::max(1, rate / 100);  // every 10 ms
        auto next = std::chrono::steady_clock::now();
        for (int i = 0; i < lines;) {
            for (int k = 0; k < slice && i < lines; ++k, ++i) sink(makeLine(i, rng));
            next += std::chrono::milliseconds(10);
            std::this_thread::sleep_until(next);
        }
        done = true;
    });
    bool scrolledAway = false;
    while (!done) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (scenario == QLatin1String("timestamps-scrolled") && !scrolledAway && panel.currentModel()->rowCount() > 20000) {
            panel.setShowTimestamps(true);
            panel.view()->verticalScrollBar()->setValue(5000);  // reading old lines while new ones arrive
            scrolledAway = true;
        }
    }
    producer.join();
    // Let the last batch land.
    QElapsedTimer tail;
    tail.start();
    while (tail.elapsed() < 200) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    ticker.stop();

    Result r;
    r.worstEventCpuMs = static_cast<BenchApplication *>(QCoreApplication::instance())->worstEventCpuMs;
    r.seconds = double(clock.elapsed()) / 1000.0;
    r.rows = panel.currentModel()->rowCount();
    r.samples = int(samples.size());
    r.paints = paintCounter.paints;
    if (!samples.empty()) {
        std::sort(samples.begin(), samples.end());
        r.worstMs = samples.back();
        r.p99Ms = samples[size_t(double(samples.size() - 1) * 0.99)];
        r.meanMs = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size());
    }
    return r;
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    BenchApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GUI event-loop latency while log lines stream into the Logs panel"));
    parser.addHelpOption();
    QCommandLineOption linesOption(QStringLiteral("lines"), QStringLiteral("Lines to send."), QStringLiteral("n"), QStringLiteral("100000"));
    QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Lines per second."), QStringLiteral("n"), QStringLiteral("10000"));
    QCommandLineOption targetOption(QStringLiteral("target"), QStringLiteral("Worst latency allowed, ms."), QStringLiteral("ms"), QStringLiteral("50"));
    QCommandLineOption scenarioOption(QStringLiteral("scenario"), QStringLiteral("A scenario to run (repeatable)."), QStringLiteral("name"));
    parser.addOptions({linesOption, rateOption, targetOption, scenarioOption});
    parser.process(app);

    const int lines = parser.value(linesOption).toInt();
    const int rate = std::max(100, parser.value(rateOption).toInt());
    const double target = parser.value(targetOption).toDouble();
    QStringList scenarios = parser.values(scenarioOption);
    if (scenarios.isEmpty()) {
        scenarios = {QStringLiteral("follow-wrap"), QStringLiteral("follow-nowrap"), QStringLiteral("search"),
                     QStringLiteral("filter"), QStringLiteral("timestamps-scrolled")};
    }

    std::printf("%d lines at %d lines/s into LogsPanel (platform %s); 1 ms timer lateness on the GUI thread\n", lines, rate,
                qPrintable(QGuiApplication::platformName()));
    std::printf("%-20s %10s %10s %10s %9s %8s %8s %7s %13s\n", "scenario", "worst ms", "p99 ms", "mean ms", "samples", "rows", "secs", "paints", "max event cpu");
    bool withinTarget = true;
    for (const QString &scenario : scenarios) {
        const Result r = runScenario(scenario, lines, rate);
        std::printf("%-20s %10.2f %10.2f %10.3f %9d %8d %8.1f %7d %10.2f ms\n", qPrintable(scenario), r.worstMs, r.p99Ms, r.meanMs,
                    r.samples, r.rows, r.seconds, r.paints, r.worstEventCpuMs);
        std::fflush(stdout);
        withinTarget = withinTarget && r.worstMs < target;
    }
    std::printf("target: worst < %.0f ms: %s\n", target, withinTarget ? "met" : "MISSED");
    return withinTarget ? 0 : 1;
}
