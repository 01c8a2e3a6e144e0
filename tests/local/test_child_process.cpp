// ChildProcess against real /bin/sh children: output lines, exit codes and signals, the last
// lines on a crash, SIGTERM → SIGKILL escalation, and no zombies.
#include <QtTest>

#include <atomic>
#include <mutex>
#include <signal.h>
#include <sys/wait.h>

#include "local/child_process.h"
#include "local/output_lines.h"

using namespace slipway::local;
using namespace std::chrono_literals;

namespace {

// Collects what the callbacks deliver, from the monitor thread.
struct Collector {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::optional<ProcessExit> exit;
    std::atomic<int> exits{0};

    ProcessCallbacks callbacks() {
        return {[this](const std::string &line) {
                    std::lock_guard lock(mutex);
                    lines.push_back(line);
                },
                [this](const ProcessExit &e) {
                    std::lock_guard lock(mutex);
                    exit = e;
                    ++exits;
                }};
    }
};

ProcessOptions shell(const std::string &script) {
    ProcessOptions o;
    o.program = "/bin/sh";
    o.arguments = {"-c", script};
    return o;
}

// Whether `pid` is still a process of any kind (a zombie included).
bool processExists(pid_t pid) { return kill(pid, 0) == 0; }

} // namespace

class TestChildProcess : public QObject {
    Q_OBJECT

private slots:
    void splitterJoinsPiecesAndStripsCarriageReturns() {
        OutputLineSplitter splitter(64);
        std::vector<std::string> out;
        const auto sink = [&](std::string l) { out.push_back(std::move(l)); };
        splitter.feed("al", sink);
        splitter.feed("pha\r\nbe", sink);
        splitter.feed("ta\n\ngamma", sink);
        splitter.finish(sink);
        QCOMPARE(out, (std::vector<std::string>{"alpha", "beta", "", "gamma"}));
    }

    void splitterCutsOverlongLinesOnCharacterBoundaries() {
        OutputLineSplitter splitter(8);
        std::vector<std::string> out;
        // "ab" + 3 × "é" (2 bytes) + "cdefgh": a cut at byte 8 would split the third é.
        splitter.feed("ab\xc3\xa9\xc3\xa9\xc3\xa9" "cdefgh\n", [&](std::string l) { out.push_back(std::move(l)); });
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0], std::string("ab\xc3\xa9\xc3\xa9\xc3\xa9"));
        QCOMPARE(out[1], std::string("cdefgh"));
    }

    void recentLinesKeepsTheLastOnes() {
        RecentLines recent(3);
        for (int i = 0; i < 10; ++i) recent.add(std::to_string(i));
        QCOMPARE(recent.lines(), (std::vector<std::string>{"7", "8", "9"}));
    }

    void streamsStdoutAndStderrInOrder() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("for i in 1 2 3; do echo out$i; echo err$i >&2; done"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QCOMPARE(c.lines, (std::vector<std::string>{"out1", "err1", "out2", "err2", "out3", "err3"}));
        QVERIFY(c.exit->cleanExit());
        QCOMPARE(c.exits.load(), 1);
    }

    void manyLinesArriveComplete() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(15s));
        QCOMPARE(c.lines.size(), size_t(20000));
        QCOMPARE(c.lines.front(), std::string("line-0"));
        QCOMPARE(c.lines.back(), std::string("line-19999"));
    }

    void lastLineWithoutNewlineIsDelivered() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("printf 'first\\nno newline'"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QCOMPARE(c.lines, (std::vector<std::string>{"first", "no newline"}));
    }

    void crashReportsExitCodeAndLastLines() {
        Collector c;
        ChildProcess child;
        ProcessOptions o = shell("i=0; while [ $i -lt 100 ]; do echo step $i; i=$((i+1)); done; echo fatal: out of memory >&2; exit 3");
        o.lastLineCount = 5;
        QVERIFY(child.start(o, c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QVERIFY(c.exit.has_value());
        QVERIFY(!c.exit->signaled);
        QCOMPARE(c.exit->code, 3);
        QVERIFY(!c.exit->stopRequested);
        QCOMPARE(c.exit->lastLines, (std::vector<std::string>{"step 96", "step 97", "step 98", "step 99", "fatal: out of memory"}));
        QCOMPARE(c.exit->describe(), std::string("exited with code 3"));
        QCOMPARE(child.lastExit()->code, 3);
    }

    void deathBySignalIsReported() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("echo about to die; kill -SEGV $$"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QVERIFY(c.exit->signaled);
        QCOMPARE(c.exit->code, int(SIGSEGV));
        QCOMPARE(c.exit->describe(), std::string("killed by signal 11 (SIGSEGV)"));
        QCOMPARE(c.exit->lastLines.back(), std::string("about to die"));
    }

    void stopEndsAPoliteChildWithSigterm() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.05; done"), c.callbacks()).ok());
        QTRY_VERIFY_WITH_TIMEOUT([&] { std::lock_guard l(c.mutex); return !c.lines.empty(); }(), 5000);
        const pid_t pid = child.pid();
        QVERIFY(child.stop(5s));
        QVERIFY(c.exit->stopRequested);
        QVERIFY(c.exit->cleanExit());
        QCOMPARE(c.lines.back(), std::string("got TERM"));
        QVERIFY(!processExists(pid));
    }

    void stopEscalatesToSigkillAfterTheGrace() {
        Collector c;
        ChildProcess child;
        // Ignores SIGTERM, and so does its `sleep` child (ignored signals are inherited).
        QVERIFY(child.start(shell("trap '' TERM; echo stubborn; sleep 30"), c.callbacks()).ok());
        QTRY_VERIFY_WITH_TIMEOUT([&] { std::lock_guard l(c.mutex); return !c.lines.empty(); }(), 5000);
        const pid_t pid = child.pid();
        QElapsedTimer timer;
        timer.start();
        QVERIFY(child.stop(300ms));
        QVERIFY(timer.elapsed() >= 250);
        QVERIFY(timer.elapsed() < 3000);  // the sleep 30 was killed with its parent
        QVERIFY(c.exit->signaled);
        QCOMPARE(c.exit->code, int(SIGKILL));
        QVERIFY(c.exit->stopRequested);
        QVERIFY(!processExists(pid));
    }

    void noZombiesAfterManyRuns() {
        std::vector<pid_t> pids;
        for (int i = 0; i < 20; ++i) {
            Collector c;
            ChildProcess child;
            QVERIFY(child.start(shell(i % 2 ? "exit 1" : "echo x"), c.callbacks()).ok());
            pids.push_back(child.pid());
            QVERIFY(child.waitForExit(5s));
        }
        for (pid_t pid : pids) QVERIFY2(!processExists(pid), qPrintable(QString("pid %1 is left").arg(pid)));
        // Nothing left to reap: every child was waited for.
        QCOMPARE(waitpid(-1, nullptr, WNOHANG), -1);
        QCOMPARE(errno, ECHILD);
    }

    void destructorStopsARunningChild() {
        pid_t pid = 0;
        {
            ChildProcess child;
            QVERIFY(child.start(shell("sleep 30"), {}).ok());
            pid = child.pid();
            QVERIFY(processExists(pid));
        }
        QVERIFY(!processExists(pid));
    }

    void restartsAfterExit() {
        Collector c;
        ChildProcess child;
        QVERIFY(child.start(shell("echo one"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QVERIFY(child.start(shell("echo two"), c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QCOMPARE(c.lines, (std::vector<std::string>{"one", "two"}));
        QCOMPARE(c.exits.load(), 2);
    }

    void secondStartWhileRunningFails() {
        ChildProcess child;
        QVERIFY(child.start(shell("sleep 30"), {}).ok());
        const auto again = child.start(shell("true"), {});
        QVERIFY(!again.ok());
        QVERIFY(QString::fromStdString(again.message()).contains("still running"));
        QVERIFY(child.stop(2s));
    }

    void missingProgramIsAClearError() {
        ChildProcess child;
        ProcessOptions o;
        o.program = "/nonexistent/slipway-engine";
        const auto started = child.start(o, {});
        QVERIFY(!started.ok());
        QCOMPARE(started.message(), std::string("cannot start /nonexistent/slipway-engine: no such file (or its working directory is missing)"));
        o.program = "slipway-no-such-program";
        const auto onPath = child.start(o, {});
        QVERIFY(!onPath.ok());
        QVERIFY(QString::fromStdString(onPath.message()).contains("not found on PATH"));
    }

    void environmentAndWorkingDirectoryReachTheChild() {
        Collector c;
        ChildProcess child;
        ProcessOptions o = shell("echo \"$SLIPWAY_TEST_VALUE\"; pwd");
        o.environment = {{"SLIPWAY_TEST_VALUE", "forty-two"}};
        o.workingDirectory = "/";
        QVERIFY(child.start(o, c.callbacks()).ok());
        QVERIFY(child.waitForExit(5s));
        QCOMPARE(c.lines, (std::vector<std::string>{"forty-two", "/"}));
    }
};

QTEST_GUILESS_MAIN(TestChildProcess)
#include "test_child_process.moc"
