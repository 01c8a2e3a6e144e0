#pragma once
// YamlHighlighter: colours keys, strings, numbers, booleans, comments and document markers of the
// rendered manifests on the Review page. Line-based: every rule applies within one line.
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <vector>

namespace slipway::ui {

class YamlHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(YamlHighlighter)

public:
    explicit YamlHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        int group = 0; // the capture group that gets the format
        QTextCharFormat format;
    };
    std::vector<Rule> m_rules;
};

} // namespace slipway::ui
