#include "logs/log_model.h"

#include <QDateTime>
#include <algorithm>

namespace slipway::ui {

LogModel::LogModel(int maxLines, QObject *parent)
    : QAbstractListModel(parent), m_capacity(std::max(1, maxLines)), m_ring(std::size_t(m_capacity)) {}

int LogModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid()) return 0;
    return isFiltering() ? int(m_visible.size()) : int(m_size);
}

QVariant LogModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
    const LogLine &line = lineAt(index.row());
    switch (role) {
    case Qt::DisplayRole: return line.text;
    case ArrivalTimeRole: return line.arrivalMs;
    case SequenceRole: return sequenceAt(index.row());
    default: return {};
    }
}

const LogLine &LogModel::lineBySequence(quint64 sequence) const {
    return m_ring[(m_head + std::size_t(sequence - m_firstSequence)) % m_ring.size()];
}

quint64 LogModel::sequenceAt(int row) const {
    return isFiltering() ? m_visible[std::size_t(row)] : m_firstSequence + quint64(row);
}

const LogLine &LogModel::lineAt(int row) const { return lineBySequence(sequenceAt(row)); }

int LogModel::rowForSequence(quint64 sequence) const {
    if (sequence < m_firstSequence || sequence >= m_firstSequence + m_size) return -1;
    if (!isFiltering()) return int(sequence - m_firstSequence);
    const auto it = std::lower_bound(m_visible.begin(), m_visible.end(), sequence);
    return it != m_visible.end() && *it == sequence ? int(it - m_visible.begin()) : -1;
}

void LogModel::appendLines(const QList<LogLine> &lines) {
    if (lines.isEmpty()) return;
    if (m_paused) {
        m_pending.append(lines);
        if (m_pending.size() > m_capacity) {
            m_dropped += m_pending.size() - m_capacity;
            m_pending.remove(0, m_pending.size() - m_capacity);
        }
        emit pendingLinesChanged(int(m_pending.size()));
        return;
    }
    insertLines(lines);
}

void LogModel::insertLines(const QList<LogLine> &all) {
    // A batch larger than the buffer keeps only its newest lines.
    const qsizetype skip = std::max<qsizetype>(0, all.size() - m_capacity);
    const qsizetype count = all.size() - skip;
    m_dropped += skip;
    const bool searchWasActive = !m_matches.empty();

    // Make room: drop the oldest lines, as one removal at the front.
    const qsizetype overflow = qsizetype(m_size) + count - m_capacity;
    if (overflow > 0) {
        const quint64 newFirst = m_firstSequence + quint64(overflow);
        int removedRows = int(overflow);
        if (isFiltering()) {
            removedRows = int(std::lower_bound(m_visible.begin(), m_visible.end(), newFirst) - m_visible.begin());
        }
        if (removedRows > 0) beginRemoveRows({}, 0, removedRows - 1);
        for (qsizetype i = 0; i < overflow; ++i) m_ring[(m_head + std::size_t(i)) % m_ring.size()] = LogLine{};
        m_head = (m_head + std::size_t(overflow)) % m_ring.size();
        m_size -= std::size_t(overflow);
        m_firstSequence = newFirst;
        m_dropped += overflow;
        if (isFiltering()) m_visible.erase(m_visible.begin(), m_visible.begin() + removedRows);
        while (!m_matches.empty() && m_matches.front() < newFirst) m_matches.pop_front();
        if (removedRows > 0) endRemoveRows();
    }

    // Which of the new lines are shown.
    std::vector<quint64> shown;
    const quint64 firstNew = m_firstSequence + m_size;
    if (isFiltering()) {
        for (qsizetype i = 0; i < count; ++i) {
            if (m_filter.matches(all[skip + i].text)) shown.push_back(firstNew + quint64(i));
        }
    }
    const int newRows = isFiltering() ? int(shown.size()) : int(count);
    const int firstRow = rowCount();
    if (newRows > 0) beginInsertRows({}, firstRow, firstRow + newRows - 1);
    for (qsizetype i = 0; i < count; ++i) {
        const LogLine &line = all[skip + i];
        m_ring[(m_head + m_size + std::size_t(i)) % m_ring.size()] = line;
        m_longest = std::max(m_longest, int(line.text.size()));
    }
    m_size += std::size_t(count);
    if (isFiltering()) m_visible.insert(m_visible.end(), shown.begin(), shown.end());
    if (m_search.isActive()) {
        for (qsizetype i = 0; i < count; ++i) {
            const quint64 seq = firstNew + quint64(i);
            if (isFiltering() && !std::binary_search(shown.begin(), shown.end(), seq)) continue;
            if (m_search.matches(all[skip + i].text)) m_matches.push_back(seq);
        }
    }
    if (newRows > 0) endInsertRows();
    if (m_search.isActive() || searchWasActive) emit searchMatchesChanged();
    emit storedLinesChanged(int(m_size));
}

void LogModel::noteDropped(qint64 count) {
    if (count <= 0) return;
    m_dropped += count;
    emit storedLinesChanged(int(m_size));
}

void LogModel::clear() {
    beginResetModel();
    std::fill(m_ring.begin(), m_ring.end(), LogLine{});
    m_firstSequence += m_size;
    m_head = 0;
    m_size = 0;
    m_dropped = 0;
    m_longest = 0;
    m_visible.clear();
    m_matches.clear();
    m_pending.clear();
    endResetModel();
    emit searchMatchesChanged();
    emit pendingLinesChanged(0);
    emit storedLinesChanged(0);
}

void LogModel::setMaxLines(int maxLines) {
    maxLines = std::max(1, maxLines);
    if (maxLines == m_capacity) return;
    beginResetModel();
    const std::size_t keep = std::min(m_size, std::size_t(maxLines));
    std::vector<LogLine> ring(static_cast<std::size_t>(maxLines));
    for (std::size_t i = 0; i < keep; ++i) {
        ring[i] = std::move(m_ring[(m_head + m_size - keep + i) % m_ring.size()]);
    }
    m_dropped += qint64(m_size - keep);
    m_firstSequence += m_size - keep;
    m_ring = std::move(ring);
    m_capacity = maxLines;
    m_head = 0;
    m_size = keep;
    rebuildVisible();
    rebuildMatches();
    endResetModel();
    emit searchMatchesChanged();
    emit storedLinesChanged(int(m_size));
}

void LogModel::setPaused(bool paused) {
    if (paused == m_paused) return;
    m_paused = paused;
    if (!paused && !m_pending.isEmpty()) {
        const QList<LogLine> pending = std::move(m_pending);
        m_pending.clear();
        insertLines(pending);
        emit pendingLinesChanged(0);
    }
    emit pausedChanged(paused);
}

void LogModel::setFilter(const LogMatcher &filter) {
    beginResetModel();
    m_filter = filter;
    rebuildVisible();
    rebuildMatches();
    endResetModel();
    emit searchMatchesChanged();
}

void LogModel::rebuildVisible() {
    m_visible.clear();
    if (!isFiltering()) return;
    for (std::size_t i = 0; i < m_size; ++i) {
        const quint64 seq = m_firstSequence + i;
        if (m_filter.matches(lineBySequence(seq).text)) m_visible.push_back(seq);
    }
}

void LogModel::setSearch(const LogMatcher &search) {
    m_search = search;
    rebuildMatches();
    emit searchMatchesChanged();
}

void LogModel::rebuildMatches() {
    m_matches.clear();
    if (!m_search.isActive()) return;
    const int rows = rowCount();
    for (int row = 0; row < rows; ++row) {
        if (m_search.matches(lineAt(row).text)) m_matches.push_back(sequenceAt(row));
    }
}

int LogModel::nextMatchRow(int fromRow, bool forward) const {
    if (m_matches.empty()) return -1;
    std::deque<quint64>::const_iterator it;
    if (forward) {
        it = fromRow < 0 ? m_matches.begin() : std::upper_bound(m_matches.begin(), m_matches.end(), sequenceAt(fromRow));
        if (it == m_matches.end()) it = m_matches.begin();
    } else {
        it = fromRow < 0 || fromRow >= rowCount() ? m_matches.end()
                                                  : std::lower_bound(m_matches.begin(), m_matches.end(), sequenceAt(fromRow));
        it = it == m_matches.begin() ? m_matches.end() - 1 : it - 1;
    }
    return rowForSequence(*it);
}

int LogModel::matchOrdinal(int row) const {
    if (row < 0 || row >= rowCount()) return 0;
    const quint64 seq = sequenceAt(row);
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), seq);
    return it != m_matches.end() && *it == seq ? int(it - m_matches.begin()) + 1 : 0;
}

QString LogModel::timestampText(qint64 arrivalMs) {
    return QDateTime::fromMSecsSinceEpoch(arrivalMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString LogModel::text(int first, int last, bool withTimestamps) const {
    first = std::max(first, 0);
    last = std::min(last, rowCount() - 1);
    QString out;
    for (int row = first; row <= last; ++row) {
        const LogLine &line = lineAt(row);
        if (withTimestamps) out += timestampText(line.arrivalMs) + QLatin1Char(' ');
        out += line.text;
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace slipway::ui
