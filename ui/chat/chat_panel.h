#pragma once
// The Chat panel: an OpenAI-compatible client for trying a deployment. The Local engine by
// default (MainWindow calls setEndpoint() once it is ready), any endpoint and key typed in
// otherwise; model list refresh, system prompt, temperature, top-p, max tokens, stop sequences;
// streaming replies with reasoning shown apart (collapsible), time to first token and tokens/s
// under each reply; Stop mid-stream; errors inline; copy and clear; a raw Completions mode (the
// guide's curl: prompt in, completion out).
//
// MainWindow builds it as:
//     auto *chat = new ChatPanel();
//     addPanel(chat, chat->windowTitle());
//     // when the Local engine becomes ready:
//     chat->setEndpoint(QString::fromStdString(engine.baseUrl()), apiKey, servedModelName);
//
// Thread-safety: GUI thread only; the network runs on ChatSession's worker thread.
#include "chat/chat_session.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace slipway::ui {

class ConversationView;

class ChatPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPanel)

public:
    enum class Mode { Chat, Completions };

    // `factory`: see ChatSession (empty: HTTP).
    explicit ChatPanel(ChatServiceFactory factory = {}, QWidget *parent = nullptr);

    // Points the panel at a server (the Local engine once ready): fills the fields, selects
    // `modelName` (when not empty) and refreshes the model list.
    void setEndpoint(const QString &baseUrl, const QString &apiKey, const QString &modelName);
    // The same for a cluster deployment: its Route, or the API server's service proxy with the
    // user's bearer token (kept masked in the key field) and the cluster's CA.
    void setEndpoint(const QString &baseUrl, const QString &apiKey, const QString &modelName, const net::TlsOptions &tls);
    // The settings as the fields say.
    ChatSettings settings() const;
    // Shows (or hides) the notice that the endpoint is the Local engine running Slipway's demo
    // model, whose replies are noise. setEndpoint() hides it; call this after it.
    void setDemoModelNotice(bool shown);
    bool demoModelNoticeShown() const;

    void setMode(Mode mode);
    Mode mode() const;
    void setSystemPrompt(const QString &text);
    void setTemperature(double temperature);
    void setTopP(double topP);
    void setMaxTokens(int maxTokens);
    void setStopSequences(const QStringList &stops);
    void setReasoningModel(bool reasoningModel);
    void setModelName(const QString &name);

    // Sends `text` (or the input box's text when empty) in the current mode; false when nothing
    // was sent (empty, or a reply is streaming).
    bool send(const QString &text = {});
    void stop();
    void clearConversation();
    // The conversation as plain text, also put on the clipboard by copyConversation().
    QString conversationText() const;
    void copyConversation();
    void refreshModels();

    ChatSession *session() const { return m_session; }
    ConversationView *conversationView() const { return m_view; }
    QString statusText() const;

signals:
    void modelsRefreshed(const QStringList &models);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void updateButtons();
    void setStatus(const QString &text, bool error = false);

    ChatSession *m_session;
    ConversationView *m_view = nullptr;
    QLabel *m_endpointLabel = nullptr;
    QLineEdit *m_endpointEdit = nullptr;
    QLabel *m_keyLabel = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QLabel *m_modelLabel = nullptr;
    QComboBox *m_modelBox = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QGroupBox *m_requestGroup = nullptr;
    QLabel *m_modeLabel = nullptr;
    QComboBox *m_modeBox = nullptr;
    QLabel *m_systemLabel = nullptr;
    QPlainTextEdit *m_systemEdit = nullptr;
    QLabel *m_temperatureLabel = nullptr;
    QDoubleSpinBox *m_temperatureSpin = nullptr;
    QLabel *m_topPLabel = nullptr;
    QDoubleSpinBox *m_topPSpin = nullptr;
    QLabel *m_maxTokensLabel = nullptr;
    QSpinBox *m_maxTokensSpin = nullptr;
    QLabel *m_stopLabel = nullptr;
    QPlainTextEdit *m_stopEdit = nullptr;
    QCheckBox *m_reasoningBox = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QPushButton *m_sendButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QToolButton *m_copyButton = nullptr;
    QToolButton *m_clearButton = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_demoNotice = nullptr;
    net::TlsOptions m_tls;           // set with the endpoint; cleared when another endpoint is set
    QString m_statusSource;  // untranslated status kept to re-show after a language change
    bool m_statusIsError = false;
};

} // namespace slipway::ui
