#include "chat/chat_turn_model.h"

#include <QLocale>

namespace slipway::ui {

namespace {

QString fromUtf8(const std::string &text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

} // namespace

ChatTurnModel::ChatTurnModel(QObject *parent) : QAbstractListModel(parent) {}

int ChatTurnModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant ChatTurnModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= count()) return {};
    const Turn &t = turn(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole: return t.content;
    case KindRole: return static_cast<int>(t.kind);
    case StateRole: return static_cast<int>(t.state);
    case ReasoningRole: return t.reasoning;
    case ReasoningExpandedRole: return t.reasoningExpanded;
    case ErrorRole: return t.error;
    case StatsRole: return t.stats ? statsText(*t.stats) : QString();
    case FinishReasonRole: return t.finishReason;
    case ModelRole: return t.model;
    default: return {};
    }
}

QHash<int, QByteArray> ChatTurnModel::roleNames() const {
    return {{KindRole, "kind"},           {StateRole, "state"}, {ContentRole, "content"},
            {ReasoningRole, "reasoning"}, {ReasoningExpandedRole, "reasoningExpanded"},
            {ErrorRole, "error"},         {StatsRole, "stats"}, {FinishReasonRole, "finishReason"},
            {ModelRole, "model"}};
}

int ChatTurnModel::addRequest(Kind kind, const QString &text) {
    const int row = count();
    beginInsertRows({}, row, row);
    Turn t;
    t.kind = kind;
    t.content = text;
    m_turns.push_back(std::move(t));
    endInsertRows();
    return row;
}

int ChatTurnModel::beginReply(Kind kind, const QString &model) {
    const int row = count();
    beginInsertRows({}, row, row);
    Turn t;
    t.kind = kind;
    t.state = State::Streaming;
    t.model = model;
    m_turns.push_back(std::move(t));
    endInsertRows();
    return row;
}

void ChatTurnModel::applyDeltas(int row, const std::vector<chat::ReplyDelta> &deltas) {
    if (row < 0 || row >= count() || deltas.empty()) return;
    Turn &t = m_turns[static_cast<std::size_t>(row)];
    if (t.state != State::Streaming) return; // a stopped reply takes no more text
    for (const chat::ReplyDelta &d : deltas) {
        if (d.contentBecameReasoning) {
            t.reasoning += t.content;
            t.content.clear();
        }
        t.reasoning += fromUtf8(d.reasoning);
        t.content += fromUtf8(d.content);
    }
    changed(row);
}

void ChatTurnModel::finishReply(int row, const chat::Reply &reply) {
    if (row < 0 || row >= count()) return;
    Turn &t = m_turns[static_cast<std::size_t>(row)];
    t.content = fromUtf8(reply.content);
    t.reasoning = fromUtf8(reply.reasoning);
    t.finishReason = fromUtf8(reply.finishReason);
    if (!reply.model.empty()) t.model = fromUtf8(reply.model);
    t.stats = reply.stats;
    t.state = reply.stopped ? State::Stopped : State::Done;
    changed(row);
}

void ChatTurnModel::failReply(int row, const QString &message) {
    if (row < 0 || row >= count()) return;
    Turn &t = m_turns[static_cast<std::size_t>(row)];
    t.state = State::Failed;
    t.error = message;
    changed(row);
}

void ChatTurnModel::setReasoningExpanded(int row, bool expanded) {
    if (row < 0 || row >= count() || turn(row).reasoningExpanded == expanded) return;
    m_turns[static_cast<std::size_t>(row)].reasoningExpanded = expanded;
    changed(row);
}

void ChatTurnModel::clear() {
    beginResetModel();
    m_turns.clear();
    endResetModel();
}

std::vector<chat::ChatMessage> ChatTurnModel::history() const {
    std::vector<chat::ChatMessage> messages;
    for (std::size_t i = 0; i + 1 < m_turns.size(); ++i) {
        const Turn &question = m_turns[i];
        const Turn &answer = m_turns[i + 1];
        if (question.kind != Kind::User || answer.kind != Kind::Assistant) continue;
        if (answer.state != State::Done && answer.state != State::Stopped) continue;
        messages.push_back({"user", question.content.toStdString()});
        messages.push_back({"assistant", answer.content.toStdString()});
        ++i;
    }
    return messages;
}

QString ChatTurnModel::transcript() const {
    QStringList blocks;
    for (const Turn &t : m_turns) {
        QString block;
        switch (t.kind) {
        case Kind::User: block = tr("You:"); break;
        case Kind::Prompt: block = tr("Prompt:"); break;
        case Kind::Assistant: block = tr("Assistant:"); break;
        case Kind::Completion: block = tr("Completion:"); break;
        }
        if (!t.reasoning.isEmpty()) block += QLatin1Char('\n') + tr("Reasoning:") + QLatin1Char('\n') + t.reasoning + QLatin1Char('\n') + tr("Answer:");
        block += QLatin1Char('\n') + t.content;
        if (t.state == State::Stopped) block += QLatin1Char('\n') + tr("[stopped]");
        if (t.state == State::Failed) block += QLatin1Char('\n') + tr("[error] %1").arg(t.error);
        if (t.stats) {
            const QString stats = statsText(*t.stats);
            if (!stats.isEmpty()) block += QLatin1Char('\n') + stats;
        }
        blocks << block;
    }
    return blocks.join(QStringLiteral("\n\n"));
}

QString ChatTurnModel::statsText(const chat::ReplyStats &stats) {
    QStringList parts;
    const QLocale locale;
    if (stats.timeToFirstTokenSeconds)
        parts << tr("TTFT %1 s").arg(locale.toString(*stats.timeToFirstTokenSeconds, 'f', 2));
    if (stats.tokensPerSecond) parts << tr("%1 tokens/s").arg(locale.toString(*stats.tokensPerSecond, 'f', 1));
    if (stats.outputTokens > 0) parts << tr("%n token(s)", nullptr, stats.outputTokens);
    if (stats.totalSeconds > 0) parts << tr("%1 s total").arg(locale.toString(stats.totalSeconds, 'f', 2));
    return parts.join(QStringLiteral(" · "));
}

bool ChatTurnModel::isStreaming() const {
    for (const Turn &t : m_turns)
        if (t.state == State::Streaming) return true;
    return false;
}

void ChatTurnModel::changed(int row) {
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
}

} // namespace slipway::ui
