#pragma once
// The conversation of the Chat panel: one row per turn (the person's message or prompt, the
// model's reply). A reply grows while it streams: applyDeltas() appends text and reasoning in
// the order core/chat's ReplyDelta prescribes, and each change is one dataChanged of its row.
//
// Thread-safety: GUI thread only (a Qt item model).
#include "chat/chat_types.h"

#include <QAbstractListModel>
#include <QString>
#include <optional>
#include <vector>

namespace slipway::ui {

class ChatTurnModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTurnModel)

public:
    enum class Kind { User, Assistant, Prompt, Completion };
    enum class State { Streaming, Done, Stopped, Failed };
    enum Role {
        KindRole = Qt::UserRole + 1,
        StateRole,
        ContentRole,
        ReasoningRole,
        ReasoningExpandedRole,
        ErrorRole,
        StatsRole,        // QVariant holding chat::ReplyStats-derived text parts, see statsText()
        FinishReasonRole,
        ModelRole,
    };

    struct Turn {
        Kind kind = Kind::User;
        State state = State::Done;
        QString content;
        QString reasoning;
        bool reasoningExpanded = true;  // collapsed by the view once the answer begins
        QString error;
        QString finishReason;
        QString model;
        std::optional<chat::ReplyStats> stats;
    };

    explicit ChatTurnModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Turn &turn(int row) const { return m_turns.at(static_cast<std::size_t>(row)); }
    int count() const { return static_cast<int>(m_turns.size()); }

    // Adds a finished turn of the person (User or Prompt); returns its row.
    int addRequest(Kind kind, const QString &text);
    // Adds an empty reply (Assistant or Completion) in the Streaming state; returns its row.
    int beginReply(Kind kind, const QString &model);
    // Applies streamed deltas to a Streaming reply, in order.
    void applyDeltas(int row, const std::vector<chat::ReplyDelta> &deltas);
    // Ends a reply with the client's final figures; the final text replaces the streamed one
    // (they agree for a streamed reply; a non-streamed reply only has this).
    void finishReply(int row, const chat::Reply &reply);
    // Ends a reply with an error; the text streamed so far is kept.
    void failReply(int row, const QString &message);
    void setReasoningExpanded(int row, bool expanded);
    void clear();

    // The messages to send for the next chat turn: every finished User/Assistant pair, in order
    // (failed replies and their questions are left out; reasoning is not sent back).
    std::vector<chat::ChatMessage> history() const;
    // The whole conversation as plain text (for Copy): "You:", "Assistant:" blocks, reasoning
    // under "Reasoning:", stats lines.
    QString transcript() const;
    // "TTFT 0.21 s · 45.3 tokens/s · 120 tokens" (empty when nothing is known).
    static QString statsText(const chat::ReplyStats &stats);
    bool isStreaming() const;

private:
    void changed(int row);

    std::vector<Turn> m_turns;
};

} // namespace slipway::ui
