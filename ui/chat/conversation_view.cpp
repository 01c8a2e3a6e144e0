#include "chat/conversation_view.h"

#include "chat/chat_turn_model.h"
#include "chat/turn_widget.h"

#include <QEvent>
#include <QLabel>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace slipway::ui {

ConversationView::ConversationView(ChatTurnModel *model, QWidget *parent) : QScrollArea(parent), m_model(model) {
    setObjectName(QStringLiteral("conversationView"));
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_content = new QWidget(this);
    m_layout = new QVBoxLayout(m_content);
    m_layout->setContentsMargins(8, 8, 8, 8);
    m_layout->setSpacing(8);
    auto *placeholder = new QLabel(m_content);
    placeholder->setObjectName(QStringLiteral("conversationPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setStyleSheet(QStringLiteral("color: palette(mid); padding: 40px;"));
    m_placeholder = placeholder;
    m_layout->addWidget(m_placeholder);
    m_layout->addStretch(1);
    setWidget(m_content);

    connect(m_model, &ChatTurnModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) { insertTurns(first, last); });
    connect(m_model, &ChatTurnModel::dataChanged, this,
            [this](const QModelIndex &a, const QModelIndex &b) { updateTurns(a.row(), b.row()); });
    connect(m_model, &ChatTurnModel::modelReset, this, &ConversationView::rebuild);
    connect(m_model, &ChatTurnModel::rowsRemoved, this, &ConversationView::rebuild);
    changeEvent(nullptr);
    rebuild();
}

TurnWidget *ConversationView::turn(int row) const {
    return row >= 0 && row < turnCount() ? m_turns[static_cast<std::size_t>(row)] : nullptr;
}

void ConversationView::changeEvent(QEvent *event) {
    if (!event || event->type() == QEvent::LanguageChange) {
        static_cast<QLabel *>(m_placeholder)
            ->setText(tr("No messages yet. Type below and press Send (Ctrl+Enter). Replies stream here, with "
                         "their reasoning apart from the answer."));
        for (TurnWidget *t : m_turns) t->refresh();
    }
    if (event) QScrollArea::changeEvent(event);
}

void ConversationView::rebuild() {
    for (TurnWidget *t : m_turns) delete t;
    m_turns.clear();
    if (m_model->count() > 0) insertTurns(0, m_model->count() - 1);
    m_placeholder->setVisible(m_model->count() == 0);
}

void ConversationView::insertTurns(int first, int last) {
    const bool following = atEnd();
    for (int row = first; row <= last; ++row) {
        auto *t = new TurnWidget(m_model, row, m_content);
        m_layout->insertWidget(row + 1, t); // after the placeholder
        m_turns.insert(m_turns.begin() + row, t);
    }
    for (int row = last + 1; row < turnCount(); ++row) m_turns[static_cast<std::size_t>(row)]->setRow(row);
    m_placeholder->setVisible(m_model->count() == 0);
    scrollToEndIfFollowing(following || last == m_model->count() - 1);
}

void ConversationView::updateTurns(int first, int last) {
    const bool following = atEnd();
    for (int row = first; row <= last; ++row)
        if (TurnWidget *t = turn(row)) t->refresh();
    scrollToEndIfFollowing(following);
}

bool ConversationView::atEnd() const {
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void ConversationView::scrollToEndIfFollowing(bool following) {
    if (!following) return;
    // The layout settles on the next pass of the event loop; scroll once it has.
    QTimer::singleShot(0, this, [this] { verticalScrollBar()->setValue(verticalScrollBar()->maximum()); });
}

} // namespace slipway::ui
