#pragma once
// The interface languages Slipway ships, and the switch that installs their translations.
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QTranslator;

namespace slipway::ui {

enum class Language { English, SimplifiedChinese };

// "en", "zh_CN": the code stored in settings and used in .qm file names.
QString languageCode(Language language);
std::optional<Language> languageFromCode(const QString &code);
// The language's name in itself ("English", "简体中文"), shown the same in every interface
// language so a person can always find their own.
QString languageNativeName(Language language);
const std::vector<Language> &availableLanguages();

// Installs the translators of one language into the application. Qt then sends
// QEvent::LanguageChange to every widget, which retranslates itself (changeEvent → retranslateUi).
// GUI thread only.
class LanguageSwitcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageSwitcher)

public:
    explicit LanguageSwitcher(QObject *parent = nullptr);
    ~LanguageSwitcher() override;

    Language language() const { return m_language; }

    // Switches the interface to `language`. Fails (returns false, language unchanged) only when
    // the embedded translation is missing, which a correct build never does.
    bool setLanguage(Language language);

signals:
    void languageChanged(slipway::ui::Language language);

private:
    void removeTranslators();

    Language m_language = Language::English;
    std::vector<std::unique_ptr<QTranslator>> m_installed;
};

} // namespace slipway::ui
