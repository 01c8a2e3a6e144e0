// The Chat panel against a real slipway-engine on loopback (tiny model, greedy) and against the
// scripted test server: streaming, reasoning split (reasoning_content and a bare "</think>"),
// Stop mid-stream, wrong key and a server killed mid-reply; screenshots in both languages with
// no untranslated string in Chinese.
#include "chat/chat_panel.h"
#include "chat/chat_turn_model.h"
#include "chat/conversation_view.h"
#include "chat/turn_widget.h"
#include "engine_fixture.h"
#include "i18n/language.h"
#include "test_http_server.h"
#include "ui_text_walker.h"

#include <QApplication>
#include <QClipboard>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;
using Turn = ChatTurnModel::Turn;

namespace {

constexpr int kWaitMs = 15000;

void greedy(ChatPanel &panel, const QString &url, int maxTokens) {
    panel.setEndpoint(url, {}, QStringLiteral("tiny"));
    panel.setTemperature(0);
    panel.setMaxTokens(maxTokens);
}

bool waitEnded(ChatPanel &panel) {
    QSignalSpy ended(panel.session(), &ChatSession::replyEnded);
    return !panel.session()->isBusy() || ended.wait(kWaitMs);
}

} // namespace

class TestChatPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void streamsTextIncrementally();
    void splitsReasoningContentFromEngine();
    void splitsBareClosingThinkTag();
    void stopsOnRequestAndTakesNoMoreText();
    void reportsWrongKeyInline();
    void reportsServerGoneMidStream();
    void completionsModeLikeTheGuidesCurl();
    void copiesAndClearsConversation();
    void rendersInBothLanguages();

private:
    test::EngineFixture m_engine;
    bool m_engineUp = false;
    QString m_engineError;
};

void TestChatPanel::initTestCase() {
    m_engineUp = m_engine.start({QStringLiteral("--reasoning-parser"), QStringLiteral("deepseek-r1")}, &m_engineError);
}

void TestChatPanel::streamsTextIncrementally() {
    if (!m_engineUp) QSKIP(qPrintable(m_engineError));
    ChatPanel panel;
    greedy(panel, m_engine.baseUrl(), 300);
    panel.setReasoningModel(false);
    QSignalSpy listed(&panel, &ChatPanel::modelsRefreshed);
    QVERIFY(listed.wait(kWaitMs));
    QCOMPARE(listed.first().first().toStringList(), QStringList{QStringLiteral("tiny")});

    QSignalSpy updated(panel.session(), &ChatSession::replyUpdated);
    QList<int> lengths;
    connect(panel.session(), &ChatSession::replyUpdated, this, [&](int row) {
        const Turn &t = panel.session()->model()->turn(row);
        lengths << int(t.content.size() + t.reasoning.size());
    });
    QVERIFY(panel.send(QStringLiteral("Hello there")));
    QVERIFY(waitEnded(panel));
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.state, ChatTurnModel::State::Done);
    QVERIFY2(updated.count() > 1, qPrintable(QString::number(updated.count())));
    for (int i = 1; i < lengths.size(); ++i) QVERIFY(lengths[i] >= lengths[i - 1]);
    QVERIFY(lengths.first() < lengths.last());
    QVERIFY(reply.stats && reply.stats->timeToFirstTokenSeconds);
    QVERIFY(reply.stats->tokensPerSecond && *reply.stats->tokensPerSecond > 0);
    QVERIFY(panel.conversationView()->turn(1)->statsText().contains(QStringLiteral("tokens/s")));
}

void TestChatPanel::splitsReasoningContentFromEngine() {
    if (!m_engineUp) QSKIP(qPrintable(m_engineError));
    ChatPanel panel;
    greedy(panel, m_engine.baseUrl(), 40);
    QVERIFY(panel.send(QStringLiteral("Think first")));
    QVERIFY(waitEnded(panel));
    // deepseek-r1 parsing: a model that never closes </think> reasons throughout.
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.state, ChatTurnModel::State::Done);
    QVERIFY(!reply.reasoning.isEmpty());
    QVERIFY(reply.content.isEmpty());
    TurnWidget *w = panel.conversationView()->turn(1);
    QVERIFY(w->reasoningVisible());
    QCOMPARE(w->reasoningText(), reply.reasoning);
    w->reasoningToggle()->click(); // collapse
    QVERIFY(!w->reasoningVisible());
    QVERIFY(!panel.session()->model()->turn(1).reasoningExpanded);
}

void TestChatPanel::splitsBareClosingThinkTag() {
    QTemporaryDir dir;
    const QByteArray scenarios = R"({"r1": {"delayMs": 15, "chunks": [{"content": "Let me"}, {"content": " think"},
        {"content": " about it.</th"}, {"content": "ink>\n\nThe answer"}, {"content": " is 4."}]}})";
    testing::TestHttpServer server({QStringLiteral("--scenarios"), testing::writeFile(dir, QStringLiteral("s.json"), scenarios)});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ChatPanel panel;
    panel.setReasoningModel(false); // unmarked: shown as answer until </think> arrives
    panel.setEndpoint(QString::fromStdString(server.baseUrl()), {}, QStringLiteral("r1"));
    QStringList contents;
    connect(panel.session(), &ChatSession::replyUpdated, this,
            [&](int row) { contents << panel.session()->model()->turn(row).content; });
    QVERIFY(panel.send(QStringLiteral("2+2?")));
    QVERIFY(waitEnded(panel));
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.reasoning, QStringLiteral("Let me think about it."));
    QCOMPARE(reply.content, QStringLiteral("The answer is 4."));
    QVERIFY(contents.size() > 1);
    QVERIFY(contents.first().startsWith(QStringLiteral("Let me"))); // first shown as answer…
    QCOMPARE(panel.conversationView()->turn(1)->contentText(), QStringLiteral("The answer is 4.")); // …then moved
}

void TestChatPanel::stopsOnRequestAndTakesNoMoreText() {
    if (!m_engineUp) QSKIP(qPrintable(m_engineError));
    ChatPanel panel;
    greedy(panel, m_engine.baseUrl(), 900);
    panel.setReasoningModel(false);
    QSignalSpy updated(panel.session(), &ChatSession::replyUpdated);
    QVERIFY(panel.send(QStringLiteral("hello there")));
    QVERIFY(updated.wait(kWaitMs));
    panel.stop();
    QVERIFY(waitEnded(panel));
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.state, ChatTurnModel::State::Stopped);
    const QString text = reply.content + reply.reasoning;
    QVERIFY(!text.isEmpty());
    QTest::qWait(300);
    QCOMPARE(panel.session()->model()->turn(1).content + panel.session()->model()->turn(1).reasoning, text);
    QVERIFY(!panel.session()->isBusy());
    QVERIFY(panel.conversationText().contains(QStringLiteral("[stopped]")));
}

void TestChatPanel::reportsWrongKeyInline() {
    QTemporaryDir dir;
    testing::TestHttpServer server({QStringLiteral("--api-key"), QStringLiteral("right"), QStringLiteral("--scenarios"),
                                    testing::writeFile(dir, QStringLiteral("s.json"), R"({"m": {"chunks": [{"content": "x"}]}})")});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ChatPanel panel;
    panel.setEndpoint(QString::fromStdString(server.baseUrl()), QStringLiteral("wrong"), QStringLiteral("m"));
    QVERIFY(panel.send(QStringLiteral("hi")));
    QVERIFY(waitEnded(panel));
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.state, ChatTurnModel::State::Failed);
    QVERIFY2(reply.error.contains(QStringLiteral("key"), Qt::CaseInsensitive), qPrintable(reply.error));
    QCOMPARE(panel.conversationView()->turn(1)->errorText(), reply.error);
}

void TestChatPanel::reportsServerGoneMidStream() {
    test::EngineFixture engine;
    QString error;
    if (!engine.start({}, &error)) QSKIP(qPrintable(error));
    ChatPanel panel;
    greedy(panel, engine.baseUrl(), 900);
    panel.setReasoningModel(false);
    QSignalSpy updated(panel.session(), &ChatSession::replyUpdated);
    QVERIFY(panel.send(QStringLiteral("hello there")));
    QVERIFY(updated.wait(kWaitMs));
    engine.kill();
    QVERIFY(waitEnded(panel));
    const Turn &reply = panel.session()->model()->turn(1);
    QCOMPARE(reply.state, ChatTurnModel::State::Failed);
    QVERIFY(!reply.error.isEmpty());
    QVERIFY(!reply.content.isEmpty()); // the text before the failure is kept
    // And a new request to the dead server fails with a message too.
    QVERIFY(panel.send(QStringLiteral("again")));
    QVERIFY(waitEnded(panel));
    QCOMPARE(panel.session()->model()->turn(3).state, ChatTurnModel::State::Failed);
}

void TestChatPanel::completionsModeLikeTheGuidesCurl() {
    if (!m_engineUp) QSKIP(qPrintable(m_engineError));
    ChatPanel panel;
    greedy(panel, m_engine.baseUrl(), 16);
    panel.setReasoningModel(false);
    panel.setMode(ChatPanel::Mode::Completions);
    QVERIFY(panel.send(QStringLiteral("The capital of France is")));
    QVERIFY(waitEnded(panel));
    const auto *model = panel.session()->model();
    QCOMPARE(model->turn(0).kind, ChatTurnModel::Kind::Prompt);
    QCOMPARE(model->turn(1).kind, ChatTurnModel::Kind::Completion);
    QCOMPARE(model->turn(1).state, ChatTurnModel::State::Done);
    QVERIFY(!model->turn(1).content.isEmpty());
}

void TestChatPanel::copiesAndClearsConversation() {
    QTemporaryDir dir;
    testing::TestHttpServer server({QStringLiteral("--scenarios"),
                                    testing::writeFile(dir, QStringLiteral("s.json"), R"({"m": {"chunks": [{"content": "Hi!"}]}})")});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ChatPanel panel;
    panel.setEndpoint(QString::fromStdString(server.baseUrl()), {}, QStringLiteral("m"));
    QVERIFY(panel.send(QStringLiteral("hello")));
    QVERIFY(waitEnded(panel));
    panel.copyConversation();
    const QString copied = QApplication::clipboard()->text();
    QVERIFY(copied.contains(QStringLiteral("hello")));
    QVERIFY(copied.contains(QStringLiteral("Hi!")));
    panel.clearConversation();
    QCOMPARE(panel.session()->model()->count(), 0);
    QCOMPARE(panel.conversationView()->turnCount(), 0);
    // An empty endpoint is explained inline, nothing is sent.
    panel.setEndpoint({}, {}, QStringLiteral("m"));
    QVERIFY(panel.send(QStringLiteral("hello")));
    QVERIFY(panel.session()->model()->turn(1).error.contains(QStringLiteral("base URL")));
}

void TestChatPanel::rendersInBothLanguages() {
    QTemporaryDir dir;
    const QByteArray scenarios = R"({"DeepSeek-R1-Distill-Qwen-7B": {"delayMs": 5, "chunks": [
        {"reasoning": "The user asks for the capital of France. That is Paris."},
        {"content": "The capital of France is **Paris**."}]}})";
    testing::TestHttpServer server({QStringLiteral("--scenarios"), testing::writeFile(dir, QStringLiteral("s.json"), scenarios)});
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    LanguageSwitcher switcher;
    const QString shots = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(shots);
    ChatPanel panel;
    panel.resize(1200, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setEndpoint(QString::fromStdString(server.baseUrl()), {}, QStringLiteral("DeepSeek-R1-Distill-Qwen-7B"));
    panel.setSystemPrompt(QStringLiteral("You are a concise assistant."));
    QVERIFY(panel.send(QStringLiteral("What is the capital of France?")));
    QVERIFY(waitEnded(panel));
    QTest::qWait(100);
    QVERIFY(panel.grab().save(shots + QStringLiteral("/chat_en.png")));

    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    QTest::qWait(100);
    QCOMPARE(panel.windowTitle(), QStringLiteral("对话"));
    QVERIFY(panel.grab().save(shots + QStringLiteral("/chat_zh_CN.png")));
    QStringList missing;
    for (const test::VisibleText &t : test::collectVisibleTexts(&panel))
        if (!test::readsAsChinese(t.text)) missing << t.where + QStringLiteral(": ") + t.text;
    switcher.setLanguage(Language::English);
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in Chinese:\n  ") + missing.join(QStringLiteral("\n  "))));
}

QTEST_MAIN(TestChatPanel)
#include "test_chat_panel.moc"
