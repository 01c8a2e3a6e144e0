#include "wizard_test_support.h"

#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"

#include <QFileInfo>
#include <QProcess>
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

void validateManifests(const std::vector<deploy::RenderedObject> &objects, const QString &dir)
{
    QVERIFY(deploy::writeToDirectory(objects, dir.toStdString()).ok());
    const QString validator = QStringLiteral(SLIPWAY_VALIDATOR_DIR "/validate-manifests.mjs");
    QVERIFY2(QFileInfo::exists(validator), qPrintable(validator));
    QProcess node;
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start(QStringLiteral("node"), {validator, dir});
    QVERIFY(node.waitForFinished(60000));
    const QString output = QString::fromUtf8(node.readAll());
    QVERIFY2(node.exitCode() == 0 && !output.contains(QStringLiteral("FAIL")), qPrintable(output));
}

} // namespace slipway::ui::test
