#include "ui_text_walker.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractBarSeries>
#include <QAbstractSpinBox>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextDocumentFragment>

namespace slipway::ui::test {

namespace {

QString plain(const QString &text)
{
    if (Qt::mightBeRichText(text))
        return QTextDocumentFragment::fromHtml(text).toPlainText();
    return text;
}

QString nameOf(const QObject *o)
{
    return QString::fromLatin1(o->metaObject()->className()) + QLatin1Char('#') + o->objectName();
}

void add(QList<VisibleText> &out, const QString &where, const QString &text)
{
    const QString t = plain(text).trimmed();
    if (!t.isEmpty())
        out.push_back({where, t});
}

void addMenu(QList<VisibleText> &out, QMenu *menu)
{
    add(out, QStringLiteral("menu"), menu->title());
    for (QAction *action : menu->actions()) {
        if (action->isSeparator() || !action->isVisible())
            continue;
        if (action->menu())
            addMenu(out, action->menu());
        else
            add(out, QStringLiteral("action#") + action->objectName(), action->text());
    }
}

bool isCoreText(const QWidget *w)
{
    for (const QWidget *p = w; p; p = p->parentWidget()) {
        if (p->property("slipwayCoreText").toBool())
            return true;
    }
    return false;
}

void addView(QList<VisibleText> &out, QAbstractItemView *view)
{
    QAbstractItemModel *model = view->model();
    if (!model)
        return;
    QSet<int> coreColumns;
    for (const QVariant &c : view->property("slipwayCoreColumns").toList())
        coreColumns.insert(c.toInt());
    const QString where = nameOf(view);
    for (int c = 0; c < model->columnCount(); ++c)
        add(out, where + QStringLiteral(" header %1").arg(c), model->headerData(c, Qt::Horizontal).toString());
    for (int r = 0; r < model->rowCount(); ++r) {
        for (int c = 0; c < model->columnCount(); ++c) {
            if (!coreColumns.contains(c))
                add(out, where + QStringLiteral(" cell %1,%2").arg(r).arg(c), model->index(r, c).data().toString());
        }
    }
}

void addChart(QList<VisibleText> &out, QChart *chart)
{
    for (QAbstractSeries *series : chart->series()) {
        if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            for (QBarSet *set : bars->barSets())
                add(out, QStringLiteral("bar set"), set->label());
        } else if (series->isVisible()) {
            add(out, QStringLiteral("series"), series->name());
        }
    }
    for (QAbstractAxis *axis : chart->axes()) {
        if (!axis->isVisible())
            continue;
        add(out, QStringLiteral("axis title"), axis->titleText());
        if (auto *categories = qobject_cast<QBarCategoryAxis *>(axis)) {
            for (const QString &c : categories->categories())
                add(out, QStringLiteral("axis category"), c);
        }
    }
}

} // namespace

QList<VisibleText> collectVisibleTexts(QWidget *root)
{
    QList<VisibleText> out;
    add(out, QStringLiteral("window title"), root->windowTitle());
    if (auto *window = qobject_cast<QMainWindow *>(root)) {
        for (QAction *action : window->menuBar()->actions()) {
            if (action->menu())
                addMenu(out, action->menu());
        }
    }
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || isCoreText(w) || qobject_cast<QMenu *>(w))
            continue;
        const QString where = nameOf(w);
        add(out, where + QStringLiteral(" tooltip"), w->toolTip());
        if (auto *label = qobject_cast<QLabel *>(w))
            add(out, where, label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(out, where, button->text());
        else if (auto *group = qobject_cast<QGroupBox *>(w))
            add(out, where, group->title());
        else if (auto *edit = qobject_cast<QLineEdit *>(w))
            add(out, where + QStringLiteral(" placeholder"), edit->placeholderText());
        if (auto *combo = qobject_cast<QComboBox *>(w)) {
            for (int i = 0; i < combo->count(); ++i)
                add(out, where + QStringLiteral(" item %1").arg(i), combo->itemText(i));
        }
        if (auto *spin = qobject_cast<QSpinBox *>(w)) {
            add(out, where + QStringLiteral(" special"), spin->specialValueText());
            add(out, where + QStringLiteral(" suffix"), spin->suffix());
        }
        if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
            add(out, where + QStringLiteral(" special"), spin->specialValueText());
            add(out, where + QStringLiteral(" suffix"), spin->suffix());
        }
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(out, where + QStringLiteral(" tab %1").arg(i), tabs->tabText(i));
        }
        if (auto *view = qobject_cast<QAbstractItemView *>(w); view && !qobject_cast<QHeaderView *>(w))
            addView(out, view);
        if (auto *chartView = qobject_cast<QChartView *>(w))
            addChart(out, chartView->chart());
    }
    return out;
}

namespace {

bool isCjk(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3000 && u <= 0x303F) || (u >= 0xFF00 && u <= 0xFFEF);
}

// Tokens that read the same in Chinese technical text.
bool isTechnical(const QString &word)
{
    static const QSet<QString> technical{
        QStringLiteral("kb"),       QStringLiteral("mb"),       QStringLiteral("gb"),     QStringLiteral("tb"),
        QStringLiteral("gib"),      QStringLiteral("mib"),      QStringLiteral("tp"),     QStringLiteral("kv"),
        QStringLiteral("gpu"),      QStringLiteral("gpus"),     QStringLiteral("cpu"),    QStringLiteral("mla"),
        QStringLiteral("moe"),      QStringLiteral("sglang"),   QStringLiteral("slipway"), QStringLiteral("qt"),
        QStringLiteral("cuda"),     QStringLiteral("pvc"),      QStringLiteral("config.json"),
        QStringLiteral("safetensors"), QStringLiteral("b"),     QStringLiteral("token"),  QStringLiteral("nvidia-smi"),
        QStringLiteral("kubectl"),  QStringLiteral("oc"),       QStringLiteral("skopeo"), QStringLiteral("podman"),
        QStringLiteral("logits"),   QStringLiteral("round"),    QStringLiteral("min")};
    return technical.contains(word.toLower());
}

// A word that stays as written in any language: a flag, a path or URL, an identifier with digits,
// '_' or '.', or a technical token.
bool staysAsWritten(const QString &word)
{
    static const QRegularExpression marked(QStringLiteral("[0-9_./]"));
    return word.startsWith(QLatin1String("--")) || word.contains(marked) || isTechnical(word);
}

// A word without the full stop or quote that ends its sentence ("share." is "share").
QString trimmedWord(QString word)
{
    while (word.endsWith(QLatin1Char('.')) || word.endsWith(QLatin1Char('\'')))
        word.chop(1);
    return word;
}

} // namespace

bool readsAsChinese(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("(--)?[A-Za-z][A-Za-z0-9_./+'-]*"));
    bool hasCjk = false;
    for (QChar c : text)
        hasCjk = hasCjk || isCjk(c);
    if (!hasCjk) {
        // Without Chinese, every word must be one that stays as written (numbers, units, model
        // names with digits, flags, paths, YAML keys with '.' or '_').
        for (auto it = word.globalMatch(text); it.hasNext();) {
            if (!staysAsWritten(trimmedWord(it.next().captured(0))))
                return false;
        }
        return true;
    }
    // Chinese with English left in it (a clause that fell back to core's English): three or more
    // plain lower-case English words in a row, between Chinese characters, read as untranslated.
    // Capitalised product names (Leader Worker Set Operator) and technical tokens do not count.
    int run = 0;
    bool inCommand = false;
    qsizetype previousEnd = 0;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString w = trimmedWord(m.captured(0));
        const QString gap = text.mid(previousEnd, m.capturedStart() - previousEnd);
        previousEnd = m.capturedEnd();
        bool joined = true; // only blanks and light punctuation between this word and the last
        for (QChar c : gap)
            joined = joined && (c.isSpace() || c == QLatin1Char(',') || c == QLatin1Char(';') || c == QLatin1Char(':'));
        // A command line quoted in the text (kubectl label namespace …) is not prose.
        static const QSet<QString> commands{QStringLiteral("kubectl"), QStringLiteral("oc"), QStringLiteral("skopeo"),
                                            QStringLiteral("podman"), QStringLiteral("bash")};
        inCommand = commands.contains(w) || (inCommand && joined);
        const bool plainEnglish = !inCommand && w == w.toLower() && !staysAsWritten(w);
        run = plainEnglish ? (joined ? run + 1 : 1) : 0;
        if (run >= 3)
            return false;
    }
    return true;
}

} // namespace slipway::ui::test
