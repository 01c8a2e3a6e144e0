// EngineProcess: the state machine with stand-in engines (shell scripts): crash with exit code and
// last lines, stop while starting, restart, the missing-engine message, the destructor's stop.
// test_local_engine runs the real slipway-engine.
#include <QtTest>

#include <mutex>
#include <signal.h>

#include "engine_recorder.h"
#include "local/demo_model.h"
#include "local/engine_process.h"

using namespace slipway::local;
using slipway::local::testing::Recorder;
using namespace std::chrono_literals;

namespace {

// A stand-in engine: a script that receives the engine's arguments.
QString writeScript(const QTemporaryDir &dir, const QString &body) {
    const QString path = dir.filePath("fake-engine");
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(("#!/bin/sh\n" + body + "\n").toUtf8());
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

const QString kFixtureModel = QStringLiteral(SLIPWAY_SOURCE_DIR) + "/tests/engine/fixtures/qwen2-tiny-bf16";

} // namespace

class TestEngineProcess : public QObject {
    Q_OBJECT

private slots:
    void stateNames() {
        QCOMPARE(std::string(engineStateName(EngineState::ready)), std::string("ready"));
        QCOMPARE(std::string(engineStateName(EngineState::crashed)), std::string("crashed"));
    }

    void crashIsReportedWithExitCodeAndLastLines() {
        QTemporaryDir dir;
        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions o;
        o.enginePath = writeScript(dir, "echo \"args: $*\"; echo 'loading model'; echo 'error: out of memory' >&2; exit 7").toStdString();
        o.modelPath = kFixtureModel.toStdString();
        QVERIFY(engine.start(o).ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.state(), EngineState::crashed, 5000);
        QCOMPARE(r.stateList(), (std::vector<EngineState>{EngineState::starting, EngineState::crashed}));
        const QString detail = QString::fromStdString(r.lastDetail());
        QVERIFY2(detail.contains("exited with code 7 without being asked to stop"), qPrintable(detail));
        QVERIFY(detail.contains("loading model\nerror: out of memory"));
        QCOMPARE(engine.lastExit()->code, 7);
        // The arguments the engine got: the model, device and the port that was picked.
        const std::string port = std::to_string(engine.port());
        QVERIFY(engine.port() > 0);
        QVERIFY(r.sawLineContaining("--model-path " + o.modelPath + " --device cpu --host 127.0.0.1 --port " + port + " --enable-metrics"));
        QCOMPARE(engine.baseUrl(), "http://127.0.0.1:" + port);
    }

    void stopWhileStartingEndsInStopped() {
        QTemporaryDir dir;
        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions o;
        o.enginePath = writeScript(dir, "echo loading; exec sleep 30").toStdString();
        o.modelPath = kFixtureModel.toStdString();
        QVERIFY(engine.start(o).ok());
        QTRY_VERIFY_WITH_TIMEOUT(r.sawLineContaining("loading"), 5000);
        QCOMPARE(engine.state(), EngineState::starting);  // nothing answers /health_generate
        QVERIFY(engine.stop().ok());
        QCOMPARE(engine.state(), EngineState::stopped);
        QCOMPARE(r.stateList(), (std::vector<EngineState>{EngineState::starting, EngineState::stopping, EngineState::stopped}));
        QVERIFY(engine.lastExit()->stopRequested);
        QVERIFY(QString::fromStdString(r.lastDetail()).contains("killed by signal 15 (SIGTERM)"));
    }

    void secondStartWhileRunningFailsAndRestartRunsAgain() {
        QTemporaryDir dir;
        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions o;
        o.enginePath = writeScript(dir, "echo run; exec sleep 30").toStdString();
        o.modelPath = kFixtureModel.toStdString();
        QVERIFY(!engine.restart().ok());  // nothing started yet
        QVERIFY(engine.start(o).ok());
        const auto again = engine.start(o);
        QVERIFY(!again.ok());
        QCOMPARE(again.message(), std::string("the engine is already starting; stop it first"));
        QTRY_COMPARE_WITH_TIMEOUT(r.countLines("run"), 1L, 5000);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(engine.restart().ok());
        QVERIFY2(timer.elapsed() < 3000, "SIGTERM ends the stand-in at once");
        QCOMPARE(engine.state(), EngineState::starting);
        QTRY_COMPARE_WITH_TIMEOUT(r.countLines("run"), 2L, 10000);
    }

    void badOptionsAndMissingEngineAreClearErrors() {
        Recorder r;
        EngineProcess engine(r.callbacks());
        EngineLaunchOptions o;
        o.modelPath = "/nonexistent/model";
        QCOMPARE(engine.start(o).message(), std::string("model folder /nonexistent/model does not exist or is not a folder"));

        // The build puts every executable in one folder, so the engine is always found next to
        // this test; an explicit engine path that does not exist must still fail cleanly. (How
        // the search reports a missing engine is covered by test_engine_launch's findExecutable
        // rows.)
        QCOMPARE(engine.state(), EngineState::stopped);
        QVERIFY(r.stateList().empty()); // refused before anything ran
        o.modelPath = kFixtureModel.toStdString();
        o.enginePath = "/nonexistent/bin/slipway-engine";
        const auto missing = engine.start(o);
        QVERIFY(!missing.ok());
        QVERIFY2(QString::fromStdString(missing.message()).contains("/nonexistent/bin/slipway-engine"), missing.message().c_str());
        QVERIFY(engine.state() != EngineState::ready && engine.state() != EngineState::starting);
    }

    void destructorStopsTheEngine() {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath("pid");
        {
            EngineProcess engine({});
            EngineLaunchOptions o;
            o.enginePath = writeScript(dir, "echo $$ > " + pidFile + "; exec sleep 30").toStdString();
            o.modelPath = kFixtureModel.toStdString();
            QVERIFY(engine.start(o).ok());
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 5000);
        }
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const pid_t pid = f.readAll().trimmed().toInt();
        QVERIFY(pid > 0);
        QVERIFY(kill(pid, 0) != 0);  // gone, and reaped
    }

    void demoModelNeedsTheTokenizer() {
        QTemporaryDir out, emptyTokenizer;
        DemoModelOptions o;
        o.outDir = out.path().toStdString();
        o.tokenizerDir = emptyTokenizer.path().toStdString();
        o.enginePath = "/nonexistent/slipway-engine";
        const auto prepared = prepareDemoModel(o);
        QVERIFY(!prepared.ok());
        QVERIFY(QString::fromStdString(prepared.message()).contains("run installer/setup.sh"));
        QVERIFY(!isDemoModel(o.outDir));
    }

};

QTEST_GUILESS_MAIN(TestEngineProcess)
#include "test_engine_process.moc"
