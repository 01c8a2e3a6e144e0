#pragma once
// MainWindow: the console's frame. A navigation list on the left, one panel at a time on the
// right, menus for the language and the About box. Panels are added by the application
// (app/slipway) and own their models and workers; a panel's windowTitle() is its navigation
// entry and follows it when the language changes.
#include "i18n/language.h"

#include <QMainWindow>

class QAction;
class QActionGroup;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace slipway::ui {

class AboutDialog;

class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Adds a panel under `title` in the navigation; the window takes ownership. Later changes of
    // the panel's windowTitle() (as on a language change) rename its entry.
    void addPanel(QWidget *panel, const QString &title);
    void showPanel(int index);
    int panelCount() const;
    QWidget *panel(int index) const;
    int currentPanel() const;

    // Checks `language` in the View › Language menu (the switch itself is the application's).
    void setCurrentLanguage(Language language);
    QAction *languageAction(Language language) const;
    QAction *aboutAction() const { return m_aboutAction; }
    // The About dialog while it is open, else nullptr.
    AboutDialog *aboutDialog() const;

signals:
    // The person chose `language` in the View › Language menu.
    void languageRequested(slipway::ui::Language language);

public slots:
    void showAbout();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void retranslateUi();

    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    AboutDialog *m_about = nullptr;
};

} // namespace slipway::ui
