#include "deploy/yaml_highlighter.h"

namespace slipway::ui {

namespace {
QTextCharFormat charFormat(const QColor &color, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    if (bold)
        f.setFontWeight(QFont::DemiBold);
    f.setFontItalic(italic);
    return f;
}
} // namespace

YamlHighlighter::YamlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    // Later rules win where they overlap: values first, then keys, then comments.
    m_rules.push_back({QRegularExpression(QStringLiteral(R"((?::\s+|-\s+)(-?\d+(\.\d+)?)\s*$)")), 1,
                       charFormat(QColor(0x09, 0x86, 0x58))});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"((?::\s+|-\s+)(true|false|null)\s*$)")), 1,
                       charFormat(QColor(0x00, 0x5c, 0xc5), true)});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'))")), 1,
                       charFormat(QColor(0xa3, 0x15, 0x15))});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(^\s*(?:-\s+)?([A-Za-z0-9_./\-]+)\s*:(?=\s|$))")), 1,
                       charFormat(QColor(0x80, 0x1f, 0x9e), true)});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"(^(---|\.\.\.)\s*$)")), 1,
                       charFormat(QColor(0x6a, 0x73, 0x7d), true)});
    m_rules.push_back({QRegularExpression(QStringLiteral(R"((?:^|\s)(#.*)$)")), 1,
                       charFormat(QColor(0x6a, 0x73, 0x7d), false, true)});
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    for (const Rule &rule : m_rules) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            if (m.capturedStart(rule.group) >= 0)
                setFormat(int(m.capturedStart(rule.group)), int(m.capturedLength(rule.group)), rule.format);
        }
    }
}

} // namespace slipway::ui
