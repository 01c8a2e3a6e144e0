#include "chat/turn_widget.h"

#include "chat/chat_turn_model.h"
#include "chat/growing_text.h"

#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace slipway::ui {

TurnWidget::TurnWidget(ChatTurnModel *model, int row, QWidget *parent) : QFrame(parent), m_model(model), m_row(row) {
    setObjectName(QStringLiteral("chatTurn"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 8);
    layout->setSpacing(3);

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("turnHeader"));
    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("reasoningToggle"));
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    connect(m_toggle, &QToolButton::toggled, this, [this](bool expanded) { m_model->setReasoningExpanded(m_row, expanded); });
    m_reasoning = new GrowingText(this);
    m_reasoning->setObjectName(QStringLiteral("turnReasoning"));
    m_reasoning->setProperty("slipwayCoreText", true); // the model's words, not the console's
    m_reasoning->setStyleSheet(QStringLiteral("QTextBrowser { background: transparent; color: palette(mid); "
                                              "border-left: 3px solid palette(midlight); padding-left: 6px; }"));
    m_content = new GrowingText(this);
    m_content->setObjectName(QStringLiteral("turnContent"));
    m_content->setProperty("slipwayCoreText", true);
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("turnStats"));
    m_stats->setStyleSheet(QStringLiteral("color: palette(mid); font-size: 11px;"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("turnError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setProperty("slipwayCoreText", true); // core/chat's message
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; background: #fdecea; border-radius: 4px; padding: 6px; }"));

    layout->addWidget(m_header);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    layout->addWidget(m_reasoning);
    layout->addWidget(m_content);
    layout->addWidget(m_error);
    layout->addWidget(m_stats);
    refresh();
}

void TurnWidget::refresh() {
    const ChatTurnModel::Turn &t = m_model->turn(m_row);
    const bool reply = t.kind == ChatTurnModel::Kind::Assistant || t.kind == ChatTurnModel::Kind::Completion;
    QString who;
    switch (t.kind) {
    case ChatTurnModel::Kind::User: who = tr("You"); break;
    case ChatTurnModel::Kind::Prompt: who = tr("Prompt"); break;
    case ChatTurnModel::Kind::Assistant: who = tr("Assistant"); break;
    case ChatTurnModel::Kind::Completion: who = tr("Completion"); break;
    }
    QString state;
    switch (t.state) {
    case ChatTurnModel::State::Streaming: state = tr("streaming…"); break;
    case ChatTurnModel::State::Stopped: state = tr("stopped"); break;
    case ChatTurnModel::State::Failed: state = tr("failed"); break;
    case ChatTurnModel::State::Done: break;
    }
    QString header = QStringLiteral("<b>%1</b>").arg(who.toHtmlEscaped());
    if (reply && !t.model.isEmpty()) header += QStringLiteral(" <span style=\"color:gray\">%1</span>").arg(t.model.toHtmlEscaped());
    if (!state.isEmpty()) header += QStringLiteral(" <i style=\"color:gray\">— %1</i>").arg(state.toHtmlEscaped());
    m_header->setText(header);
    setStyleSheet(reply ? QStringLiteral("QFrame#chatTurn { background: palette(base); border: 1px solid palette(midlight); border-radius: 6px; }")
                        : QStringLiteral("QFrame#chatTurn { background: palette(alternate-base); border: 1px solid palette(midlight); border-radius: 6px; }"));

    const bool hasReasoning = !t.reasoning.isEmpty();
    m_toggle->setVisible(hasReasoning);
    {
        const QSignalBlocker block(m_toggle);
        m_toggle->setChecked(t.reasoningExpanded);
    }
    m_toggle->setArrowType(t.reasoningExpanded ? Qt::DownArrow : Qt::RightArrow);
    m_toggle->setText(t.reasoningExpanded ? tr("Reasoning (%n character(s)) — click to hide", nullptr, int(t.reasoning.size()))
                                          : tr("Reasoning (%n character(s)) — click to show", nullptr, int(t.reasoning.size())));
    m_reasoning->setVisible(hasReasoning && t.reasoningExpanded);
    if (hasReasoning) m_reasoning->setText(t.reasoning);

    m_content->setText(t.content);
    m_content->setVisible(!t.content.isEmpty() || (!hasReasoning && t.state != ChatTurnModel::State::Failed));
    m_error->setVisible(!t.error.isEmpty());
    m_error->setText(t.error);
    const QString stats = t.stats ? ChatTurnModel::statsText(*t.stats) : QString();
    QString statsLine = stats;
    if (t.finishReason == QLatin1String("length"))
        statsLine += (statsLine.isEmpty() ? QString() : QStringLiteral(" · ")) + tr("cut at max tokens");
    m_stats->setVisible(reply && !statsLine.isEmpty());
    m_stats->setText(statsLine);
}

QString TurnWidget::contentText() const { return m_content->text(); }
QString TurnWidget::reasoningText() const { return m_reasoning->text(); }
bool TurnWidget::reasoningVisible() const { return !m_reasoning->isHidden(); }
QString TurnWidget::statsText() const { return m_stats->isHidden() ? QString() : m_stats->text(); }
QString TurnWidget::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

} // namespace slipway::ui
