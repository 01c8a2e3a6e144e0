#pragma once
// What a log search or filter looks for: a plain substring or a regular expression, with or
// without case. An empty pattern matches nothing (for a search) and lets everything through
// (LogModel treats an empty filter as no filter).
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>

namespace slipway::ui {

class LogMatcher final {
public:
    LogMatcher() = default;
    LogMatcher(const QString &pattern, bool regex, bool caseSensitive);

    bool isEmpty() const { return m_pattern.isEmpty(); }
    // False for a regular expression that does not compile; errorString() says why.
    bool isValid() const;
    QString errorString() const;
    // Whether the matcher can be used: not empty and valid.
    bool isActive() const { return !isEmpty() && isValid(); }

    bool matches(const QString &text) const;
    // The matches in `text` as (start, length) pairs, in order; empty matches are left out.
    QList<QPair<int, int>> spans(const QString &text) const;

    QString pattern() const { return m_pattern; }
    bool isRegex() const { return m_regex; }
    bool isCaseSensitive() const { return m_caseSensitive; }

private:
    QString m_pattern;
    bool m_regex = false;
    bool m_caseSensitive = false;
    QRegularExpression m_expression;
};

} // namespace slipway::ui
