#include "wizard_test_support.h"

#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"

#include <QtTest>

namespace slipway::ui::test {

void walkTo(DeployWizard &wizard, int page)
{
    wizard.calculator()->controller()->setDebounceInterval(0);
    wizard.restart();
    int guard = 0;
    while (wizard.currentId() != page && ++guard < 10) {
        QWizardPage *current = wizard.currentPage();
        QVERIFY(current);
        QTRY_VERIFY2_WITH_TIMEOUT(current->isComplete(),
                                  qPrintable(QStringLiteral("page %1 stays incomplete: %2")
                                                 .arg(wizard.currentId())
                                                 .arg(wizard.problem(wizard.currentId()))),
                                  kWaitMs);
        wizard.next();
    }
    QCOMPARE(wizard.currentId(), page);
}

QString tinyModelFolder()
{
    return QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/engine/fixtures/qwen2-tiny-bf16");
}

} // namespace slipway::ui::test
