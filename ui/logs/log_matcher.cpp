#include "logs/log_matcher.h"

namespace slipway::ui {

LogMatcher::LogMatcher(const QString &pattern, bool regex, bool caseSensitive)
    : m_pattern(pattern), m_regex(regex), m_caseSensitive(caseSensitive) {
    if (m_regex) {
        m_expression = QRegularExpression(pattern, caseSensitive ? QRegularExpression::NoPatternOption
                                                                 : QRegularExpression::CaseInsensitiveOption);
        m_expression.optimize();
    }
}

bool LogMatcher::isValid() const { return !m_regex || m_expression.isValid(); }

QString LogMatcher::errorString() const { return isValid() ? QString() : m_expression.errorString(); }

bool LogMatcher::matches(const QString &text) const {
    if (!isActive()) return false;
    if (!m_regex) return text.contains(m_pattern, m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
    return m_expression.match(text).hasMatch();
}

QList<QPair<int, int>> LogMatcher::spans(const QString &text) const {
    QList<QPair<int, int>> out;
    if (!isActive()) return out;
    if (!m_regex) {
        const Qt::CaseSensitivity cs = m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
        for (qsizetype at = text.indexOf(m_pattern, 0, cs); at >= 0; at = text.indexOf(m_pattern, at + m_pattern.size(), cs)) {
            out.append({int(at), int(m_pattern.size())});
        }
        return out;
    }
    auto it = m_expression.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength() > 0) out.append({int(m.capturedStart()), int(m.capturedLength())});
    }
    return out;
}

} // namespace slipway::ui
