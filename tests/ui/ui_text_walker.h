#pragma once
// Collects the strings a person can see in a window (labels, buttons, group titles, tabs, combo
// items, spin-box texts, placeholders, table headers and cells, menus, chart legends and axes)
// and judges whether a string reads as translated into Chinese.
#include <QList>
#include <QString>

class QWidget;

namespace slipway::ui::test {

struct VisibleText {
    QString where; // "QLabel#headline", "figuresView header 2", ...
    QString text;
};

// Widgets with the dynamic property "slipwayCoreText" set (text written by core/, such as its
// error messages) are skipped; item views list core-written columns in "slipwayCoreColumns".
QList<VisibleText> collectVisibleTexts(QWidget *root);

// True when `text` holds nothing but numbers, symbols and tokens that stay the same in every
// language (bf16, H100, --tp, GB, config.json, model ids, paths), or when it is Chinese with no
// English phrase left in it (three plain lower-case English words in a row between Chinese
// characters read as a clause that was not translated).
bool readsAsChinese(const QString &text);

} // namespace slipway::ui::test
