// core/chat without a server: the reasoning split (tags split across chunks, missing opening tag,
// unmarked models), the reply figures worked by hand, and the request/response JSON.
#include "chat/openai_json.h"
#include "chat/reasoning_splitter.h"
#include "chat/reply_stats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace slipway::chat;

namespace {

struct Shown {
    std::string content;
    std::string reasoning;
    int retractions = 0;
};

// Feeds the pieces and applies every delta as the UI would.
Shown run(bool reasoningModel, const QStringList &pieces)
{
    ReasoningSplitter splitter(reasoningModel);
    Shown shown;
    const auto apply = [&](const ReplyDelta &d) {
        if (d.contentBecameReasoning) {
            ++shown.retractions;
            shown.reasoning += shown.content;
            shown.content.clear();
        }
        shown.reasoning += d.reasoning;
        shown.content += d.content;
    };
    for (const QString &piece : pieces)
        apply(splitter.feed(piece.toStdString()));
    apply(splitter.finish());
    // The splitter's own totals agree with what was shown.
    if (splitter.content() != shown.content || splitter.reasoning() != shown.reasoning)
        shown.content = "MISMATCH";
    return shown;
}

// Every split of `text` into two chunks, and one byte at a time.
QList<QStringList> splits(const QString &text)
{
    QList<QStringList> out;
    for (int cut = 0; cut <= text.size(); ++cut)
        out.append(QStringList{text.left(cut), text.mid(cut)});
    QStringList bytes;
    for (const QChar c : text)
        bytes.append(QString(c));
    out.append(bytes);
    return out;
}

QJsonObject json(const std::string &text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

} // namespace

class TestChatReasoning : public QObject {
    Q_OBJECT

private slots:
    void split_data()
    {
        QTest::addColumn<bool>("reasoningModel");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reasoning");
        QTest::addColumn<QString>("content");
        QTest::addRow("both tags") << false << "<think>\nLet me add.\n</think>\n\n2 + 2 = 4." << "\nLet me add.\n" << "2 + 2 = 4.";
        QTest::addRow("both tags, marked") << true << "  <think>a</think>b" << "a" << "b";
        QTest::addRow("missing opening tag, marked") << true << "Okay, so 2+2.\n</think>\n\nIt is 4." << "Okay, so 2+2.\n" << "It is 4.";
        QTest::addRow("missing opening tag, unmarked") << false << "Okay, so 2+2.</think>It is 4." << "Okay, so 2+2." << "It is 4.";
        QTest::addRow("no tags, unmarked") << false << "Plain answer with < and </thin text." << "" << "Plain answer with < and </thin text.";
        QTest::addRow("no tags, marked (cut short)") << true << "still thinking when max_tokens hit" << "still thinking when max_tokens hit" << "";
        QTest::addRow("later tags are text") << false << "<think>r</think>use <think> tags</think> like this" << "r" << "use <think> tags</think> like this";
        QTest::addRow("empty reasoning") << false << "<think></think>Answer" << "" << "Answer";
        QTest::addRow("partial tag at end") << false << "answer ends with </thi" << "" << "answer ends with </thi";
    }
    void split()
    {
        QFETCH(bool, reasoningModel);
        QFETCH(QString, text);
        QFETCH(QString, reasoning);
        QFETCH(QString, content);
        for (const QStringList &pieces : splits(text)) {
            const Shown shown = run(reasoningModel, pieces);
            const QString where = pieces.size() == 2 ? "cut at " + QString::number(pieces[0].size()) : "bytewise";
            QVERIFY2(QString::fromStdString(shown.reasoning) == reasoning,
                     qPrintable(where + ": reasoning '" + QString::fromStdString(shown.reasoning) + "'"));
            QVERIFY2(QString::fromStdString(shown.content) == content,
                     qPrintable(where + ": content '" + QString::fromStdString(shown.content) + "'"));
        }
    }

    void unmarkedModelStreamsAnswerThenMovesItToReasoning()
    {
        ReasoningSplitter splitter(false);
        ReplyDelta d = splitter.feed("Hmm, the user");
        QCOMPARE(d.content, std::string("Hmm, the user"));
        QVERIFY(!d.contentBecameReasoning);
        d = splitter.feed(" asks.</th");
        QCOMPARE(d.content, std::string(" asks.")); // "</th" is held back
        d = splitter.feed("ink>Hi!");
        QVERIFY(d.contentBecameReasoning);
        QCOMPARE(d.reasoning, std::string(""));
        QCOMPARE(d.content, std::string("Hi!"));
        QCOMPARE(splitter.reasoning(), std::string("Hmm, the user asks."));
        QCOMPARE(splitter.content(), std::string("Hi!"));
    }

    void markedModelShowsReasoningAsItStreams()
    {
        ReasoningSplitter splitter(true);
        QCOMPARE(splitter.feed("First").reasoning, std::string("First"));
        QCOMPARE(splitter.feed(" step<").reasoning, std::string(" step"));
        const ReplyDelta d = splitter.feed("/think>\nDone");
        QCOMPARE(d.reasoning, std::string(""));
        QCOMPARE(d.content, std::string("Done"));
        QVERIFY(!d.contentBecameReasoning);
    }

    void statsFromUsage()
    {
        // Request at 0 s, first text at 0.5 s, last at 2.5 s; usage says 41 tokens:
        // 40 tokens after the first in 2.0 s = 20 tokens/s.
        ReplyTiming timing{true, 0.5, 2.5, 2.6, 30};
        Usage usage{10, 41, 51, std::nullopt};
        const ReplyStats stats = computeStats(timing, usage);
        QCOMPARE(stats.timeToFirstTokenSeconds.value_or(-1), 0.5);
        QCOMPARE(stats.outputTokens, 41);
        QVERIFY(stats.tokensFromUsage);
        QCOMPARE(stats.tokensPerSecond.value_or(-1), 20.0);
        QCOMPARE(stats.totalSeconds, 2.6);
    }

    void statsFromCountedChunks()
    {
        ReplyTiming timing{true, 1.0, 2.0, 2.0, 11};
        const ReplyStats stats = computeStats(timing, std::nullopt);
        QCOMPARE(stats.outputTokens, 11);
        QVERIFY(!stats.tokensFromUsage);
        QCOMPARE(stats.tokensPerSecond.value_or(-1), 10.0);
        // One token: no decode speed.
        QVERIFY(!computeStats(ReplyTiming{true, 1.0, 1.0, 1.0, 1}, std::nullopt).tokensPerSecond);
        // Not streamed: all tokens over the whole time, no time to first token.
        const ReplyStats whole = computeStats(ReplyTiming{false, {}, {}, 4.0, 1}, Usage{5, 100, 105, {}});
        QVERIFY(!whole.timeToFirstTokenSeconds);
        QCOMPARE(whole.tokensPerSecond.value_or(-1), 25.0);
    }

    void chatBodyHasOnlyWhatWasSet()
    {
        ChatRequest request;
        request.model = "deepseek-r1-7b";
        request.systemPrompt = "Be brief.";
        request.messages = {{"user", "Hi"}};
        request.sampling.temperature = 0.6;
        request.sampling.stop = {"\n\n"};
        const QJsonObject body = json(chatRequestBody(request));
        QCOMPARE(body["model"].toString(), QString("deepseek-r1-7b"));
        QCOMPARE(body["messages"].toArray().size(), 2);
        QCOMPARE(body["messages"].toArray()[0].toObject()["role"].toString(), QString("system"));
        QCOMPARE(body["messages"].toArray()[1].toObject()["content"].toString(), QString("Hi"));
        QCOMPARE(body["stream"].toBool(), true);
        QCOMPARE(body["stream_options"].toObject()["include_usage"].toBool(), true);
        QCOMPARE(body["temperature"].toDouble(), 0.6);
        QCOMPARE(body["stop"].toArray()[0].toString(), QString("\n\n"));
        QVERIFY(!body.contains("top_p"));
        QVERIFY(!body.contains("max_tokens"));
    }

    void completionBodyHasNoRole()
    {
        CompletionRequest request;
        request.model = "m";
        request.prompt = "Hello";
        request.sampling.maxTokens = 64;
        request.stream = false;
        const QJsonObject body = json(completionRequestBody(request));
        QCOMPARE(body["prompt"].toString(), QString("Hello"));
        QCOMPARE(body["max_tokens"].toInt(), 64);
        QVERIFY2(!body.contains("role"), "the guide's stray \"role\" field is not part of /v1/completions");
        QVERIFY(!body.contains("messages"));
        QVERIFY(!body.contains("stream_options"));
    }

    void badRequestsAreExplained_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::addRow("no model") << 0 << "no model chosen";
        QTest::addRow("no messages") << 1 << "type a message";
        QTest::addRow("temperature") << 2 << "temperature must be between 0 and 2";
        QTest::addRow("top-p") << 3 << "top-p must be above 0";
        QTest::addRow("max tokens") << 4 << "max tokens must be a positive";
    }
    void badRequestsAreExplained()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        ChatRequest request;
        request.model = which == 0 ? "" : "m";
        if (which != 1)
            request.messages = {{"user", "x"}};
        if (which == 2)
            request.sampling.temperature = 3.0;
        if (which == 3)
            request.sampling.topP = 0.0;
        if (which == 4)
            request.sampling.maxTokens = 0;
        const auto result = validate(request);
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.message()).contains(message), result.message().c_str());
    }

    void streamChunksParse()
    {
        auto chunk = parseStreamChunk(R"({"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"r","content":null},"finish_reason":null}]})");
        QVERIFY(chunk.ok());
        QCOMPARE(chunk->reasoning, std::string("r"));
        QCOMPARE(chunk->text, std::string());
        QVERIFY(!chunk->finishReason);
        chunk = parseStreamChunk(R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12,"completion_tokens_details":{"reasoning_tokens":4}}})");
        QVERIFY(chunk.ok());
        QCOMPARE(chunk->usage->completionTokens, 9);
        QCOMPARE(chunk->usage->reasoningTokens.value_or(-1), 4);
        chunk = parseStreamChunk(R"({"choices":[{"index":0,"text":"abc","finish_reason":"length"}]})");
        QVERIFY(chunk.ok());
        QCOMPARE(chunk->text, std::string("abc"));
        QCOMPARE(chunk->finishReason.value_or(""), std::string("length"));
        chunk = parseStreamChunk(R"({"object":"error","message":"CUDA out of memory","code":500})");
        QVERIFY(chunk.ok());
        QCOMPARE(chunk->error.value_or(""), std::string("CUDA out of memory"));
        QVERIFY(!parseStreamChunk("not json").ok());
    }

    void wholeRepliesAndModelListsParse()
    {
        auto reply = parseReply(R"({"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning_content":"add"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})");
        QVERIFY(reply.ok());
        QCOMPARE(reply->content, std::string("4"));
        QCOMPARE(reply->reasoning, std::string("add"));
        QCOMPARE(reply->usage->totalTokens, 3);
        auto models = parseModelList(R"({"object":"list","data":[{"id":"a","owned_by":"sglang","max_model_len":32768},{"id":"b"}]})");
        QVERIFY(models.ok());
        QCOMPARE(models->size(), std::size_t(2));
        QCOMPARE(models->at(0).maxModelLength.value_or(0), 32768L);
        QVERIFY(!models->at(1).maxModelLength);
        QVERIFY(!parseModelList(R"({"models":[]})").ok());
    }
};

QTEST_GUILESS_MAIN(TestChatReasoning)
#include "test_chat_reasoning.moc"
