#include "frame/main_window.h"

#include "frame/about_dialog.h"

#include <QAction>
#include <QActionGroup>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>

namespace slipway::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_navigation = new QListWidget(central);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFixedWidth(170);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setStyleSheet(QStringLiteral(
        "QListWidget#navigation { background: #24303f; color: #dfe6ee; padding-top: 8px; outline: 0; }"
        "QListWidget#navigation::item { padding: 9px 14px; border-left: 3px solid transparent; }"
        "QListWidget#navigation::item:selected { background: #34475e; color: white; border-left: 3px solid #5aa0e6; }"
        "QListWidget#navigation::item:hover:!selected { background: #2c3b4d; }"));
    QFont navFont = m_navigation->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.1);
    m_navigation->setFont(navFont);
    m_stack = new QStackedWidget(central);

    layout->addWidget(m_navigation);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(m_navigation, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    buildMenus();
    retranslateUi();
    resize(1280, 860);
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    m_viewMenu = menuBar()->addMenu(QString());
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    m_languageGroup = new QActionGroup(this);
    m_languageGroup->setExclusive(true);
    for (Language language : availableLanguages()) {
        // Each language is named in itself, whatever the current one.
        QAction *action = m_languageMenu->addAction(languageNativeName(language));
        action->setObjectName(QStringLiteral("language_%1").arg(languageCode(language)));
        action->setCheckable(true);
        action->setData(static_cast<int>(language));
        m_languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, language] { emit languageRequested(language); });
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(QString(), this, &MainWindow::showAbout);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
}

void MainWindow::retranslateUi()
{
    setWindowTitle(tr("Slipway"));
    m_fileMenu->setTitle(tr("&File"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Slipway"));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::addPanel(QWidget *panel, const QString &title)
{
    m_stack->addWidget(panel);
    auto *item = new QListWidgetItem(title, m_navigation);
    connect(panel, &QWidget::windowTitleChanged, this, [item](const QString &text) {
        if (!text.isEmpty())
            item->setText(text);
    });
    if (m_navigation->currentRow() < 0)
        m_navigation->setCurrentRow(0);
}

void MainWindow::showPanel(int index)
{
    m_navigation->setCurrentRow(index);
}

int MainWindow::panelCount() const
{
    return m_stack->count();
}

QWidget *MainWindow::panel(int index) const
{
    return m_stack->widget(index);
}

int MainWindow::currentPanel() const
{
    return m_stack->currentIndex();
}

void MainWindow::setCurrentLanguage(Language language)
{
    if (QAction *action = languageAction(language))
        action->setChecked(true);
}

QAction *MainWindow::languageAction(Language language) const
{
    for (QAction *action : m_languageGroup->actions()) {
        if (action->data().toInt() == static_cast<int>(language))
            return action;
    }
    return nullptr;
}

void MainWindow::showAbout()
{
    if (!m_about) {
        m_about = new AboutDialog(this);
        m_about->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_about, &QObject::destroyed, this, [this] { m_about = nullptr; });
    }
    m_about->open(); // window-modal, returns at once
}

AboutDialog *MainWindow::aboutDialog() const
{
    return m_about;
}

} // namespace slipway::ui
