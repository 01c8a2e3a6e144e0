// The Local target end to end with the real slipway-engine (this build tree's, or SLIPWAY_ENGINE):
// on the tiny fixture model Starting → Ready (/health_generate 200) → Stopping → Stopped; and the
// demo model written by make-model from the Qwen3 tokenizer, which then serves too.
#include <QtTest>

#include "engine_recorder.h"
#include "local/demo_model.h"
#include "local/engine_process.h"
#include "local/loopback_http.h"

using namespace slipway::local;
using namespace std::chrono_literals;
using slipway::local::testing::Recorder;

namespace {

// The engine of this build tree, or SLIPWAY_ENGINE when set (an engine built elsewhere).
QString realEngine() {
    const QString path = qEnvironmentVariableIsEmpty("SLIPWAY_ENGINE")
                             ? QStringLiteral(SLIPWAY_BINARY_DIR) + "/bin/slipway-engine"
                             : qEnvironmentVariable("SLIPWAY_ENGINE");
    return QFileInfo(path).isExecutable() ? path : QString();
}

const QString kFixtureModel = QStringLiteral(SLIPWAY_SOURCE_DIR) + "/tests/engine/fixtures/qwen2-tiny-bf16";

} // namespace

class TestLocalEngine : public QObject {
    Q_OBJECT

private slots:
    void realEngineBecomesReadyAndStops() {
        const QString enginePath = realEngine();
        if (enginePath.isEmpty()) QSKIP("slipway-engine is not built in this build tree");
        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions o;
        o.enginePath = enginePath.toStdString();
        o.modelPath = kFixtureModel.toStdString();
        o.servedModelName = "tiny";
        o.extraArgs = {"--threads", "1"};
        QVERIFY(engine.start(o).ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), EngineState::ready, 60000);
        QVERIFY(r.sawLineContaining("listening on http://127.0.0.1:" + std::to_string(engine.port())));
        QCOMPARE(httpGetStatus("127.0.0.1", engine.port(), "/health_generate", 5s).value(), 200);
        // Restart: stopped, started again with the same options, ready again.
        QVERIFY(engine.restart().ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), EngineState::ready, 60000);
        QCOMPARE(httpGetStatus("127.0.0.1", engine.port(), "/health_generate", 5s).value(), 200);
        QVERIFY(engine.stop().ok());
        QCOMPARE(engine.state(), EngineState::stopped);
        QVERIFY(engine.lastExit()->cleanExit());
        QCOMPARE(r.stateList(), (std::vector<EngineState>{EngineState::starting, EngineState::ready,
                                                          EngineState::stopping, EngineState::stopped,
                                                          EngineState::starting, EngineState::ready,
                                                          EngineState::stopping, EngineState::stopped}));
    }

    void demoModelIsWrittenAndServes() {
        const QString enginePath = realEngine();
        if (enginePath.isEmpty()) QSKIP("slipway-engine is not built in this build tree");
        const auto tokenizer = qwen3TokenizerDirIn(SLIPWAY_NODE_DIR);
        if (!QFileInfo::exists(QString::fromStdString((tokenizer / "tokenizer.json").string()))) {
            QSKIP("the Qwen3 tokenizer is not installed (installer/setup.sh)");
        }
        QTemporaryDir out;
        DemoModelOptions o;
        o.outDir = (out.path() + "/demo").toStdString();
        o.tokenizerDir = tokenizer;
        o.enginePath = enginePath.toStdString();
        const auto prepared = prepareDemoModel(o);
        QVERIFY2(prepared.ok(), prepared.ok() ? "" : prepared.message().c_str());
        QVERIFY(isDemoModel(prepared.value()));
        QVERIFY(QFile(QString::fromStdString((prepared.value() / kDemoMarkerFile).string())).size() > 0);
        // A second call finds it complete and writes nothing.
        const auto written = QFileInfo(QString::fromStdString((prepared.value() / "model.safetensors").string())).lastModified();
        QVERIFY(prepareDemoModel(o).ok());
        QCOMPARE(QFileInfo(QString::fromStdString((prepared.value() / "model.safetensors").string())).lastModified(), written);

        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions launch;
        launch.enginePath = enginePath.toStdString();
        launch.modelPath = prepared.value().string();
        launch.extraArgs = {"--threads", "1"};
        QVERIFY(engine.start(launch).ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), EngineState::ready, 60000);
        QVERIFY(engine.stop().ok());
    }
};

QTEST_GUILESS_MAIN(TestLocalEngine)
#include "test_local_engine.moc"
