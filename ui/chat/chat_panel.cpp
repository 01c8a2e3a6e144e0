#include "chat/chat_panel.h"

#include "chat/chat_turn_model.h"
#include "chat/conversation_view.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {

const QString kDefaultEndpoint = QStringLiteral("http://127.0.0.1:30000");

} // namespace

ChatPanel::ChatPanel(ChatServiceFactory factory, QWidget *parent)
    : QWidget(parent), m_session(new ChatSession(std::move(factory), this)) {
    buildUi();
    retranslateUi();
    connect(m_session, &ChatSession::busyChanged, this, [this](bool busy) {
        updateButtons();
        setStatus(busy ? tr("Streaming the reply…") : tr("Ready."));
    });
    connect(m_session, &ChatSession::replyEnded, this, [this](int row) {
        const ChatTurnModel::Turn &t = m_session->model()->turn(row);
        if (t.state == ChatTurnModel::State::Failed) setStatus(tr("The request failed; see the message in the conversation."), true);
        else if (t.state == ChatTurnModel::State::Stopped) setStatus(tr("Stopped."));
        else setStatus(tr("Reply complete."));
        if (m_modelBox->currentText().isEmpty() && !t.model.isEmpty()) m_modelBox->setEditText(t.model);
    });
    connect(m_session, &ChatSession::modelsListed, this, [this](const QStringList &models) {
        const QString current = m_modelBox->currentText();
        m_modelBox->clear();
        m_modelBox->addItems(models);
        if (!current.isEmpty() && models.contains(current)) m_modelBox->setCurrentText(current);
        else if (!models.isEmpty()) m_modelBox->setCurrentIndex(0);
        else m_modelBox->setEditText(current);
        setStatus(tr("%n model(s) served at this endpoint.", nullptr, int(models.size())));
        emit modelsRefreshed(models);
    });
    connect(m_session, &ChatSession::modelsFailed, this,
            [this](const QString &message) { setStatus(tr("Could not list the models: %1").arg(message), true); });
    updateButtons();
}

void ChatPanel::buildUi() {
    setObjectName(QStringLiteral("chatPanel"));
    // Endpoint bar.
    m_endpointLabel = new QLabel(this);
    m_endpointEdit = new QLineEdit(kDefaultEndpoint, this);
    m_endpointEdit->setObjectName(QStringLiteral("chatEndpoint"));
    m_endpointEdit->setMinimumWidth(220);
    m_endpointLabel->setBuddy(m_endpointEdit);
    m_keyLabel = new QLabel(this);
    m_keyEdit = new QLineEdit(this);
    m_keyEdit->setObjectName(QStringLiteral("chatApiKey"));
    m_keyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_keyEdit->setMaximumWidth(180);
    m_keyLabel->setBuddy(m_keyEdit);
    m_modelLabel = new QLabel(this);
    m_modelBox = new QComboBox(this);
    m_modelBox->setObjectName(QStringLiteral("chatModel"));
    m_modelBox->setEditable(true);
    m_modelBox->setMinimumWidth(200);
    m_modelBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_modelLabel->setBuddy(m_modelBox);
    m_refreshButton = new QPushButton(this);
    m_refreshButton->setObjectName(QStringLiteral("chatRefreshModels"));
    connect(m_refreshButton, &QPushButton::clicked, this, &ChatPanel::refreshModels);

    auto *endpointBar = new QHBoxLayout;
    endpointBar->addWidget(m_endpointLabel);
    endpointBar->addWidget(m_endpointEdit, 3);
    endpointBar->addSpacing(8);
    endpointBar->addWidget(m_keyLabel);
    endpointBar->addWidget(m_keyEdit, 1);
    endpointBar->addSpacing(8);
    endpointBar->addWidget(m_modelLabel);
    endpointBar->addWidget(m_modelBox, 2);
    endpointBar->addWidget(m_refreshButton);

    // Conversation and input.
    m_view = new ConversationView(m_session->model(), this);
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("chatInput"));
    m_input->setFixedHeight(84);
    m_input->installEventFilter(this);
    m_sendButton = new QPushButton(this);
    m_sendButton->setObjectName(QStringLiteral("chatSend"));
    m_sendButton->setDefault(true);
    connect(m_sendButton, &QPushButton::clicked, this, [this] { send(); });
    m_stopButton = new QPushButton(this);
    m_stopButton->setObjectName(QStringLiteral("chatStop"));
    connect(m_stopButton, &QPushButton::clicked, this, &ChatPanel::stop);
    auto *sendColumn = new QVBoxLayout;
    sendColumn->addWidget(m_sendButton);
    sendColumn->addWidget(m_stopButton);
    sendColumn->addStretch(1);
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(sendColumn);

    m_copyButton = new QToolButton(this);
    m_copyButton->setObjectName(QStringLiteral("chatCopy"));
    connect(m_copyButton, &QToolButton::clicked, this, &ChatPanel::copyConversation);
    m_clearButton = new QToolButton(this);
    m_clearButton->setObjectName(QStringLiteral("chatClear"));
    connect(m_clearButton, &QToolButton::clicked, this, &ChatPanel::clearConversation);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("chatStatus"));
    m_statusLabel->setWordWrap(true);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_statusLabel, 1);
    statusRow->addWidget(m_copyButton);
    statusRow->addWidget(m_clearButton);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addLayout(inputRow);
    leftLayout->addLayout(statusRow);

    // Request settings.
    m_requestGroup = new QGroupBox(this);
    m_modeLabel = new QLabel(m_requestGroup);
    m_modeBox = new QComboBox(m_requestGroup);
    m_modeBox->setObjectName(QStringLiteral("chatMode"));
    m_modeBox->addItems({QString(), QString()});
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this] { retranslateUi(); updateButtons(); });
    m_systemLabel = new QLabel(m_requestGroup);
    m_systemEdit = new QPlainTextEdit(m_requestGroup);
    m_systemEdit->setObjectName(QStringLiteral("chatSystemPrompt"));
    m_systemEdit->setFixedHeight(90);
    m_temperatureLabel = new QLabel(m_requestGroup);
    m_temperatureSpin = new QDoubleSpinBox(m_requestGroup);
    m_temperatureSpin->setObjectName(QStringLiteral("chatTemperature"));
    m_temperatureSpin->setRange(0.0, 2.0);
    m_temperatureSpin->setSingleStep(0.1);
    m_temperatureSpin->setDecimals(2);
    m_temperatureSpin->setValue(0.6);
    m_topPLabel = new QLabel(m_requestGroup);
    m_topPSpin = new QDoubleSpinBox(m_requestGroup);
    m_topPSpin->setObjectName(QStringLiteral("chatTopP"));
    m_topPSpin->setRange(0.01, 1.0);
    m_topPSpin->setSingleStep(0.05);
    m_topPSpin->setDecimals(2);
    m_topPSpin->setValue(0.95);
    m_maxTokensLabel = new QLabel(m_requestGroup);
    m_maxTokensSpin = new QSpinBox(m_requestGroup);
    m_maxTokensSpin->setObjectName(QStringLiteral("chatMaxTokens"));
    m_maxTokensSpin->setRange(1, 1'048'576);
    m_maxTokensSpin->setValue(1024);
    m_stopLabel = new QLabel(m_requestGroup);
    m_stopEdit = new QPlainTextEdit(m_requestGroup);
    m_stopEdit->setObjectName(QStringLiteral("chatStopSequences"));
    m_stopEdit->setFixedHeight(60);
    m_reasoningBox = new QCheckBox(m_requestGroup);
    m_reasoningBox->setObjectName(QStringLiteral("chatReasoningModel"));
    m_reasoningBox->setChecked(true);

    auto *form = new QFormLayout(m_requestGroup);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_modeLabel, m_modeBox);
    form->addRow(m_systemLabel);
    form->addRow(m_systemEdit);
    form->addRow(m_temperatureLabel, m_temperatureSpin);
    form->addRow(m_topPLabel, m_topPSpin);
    form->addRow(m_maxTokensLabel, m_maxTokensSpin);
    form->addRow(m_stopLabel);
    form->addRow(m_stopEdit);
    form->addRow(m_reasoningBox);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_requestGroup);
    rightLayout->addStretch(1);
    right->setMinimumWidth(260);
    right->setMaximumWidth(380);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setChildrenCollapsible(false);

    // Said wherever the demo model answers: its replies are noise (setDemoModelNotice()).
    m_demoNotice = new QLabel(this);
    m_demoNotice->setObjectName(QStringLiteral("chatDemoModelNotice"));
    m_demoNotice->setWordWrap(true);
    m_demoNotice->setStyleSheet(QStringLiteral("QLabel { background: #fff6e0; color: #6b4a00; border: 1px solid "
                                               "#f0d48a; border-radius: 4px; padding: 6px 8px; }"));
    m_demoNotice->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(endpointBar);
    layout->addWidget(m_demoNotice);
    layout->addWidget(splitter, 1);
}

void ChatPanel::setDemoModelNotice(bool shown) {
    m_demoNotice->setVisible(shown);
}

bool ChatPanel::demoModelNoticeShown() const {
    return !m_demoNotice->isHidden();
}

void ChatPanel::retranslateUi() {
    setWindowTitle(tr("Chat"));
    m_demoNotice->setText(tr("The Local engine runs Slipway's demo model: random weights with a real tokenizer, so "
                             "its replies are noise. For real answers, point the Local target at a real model folder "
                             "(Deploy wizard → Model files) and start it again."));
    m_endpointLabel->setText(tr("Endpoint:"));
    m_endpointEdit->setPlaceholderText(tr("Base URL, e.g. %1").arg(kDefaultEndpoint));
    m_endpointEdit->setToolTip(tr("The server's base URL; /v1 is added when missing. The Local engine's address is filled in when it starts."));
    m_keyLabel->setText(tr("API key:"));
    m_keyEdit->setPlaceholderText(tr("none"));
    m_keyEdit->setToolTip(tr("Sent as \"Authorization: Bearer …\"; leave empty when the server needs none."));
    m_modelLabel->setText(tr("Model:"));
    m_modelBox->setToolTip(tr("The served model name; empty uses the first model the server lists."));
    if (m_modelBox->lineEdit()) m_modelBox->lineEdit()->setPlaceholderText(tr("first served model"));
    m_refreshButton->setText(tr("Refresh models"));
    m_refreshButton->setToolTip(tr("Ask the server which models it serves (GET /v1/models)"));
    m_requestGroup->setTitle(tr("Request"));
    m_modeLabel->setText(tr("Mode:"));
    m_modeBox->setItemText(0, tr("Chat (/v1/chat/completions)"));
    m_modeBox->setItemText(1, tr("Completions (/v1/completions)"));
    m_systemLabel->setText(tr("System prompt:"));
    m_systemEdit->setPlaceholderText(tr("Optional instructions sent before the conversation"));
    m_temperatureLabel->setText(tr("Temperature:"));
    m_temperatureSpin->setToolTip(tr("0 picks the most likely token every time (reproducible); higher values vary more."));
    m_topPLabel->setText(tr("Top-p:"));
    m_topPSpin->setToolTip(tr("Sample only from the most likely tokens that together reach this probability."));
    m_maxTokensLabel->setText(tr("Max tokens:"));
    m_maxTokensSpin->setToolTip(tr("The longest reply, in tokens; prompt plus reply must fit the context length."));
    m_stopLabel->setText(tr("Stop sequences (one per line, up to 4):"));
    m_stopEdit->setPlaceholderText(tr("e.g. ###"));
    m_reasoningBox->setText(tr("Reasoning model (text before </think> is reasoning)"));
    m_reasoningBox->setToolTip(tr("DeepSeek-R1 and its distills often omit the opening <think>: treat their text as reasoning until </think>."));
    const bool chat = mode() == Mode::Chat;
    m_systemEdit->setEnabled(chat);
    m_input->setPlaceholderText(chat ? tr("Message the model — Ctrl+Enter sends") : tr("Prompt to complete — Ctrl+Enter sends"));
    m_sendButton->setText(tr("Send"));
    m_sendButton->setToolTip(tr("Send (Ctrl+Enter)"));
    m_stopButton->setText(tr("Stop"));
    m_stopButton->setToolTip(tr("Stop the reply now; the text so far is kept"));
    m_copyButton->setText(tr("Copy conversation"));
    m_copyButton->setToolTip(tr("Copy the whole conversation as plain text"));
    m_clearButton->setText(tr("Clear"));
    m_clearButton->setToolTip(tr("Start a new conversation"));
    if (!m_statusIsError) m_statusLabel->setText(m_session->isBusy() ? tr("Streaming the reply…") : tr("Ready."));
}

void ChatPanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslateUi();
    QWidget::changeEvent(event);
}

bool ChatPanel::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ChatPanel::setEndpoint(const QString &baseUrl, const QString &apiKey, const QString &modelName) {
    setEndpoint(baseUrl, apiKey, modelName, net::TlsOptions{});
    m_keyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
}

void ChatPanel::setEndpoint(const QString &baseUrl, const QString &apiKey, const QString &modelName,
                            const net::TlsOptions &tls) {
    m_tls = tls;
    setDemoModelNotice(false); // a new endpoint: whoever sets it says whether it is the demo model
    // A cluster user's bearer token is never shown, not even while the field is edited.
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_endpointEdit->setText(baseUrl);
    m_keyEdit->setText(apiKey);
    if (!modelName.isEmpty()) m_modelBox->setEditText(modelName);
    refreshModels();
}

ChatSettings ChatPanel::settings() const {
    ChatSettings s;
    s.baseUrl = m_endpointEdit->text();
    s.apiKey = m_keyEdit->text();
    s.model = m_modelBox->currentText();
    s.systemPrompt = m_systemEdit->toPlainText();
    s.temperature = m_temperatureSpin->value();
    s.topP = m_topPSpin->value();
    s.maxTokens = m_maxTokensSpin->value();
    for (const QString &line : m_stopEdit->toPlainText().split(QLatin1Char('\n')))
        if (!line.isEmpty()) s.stop << line;
    s.reasoningModel = m_reasoningBox->isChecked();
    s.tls = m_tls;
    return s;
}

void ChatPanel::setMode(Mode mode) { m_modeBox->setCurrentIndex(mode == Mode::Chat ? 0 : 1); }
ChatPanel::Mode ChatPanel::mode() const { return m_modeBox->currentIndex() == 1 ? Mode::Completions : Mode::Chat; }
void ChatPanel::setSystemPrompt(const QString &text) { m_systemEdit->setPlainText(text); }
void ChatPanel::setTemperature(double temperature) { m_temperatureSpin->setValue(temperature); }
void ChatPanel::setTopP(double topP) { m_topPSpin->setValue(topP); }
void ChatPanel::setMaxTokens(int maxTokens) { m_maxTokensSpin->setValue(maxTokens); }
void ChatPanel::setStopSequences(const QStringList &stops) { m_stopEdit->setPlainText(stops.join(QLatin1Char('\n'))); }
void ChatPanel::setReasoningModel(bool reasoningModel) { m_reasoningBox->setChecked(reasoningModel); }
void ChatPanel::setModelName(const QString &name) { m_modelBox->setEditText(name); }

bool ChatPanel::send(const QString &text) {
    const QString message = text.isEmpty() ? m_input->toPlainText() : text;
    const bool sent = mode() == Mode::Chat ? m_session->sendChat(message, settings())
                                           : m_session->sendCompletion(message, settings());
    if (sent && text.isEmpty()) m_input->clear();
    return sent;
}

void ChatPanel::stop() { m_session->stop(); }

void ChatPanel::clearConversation() {
    m_session->clear();
    setStatus(tr("Ready."));
}

QString ChatPanel::conversationText() const { return m_session->model()->transcript(); }

void ChatPanel::copyConversation() {
    QApplication::clipboard()->setText(conversationText());
    setStatus(tr("Conversation copied to the clipboard."));
}

void ChatPanel::refreshModels() {
    setStatus(tr("Asking the server for its models…"));
    m_session->refreshModels(settings());
}

QString ChatPanel::statusText() const { return m_statusLabel->text(); }

void ChatPanel::updateButtons() {
    const bool busy = m_session->isBusy();
    m_sendButton->setEnabled(!busy);
    m_stopButton->setEnabled(busy);
}

void ChatPanel::setStatus(const QString &text, bool error) {
    m_statusIsError = error;
    m_statusLabel->setText(text);
    // An error quotes core's message, which is English in every interface language.
    m_statusLabel->setProperty("slipwayCoreText", error);
    m_statusLabel->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
}

} // namespace slipway::ui
