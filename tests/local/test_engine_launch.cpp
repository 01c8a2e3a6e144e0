// The engine's command line from EngineLaunchOptions, option checks, finding the executable, and
// the loopback health probe against a real listening socket.
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "local/engine_launch.h"
#include "local/engine_locator.h"
#include "local/loopback_http.h"

using namespace slipway::local;
using namespace std::chrono_literals;

namespace {

// A one-connection HTTP server on 127.0.0.1 that answers `response` after reading the request
// head, or never answers when `response` is empty.
class OneShotServer {
public:
    explicit OneShotServer(std::string response) : m_response(std::move(response)) {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        listen(m_fd, 1);
        socklen_t len = sizeof addr;
        getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] {
            const int client = accept(m_fd, nullptr, nullptr);
            char buffer[2048];
            std::string head;
            while (head.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = read(client, buffer, sizeof buffer);
                if (n <= 0) break;
                head.append(buffer, static_cast<size_t>(n));
            }
            m_request = head;
            if (!m_response.empty()) {
                (void)!write(client, m_response.data(), m_response.size());
            } else {
                std::this_thread::sleep_for(600ms);
            }
            close(client);
        });
    }
    ~OneShotServer() {
        m_thread.join();
        close(m_fd);
    }
    int port() const { return m_port; }
    std::string request() const { return m_request; }

private:
    std::string m_response;
    int m_fd = -1;
    int m_port = 0;
    std::string m_request;
    std::thread m_thread;
};

QString tempModelDir(QTemporaryDir &dir) {
    QFile config(dir.filePath("config.json"));
    config.open(QIODevice::WriteOnly);
    config.write("{}");
    return dir.path();
}

} // namespace

class TestEngineLaunch : public QObject {
    Q_OBJECT

private slots:
    void argumentsCarryEveryChosenFlag() {
        EngineLaunchOptions o;
        o.modelPath = "/models/qwen";
        o.device = "cuda";
        o.servedModelName = "demo";
        o.memFractionStatic = 0.85;
        o.maxRunningRequests = 8;
        o.contextLength = 4096;
        o.apiKey = "secret";
        o.extraArgs = {"--log-requests"};
        const std::vector<std::string> expected{
            "--model-path", "/models/qwen", "--device", "cuda", "--host", "127.0.0.1", "--port", "31234",
            "--served-model-name", "demo", "--mem-fraction-static", "0.85", "--max-running-requests", "8",
            "--context-length", "4096", "--enable-metrics", "--api-key", "secret", "--log-requests"};
        QCOMPARE(engineArguments(o, 31234), expected);
    }

    void defaultsLeaveOptionalFlagsOut() {
        EngineLaunchOptions o;
        o.modelPath = "/m";
        o.enableMetrics = false;
        QCOMPARE(engineArguments(o, 30000),
                 (std::vector<std::string>{"--model-path", "/m", "--device", "cpu", "--host", "127.0.0.1", "--port", "30000"}));
    }

    void validationNamesWhatToChange_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no model") << "model" << "no model folder was chosen";
        QTest::addRow("missing folder") << "missing" << "does not exist";
        QTest::addRow("no config.json") << "noconfig" << "has no config.json";
        QTest::addRow("device") << "device" << "choose cpu or cuda";
        QTest::addRow("port") << "port" << "out of range: use 1-65535";
        QTest::addRow("mem fraction") << "mem" << "at most 1";
        QTest::addRow("extra repeats port") << "extra" << "repeats a field";
    }
    void validationNamesWhatToChange() {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        QTemporaryDir withConfig, empty;
        EngineLaunchOptions o;
        o.modelPath = tempModelDir(withConfig).toStdString();
        QVERIFY(validateLaunchOptions(o).ok());
        if (field == "model") o.modelPath.clear();
        if (field == "missing") o.modelPath = "/nonexistent/model";
        if (field == "noconfig") o.modelPath = empty.path().toStdString();
        if (field == "device") o.device = "tpu";
        if (field == "port") o.port = 70000;
        if (field == "mem") o.memFractionStatic = 1.5;
        if (field == "extra") o.extraArgs = {"--port=1"};
        const auto result = validateLaunchOptions(o);
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.message()).contains(expected), result.message().c_str());
    }

    void findsTheExecutableInOrder() {
        QTemporaryDir exeDir, pathA, pathB;
        const auto makeExe = [](const QString &dir) {
            QFile f(dir + "/slipway-engine");
            f.open(QIODevice::WriteOnly);
            f.write("#!/bin/sh\n");
            f.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
            return (dir + "/slipway-engine").toStdString();
        };
        const std::string inB = makeExe(pathB.path());
        const std::string pathList = pathA.path().toStdString() + "::" + pathB.path().toStdString();
        QCOMPARE(findExecutable("slipway-engine", "", exeDir.path().toStdString(), pathList).value(), inB);
        const std::string inExeDir = makeExe(exeDir.path());
        QCOMPARE(findExecutable("slipway-engine", "", exeDir.path().toStdString(), pathList).value(), inExeDir);
        QCOMPARE(findExecutable("slipway-engine", inB, exeDir.path().toStdString(), pathList).value(), inB);
    }

    void missingExecutableSaysWhereItLooked() {
        QTemporaryDir exeDir;
        const auto found = findExecutable("slipway-engine", "", exeDir.path().toStdString(), "/nonexistent");
        QVERIFY(!found.ok());
        const QString message = QString::fromStdString(found.message());
        QVERIFY(message.contains("slipway-engine was not found next to this program (in " + exeDir.path() + ") nor on PATH"));
        QVERIFY(message.contains("SLIPWAY_ENGINE"));
        const auto badOverride = findExecutable("slipway-engine", "/nonexistent/engine", "", "");
        QVERIFY(QString::fromStdString(badOverride.message()).contains("SLIPWAY_ENGINE is set to /nonexistent/engine"));
    }

    void probeReadsTheStatusCode_data() {
        QTest::addColumn<QString>("response");
        QTest::addColumn<int>("code");
        QTest::addRow("200") << "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" << 200;
        QTest::addRow("503 loading") << "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\nno" << 503;
    }
    void probeReadsTheStatusCode() {
        QFETCH(QString, response);
        QFETCH(int, code);
        OneShotServer server(response.toStdString());
        const auto status = httpGetStatus("127.0.0.1", server.port(), "/health_generate", 2s);
        QVERIFY2(status.ok(), status.ok() ? "" : status.message().c_str());
        QCOMPARE(status.value(), code);
        QVERIFY(QString::fromStdString(server.request()).startsWith("GET /health_generate HTTP/1.1\r\n"));
    }

    void probeFailsOnRefusalTimeoutAndGarbage() {
        const auto port = pickFreePort("127.0.0.1");
        QVERIFY(port.ok());
        const auto refused = httpGetStatus("127.0.0.1", port.value(), "/health", 1s);
        QVERIFY(!refused.ok());
        QVERIFY(QString::fromStdString(refused.message()).contains("Connection refused"));
        {
            OneShotServer silent("");
            const auto timedOut = httpGetStatus("127.0.0.1", silent.port(), "/health", 200ms);
            QVERIFY(!timedOut.ok());
            QVERIFY(QString::fromStdString(timedOut.message()).contains("no answer within 200 ms"));
        }
        OneShotServer garbage("SSH-2.0-OpenSSH\r\n");
        QVERIFY(!httpGetStatus("127.0.0.1", garbage.port(), "/health", 1s).ok());
        QVERIFY(!httpGetStatus("localhost", 80, "/", 1s).ok());  // numeric addresses only
    }

    void probeStopsWhenCancelled() {
        OneShotServer silent("");
        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancel = true;
        });
        QElapsedTimer timer;
        timer.start();
        const auto status = httpGetStatus("127.0.0.1", silent.port(), "/health_generate", 10s, &cancel);
        canceller.join();
        QVERIFY(!status.ok());
        QVERIFY2(QString::fromStdString(status.message()).endsWith("cancelled"), status.message().c_str());
        QVERIFY(timer.elapsed() < 1000);
    }

    void freePortIsBindable() {
        const auto port = pickFreePort("127.0.0.1");
        QVERIFY(port.ok());
        QVERIFY(port.value() > 0 && port.value() < 65536);
    }
};

QTEST_GUILESS_MAIN(TestEngineLaunch)
#include "test_engine_launch.moc"
