#pragma once
// The Chat panel's controller: owns the conversation model and the network worker's thread,
// turns the panel's settings into core/chat requests, and feeds streamed text into the model at
// most once per coalescing interval (30 ms by default), so a fast stream cannot flood the GUI's
// event loop. Shutdown: cancel the running call, quit the thread, wait (a cancelled call returns
// within about 50 ms).
//
// Thread-safety: GUI thread only.
#include "chat/chat_worker.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <memory>
#include <optional>

namespace slipway::ui {

class ChatTurnModel;

// What the panel's fields say; converted to a request by ChatSession.
struct ChatSettings {
    QString baseUrl;                 // e.g. http://127.0.0.1:30000 ("/v1" is added when missing)
    QString apiKey;                  // empty: no Authorization header
    QString model;                   // empty: the first model the server lists
    QString systemPrompt;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    QStringList stop;                // up to 4
    bool reasoningModel = false;     // text before "</think>" is reasoning even without "<think>"
    net::TlsOptions tls;             // https endpoints: the cluster CA (a deployment through the API server's proxy)
};

class ChatSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatSession)

public:
    // `factory` builds the service per call; empty: core/chat's ChatClient over HTTP.
    explicit ChatSession(ChatServiceFactory factory = {}, QObject *parent = nullptr);
    ~ChatSession() override;

    ChatTurnModel *model() const { return m_model; }
    bool isBusy() const { return m_replyRow >= 0; }
    int replyRow() const { return m_replyRow; }
    void setCoalesceInterval(int ms) { m_flushTimer.setInterval(ms); }
    int coalesceInterval() const { return m_flushTimer.interval(); }

    // Checks the settings a person typed; empty when usable, else what to change.
    static QString validate(const ChatSettings &settings);

    // GET /v1/models; answered by modelsListed or modelsFailed.
    void refreshModels(const ChatSettings &settings);
    // Adds the person's turn and streams the reply into the model. False (nothing sent) while a
    // reply streams or when the text is empty; invalid settings give a failed reply saying why.
    bool sendChat(const QString &text, const ChatSettings &settings);
    // The raw /v1/completions mode: the prompt as one turn, the completion as the next.
    bool sendCompletion(const QString &prompt, const ChatSettings &settings);
    // Stops the streaming reply; it ends marked as stopped with the text so far.
    void stop();
    // Forgets the conversation (stops a running reply first).
    void clear();

signals:
    void modelsListed(const QStringList &models);
    void modelsFailed(const QString &message);
    void busyChanged(bool busy);
    // The streaming reply at `row` grew (one signal per coalescing interval at most).
    void replyUpdated(int row);
    // The reply at `row` ended: done, stopped or failed (see the model's StateRole).
    void replyEnded(int row);

private:
    chat::Endpoint endpointOf(const ChatSettings &settings) const;
    chat::Sampling samplingOf(const ChatSettings &settings) const;
    bool begin(int row);
    void flushDeltas();
    void onDeltasPending(quint64 requestId);
    void onReplyFinished(quint64 requestId, const chat::Reply &reply);
    void onReplyFailed(quint64 requestId, const QString &message);
    void end();

    ChatTurnModel *m_model;
    std::shared_ptr<DeltaInbox> m_inbox;
    QThread m_thread;
    ChatWorker *m_worker;
    QTimer m_flushTimer;
    quint64 m_nextId = 1;
    quint64 m_replyId = 0;           // the streaming reply's request id (0: none)
    int m_replyRow = -1;
    quint64 m_modelsId = 0;
    std::shared_ptr<net::CancelToken> m_cancel;
    std::shared_ptr<net::CancelToken> m_modelsCancel;
};

} // namespace slipway::ui
