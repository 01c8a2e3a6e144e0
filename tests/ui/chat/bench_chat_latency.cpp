// Not a test: how late the GUI thread's event loop runs while the Chat panel (shown, offscreen)
// streams a long reply. A 5 ms timer measures the lateness of each tick; worst, p99 and mean are
// printed for two sources: the real slipway-engine on CPU (tiny model, greedy, up to 1000 tokens:
// its context is 1024) and the
// scripted test server streaming N one-token chunks as fast as it can. Target: worst < 50 ms.
//
// Run: QT_QPA_PLATFORM=offscreen bench_chat_latency [tokens=2000]
#include "chat/chat_panel.h"
#include "chat/chat_turn_model.h"
#include "engine_fixture.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

using namespace slipway::ui;

namespace {

struct Figures {
    double worst = 0, p99 = 0, mean = 0;
    int ticks = 0, updates = 0, characters = 0;
    double seconds = 0;
    QString state;
};

Figures measure(const QString &url, const QString &model, int tokens, bool reasoningModel) {
    ChatPanel panel;
    panel.resize(1200, 760);
    panel.show();
    panel.setEndpoint(url, {}, model);
    panel.setTemperature(0);
    panel.setMaxTokens(tokens);
    panel.setReasoningModel(reasoningModel);
    QTest::qWait(300);

    std::vector<double> lateness;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, (now - last) / 1e6 - 5.0));
        last = now;
    });
    Figures f;
    QObject::connect(panel.session(), &ChatSession::replyUpdated, [&] { ++f.updates; });
    QSignalSpy ended(panel.session(), &ChatSession::replyEnded);
    clock.start();
    tick.start();
    last = clock.nsecsElapsed();
    panel.send(QStringLiteral("hello there"));
    ended.wait(120000);
    f.seconds = clock.elapsed() / 1000.0;
    tick.stop();
    const auto &turn = panel.session()->model()->turn(1);
    f.characters = int(turn.content.size() + turn.reasoning.size());
    f.state = turn.state == ChatTurnModel::State::Done ? QStringLiteral("done") : turn.error;
    if (lateness.empty()) return f;
    std::sort(lateness.begin(), lateness.end());
    f.ticks = int(lateness.size());
    f.worst = lateness.back();
    f.p99 = lateness[std::min(lateness.size() - 1, std::size_t(lateness.size() * 0.99))];
    f.mean = std::accumulate(lateness.begin(), lateness.end(), 0.0) / double(lateness.size());
    return f;
}

void print(const char *what, const Figures &f) {
    std::printf("%-44s worst %6.1f ms  p99 %5.1f ms  mean %4.2f ms  (%d ticks, %d GUI updates, %d chars in %.1f s, %s)\n",
                what, f.worst, f.p99, f.mean, f.ticks, f.updates, f.characters, f.seconds, qPrintable(f.state));
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    const int tokens = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
    std::printf("GUI event-loop lateness while a chat reply streams (%d tokens; target worst < 50 ms)\n", tokens);

    // The real engine: the tiny model's context is 1024 tokens, so its reply is capped at 1000.
    slipway::ui::test::EngineFixture engine;
    QString error;
    if (engine.start({}, &error))
        print("slipway-engine --device cpu (tiny model)", measure(engine.baseUrl(), QStringLiteral("tiny"), std::min(tokens, 1000), false));
    else
        std::printf("slipway-engine skipped: %s\n", qPrintable(error));

    // The scripted server: one token a chunk, 0 ms apart.
    QTemporaryDir dir;
    QJsonArray chunks;
    for (int i = 0; i < tokens; ++i) chunks.append(QJsonObject{{QStringLiteral("content"), QStringLiteral(" word%1").arg(i)}});
    QJsonObject scenario{{QStringLiteral("chunks"), chunks}, {QStringLiteral("delayMs"), 0}};
    QFile file(dir.filePath(QStringLiteral("s.json")));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("fast"), scenario}}).toJson(QJsonDocument::Compact));
    file.close();
    QProcess node;
    node.start(QStringLiteral("node"), {QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/support/http_test_server.mjs"),
                                        QStringLiteral("--scenarios"), file.fileName()});
    QString port;
    QElapsedTimer wait;
    wait.start();
    while (port.isEmpty() && wait.elapsed() < 10000 && node.waitForReadyRead(200)) {
        const QString out = QString::fromUtf8(node.readAllStandardOutput());
        const auto m = QRegularExpression(QStringLiteral("LISTENING (\\d+)")).match(out);
        if (m.hasMatch()) port = m.captured(1);
    }
    if (!port.isEmpty())
        print("test server, chunks 0 ms apart", measure(QStringLiteral("http://127.0.0.1:") + port, QStringLiteral("fast"), tokens, false));
    else
        std::printf("test server skipped: node did not start\n");
    node.kill();
    node.waitForFinished(3000);
    return 0;
}
