#include "settings/app_settings.h"

#include "local/demo_model.h"

#include <QLocale>
#include <QSettings>

#include <algorithm>

namespace slipway::ui {

namespace {

const QString kLanguageKey = QStringLiteral("ui/language");
const QString kGeometryKey = QStringLiteral("ui/mainWindowGeometry");
const QString kFirstRunKey = QStringLiteral("ui/firstRunDone");
const QString kLogBufferKey = QStringLiteral("logs/bufferLines");
const QString kEngineKey = QStringLiteral("local/engineExecutable");
const QString kDeviceKey = QStringLiteral("local/defaultDevice");
const QString kDemoDirKey = QStringLiteral("local/demoModelDir");
const QString kModelDirKey = QStringLiteral("local/modelDir");
const QString kChatUrlKey = QStringLiteral("chat/endpointUrl");
const QString kChatKeyKey = QStringLiteral("chat/apiKey");
const QString kMetricsIntervalKey = QStringLiteral("metrics/scrapeIntervalSeconds");

Language systemLanguage()
{
    return QLocale::system().language() == QLocale::Chinese ? Language::SimplifiedChinese : Language::English;
}

int clampedInt(const QSettings &store, const QString &key, int fallback, int low, int high)
{
    bool ok = false;
    const int value = store.value(key).toInt(&ok);
    return ok ? std::clamp(value, low, high) : fallback;
}

} // namespace

QString engineDeviceCode(EngineDevice device)
{
    return device == EngineDevice::Cuda ? QStringLiteral("cuda") : QStringLiteral("cpu");
}

AppSettings::AppSettings(QSettings &store)
    : m_store(store)
{
}

Language AppSettings::language() const
{
    const QString code = m_store.value(kLanguageKey).toString();
    if (code.isEmpty())
        return systemLanguage();
    // An unknown code (a newer version's language, a hand edit) falls back to English.
    return languageFromCode(code).value_or(Language::English);
}

void AppSettings::setLanguage(Language language)
{
    m_store.setValue(kLanguageKey, languageCode(language));
}

int AppSettings::logBufferLines() const
{
    return clampedInt(m_store, kLogBufferKey, kDefaultLogBufferLines, kMinLogBufferLines, kMaxLogBufferLines);
}

void AppSettings::setLogBufferLines(int lines)
{
    m_store.setValue(kLogBufferKey, std::clamp(lines, kMinLogBufferLines, kMaxLogBufferLines));
}

QString AppSettings::engineExecutable() const
{
    return m_store.value(kEngineKey).toString();
}

void AppSettings::setEngineExecutable(const QString &path)
{
    m_store.setValue(kEngineKey, path.trimmed());
}

EngineDevice AppSettings::defaultDevice() const
{
    return m_store.value(kDeviceKey).toString() == QLatin1String("cuda") ? EngineDevice::Cuda : EngineDevice::Cpu;
}

void AppSettings::setDefaultDevice(EngineDevice device)
{
    m_store.setValue(kDeviceKey, engineDeviceCode(device));
}

QString AppSettings::demoModelDir() const
{
    const QString dir = m_store.value(kDemoDirKey).toString();
    return dir.isEmpty() ? QString::fromStdString(local::defaultDemoModelDir().string()) : dir;
}

void AppSettings::setDemoModelDir(const QString &dir)
{
    m_store.setValue(kDemoDirKey, dir.trimmed());
}

QString AppSettings::localModelDir() const
{
    return m_store.value(kModelDirKey).toString();
}

void AppSettings::setLocalModelDir(const QString &dir)
{
    m_store.setValue(kModelDirKey, dir.trimmed());
}

ChatEndpoint AppSettings::chatEndpoint() const
{
    return {m_store.value(kChatUrlKey).toString(), m_store.value(kChatKeyKey).toString()};
}

void AppSettings::setChatEndpoint(const ChatEndpoint &endpoint)
{
    m_store.setValue(kChatUrlKey, endpoint.url.trimmed());
    m_store.setValue(kChatKeyKey, endpoint.apiKey);
}

int AppSettings::metricsIntervalSeconds() const
{
    return clampedInt(m_store, kMetricsIntervalKey, kDefaultMetricsIntervalSeconds, kMinMetricsIntervalSeconds,
                      kMaxMetricsIntervalSeconds);
}

void AppSettings::setMetricsIntervalSeconds(int seconds)
{
    m_store.setValue(kMetricsIntervalKey,
                     std::clamp(seconds, kMinMetricsIntervalSeconds, kMaxMetricsIntervalSeconds));
}

QByteArray AppSettings::mainWindowGeometry() const
{
    return m_store.value(kGeometryKey).toByteArray();
}

void AppSettings::setMainWindowGeometry(const QByteArray &geometry)
{
    m_store.setValue(kGeometryKey, geometry);
}

bool AppSettings::firstRun() const
{
    return !m_store.value(kFirstRunKey, false).toBool();
}

void AppSettings::setFirstRunDone()
{
    m_store.setValue(kFirstRunKey, true);
}

void AppSettings::sync()
{
    m_store.sync();
}

} // namespace slipway::ui
