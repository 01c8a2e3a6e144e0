// slipway: the Qt console. main() parses the few command-line options, then wires settings, the
// language switch and the panels into the main window.
#include "calculator/calculator_panel.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "settings/app_settings.h"

#include "slipway_version.h"

#include <QApplication>
#include <QSettings>

#include <cstdio>
#include <cstring>

namespace {

const char *const kUsage =
    "Usage: slipway [--version] [--help] [Qt options]\n"
    "Opens the Slipway console: size GPUs for a model, deploy it, watch it and chat with it.\n"
    "  --version   print the version and exit\n"
    "  --help      print this help and exit\n"
    "The headless front end is slipway-cli.\n";

} // namespace

int main(int argc, char *argv[])
{
    // Answered before QApplication exists, so they work without a display.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("slipway %s\n", SLIPWAY_VERSION_FULL);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(kUsage, stdout);
            return 0;
        }
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Slipway"));
    QCoreApplication::setApplicationName(QStringLiteral("slipway"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLIPWAY_VERSION_FULL));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Slipway"));

    QSettings store;
    slipway::ui::AppSettings settings(store);
    slipway::ui::LanguageSwitcher language;
    language.setLanguage(settings.language());

    slipway::ui::MainWindow window;
    window.setCurrentLanguage(language.language());
    QObject::connect(&window, &slipway::ui::MainWindow::languageRequested, &language,
                     [&](slipway::ui::Language requested) {
                         if (language.setLanguage(requested))
                             settings.setLanguage(requested);
                         window.setCurrentLanguage(language.language());
                     });

    auto *calculator = new slipway::ui::CalculatorPanel();
    window.addPanel(calculator, calculator->windowTitle());

    if (const QByteArray geometry = settings.mainWindowGeometry(); !geometry.isEmpty())
        window.restoreGeometry(geometry);
    window.show();
    const int rc = QApplication::exec();
    settings.setMainWindowGeometry(window.saveGeometry());
    settings.sync();
    return rc;
}
