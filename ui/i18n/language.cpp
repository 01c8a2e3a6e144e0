#include "i18n/language.h"

#include <QDir>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace slipway::ui {

QString languageCode(Language language)
{
    switch (language) {
    case Language::English:
        return QStringLiteral("en");
    case Language::SimplifiedChinese:
        return QStringLiteral("zh_CN");
    }
    return QStringLiteral("en");
}

std::optional<Language> languageFromCode(const QString &code)
{
    for (Language language : availableLanguages()) {
        if (code.compare(languageCode(language), Qt::CaseInsensitive) == 0)
            return language;
    }
    return std::nullopt;
}

QString languageNativeName(Language language)
{
    switch (language) {
    case Language::English:
        return QStringLiteral("English");
    case Language::SimplifiedChinese:
        return QStringLiteral("简体中文");
    }
    return QString();
}

const std::vector<Language> &availableLanguages()
{
    static const std::vector<Language> languages{Language::English, Language::SimplifiedChinese};
    return languages;
}

LanguageSwitcher::LanguageSwitcher(QObject *parent)
    : QObject(parent)
{
}

LanguageSwitcher::~LanguageSwitcher()
{
    removeTranslators();
}

bool LanguageSwitcher::setLanguage(Language language)
{
    std::vector<std::unique_ptr<QTranslator>> loaded;
    if (language != Language::English) {
        const QString code = languageCode(language);
        // Slipway's own strings, compiled into the binary by qt_add_translations: one file per
        // panel area (slipway_zh_CN.qm, logs_zh_CN.qm, ...), all of the chosen language.
        const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("*_%1.qm").arg(code)}, QDir::Files);
        for (const QString &file : files) {
            auto own = std::make_unique<QTranslator>();
            if (!own->load(QStringLiteral(":/i18n/") + file))
                return false;
            loaded.push_back(std::move(own));
        }
        if (loaded.empty())
            return false;
        // Qt's own strings (standard buttons, file dialogs) where the system has them.
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            loaded.push_back(std::move(qt));
    }
    const bool changed = language != m_language;
    removeTranslators();
    for (auto &translator : loaded)
        QCoreApplication::installTranslator(translator.get());
    m_installed = std::move(loaded);
    m_language = language;
    QLocale::setDefault(language == Language::SimplifiedChinese ? QLocale(QLocale::Chinese, QLocale::China)
                                                                : QLocale(QLocale::English, QLocale::UnitedStates));
    if (changed)
        emit languageChanged(language);
    return true;
}

void LanguageSwitcher::removeTranslators()
{
    for (auto &translator : m_installed)
        QCoreApplication::removeTranslator(translator.get());
    m_installed.clear();
}

} // namespace slipway::ui
