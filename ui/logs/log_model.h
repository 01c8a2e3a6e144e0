#pragma once
// The lines of one log source: a ring buffer of at most maxLines lines (the oldest are dropped),
// seen through an optional filter, with the rows that match the current search. Built for 100k
// lines arriving in batches: an append costs the batch, not the buffer, and dropping old lines is
// one rowsRemoved(0, k) at the front.
//
// Every line has a sequence number (its position in the stream since the last clear), which
// stays valid while rows shift as old lines are dropped.
//
// Thread-safety: GUI thread only. Lines from other threads come through LogBridge.
#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <deque>
#include <vector>

#include "logs/log_matcher.h"

namespace slipway::ui {

struct LogLine {
    QString text;
    qint64 arrivalMs = 0;  // milliseconds since the epoch, when the line reached the console
};

class LogModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    enum Role { ArrivalTimeRole = Qt::UserRole + 1, SequenceRole };
    static constexpr int kDefaultMaxLines = 100000;

    explicit LogModel(int maxLines = kDefaultMaxLines, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Appends lines; while paused they wait (at most maxLines of them) until resumed.
    void appendLines(const QList<LogLine> &lines);
    void clear();

    int maxLines() const { return m_capacity; }
    // Keeps the newest `maxLines` lines (at least 1).
    void setMaxLines(int maxLines);
    int storedLines() const { return int(m_size); }   // lines held, filtered or not
    qint64 droppedLines() const { return m_dropped; } // lines dropped for the bound since clear()
    // Counts lines lost before they got here (LogBridge drops the oldest when a producer outruns
    // the GUI by more than a whole buffer).
    void noteDropped(qint64 count);

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    int pendingLines() const { return int(m_pending.size()); }

    // Rows show only the lines the filter matches (an empty filter shows all; an invalid
    // regular expression is ignored).
    void setFilter(const LogMatcher &filter);
    const LogMatcher &filter() const { return m_filter; }
    bool isFiltering() const { return m_filter.isActive(); }

    void setSearch(const LogMatcher &search);
    const LogMatcher &search() const { return m_search; }
    int searchMatchCount() const { return int(m_matches.size()); }
    // The row of the next (or previous) matching line after (before) `fromRow`, wrapping around;
    // -1 when nothing matches. fromRow -1 starts before the first row (after the last, backwards).
    int nextMatchRow(int fromRow, bool forward) const;
    // 1-based position of `row` among the matching rows; 0 when the row does not match.
    int matchOrdinal(int row) const;

    const LogLine &lineAt(int row) const;  // row in [0, rowCount())
    quint64 sequenceAt(int row) const;
    int rowForSequence(quint64 sequence) const;  // -1 when not shown (dropped or filtered out)
    int longestLineLength() const { return m_longest; }

    // The rows [first, last] as text, one line each ("\n" after each), with "HH:mm:ss.zzz "
    // arrival times when asked.
    QString text(int first, int last, bool withTimestamps) const;
    static QString timestampText(qint64 arrivalMs);

signals:
    void searchMatchesChanged();
    void pausedChanged(bool paused);
    void pendingLinesChanged(int pending);
    void storedLinesChanged(int stored);

private:
    const LogLine &lineBySequence(quint64 sequence) const;
    void rebuildVisible();
    void rebuildMatches();
    void insertLines(const QList<LogLine> &lines);

    int m_capacity;
    std::vector<LogLine> m_ring;
    std::size_t m_head = 0;         // ring index of the oldest line
    std::size_t m_size = 0;
    quint64 m_firstSequence = 0;    // sequence of the oldest line held
    qint64 m_dropped = 0;
    int m_longest = 0;

    LogMatcher m_filter;
    std::deque<quint64> m_visible;  // sequences shown, when filtering
    LogMatcher m_search;
    std::deque<quint64> m_matches;  // sequences shown that match the search, ascending

    bool m_paused = false;
    QList<LogLine> m_pending;
};

} // namespace slipway::ui
