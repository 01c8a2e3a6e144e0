// Renders the main window with the Calculator panel in English and in Simplified Chinese to PNG
// files under ${SLIPWAY_BINARY_DIR}/screenshots/ for review by eye, and fails when a visible
// string is left untranslated in Chinese.
#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"
#include "frame/about_dialog.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "ui_text_walker.h"

#include <QAction>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;

namespace {

constexpr int kWaitMs = 15000;

QString screenshotDir()
{
    const QString dir = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

void save(QWidget *widget, const QString &name)
{
    QCoreApplication::processEvents();
    const QString path = screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY2(widget->grab().save(path), qPrintable(path));
}

CalculatorInputs fittingInputs()
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")};
    in.weightDtype = sizing::WeightDtype::Bf16;
    in.gpuName = QStringLiteral("H100");
    in.contextLength = 32768;
    in.concurrency = 8;
    return in;
}

CalculatorInputs nonFittingInputs()
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-V3")};
    in.gpuName = QStringLiteral("H100");
    in.contextLength = 16384;
    in.concurrency = 16;
    in.tensorParallel = 8;
    return in;
}

} // namespace

class TestUiScreenshots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void rendersInEnglish();
    void rendersInChineseWithNothingUntranslated();

private:
    void applyInputs(const CalculatorInputs &inputs);
    void saveAllTabs(const QString &prefix);
    void switchLanguage(Language language);
    QStringList untranslated(QWidget *root) const;

    LanguageSwitcher m_switcher;
    std::unique_ptr<MainWindow> m_window;
    CalculatorPanel *m_panel = nullptr;
};

void TestUiScreenshots::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0-test"));
    m_window = std::make_unique<MainWindow>();
    connect(m_window.get(), &MainWindow::languageRequested, &m_switcher, &LanguageSwitcher::setLanguage);
    m_panel = new CalculatorPanel();
    m_panel->controller()->setDebounceInterval(0);
    QSignalSpy guide(m_panel, &CalculatorPanel::guideComparisonShown);
    m_window->addPanel(m_panel, m_panel->windowTitle());
    m_window->resize(1360, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(guide.count() > 0 || guide.wait(kWaitMs));
}

void TestUiScreenshots::cleanupTestCase()
{
    m_switcher.setLanguage(Language::English);
    m_window.reset();
}

void TestUiScreenshots::applyInputs(const CalculatorInputs &inputs)
{
    QSignalSpy shown(m_panel, &CalculatorPanel::resultShown);
    m_panel->setInputs(inputs);
    QVERIFY(shown.wait(kWaitMs));
}

void TestUiScreenshots::saveAllTabs(const QString &prefix)
{
    QTabWidget *tabs = m_panel->resultTabs();
    const QStringList names{QStringLiteral("figures"), QStringLiteral("tp_search"), QStringLiteral("guide")};
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        save(m_window.get(), prefix + QLatin1Char('_') + names.value(i, QString::number(i)));
    }
    tabs->setCurrentIndex(0);
}

void TestUiScreenshots::switchLanguage(Language language)
{
    QAction *action = m_window->languageAction(language);
    QVERIFY(action);
    action->trigger();
    QCOMPARE(m_switcher.language(), language);
    QCoreApplication::processEvents(); // LanguageChange is posted to the widgets
    QCoreApplication::processEvents();
}

QStringList TestUiScreenshots::untranslated(QWidget *root) const
{
    QStringList found;
    for (const test::VisibleText &t : test::collectVisibleTexts(root)) {
        bool languageName = false;
        for (Language l : availableLanguages())
            languageName = languageName || t.text == languageNativeName(l);
        if (!languageName && !test::readsAsChinese(t.text))
            found << t.where + QStringLiteral(": ") + t.text;
    }
    return found;
}

void TestUiScreenshots::rendersInEnglish()
{
    switchLanguage(Language::English);
    applyInputs(fittingInputs());
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Slipway"));
    saveAllTabs(QStringLiteral("calculator_en"));
    applyInputs(nonFittingInputs());
    save(m_window.get(), QStringLiteral("calculator_en_not_fitting"));
    // English is the source language: nothing in it reads as Chinese.
    int chinese = 0;
    for (const test::VisibleText &t : test::collectVisibleTexts(m_window.get()))
        chinese += t.text != languageNativeName(Language::SimplifiedChinese) && test::readsAsChinese(t.text) &&
                   t.text.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]")));
    QCOMPARE(chinese, 0);
}

void TestUiScreenshots::rendersInChineseWithNothingUntranslated()
{
    switchLanguage(Language::SimplifiedChinese);
    QCOMPARE(m_panel->windowTitle(), QStringLiteral("计算器"));

    applyInputs(fittingInputs());
    saveAllTabs(QStringLiteral("calculator_zh_CN"));
    QStringList missing = untranslated(m_window.get());

    applyInputs(nonFittingInputs());
    save(m_window.get(), QStringLiteral("calculator_zh_CN_not_fitting"));
    missing << untranslated(m_window.get());

    m_window->showAbout();
    AboutDialog *about = m_window->aboutDialog();
    QVERIFY(about);
    QVERIFY(QTest::qWaitForWindowExposed(about));
    save(about, QStringLiteral("about_zh_CN"));
    missing << untranslated(about);
    about->close();

    missing.removeDuplicates();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in Chinese:\n  ") + missing.join(QStringLiteral("\n  "))));
}

QTEST_MAIN(TestUiScreenshots)
#include "test_ui_screenshots.moc"
