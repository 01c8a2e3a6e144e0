// Typed settings: every value persists across a new AppSettings on the same file, defaults and
// bounds hold, and the Settings panel writes each change at once and announces the ones applied
// live (the log buffer, the language, the chat endpoint, the metrics interval).
#include "i18n/language.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "settings/app_settings.h"
#include "settings/settings_panel.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace slipway::ui;

class TestAppSettings : public QObject {
    Q_OBJECT

private slots:
    void init();
    void defaultsWhenNothingIsStored();
    void everySettingPersistsAcrossInstances();
    void outOfRangeValuesAreClamped_data();
    void outOfRangeValuesAreClamped();
    void panelWritesChangesAndAppliesTheLogBufferLive();
    void panelRequestsTheChosenLanguage();
    void panelAnnouncesTheChatEndpoint();

private:
    QString iniPath() const { return m_dir->filePath(QStringLiteral("slipway.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAppSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestAppSettings::defaultsWhenNothingIsStored()
{
    QSettings store(iniPath(), QSettings::IniFormat);
    const AppSettings settings(store);
    QCOMPARE(settings.logBufferLines(), 100000);
    QCOMPARE(settings.engineExecutable(), QString());
    QCOMPARE(settings.defaultDevice(), EngineDevice::Cpu);
    QVERIFY(settings.demoModelDir().endsWith(QStringLiteral("slipway/demo-model")));
    QCOMPARE(settings.localModelDir(), QString());
    QCOMPARE(settings.chatEndpoint(), ChatEndpoint{});
    QCOMPARE(settings.metricsIntervalSeconds(), 2);
    QVERIFY(settings.firstRun());
}

void TestAppSettings::everySettingPersistsAcrossInstances()
{
    {
        QSettings store(iniPath(), QSettings::IniFormat);
        AppSettings settings(store);
        settings.setLanguage(Language::SimplifiedChinese);
        settings.setLogBufferLines(25000);
        settings.setEngineExecutable(QStringLiteral("/opt/slipway/bin/slipway-engine"));
        settings.setDefaultDevice(EngineDevice::Cuda);
        settings.setDemoModelDir(QStringLiteral("/tmp/demo"));
        settings.setLocalModelDir(QStringLiteral("/data/DeepSeek-R1-Distill-Qwen-1.5B"));
        settings.setChatEndpoint({QStringLiteral("https://llm.example.com/v1"), QStringLiteral("sk-secret")});
        settings.setMetricsIntervalSeconds(5);
        settings.setFirstRunDone();
        settings.sync();
    }
    QSettings store(iniPath(), QSettings::IniFormat);
    const AppSettings settings(store);
    QCOMPARE(settings.language(), Language::SimplifiedChinese);
    QCOMPARE(settings.logBufferLines(), 25000);
    QCOMPARE(settings.engineExecutable(), QStringLiteral("/opt/slipway/bin/slipway-engine"));
    QCOMPARE(settings.defaultDevice(), EngineDevice::Cuda);
    QCOMPARE(settings.demoModelDir(), QStringLiteral("/tmp/demo"));
    QCOMPARE(settings.localModelDir(), QStringLiteral("/data/DeepSeek-R1-Distill-Qwen-1.5B"));
    QCOMPARE(settings.chatEndpoint().url, QStringLiteral("https://llm.example.com/v1"));
    QCOMPARE(settings.chatEndpoint().apiKey, QStringLiteral("sk-secret"));
    QCOMPARE(settings.metricsIntervalSeconds(), 5);
    QVERIFY(!settings.firstRun());
}

void TestAppSettings::outOfRangeValuesAreClamped_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<int>("expected");
    QTest::addRow("log buffer too small") << QStringLiteral("logs/bufferLines") << QVariant(5) << 1000;
    QTest::addRow("log buffer too large") << QStringLiteral("logs/bufferLines") << QVariant(900000000) << 5000000;
    QTest::addRow("log buffer not a number") << QStringLiteral("logs/bufferLines") << QVariant(QStringLiteral("lots")) << 100000;
    QTest::addRow("scrape too fast") << QStringLiteral("metrics/scrapeIntervalSeconds") << QVariant(0) << 1;
    QTest::addRow("scrape too slow") << QStringLiteral("metrics/scrapeIntervalSeconds") << QVariant(3600) << 60;
}

void TestAppSettings::outOfRangeValuesAreClamped()
{
    QFETCH(QString, key);
    QFETCH(QVariant, stored);
    QFETCH(int, expected);
    QSettings store(iniPath(), QSettings::IniFormat);
    store.setValue(key, stored); // a hand-edited file
    const AppSettings settings(store);
    const int read = key.startsWith(QLatin1String("logs")) ? settings.logBufferLines() : settings.metricsIntervalSeconds();
    QCOMPARE(read, expected);
}

void TestAppSettings::panelWritesChangesAndAppliesTheLogBufferLive()
{
    QSettings store(iniPath(), QSettings::IniFormat);
    AppSettings settings(store);
    LogSourceModel sources(settings.logBufferLines());
    sources.addSource(QStringLiteral("local-engine"), QStringLiteral("Local engine"));
    SettingsPanel panel(settings);
    connect(&panel, &SettingsPanel::logBufferLinesChanged, &sources, &LogSourceModel::setMaxLinesPerSource);
    QCOMPARE(panel.logBufferBox()->value(), 100000);

    QSignalSpy changed(&panel, &SettingsPanel::logBufferLinesChanged);
    panel.logBufferBox()->setValue(20000);
    emit panel.logBufferBox()->editingFinished();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(sources.maxLinesPerSource(), 20000);
    QCOMPARE(sources.logModel(0)->maxLines(), 20000);
    QCOMPARE(settings.logBufferLines(), 20000);

    panel.deviceBox()->setCurrentIndex(1);
    emit panel.deviceBox()->activated(1);
    QCOMPARE(settings.defaultDevice(), EngineDevice::Cuda);
    panel.metricsIntervalBox()->setValue(5);
    emit panel.metricsIntervalBox()->editingFinished();
    QCOMPARE(settings.metricsIntervalSeconds(), 5);
    panel.modelDirEdit()->setText(QStringLiteral("/data/model"));
    emit panel.modelDirEdit()->editingFinished();
    QCOMPARE(settings.localModelDir(), QStringLiteral("/data/model"));

    // A new panel on the same settings shows what was written.
    SettingsPanel again(settings);
    QCOMPARE(again.logBufferBox()->value(), 20000);
    QCOMPARE(again.deviceBox()->currentIndex(), 1);
    QCOMPARE(again.metricsIntervalBox()->value(), 5);
    QCOMPARE(again.modelDirEdit()->text(), QStringLiteral("/data/model"));
}

void TestAppSettings::panelRequestsTheChosenLanguage()
{
    QSettings store(iniPath(), QSettings::IniFormat);
    AppSettings settings(store);
    SettingsPanel panel(settings);
    QSignalSpy requested(&panel, &SettingsPanel::languageRequested);
    const int index = panel.languageBox()->findData(static_cast<int>(Language::SimplifiedChinese));
    QVERIFY(index >= 0);
    panel.languageBox()->setCurrentIndex(index);
    emit panel.languageBox()->activated(index);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).value<Language>(), Language::SimplifiedChinese);
}

void TestAppSettings::panelAnnouncesTheChatEndpoint()
{
    QSettings store(iniPath(), QSettings::IniFormat);
    AppSettings settings(store);
    SettingsPanel panel(settings);
    QCOMPARE(panel.chatKeyEdit()->echoMode(), QLineEdit::Password);
    QSignalSpy changed(&panel, &SettingsPanel::chatEndpointChanged);
    panel.chatUrlEdit()->setText(QStringLiteral(" http://10.0.0.5:30000 "));
    emit panel.chatUrlEdit()->editingFinished();
    panel.chatKeyEdit()->setText(QStringLiteral("sk-1"));
    emit panel.chatKeyEdit()->editingFinished();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(settings.chatEndpoint().url, QStringLiteral("http://10.0.0.5:30000"));
    QCOMPARE(settings.chatEndpoint().apiKey, QStringLiteral("sk-1"));
    emit panel.chatKeyEdit()->editingFinished(); // unchanged: no second announcement
    QCOMPARE(changed.count(), 2);
}

QTEST_MAIN(TestAppSettings)
#include "test_app_settings.moc"
