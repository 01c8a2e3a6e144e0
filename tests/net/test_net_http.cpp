// core/net against a real HTTP(S) server (tests/support/http_test_server.mjs): round trips,
// streamed bodies, cancellation, stalls, refused connections, dropped connections, TLS with and
// without the CA, mutual TLS, skip-verify.
#include "net/cancel_token.h"
#include "net/http_client.h"
#include "net/http_error.h"
#include "net/line_splitter.h"
#include "net/redact.h"
#include "test_http_server.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace slipway::net;
using slipway::testing::TestCertificates;
using slipway::testing::TestHttpServer;
using Clock = std::chrono::steady_clock;

namespace {

QJsonObject jsonOf(const std::string &text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

bool contains(const std::string &text, const char *needle)
{
    return text.find(needle) != std::string::npos;
}

} // namespace

class TestNetHttp : public QObject {
    Q_OBJECT

private:
    TestHttpServer m_server;

private slots:
    void initTestCase()
    {
        QString error;
        if (!m_server.start(&error))
            QSKIP(qPrintable(error));
    }

    void roundTripCarriesMethodHeadersAndBody()
    {
        Request request;
        request.method = "PATCH";
        request.url = m_server.url("/echo?fieldManager=slipway");
        request.headers = {{"Content-Type", "application/apply-patch+yaml"}, bearerAuth("t0ken"), {"X-Empty", ""}};
        request.body = "kind: Pod\n";
        const auto response = perform(request);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());
        QCOMPARE(response->status, 200L);
        QVERIFY(response->isSuccess());
        QCOMPARE(response->header("x-test").value_or(""), std::string("yes"));
        QCOMPARE(response->header("Content-Type").value_or(""), std::string("application/json"));
        const QJsonObject echo = jsonOf(response->body);
        QCOMPARE(echo["method"].toString(), QString("PATCH"));
        QCOMPARE(echo["body"].toString(), QString("kind: Pod\n"));
        QCOMPARE(echo["query"].toObject()["fieldManager"].toString(), QString("slipway"));
        const QJsonObject headers = echo["headers"].toObject();
        QCOMPARE(headers["authorization"].toString(), QString("Bearer t0ken"));
        QCOMPARE(headers["content-type"].toString(), QString("application/apply-patch+yaml"));
        QVERIFY(headers.contains("x-empty"));
        QVERIFY2(!headers.contains("expect"), "no 100-continue round trip");
    }

    void deleteAndHeadAndRedirects()
    {
        Request del;
        del.method = "DELETE";
        del.url = m_server.url("/echo");
        auto response = perform(del);
        QVERIFY(response.ok());
        QCOMPARE(jsonOf(response->body)["method"].toString(), QString("DELETE"));

        Request redirect;
        redirect.url = m_server.url("/redirect");
        response = perform(redirect);
        QVERIFY(response.ok());
        QCOMPARE(response->status, 302L);
        redirect.followRedirects = true;
        response = perform(redirect);
        QVERIFY(response.ok());
        QCOMPARE(response->status, 200L);
        QVERIFY(contains(response->effectiveUrl, "/echo"));
    }

    void httpErrorsAreValuesWithStatusAndBody()
    {
        Request request;
        request.url = m_server.url("/status/503?message=engine%20warming%20up");
        const auto response = perform(request);
        QVERIFY(response.ok());
        QCOMPARE(response->status, 503L);
        QVERIFY(!response->isSuccess());
        QCOMPARE(httpErrorMessage("health check", *response),
                 std::string("health check: HTTP 503 Service Unavailable: engine warming up"));
    }

    void streamedBodyArrivesInChunksAndSplitsIntoLines()
    {
        Request request;
        request.url = m_server.url("/lines?n=40&piece=7&delay=2");
        LineSplitter splitter;
        std::vector<std::string> lines;
        int chunks = 0;
        int headerCalls = 0;
        Transfer transfer;
        transfer.onHeaders = [&](const Response &r) {
            ++headerCalls;
            QCOMPARE(r.status, 200L);
            QCOMPARE(chunks, 0);
        };
        transfer.onChunk = [&](std::string_view chunk) {
            ++chunks;
            return splitter.feed(chunk, [&](std::string_view line) { lines.emplace_back(line); }).ok();
        };
        std::int64_t lastProgress = 0;
        transfer.onProgress = [&](const Progress &p) { lastProgress = p.downloaded; };
        const auto response = perform(request, transfer);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());
        splitter.finish([&](std::string_view line) { lines.emplace_back(line); });
        QVERIFY(response->body.empty());
        QCOMPARE(headerCalls, 1);
        QVERIFY2(chunks > 5, "the body must arrive as it is written, not at the end");
        QCOMPARE(lines.size(), std::size_t(40));
        for (int i = 0; i < 40; ++i)
            QCOMPARE(lines[std::size_t(i)], "{\"i\":" + std::to_string(i) + "}");
        QVERIFY(lastProgress > 0);
    }

    void errorBodiesAreKeptEvenWhenStreaming()
    {
        Request request;
        request.url = m_server.url("/status/401");
        Transfer transfer;
        bool chunkSeen = false;
        transfer.onChunk = [&](std::string_view) { return chunkSeen = true; };
        const auto response = perform(request, transfer);
        QVERIFY(response.ok());
        QCOMPARE(response->status, 401L);
        QVERIFY(!chunkSeen);
        QVERIFY(contains(response->body, "status 401 as asked"));
    }

    void receiverCanStopAStream()
    {
        Request request;
        request.url = m_server.url("/lines?n=1000&piece=10&delay=5");
        Transfer transfer;
        int chunks = 0;
        transfer.onChunk = [&](std::string_view) { return ++chunks < 3; };
        const auto start = Clock::now();
        const auto response = perform(request, transfer);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "stopped by the receiver"), response.message().c_str());
        QCOMPARE(chunks, 3);
        QVERIFY(secondsSince(start) < 2.0);
    }

    void cancellationReturnsPromptly()
    {
        Request request;
        request.url = m_server.url("/slow?ms=8000");
        CancelToken token;
        Transfer transfer;
        transfer.cancel = &token;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            token.cancel();
        });
        const auto start = Clock::now();
        const auto response = perform(request, transfer);
        const double elapsed = secondsSince(start);
        canceller.join();
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "cancelled"), response.message().c_str());
        QVERIFY2(elapsed < 0.8, qPrintable(QString("took %1 s").arg(elapsed)));

        // A token that is already cancelled sends nothing.
        const auto again = perform(request, transfer);
        QVERIFY(!again.ok());
        QVERIFY(contains(again.message(), "cancelled"));
    }

    void stalledStreamTimesOut()
    {
        Request request;
        request.url = m_server.url("/stall?bytes=5");
        request.timeouts.stall = std::chrono::milliseconds(600);
        std::string received;
        Transfer transfer;
        transfer.onChunk = [&](std::string_view chunk) {
            received.append(chunk);
            return true;
        };
        const auto start = Clock::now();
        const auto response = perform(request, transfer);
        const double elapsed = secondsSince(start);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "stalled"), response.message().c_str());
        QVERIFY2(contains(response.message(), "0.6 s"), response.message().c_str());
        QCOMPARE(received, std::string("xxxxx"));
        QVERIFY2(elapsed >= 0.55 && elapsed < 2.0, qPrintable(QString("took %1 s").arg(elapsed)));
    }

    void totalTimeoutSaysSo()
    {
        Request request;
        request.url = m_server.url("/slow?ms=5000");
        request.timeouts.total = std::chrono::milliseconds(400);
        const auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "no complete response within 0.4 s"), response.message().c_str());
    }

    void refusedConnectionIsExplained()
    {
        // A port that was free a moment ago: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        Request request;
        request.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/models";
        const auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "connection refused"), response.message().c_str());
        QVERIFY(contains(response.message(), ("127.0.0.1:" + std::to_string(port)).c_str()));
        QVERIFY(contains(response.message(), "check that the server is running"));
    }

    void unknownHostIsADnsFailure()
    {
        Request request;
        request.url = "http://no-such-host.invalid/";
        const auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "cannot resolve the host name"), response.message().c_str());
    }

    void badUrlIsExplained()
    {
        Request request;
        request.url = "htp:/broken";
        const auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "invalid URL") || contains(response.message(), "cannot resolve"),
                 response.message().c_str());
    }

    void droppedConnectionIsReported()
    {
        Request request;
        request.url = m_server.url("/drop?bytes=100");
        const auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "closed before the response was complete"), response.message().c_str());
    }

    void streamedUploadSendsEveryByte()
    {
        std::string data(300000, 'z');
        std::size_t offset = 0;
        Request request;
        request.method = "PUT";
        request.url = m_server.url("/upload");
        Transfer transfer;
        transfer.uploadSize = std::int64_t(data.size());
        transfer.bodySource = [&](char *buffer, std::size_t size) {
            const std::size_t n = std::min(size, data.size() - offset);
            std::memcpy(buffer, data.data() + offset, n);
            offset += n;
            return n;
        };
        std::int64_t uploaded = 0;
        transfer.onProgress = [&](const Progress &p) { uploaded = p.uploaded; };
        const auto response = perform(request, transfer);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());
        QCOMPARE(jsonOf(response->body)["received"].toInt(), 300000);
        QCOMPARE(jsonOf(response->body)["method"].toString(), QString("PUT"));
        QCOMPARE(uploaded, std::int64_t(300000));
    }

    void concurrentCallsFromWorkerThreads()
    {
        std::vector<std::thread> workers;
        std::atomic<int> good{0};
        for (int i = 0; i < 6; ++i) {
            workers.emplace_back([&, i] {
                Request request;
                request.url = m_server.url("/echo?worker=" + std::to_string(i));
                const auto response = perform(request);
                if (response.ok() && jsonOf(response->body)["query"].toObject()["worker"].toString() == QString::number(i))
                    ++good;
            });
        }
        for (auto &w : workers)
            w.join();
        QCOMPARE(good.load(), 6);
    }

    void tls()
    {
        TestCertificates certs;
        QString error;
        if (!certs.generate(&error))
            QSKIP(qPrintable(error));
        TestHttpServer server({"--tls-cert", certs.serverCert(), "--tls-key", certs.serverKey()});
        QVERIFY2(server.start(&error), qPrintable(error));

        Request request;
        request.url = server.url("/echo");
        // Without the CA: refused, with the fix spelled out.
        auto response = perform(request);
        QVERIFY(!response.ok());
        QVERIFY2(contains(response.message(), "TLS certificate not trusted"), response.message().c_str());
        QVERIFY(contains(response.message(), "add the server's CA certificate"));
        QVERIFY(contains(response.message(), "skip TLS verification"));

        // CA given in memory (kubeconfig's certificate-authority-data).
        request.tls.caData = TestCertificates::readFile(certs.caPem());
        response = perform(request);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());
        QCOMPARE(response->status, 200L);

        // CA given as a file.
        request.tls.caData.clear();
        request.tls.caFile = certs.caPem().toStdString();
        response = perform(request);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());

        // Skip verification.
        Request insecure;
        insecure.url = server.url("/echo");
        insecure.tls.insecureSkipVerify = true;
        response = perform(insecure);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());

        // Garbage CA data is a clear message, not a crash.
        Request garbage;
        garbage.url = server.url("/echo");
        garbage.tls.caData = "not a certificate";
        response = perform(garbage);
        QVERIFY(!response.ok());
    }

    void mutualTls()
    {
        TestCertificates certs;
        QString error;
        if (!certs.generate(&error))
            QSKIP(qPrintable(error));
        TestHttpServer server({"--tls-cert", certs.serverCert(), "--tls-key", certs.serverKey(), "--client-ca",
                               certs.caPem()});
        QVERIFY2(server.start(&error), qPrintable(error));
        Request request;
        request.url = server.url("/echo");
        request.tls.caData = TestCertificates::readFile(certs.caPem());
        auto response = perform(request);
        QVERIFY2(!response.ok(), "the server requires a client certificate");

        request.tls.clientCertData = TestCertificates::readFile(certs.clientCert());
        request.tls.clientKeyData = TestCertificates::readFile(certs.clientKey());
        response = perform(request);
        QVERIFY2(response.ok(), response.ok() ? "" : response.message().c_str());
        QCOMPARE(jsonOf(response->body)["clientCert"].toString(), QString("slipway-client"));
    }
};

QTEST_GUILESS_MAIN(TestNetHttp)
#include "test_net_http.moc"
