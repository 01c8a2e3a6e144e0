// core/chat against a scripted OpenAI-compatible server (tests/support/http_test_server.mjs):
// streaming order, usage and time to first token, the reasoning split in all three forms, stop
// mid-stream, and the messages for a wrong key, an unknown model, a refused connection and a
// server that goes away mid-reply.
#include "chat/chat_client.h"
#include "net/http_client.h"
#include "test_http_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace slipway::chat;
using slipway::net::CancelToken;
using slipway::testing::TestHttpServer;
using Clock = std::chrono::steady_clock;

namespace {

const char *kApiKey = "sk-test-key-123456";

const char *kScenarios = R"json({
  "plain": {"chunks": [{"content": "Hello"}, {"content": ","}, {"content": " world"}, {"content": "!"}],
            "firstDelayMs": 250, "delayMs": 20, "usage": {"prompt_tokens": 12, "completion_tokens": 4}},
  "r1-field": {"chunks": [{"reasoning": "Let"}, {"reasoning": " me think."}, {"content": "Four."}]},
  "r1-tags": {"chunks": [{"content": "<thi"}, {"content": "nk>\nWe add"}, {"content": ".</th"}, {"content": "ink>\n\n"}, {"content": "4"}]},
  "r1-noopen": {"chunks": [{"content": "Okay so"}, {"content": " 2+2"}, {"content": "</think>"}, {"content": "\n\nIt is 4."}]},
  "long": {"chunks": [TOKENS], "delayMs": 25},
  "gone": {"chunks": [{"content": "a"}, {"content": "b"}, {"content": "c"}, {"content": "d"}, {"content": "e"}], "dropAfter": 3},
  "error-mid": {"chunks": [{"content": "a"}, {"content": "b"}, {"content": "c"}], "errorAfter": 2, "errorMessage": "CUDA out of memory"}
})json";

QByteArray scenarios()
{
    QByteArray tokens;
    for (int i = 0; i < 300; ++i)
        tokens += (i ? "," : "") + QByteArray("{\"content\": \"t") + QByteArray::number(i) + " \"}";
    return QByteArray(kScenarios).replace("TOKENS", tokens);
}

bool contains(const std::string &text, const char *needle)
{
    return text.find(needle) != std::string::npos;
}

ChatRequest ask(const std::string &model, bool reasoningModel = false)
{
    ChatRequest request;
    request.model = model;
    request.systemPrompt = "You are terse.";
    request.messages = {{"user", "What is 2+2?"}};
    request.sampling.temperature = 0.6;
    request.sampling.maxTokens = 256;
    request.reasoningModel = reasoningModel;
    return request;
}

struct Collected {
    std::vector<ReplyDelta> deltas;
    std::string content;
    std::string reasoning;
    int retractions = 0;

    DeltaCallback callback()
    {
        return [this](const ReplyDelta &d) {
            deltas.push_back(d);
            if (d.contentBecameReasoning) {
                ++retractions;
                reasoning += content;
                content.clear();
            }
            reasoning += d.reasoning;
            content += d.content;
        };
    }
};

} // namespace

class TestChatClient : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestHttpServer> m_server;

    Endpoint endpoint(const std::string &key = kApiKey) const
    {
        Endpoint e;
        e.baseUrl = m_server->baseUrl();
        e.apiKey = key;
        return e;
    }

    QJsonObject lastRequestBody() const
    {
        slipway::net::Request request;
        request.url = m_server->url("/_last");
        const auto response = slipway::net::perform(request);
        return response ? QJsonDocument::fromJson(QByteArray::fromStdString(response->body)).object() : QJsonObject();
    }

private slots:
    void initTestCase()
    {
        const QString file = slipway::testing::writeFile(m_dir, "scenarios.json", scenarios());
        m_server = std::make_unique<TestHttpServer>(QStringList{"--scenarios", file, "--api-key", kApiKey});
        QString error;
        if (!m_server->start(&error))
            QSKIP(qPrintable(error));
    }

    void listsModels()
    {
        const ChatClient client(endpoint());
        QCOMPARE(client.apiUrl("models"), m_server->baseUrl() + "/v1/models");
        const auto models = client.listModels();
        QVERIFY2(models.ok(), models.ok() ? "" : models.message().c_str());
        QCOMPARE(models->size(), std::size_t(7));
        QCOMPARE(models->front().id, std::string("plain"));
        QCOMPARE(models->front().maxModelLength.value_or(0), 4096L);
        // A base URL that already ends in /v1 is used as is.
        Endpoint withV1 = endpoint();
        withV1.baseUrl += "/v1/";
        QCOMPARE(ChatClient(withV1).apiUrl("models"), m_server->baseUrl() + "/v1/models");
    }

    void streamsChunksInOrderWithUsageAndTimeToFirstToken()
    {
        const ChatClient client(endpoint());
        Collected seen;
        const auto reply = client.chat(ask("plain"), seen.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(seen.deltas.size(), std::size_t(4));
        QCOMPARE(seen.deltas[0].content, std::string("Hello"));
        QCOMPARE(seen.deltas[2].content, std::string(" world"));
        QCOMPARE(reply->content, std::string("Hello, world!"));
        QCOMPARE(seen.content, reply->content);
        QCOMPARE(reply->finishReason, std::string("stop"));
        QVERIFY(!reply->stopped);
        QCOMPARE(reply->model, std::string("plain"));
        QVERIFY(reply->usage.has_value());
        QCOMPARE(reply->usage->completionTokens, 4);
        QCOMPARE(reply->usage->promptTokens, 12);
        QVERIFY(reply->stats.tokensFromUsage);
        QCOMPARE(reply->stats.outputTokens, 4);
        const double ttft = reply->stats.timeToFirstTokenSeconds.value_or(-1);
        QVERIFY2(ttft >= 0.24 && ttft < 2.0, qPrintable(QString("ttft %1").arg(ttft)));
        QVERIFY(reply->stats.tokensPerSecond.has_value());
        QVERIFY(*reply->stats.tokensPerSecond > 1.0 && *reply->stats.tokensPerSecond < 1000.0);
        QVERIFY(reply->stats.totalSeconds >= ttft);

        const QJsonObject sent = lastRequestBody();
        QCOMPARE(sent["model"].toString(), QString("plain"));
        QCOMPARE(sent["stream"].toBool(), true);
        QCOMPARE(sent["stream_options"].toObject()["include_usage"].toBool(), true);
        QCOMPARE(sent["messages"].toArray()[0].toObject()["content"].toString(), QString("You are terse."));
        QCOMPARE(sent["max_tokens"].toInt(), 256);
    }

    void reasoningFromReasoningContent()
    {
        const ChatClient client(endpoint());
        Collected seen;
        // Marked as a reasoning model: the server's split must still win, not be re-split.
        ChatRequest request = ask("r1-field", true);
        request.includeUsage = false;
        const auto reply = client.chat(request, seen.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply->reasoning, std::string("Let me think."));
        QCOMPARE(reply->content, std::string("Four."));
        QCOMPARE(seen.reasoning, reply->reasoning);
        QCOMPARE(seen.content, reply->content);
        QVERIFY(!reply->stats.tokensFromUsage);
        QCOMPARE(reply->stats.outputTokens, 3); // no usage asked for: counted text chunks
        QVERIFY(!lastRequestBody().contains("stream_options"));
    }

    void reasoningFromThinkTagsSplitAcrossChunks()
    {
        const ChatClient client(endpoint());
        Collected seen;
        const auto reply = client.chat(ask("r1-tags"), seen.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply->reasoning, std::string("\nWe add."));
        QCOMPARE(reply->content, std::string("4"));
        QCOMPARE(seen.content, std::string("4"));
        for (const ReplyDelta &d : seen.deltas)
            QVERIFY2(!contains(d.content, "<") && !contains(d.reasoning, "<"), "no piece of a tag is ever shown");
    }

    void reasoningWithoutOpeningTag()
    {
        const ChatClient client(endpoint());
        Collected marked;
        auto reply = client.chat(ask("r1-noopen", true), marked.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply->reasoning, std::string("Okay so 2+2"));
        QCOMPARE(reply->content, std::string("It is 4."));
        QCOMPARE(marked.retractions, 0);
        QCOMPARE(marked.deltas.front().reasoning, std::string("Okay so"));

        Collected unmarked;
        reply = client.chat(ask("r1-noopen", false), unmarked.callback());
        QVERIFY(reply.ok());
        QCOMPARE(reply->reasoning, std::string("Okay so 2+2"));
        QCOMPARE(reply->content, std::string("It is 4."));
        QCOMPARE(unmarked.retractions, 1);
        QCOMPARE(unmarked.reasoning, reply->reasoning);
        QCOMPARE(unmarked.content, reply->content);
    }

    void stopsMidStream()
    {
        const ChatClient client(endpoint());
        CancelToken token;
        Collected seen;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            token.cancel();
        });
        const auto start = Clock::now();
        const auto reply = client.chat(ask("long"), seen.callback(), &token);
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        stopper.join();
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QVERIFY(reply->stopped);
        QVERIFY(reply->finishReason.empty());
        QVERIFY2(elapsed < 1.2, qPrintable(QString("stopping took until %1 s").arg(elapsed)));
        QVERIFY(!seen.deltas.empty());
        QVERIFY(seen.deltas.size() < 300);
        QCOMPARE(reply->content, seen.content);
        QVERIFY(contains(reply->content, "t0 t1 "));
        QCOMPARE(reply->stats.outputTokens, int(seen.deltas.size()));
    }

    void wrongKeyIsExplained()
    {
        const ChatClient wrong(endpoint("sk-wrong-000000000"));
        auto reply = wrong.chat(ask("plain"), {});
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "rejected the API key"), reply.message().c_str());
        QVERIFY(contains(reply.message(), "HTTP 401"));
        QVERIFY2(!contains(reply.message(), "sk-wrong-000000000"), "the key never appears in a message");

        const ChatClient none(endpoint(""));
        const auto models = none.listModels();
        QVERIFY(!models.ok());
        QVERIFY2(contains(models.message(), "requires an API key"), models.message().c_str());
    }

    void unknownModelIsExplained()
    {
        const ChatClient client(endpoint());
        const auto reply = client.chat(ask("deepseek-nope"), {});
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "the model 'deepseek-nope' is not served"), reply.message().c_str());
        QVERIFY(contains(reply.message(), "HTTP 404"));
    }

    void refusedConnectionIsExplained()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        Endpoint e;
        e.baseUrl = "http://127.0.0.1:" + std::to_string(port);
        const auto reply = ChatClient(e).chat(ask("plain"), {});
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "cannot reach the chat endpoint"), reply.message().c_str());
        QVERIFY(contains(reply.message(), "connection refused"));
    }

    void serverGoneMidStreamIsExplained()
    {
        const ChatClient client(endpoint());
        Collected seen;
        const auto reply = client.chat(ask("gone"), seen.callback());
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "closed the connection mid-reply after 3 pieces"), reply.message().c_str());
        QCOMPARE(seen.content, std::string("abc"));
    }

    void serverKilledMidStreamIsExplained()
    {
        TestHttpServer server({"--scenarios", m_dir.filePath("scenarios.json")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Endpoint e;
        e.baseUrl = server.baseUrl();
        std::thread killer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            server.kill();
        });
        Collected seen;
        const auto reply = ChatClient(e).chat(ask("long"), seen.callback());
        killer.join();
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "mid-reply") && contains(reply.message(), "crashed or restarted"),
                 reply.message().c_str());
        QVERIFY(!seen.content.empty());
    }

    void errorEventMidStreamIsReported()
    {
        const ChatClient client(endpoint());
        const auto reply = client.chat(ask("error-mid"), {});
        QVERIFY(!reply.ok());
        QVERIFY2(contains(reply.message(), "error mid-reply: CUDA out of memory"), reply.message().c_str());
    }

    void rawCompletionLikeTheGuidesCurl()
    {
        const ChatClient client(endpoint());
        CompletionRequest request;
        request.model = "plain";
        request.prompt = "Say hello";
        request.sampling.maxTokens = 16;
        Collected seen;
        auto reply = client.complete(request, seen.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply->content, std::string("Hello, world!"));
        QCOMPARE(seen.deltas.size(), std::size_t(4));
        const QJsonObject sent = lastRequestBody();
        QCOMPARE(sent["prompt"].toString(), QString("Say hello"));
        QVERIFY(!sent.contains("role"));
        QVERIFY(!sent.contains("messages"));

        request.stream = false;
        reply = client.complete(request, {});
        QVERIFY(reply.ok());
        QCOMPARE(reply->content, std::string("Hello, world!"));
        QCOMPARE(reply->usage->completionTokens, 4);
    }

    void nonStreamedChatSplitsToo()
    {
        const ChatClient client(endpoint());
        ChatRequest request = ask("r1-noopen", true);
        request.stream = false;
        Collected seen;
        const auto reply = client.chat(request, seen.callback());
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply->reasoning, std::string("Okay so 2+2"));
        QCOMPARE(reply->content, std::string("It is 4."));
        QVERIFY(!reply->stats.timeToFirstTokenSeconds);
        QVERIFY(reply->stats.tokensPerSecond.has_value());
        QVERIFY(!lastRequestBody().contains("stream_options"));
    }
};

QTEST_GUILESS_MAIN(TestChatClient)
#include "test_chat_client.moc"
