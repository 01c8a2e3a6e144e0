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

bool readsAsChinese(const QString &text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= 0x4E00 && u <= 0x9FFF) || (u >= 0x3000 && u <= 0x303F) || (u >= 0xFF00 && u <= 0xFFEF))
            return true;
    }
    // Tokens that read the same in Chinese technical text.
    static const QSet<QString> technical{
        QStringLiteral("kb"),       QStringLiteral("mb"),       QStringLiteral("gb"),    QStringLiteral("tb"),
        QStringLiteral("gib"),      QStringLiteral("mib"),   QStringLiteral("tp"),
        QStringLiteral("kv"),       QStringLiteral("gpu"),      QStringLiteral("gpus"),  QStringLiteral("cpu"),
        QStringLiteral("mla"),      QStringLiteral("moe"),      QStringLiteral("sglang"), QStringLiteral("slipway"),
        QStringLiteral("qt"),       QStringLiteral("cuda"),     QStringLiteral("pvc"),   QStringLiteral("config.json"),
        QStringLiteral("safetensors"), QStringLiteral("b"),     QStringLiteral("token"), QStringLiteral("nvidia-smi")};
    static const QRegularExpression word(QStringLiteral("(--)?[A-Za-z][A-Za-z0-9_./+-]*"));
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QString w = it.next().captured(0);
        if (w.startsWith(QLatin1String("--")) || w.contains(QLatin1Char('/')) ||
            w.contains(QRegularExpression(QStringLiteral("[0-9]"))))
            continue;
        if (!technical.contains(w.toLower()))
            return false;
    }
    return true;
}

} // namespace slipway::ui::test
