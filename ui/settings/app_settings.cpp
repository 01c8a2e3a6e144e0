#include "settings/app_settings.h"

#include <QLocale>
#include <QSettings>

namespace slipway::ui {

namespace {

const QString kLanguageKey = QStringLiteral("ui/language");
const QString kGeometryKey = QStringLiteral("ui/mainWindowGeometry");

Language systemLanguage()
{
    return QLocale::system().language() == QLocale::Chinese ? Language::SimplifiedChinese : Language::English;
}

} // namespace

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

QByteArray AppSettings::mainWindowGeometry() const
{
    return m_store.value(kGeometryKey).toByteArray();
}

void AppSettings::setMainWindowGeometry(const QByteArray &geometry)
{
    m_store.setValue(kGeometryKey, geometry);
}

void AppSettings::sync()
{
    m_store.sync();
}

} // namespace slipway::ui
