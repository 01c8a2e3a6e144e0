#include "chat/chat_worker.h"

namespace slipway::ui {

bool DeltaInbox::push(quint64 requestId, chat::ReplyDelta delta) {
    std::lock_guard lock(m_mutex);
    if (requestId != m_requestId) {
        m_requestId = requestId;
        m_deltas.clear();
    }
    const bool wasEmpty = m_deltas.empty();
    m_deltas.push_back(std::move(delta));
    return wasEmpty;
}

std::vector<chat::ReplyDelta> DeltaInbox::take(quint64 requestId) {
    std::lock_guard lock(m_mutex);
    std::vector<chat::ReplyDelta> out;
    if (requestId == m_requestId) out.swap(m_deltas);
    else m_deltas.clear();
    return out;
}

ChatWorker::ChatWorker(ChatServiceFactory factory, std::shared_ptr<DeltaInbox> inbox)
    : m_factory(std::move(factory)), m_inbox(std::move(inbox)) {}

void ChatWorker::listModels(quint64 requestId, const chat::Endpoint &endpoint, std::shared_ptr<net::CancelToken> cancel) {
    const auto service = m_factory(endpoint);
    const auto models = service->listModels(cancel.get());
    if (!models.ok()) {
        emit modelsFailed(requestId, QString::fromStdString(models.message()));
        return;
    }
    QStringList ids;
    for (const chat::ModelInfo &m : models.value()) ids << QString::fromStdString(m.id);
    emit modelsListed(requestId, ids);
}

void ChatWorker::chat(quint64 requestId, const chat::Endpoint &endpoint, const chat::ChatRequest &request,
                      std::shared_ptr<net::CancelToken> cancel) {
    const auto service = m_factory(endpoint);
    const auto onDelta = [this, requestId](const chat::ReplyDelta &delta) {
        if (m_inbox->push(requestId, delta)) emit deltasPending(requestId);
    };
    deliver(requestId, service->chat(request, onDelta, cancel.get()));
}

void ChatWorker::complete(quint64 requestId, const chat::Endpoint &endpoint, const chat::CompletionRequest &request,
                          std::shared_ptr<net::CancelToken> cancel) {
    const auto service = m_factory(endpoint);
    const auto onDelta = [this, requestId](const chat::ReplyDelta &delta) {
        if (m_inbox->push(requestId, delta)) emit deltasPending(requestId);
    };
    deliver(requestId, service->complete(request, onDelta, cancel.get()));
}

void ChatWorker::deliver(quint64 requestId, const Result<chat::Reply> &result) {
    if (result.ok()) emit replyFinished(requestId, result.value());
    else emit replyFailed(requestId, QString::fromStdString(result.message()));
}

} // namespace slipway::ui
