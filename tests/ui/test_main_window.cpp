// The frame: panels in the navigation (titles follow the language), the About dialog with the
// version, the language menu, and typed settings that persist the language between runs.
#include "frame/about_dialog.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "settings/app_settings.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace slipway::ui;

namespace {

// A panel that titles itself through tr(), as real panels do.
class TitledPanel final : public QWidget {
public:
    TitledPanel() { retitle(); }

protected:
    void changeEvent(QEvent *event) override
    {
        if (event->type() == QEvent::LanguageChange)
            retitle();
        QWidget::changeEvent(event);
    }

private:
    void retitle() { setWindowTitle(QCoreApplication::translate("slipway::ui::CalculatorPanel", "Calculator")); }
};

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void panelsAreListedInTheNavigation();
    void navigationFollowsPanelTitlesAcrossLanguages();
    void aboutDialogShowsTheVersion();
    void languageMenuRequestsTheChosenLanguage();
    void settingsPersistTheLanguage();
    void settingsFallBackOnUnknownLanguage();
    void languageCodesRoundTrip();
};

void TestMainWindow::panelsAreListedInTheNavigation()
{
    MainWindow window;
    QCOMPARE(window.panelCount(), 0);
    auto *first = new QWidget;
    auto *second = new QWidget;
    window.addPanel(first, QStringLiteral("One"));
    window.addPanel(second, QStringLiteral("Two"));
    QCOMPARE(window.panelCount(), 2);
    QCOMPARE(window.panel(0), first);
    QCOMPARE(window.currentPanel(), 0);
    window.showPanel(1);
    QCOMPARE(window.currentPanel(), 1);
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QCOMPARE(navigation->item(1)->text(), QStringLiteral("Two"));
}

void TestMainWindow::navigationFollowsPanelTitlesAcrossLanguages()
{
    MainWindow window;
    auto *panel = new TitledPanel;
    window.addPanel(panel, panel->windowTitle());
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QCOMPARE(navigation->item(0)->text(), QStringLiteral("Calculator"));
    QCOMPARE(window.windowTitle(), QStringLiteral("Slipway"));

    LanguageSwitcher switcher;
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    QCOMPARE(navigation->item(0)->text(), QStringLiteral("计算器"));
    QCOMPARE(window.aboutAction()->text(), QStringLiteral("关于 Slipway(&A)"));
    QVERIFY(switcher.setLanguage(Language::English));
    QCoreApplication::processEvents();
    QCOMPARE(navigation->item(0)->text(), QStringLiteral("Calculator"));
    QCOMPARE(window.aboutAction()->text(), QStringLiteral("&About Slipway"));
}

void TestMainWindow::aboutDialogShowsTheVersion()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7+gabc1234"));
    MainWindow window;
    window.show();
    QVERIFY(!window.aboutDialog());
    window.aboutAction()->trigger();
    AboutDialog *about = window.aboutDialog();
    QVERIFY(about);
    QVERIFY(about->isVisible());
    QVERIFY(about->versionText().contains(QStringLiteral("9.8.7+gabc1234")));
    QVERIFY(about->versionText().contains(QString::fromLatin1(qVersion())));
    about->close();
    QTRY_VERIFY(!window.aboutDialog()); // deleted on close
}

void TestMainWindow::languageMenuRequestsTheChosenLanguage()
{
    MainWindow window;
    QSignalSpy requested(&window, &MainWindow::languageRequested);
    QAction *chinese = window.languageAction(Language::SimplifiedChinese);
    QVERIFY(chinese);
    QCOMPARE(chinese->text(), QStringLiteral("简体中文"));
    chinese->trigger();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).value<Language>(), Language::SimplifiedChinese);
    window.setCurrentLanguage(Language::English);
    QVERIFY(window.languageAction(Language::English)->isChecked());
    QVERIFY(!chinese->isChecked());
}

void TestMainWindow::settingsPersistTheLanguage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("slipway.ini"));
    {
        QSettings store(file, QSettings::IniFormat);
        AppSettings settings(store);
        settings.setLanguage(Language::SimplifiedChinese);
        settings.setMainWindowGeometry(QByteArray("geometry-bytes"));
        settings.sync();
    }
    QSettings store(file, QSettings::IniFormat);
    AppSettings settings(store);
    QCOMPARE(settings.language(), Language::SimplifiedChinese);
    QCOMPARE(settings.mainWindowGeometry(), QByteArray("geometry-bytes"));
    QCOMPARE(store.value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
}

void TestMainWindow::settingsFallBackOnUnknownLanguage()
{
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("slipway.ini")), QSettings::IniFormat);
    store.setValue(QStringLiteral("ui/language"), QStringLiteral("tlh"));
    AppSettings settings(store);
    QCOMPARE(settings.language(), Language::English);
}

void TestMainWindow::languageCodesRoundTrip()
{
    for (Language language : availableLanguages())
        QCOMPARE(languageFromCode(languageCode(language)), std::optional<Language>(language));
    QCOMPARE(languageFromCode(QStringLiteral("zh_cn")), std::optional<Language>(Language::SimplifiedChinese));
    QVERIFY(!languageFromCode(QStringLiteral("fr")).has_value());
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
