#pragma once
// One turn of the conversation view: a header (who, which model, state), for replies a
// collapsible reasoning block, the text, the reply's figures and an inline error.
//
// Thread-safety: GUI thread only.
#include <QFrame>

class QLabel;
class QToolButton;

namespace slipway::ui {

class ChatTurnModel;
class GrowingText;

class TurnWidget final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TurnWidget)

public:
    TurnWidget(ChatTurnModel *model, int row, QWidget *parent = nullptr);

    void setRow(int row) { m_row = row; }
    // Reads the turn from the model again (text is appended when it only grew).
    void refresh();

    QString contentText() const;
    QString reasoningText() const;
    bool reasoningVisible() const;
    QString statsText() const;
    QString errorText() const;
    QToolButton *reasoningToggle() const { return m_toggle; }

private:
    ChatTurnModel *m_model;
    int m_row;
    QLabel *m_header = nullptr;
    QToolButton *m_toggle = nullptr;
    GrowingText *m_reasoning = nullptr;
    GrowingText *m_content = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace slipway::ui
