// core/net without a server: line splitting, server-sent event parsing (edge cases of the
// format), secret redaction, URL helpers and messages drawn from error bodies.
#include "net/http_error.h"
#include "net/line_splitter.h"
#include "net/redact.h"
#include "net/sse_parser.h"
#include "net/url.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace slipway::net;

namespace {

std::vector<std::string> splitLines(const std::vector<std::string> &chunks)
{
    LineSplitter splitter;
    std::vector<std::string> lines;
    const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
    for (const std::string &chunk : chunks)
        [&] { QVERIFY(splitter.feed(chunk, collect).ok()); }();
    splitter.finish(collect);
    return lines;
}

std::vector<SseEvent> parseSse(const std::vector<std::string> &chunks, bool *dropped = nullptr)
{
    SseParser parser;
    std::vector<SseEvent> events;
    for (const std::string &chunk : chunks)
        [&] { QVERIFY(parser.feed(chunk, [&](const SseEvent &e) { events.push_back(e); }).ok()); }();
    const bool d = parser.finish();
    if (dropped)
        *dropped = d;
    return events;
}

// Every way of cutting `text` in two, then byte by byte: the result must not depend on where the
// network split the stream.
std::vector<std::vector<std::string>> allSplits(const std::string &text)
{
    std::vector<std::vector<std::string>> out;
    for (std::size_t cut = 0; cut <= text.size(); ++cut)
        out.push_back({text.substr(0, cut), text.substr(cut)});
    std::vector<std::string> bytes;
    for (const char c : text)
        bytes.emplace_back(1, c);
    out.push_back(bytes);
    return out;
}

} // namespace

class TestNetStreams : public QObject {
    Q_OBJECT

private slots:
    void linesAreJoinedAcrossChunksAndCrIsDropped()
    {
        const std::string text = "{\"type\":\"ADDED\"}\r\n{\"type\":\"MODIFIED\"}\n\nlast";
        for (const auto &chunks : allSplits(text)) {
            const auto lines = splitLines(chunks);
            QCOMPARE(lines.size(), std::size_t(4));
            QCOMPARE(lines[0], std::string("{\"type\":\"ADDED\"}"));
            QCOMPARE(lines[1], std::string("{\"type\":\"MODIFIED\"}"));
            QCOMPARE(lines[2], std::string());
            QCOMPARE(lines[3], std::string("last"));
        }
    }

    void overlongLineIsAnError()
    {
        LineSplitter splitter(8);
        const auto ignore = [](std::string_view) {};
        QVERIFY(splitter.feed("12345", ignore).ok());
        const auto result = splitter.feed("67890", ignore);
        QVERIFY(!result.ok());
        QVERIFY(result.message().find("longer than 8 bytes") != std::string::npos);
    }

    void sseEventsSurviveEverySplit()
    {
        const std::string text = "\xEF\xBB\xBF: keep-alive\r\n\r\nevent: delta\r\ndata: {\"a\":1}\r\n\r\n"
                                 "data: line one\ndata:line two\ndata\n\nid: 7\rdata: [DONE]\r\r";
        for (const auto &chunks : allSplits(text)) {
            const auto events = parseSse(chunks);
            QCOMPARE(events.size(), std::size_t(3));
            QCOMPARE(events[0].event, std::string("delta"));
            QCOMPARE(events[0].data, std::string("{\"a\":1}"));
            QCOMPARE(events[1].event, std::string("message"));
            QCOMPARE(events[1].data, std::string("line one\nline two\n")); // "data" alone adds an empty line
            QCOMPARE(events[2].id, std::string("7"));
            QVERIFY(events[2].isDone());
            QVERIFY(!events[1].isDone());
        }
    }

    void sseCommentsAndUnknownFieldsAreIgnored()
    {
        SseParser parser;
        std::vector<SseEvent> events;
        const auto collect = [&](const SseEvent &e) { events.push_back(e); };
        QVERIFY(parser.feed(": ping\n\n:another\nfoo: bar\nretry: 2500\nretry: x\ndata:  two spaces\n\n", collect).ok());
        QCOMPARE(parser.commentCount(), std::size_t(2));
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].data, std::string(" two spaces")); // only one space after the colon is removed
        QCOMPARE(events[0].retryMs.value_or(-1), 2500L);
    }

    void sseEventWithoutDataIsNotDispatched()
    {
        const auto events = parseSse({"event: ping\n\nevent: update\ndata: x\n\n"});
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].event, std::string("update"));
        QVERIFY2(events[0].event != "ping", "the event name must not leak into the next event");
    }

    void sseIncompleteEventAtEndIsReportedDropped()
    {
        bool dropped = false;
        const auto events = parseSse({"data: complete\n\ndata: cut off"}, &dropped);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(dropped);
        parseSse({"data: complete\n\n"}, &dropped);
        QVERIFY(!dropped);
    }

    void secretsAreRedacted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("secret");
        QTest::addRow("bearer") << "Authorization: Bearer abc.def-ghi" << "abc.def-ghi";
        QTest::addRow("bearer in prose") << "sent bearer eyJhbGciOi.xyz to server" << "eyJhbGciOi.xyz";
        QTest::addRow("openshift token") << "token sha256~AbCdEf_123-xyz expired" << "AbCdEf_123-xyz";
        QTest::addRow("openai key") << "key sk-proj-abcdefgh12345 rejected" << "abcdefgh12345";
        QTest::addRow("url password") << "https://admin:hunter2@minio:9000/bucket" << "hunter2";
        QTest::addRow("query token") << "GET /api?watch=1&access_token=s3cr3t&x=1" << "s3cr3t";
        QTest::addRow("s3 signature") << "PUT /b/k?X-Amz-Signature=deadbeef42" << "deadbeef42";
        QTest::addRow("json password") << "{\"user\":\"a\",\"password\": \"pa55word\"}" << "pa55word";
        QTest::addRow("api key header") << "X-Api-Key: k-12345" << "k-12345";
    }
    void secretsAreRedacted()
    {
        QFETCH(QString, text);
        QFETCH(QString, secret);
        const std::string out = redactSecrets(text.toStdString());
        QVERIFY2(out.find(secret.toStdString()) == std::string::npos, out.c_str());
        QVERIFY2(out.find("<redacted>") != std::string::npos, out.c_str());
    }

    void plainTextIsNotRedacted()
    {
        const std::string text = "GET https://api.example:6443/api/v1/pods?watch=1 returned 200 for task-key";
        QCOMPARE(redactSecrets(text), text);
    }

    void requestLogLineHidesCredentials()
    {
        Request request;
        request.method = "POST";
        request.url = "https://h:8443/v1/chat/completions?api_key=qwerty";
        request.headers = {bearerAuth("tok-123456"), {"Content-Type", "application/json"}};
        request.tls.insecureSkipVerify = true;
        const std::string line = describeForLog(request);
        QVERIFY2(line.find("tok-123456") == std::string::npos, line.c_str());
        QVERIFY2(line.find("qwerty") == std::string::npos, line.c_str());
        QVERIFY(line.find("Content-Type: application/json") != std::string::npos);
        QVERIFY(line.find("TLS verification off") != std::string::npos);
        QCOMPARE(bearerAuth("x").value, std::string("Bearer x"));
        QVERIFY(isSecretHeader("authorization"));
        QVERIFY(!isSecretHeader("Accept"));
    }

    void urlHelpers()
    {
        QCOMPARE(urlEncode("rate(x[5m]) {a=\"b\"}"), std::string("rate%28x%5B5m%5D%29%20%7Ba%3D%22b%22%7D"));
        QCOMPARE(queryString({{"query", "up"}, {"time", "1.5"}}), std::string("query=up&time=1.5"));
        QCOMPARE(joinUrl("http://h:1/v1/", "/models"), std::string("http://h:1/v1/models"));
        QCOMPARE(hostAndPort("https://user:p@api.example/x"), std::string("api.example:443"));
        QCOMPARE(hostAndPort("http://127.0.0.1:30000/v1"), std::string("127.0.0.1:30000"));
        QCOMPARE(hostAndPort("http://[::1]:8080/"), std::string("[::1]:8080"));
    }

    void serverMessagesFromErrorBodies_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        QTest::addRow("openai") << "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"x\"}}" << "Invalid API key";
        QTest::addRow("kubernetes") << "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\"}"
                                    << "pods \"x\" not found";
        QTest::addRow("prometheus") << "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}" << "parse error";
        QTest::addRow("fastapi") << "{\"detail\":\"Not Found\"}" << "Not Found";
        QTest::addRow("text") << "  upstream connect error  \n" << "upstream connect error";
        QTest::addRow("html") << "<html><body>502</body></html>" << "";
    }
    void serverMessagesFromErrorBodies()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        QCOMPARE(QString::fromStdString(serverMessage(body.toStdString())), message);
    }

    void httpErrorMessageNamesStatusAndServerText()
    {
        Response response;
        response.status = 404;
        response.body = "{\"error\":{\"message\":\"model x not found\"}}";
        QCOMPARE(httpErrorMessage("GET http://h/v1/models", response),
                 std::string("GET http://h/v1/models: HTTP 404 Not Found: model x not found"));
    }
};

QTEST_GUILESS_MAIN(TestNetStreams)
#include "test_net_streams.moc"
