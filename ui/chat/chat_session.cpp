#include "chat/chat_session.h"

#include "chat/chat_client.h"
#include "chat/chat_turn_model.h"

#include <QUrl>

namespace slipway::ui {

namespace {

ChatServiceFactory httpFactory() {
    return [](const chat::Endpoint &endpoint) -> std::unique_ptr<chat::ChatService> {
        return std::make_unique<chat::ChatClient>(endpoint);
    };
}

} // namespace

ChatSession::ChatSession(ChatServiceFactory factory, QObject *parent)
    : QObject(parent), m_model(new ChatTurnModel(this)), m_inbox(std::make_shared<DeltaInbox>()),
      m_worker(new ChatWorker(factory ? std::move(factory) : httpFactory(), m_inbox)) {
    qRegisterMetaType<chat::Reply>();
    m_thread.setObjectName(QStringLiteral("chat-worker"));
    m_worker->moveToThread(&m_thread);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(30);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChatSession::flushDeltas);
    connect(m_worker, &ChatWorker::deltasPending, this, &ChatSession::onDeltasPending);
    connect(m_worker, &ChatWorker::replyFinished, this, &ChatSession::onReplyFinished);
    connect(m_worker, &ChatWorker::replyFailed, this, &ChatSession::onReplyFailed);
    connect(m_worker, &ChatWorker::modelsListed, this, [this](quint64 id, const QStringList &models) {
        if (id == m_modelsId) emit modelsListed(models);
    });
    connect(m_worker, &ChatWorker::modelsFailed, this, [this](quint64 id, const QString &message) {
        if (id == m_modelsId) emit modelsFailed(message);
    });
    m_thread.start();
}

ChatSession::~ChatSession() {
    if (m_cancel) m_cancel->cancel();
    if (m_modelsCancel) m_modelsCancel->cancel();
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

QString ChatSession::validate(const ChatSettings &settings) {
    const QString base = settings.baseUrl.trimmed();
    if (base.isEmpty())
        return tr("Enter the server's base URL, for example http://127.0.0.1:30000 (the Local engine's address once it runs).");
    const QUrl url(base, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return tr("\"%1\" is not an http:// or https:// URL; enter one such as http://127.0.0.1:30000.").arg(base);
    if (settings.stop.size() > 4) return tr("At most 4 stop sequences are allowed; remove %n.", nullptr, int(settings.stop.size() - 4));
    return {};
}

chat::Endpoint ChatSession::endpointOf(const ChatSettings &settings) const {
    chat::Endpoint e;
    e.baseUrl = settings.baseUrl.trimmed().toStdString();
    e.apiKey = settings.apiKey.trimmed().toStdString();
    e.tls = settings.tls;
    return e;
}

chat::Sampling ChatSession::samplingOf(const ChatSettings &settings) const {
    chat::Sampling s;
    s.temperature = settings.temperature;
    s.topP = settings.topP;
    s.maxTokens = settings.maxTokens;
    for (const QString &stop : settings.stop)
        if (!stop.isEmpty()) s.stop.push_back(stop.toStdString());
    return s;
}

void ChatSession::refreshModels(const ChatSettings &settings) {
    if (const QString problem = validate(settings); !problem.isEmpty()) {
        emit modelsFailed(problem);
        return;
    }
    if (m_modelsCancel) m_modelsCancel->cancel();
    m_modelsCancel = std::make_shared<net::CancelToken>();
    m_modelsId = m_nextId++;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id = m_modelsId, endpoint = endpointOf(settings), cancel = m_modelsCancel] {
            worker->listModels(id, endpoint, cancel);
        },
        Qt::QueuedConnection);
}

bool ChatSession::sendChat(const QString &text, const ChatSettings &settings) {
    if (isBusy() || text.trimmed().isEmpty()) return false;
    chat::ChatRequest request;
    request.model = settings.model.trimmed().toStdString();
    request.systemPrompt = settings.systemPrompt.trimmed().toStdString();
    request.messages = m_model->history();
    request.messages.push_back({"user", text.toStdString()});
    request.sampling = samplingOf(settings);
    request.reasoningModel = settings.reasoningModel;
    m_model->addRequest(ChatTurnModel::Kind::User, text);
    const int row = m_model->beginReply(ChatTurnModel::Kind::Assistant, settings.model.trimmed());
    if (const QString problem = validate(settings); !problem.isEmpty()) {
        m_model->failReply(row, problem);
        emit replyEnded(row);
        return true;
    }
    if (!begin(row)) return false;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id = m_replyId, endpoint = endpointOf(settings), request, cancel = m_cancel] {
            worker->chat(id, endpoint, request, cancel);
        },
        Qt::QueuedConnection);
    return true;
}

bool ChatSession::sendCompletion(const QString &prompt, const ChatSettings &settings) {
    if (isBusy() || prompt.isEmpty()) return false;
    chat::CompletionRequest request;
    request.model = settings.model.trimmed().toStdString();
    request.prompt = prompt.toStdString();
    request.sampling = samplingOf(settings);
    request.splitReasoning = settings.reasoningModel;
    request.reasoningModel = settings.reasoningModel;
    m_model->addRequest(ChatTurnModel::Kind::Prompt, prompt);
    const int row = m_model->beginReply(ChatTurnModel::Kind::Completion, settings.model.trimmed());
    if (const QString problem = validate(settings); !problem.isEmpty()) {
        m_model->failReply(row, problem);
        emit replyEnded(row);
        return true;
    }
    if (!begin(row)) return false;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id = m_replyId, endpoint = endpointOf(settings), request, cancel = m_cancel] {
            worker->complete(id, endpoint, request, cancel);
        },
        Qt::QueuedConnection);
    return true;
}

bool ChatSession::begin(int row) {
    m_replyId = m_nextId++;
    m_replyRow = row;
    m_cancel = std::make_shared<net::CancelToken>();
    emit busyChanged(true);
    return true;
}

void ChatSession::stop() {
    if (m_cancel) m_cancel->cancel();
}

void ChatSession::clear() {
    if (isBusy()) {
        m_cancel->cancel();
        end();
    }
    m_model->clear();
}

void ChatSession::onDeltasPending(quint64 requestId) {
    if (requestId != m_replyId) return;
    if (!m_flushTimer.isActive()) m_flushTimer.start();
}

void ChatSession::flushDeltas() {
    if (!isBusy()) return;
    const auto deltas = m_inbox->take(m_replyId);
    if (deltas.empty()) return;
    m_model->applyDeltas(m_replyRow, deltas);
    emit replyUpdated(m_replyRow);
}

void ChatSession::onReplyFinished(quint64 requestId, const chat::Reply &reply) {
    if (requestId != m_replyId) return;
    const int row = m_replyRow;
    m_model->finishReply(row, reply);
    end();
    emit replyEnded(row);
}

void ChatSession::onReplyFailed(quint64 requestId, const QString &message) {
    if (requestId != m_replyId) return;
    const int row = m_replyRow;
    flushDeltas(); // keep what arrived before the failure
    m_model->failReply(row, message);
    end();
    emit replyEnded(row);
}

void ChatSession::end() {
    m_flushTimer.stop();
    m_inbox->take(0);
    m_replyId = 0;
    m_replyRow = -1;
    m_cancel.reset();
    emit busyChanged(false);
}

} // namespace slipway::ui
