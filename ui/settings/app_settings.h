#pragma once
// Typed access to the console's persisted settings. Each setting is one accessor pair with its
// own type and default; nothing else in the UI reads QSettings keys directly.
#include "i18n/language.h"

#include <QByteArray>

class QSettings;

namespace slipway::ui {

class AppSettings final {
public:
    // `store` is not owned and must outlive this object. The application passes the default
    // QSettings (organisation and application names set in main); tests pass an .ini in a
    // temporary folder.
    explicit AppSettings(QSettings &store);

    // The interface language; unset: Simplified Chinese when the system locale is Chinese,
    // English otherwise.
    Language language() const;
    void setLanguage(Language language);

    // QMainWindow::saveGeometry() of the main window; empty when never saved.
    QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray &geometry);

    // Writes pending changes to disk now (QSettings otherwise writes lazily).
    void sync();

private:
    QSettings &m_store;
};

} // namespace slipway::ui
