#pragma once
// The Chat panel's network side. ChatWorker lives on its own QThread and runs one blocking
// ChatService call at a time; streamed deltas go into a shared inbox (DeltaInbox) that the GUI
// side drains on a timer, so a fast stream costs one GUI update per interval, not one per token.
// Results come back by queued signal. Cancellation: the request's CancelToken, flipped from the
// GUI thread.
//
// Thread-safety: ChatWorker's slots run on the worker thread; DeltaInbox is thread-safe.
#include "chat/chat_service.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace slipway::ui {

// Builds the service for an endpoint (ChatClient by default; tests may substitute a fake).
using ChatServiceFactory = std::function<std::unique_ptr<chat::ChatService>(const chat::Endpoint &)>;

class DeltaInbox final {
public:
    // Adds a delta; true when the inbox was empty (the caller then wakes the GUI side once).
    bool push(quint64 requestId, chat::ReplyDelta delta);
    // Takes every delta of `requestId` (others are dropped: they belong to an older request).
    std::vector<chat::ReplyDelta> take(quint64 requestId);

private:
    std::mutex m_mutex;
    quint64 m_requestId = 0;
    std::vector<chat::ReplyDelta> m_deltas;
};

class ChatWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatWorker)

public:
    ChatWorker(ChatServiceFactory factory, std::shared_ptr<DeltaInbox> inbox);

    // Run on the worker thread (queued from the GUI). `cancel` outlives the call.
    void listModels(quint64 requestId, const chat::Endpoint &endpoint, std::shared_ptr<net::CancelToken> cancel);
    void chat(quint64 requestId, const chat::Endpoint &endpoint, const chat::ChatRequest &request,
              std::shared_ptr<net::CancelToken> cancel);
    void complete(quint64 requestId, const chat::Endpoint &endpoint, const chat::CompletionRequest &request,
                  std::shared_ptr<net::CancelToken> cancel);

signals:
    void modelsListed(quint64 requestId, const QStringList &models);
    void modelsFailed(quint64 requestId, const QString &message);
    // Deltas of `requestId` wait in the inbox (sent once per empty → non-empty change).
    void deltasPending(quint64 requestId);
    void replyFinished(quint64 requestId, const slipway::chat::Reply &reply);
    void replyFailed(quint64 requestId, const QString &message);

private:
    void deliver(quint64 requestId, const Result<chat::Reply> &result);

    ChatServiceFactory m_factory;
    std::shared_ptr<DeltaInbox> m_inbox;
};

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::chat::Reply)
