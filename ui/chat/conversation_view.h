#pragma once
// Renders a ChatTurnModel as a column of turns: the person's messages, and replies with their
// reasoning in a collapsible block apart from the answer, the figures under each reply (time to
// first token, tokens/s) and errors inline. A streaming reply's text is appended to its widget
// rather than re-laid out whole, and the view follows the newest text while scrolled to the end.
//
// Thread-safety: GUI thread only.
#include <QScrollArea>
#include <vector>

class QVBoxLayout;

namespace slipway::ui {

class ChatTurnModel;
class TurnWidget;

class ConversationView final : public QScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationView)

public:
    // `model` is not owned and must outlive the view.
    explicit ConversationView(ChatTurnModel *model, QWidget *parent = nullptr);

    int turnCount() const { return static_cast<int>(m_turns.size()); }
    TurnWidget *turn(int row) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void insertTurns(int first, int last);
    void updateTurns(int first, int last);
    void scrollToEndIfFollowing(bool following);
    bool atEnd() const;

    ChatTurnModel *m_model;
    QWidget *m_content = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QWidget *m_placeholder = nullptr;
    std::vector<TurnWidget *> m_turns;
};

} // namespace slipway::ui
