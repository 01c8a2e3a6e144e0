// The Calculator panel shows the core's figures: for the same input, its table, chart, TP search
// and messages hold what sizing::computeSizing returns; models load from the catalog, a folder
// or a config.json off the GUI thread; the guide's table sits beside it; the language switch
// retranslates it.
#include "calculator/calculator_controller.h"
#include "calculator/calculator_form.h"
#include "calculator/calculator_panel.h"
#include "calculator/figure_text.h"
#include "calculator/guide_comparison_model.h"
#include "calculator/memory_chart.h"
#include "calculator/sizing_figures_model.h"
#include "calculator/tp_search_model.h"
#include "i18n/language.h"
#include "model/catalog.h"
#include "model/model_loader.h"
#include "sizing/guide_comparison.h"
#include "sizing/sizing.h"
#include "ui_text_walker.h"

#include <QBarSet>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTextDocumentFragment>
#include <QValueAxis>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;

namespace {

constexpr int kWaitMs = 15000;

// The input the test computes by hand (without the UI's conversion) for the same choices.
sizing::SizingInput coreInput(const std::string &modelId, sizing::WeightDtype dtype, const std::string &gpu,
                              int64_t context, int64_t concurrency, std::optional<int> tp)
{
    Result<model::ModelSpec> spec = model::loadModel(modelId);
    if (!spec)
        qFatal("%s", spec.message().c_str());
    sizing::SizingInput in;
    in.model = *spec;
    in.weightDtype = dtype;
    in.contextLength = context;
    in.concurrency = concurrency;
    in.gpu = *sizing::findGpu(gpu);
    in.gpusPerNode = 8;
    in.tensorParallel = tp;
    return in;
}

CalculatorInputs panelInput(const QString &modelId, sizing::WeightDtype dtype, const QString &gpu, qint64 context,
                            qint64 concurrency, std::optional<int> tp)
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, modelId};
    in.weightDtype = dtype;
    in.gpuName = gpu;
    in.contextLength = context;
    in.concurrency = concurrency;
    in.gpusPerNode = 8;
    in.tensorParallel = tp;
    return in;
}

// Sets the inputs and waits for the panel to show their outcome.
bool apply(CalculatorPanel &panel, const CalculatorInputs &inputs)
{
    QSignalSpy shown(&panel, &CalculatorPanel::resultShown);
    panel.setInputs(inputs);
    return shown.wait(kWaitMs);
}

QString cell(const QAbstractItemModel *model, int row, int column, int role = Qt::DisplayRole)
{
    return model->data(model->index(row, column), role).toString();
}

} // namespace

class TestCalculatorPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void tableHoldsTheCoresFigures_data();
    void tableHoldsTheCoresFigures();
    void chartBarsMatchTheFigures();
    void nonFittingLoadShowsTheError();
    void invalidForcedTpIsExplained();
    void tpSearchMarksTheChosenSize();
    void guideTableIsShownBesideAndFlagsUnderstatedRows();
    void modelLoadsFromAFolderOffTheGuiThread();
    void unreadableFolderShowsTheLoadErrorInline();
    void newerInputsSupersedeOlderOnes();
    void formWidgetsDriveTheCalculation();
    void languageSwitchRetranslatesThePanel();
    void coreErrorsAndTooltipsReadAsChinese();

private:
    std::unique_ptr<CalculatorPanel> newPanel();
};

void TestCalculatorPanel::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

std::unique_ptr<CalculatorPanel> TestCalculatorPanel::newPanel()
{
    auto panel = std::make_unique<CalculatorPanel>();
    panel->controller()->setDebounceInterval(0);
    panel->resize(1100, 800);
    return panel;
}

void TestCalculatorPanel::tableHoldsTheCoresFigures_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QString>("gpu");
    QTest::addColumn<qint64>("context");
    QTest::addColumn<qint64>("concurrency");
    QTest::addColumn<int>("tp"); // 0: automatic

    QTest::addRow("7B bf16 H100") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B" << int(sizing::WeightDtype::Bf16) << "H100"
                                  << qint64(32768) << qint64(8) << 0;
    QTest::addRow("V3 fp8 H100 tp16") << "deepseek-ai/DeepSeek-V3" << int(sizing::WeightDtype::Auto) << "H100"
                                      << qint64(16384) << qint64(16) << 16;
    QTest::addRow("70B fp8 L40S auto tp") << "deepseek-ai/DeepSeek-R1-Distill-Llama-70B" << int(sizing::WeightDtype::Fp8)
                                          << "L40S" << qint64(8192) << qint64(4) << 0;
    QTest::addRow("1.5B int4 L4") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B" << int(sizing::WeightDtype::Int4) << "L4"
                                  << qint64(0) << qint64(1) << 0;
}

void TestCalculatorPanel::tableHoldsTheCoresFigures()
{
    QFETCH(QString, model);
    QFETCH(int, dtype);
    QFETCH(QString, gpu);
    QFETCH(qint64, context);
    QFETCH(qint64, concurrency);
    QFETCH(int, tp);
    const std::optional<int> forced = tp > 0 ? std::optional<int>(tp) : std::nullopt;

    Result<sizing::SizingResult> expected = sizing::computeSizing(
        coreInput(model.toStdString(), sizing::WeightDtype(dtype), gpu.toStdString(), context, concurrency, forced));
    QVERIFY2(expected.ok(), expected.ok() ? "" : expected.message().c_str());

    auto panel = newPanel();
    QVERIFY(apply(*panel, panelInput(model, sizing::WeightDtype(dtype), gpu, context, concurrency, forced)));
    QVERIFY(panel->controller()->result().has_value());

    const SizingFiguresModel *figures = panel->figuresModel();
    QCOMPARE(figures->rowCount(), int(expected->figures.size()));
    QVERIFY(figures->rowCount() > 20);
    for (int row = 0; row < figures->rowCount(); ++row) {
        const sizing::Figure &f = expected->figures[size_t(row)];
        QCOMPARE(cell(figures, row, 0, SizingFiguresModel::KeyRole), QString::fromStdString(f.key));
        QCOMPARE(figures->data(figures->index(row, 0), SizingFiguresModel::RawValueRole).toDouble(), f.value);
        QCOMPARE(cell(figures, row, SizingFiguresModel::FormulaColumn), QString::fromStdString(f.formula));
        QCOMPARE(cell(figures, row, SizingFiguresModel::ValueColumn), FigureText::value(f));
        QCOMPARE(cell(figures, row, SizingFiguresModel::LabelColumn, Qt::ToolTipRole), QString::fromStdString(f.formula));
        QVERIFY(!cell(figures, row, SizingFiguresModel::LabelColumn).isEmpty());
    }
    // Spot checks of the text a person reads.
    const int weightsRow = figures->rowOf(QStringLiteral("per_gpu_weights_bytes"));
    QVERIFY(weightsRow >= 0);
    QCOMPARE(cell(figures, weightsRow, SizingFiguresModel::LabelColumn), QStringLiteral("Weights per GPU"));
    QCOMPARE(cell(figures, weightsRow, SizingFiguresModel::ValueColumn),
             FigureText::bytes(double(expected->perGpuWeightsBytes)));
    const int ceilingRow = figures->rowOf(QStringLiteral("decode_ceiling_tokens_per_s"));
    QVERIFY(ceilingRow >= 0);
    QVERIFY(cell(figures, ceilingRow, SizingFiguresModel::LabelColumn).contains(QStringLiteral("ceiling")));
    QVERIFY(cell(figures, ceilingRow, SizingFiguresModel::LabelColumn).contains(QStringLiteral("upper bound")));

    // Summary and messages.
    QCOMPARE(panel->shownErrors().size(), int(expected->errors.size()));
    QCOMPARE(panel->shownWarnings().size(), int(expected->warnings.size()));
    const auto *headline = panel->findChild<QLabel *>(QStringLiteral("headline"));
    QVERIFY(headline->text().contains(QStringLiteral("TP %1").arg(expected->tp)));
    const auto *ceiling = panel->findChild<QLabel *>(QStringLiteral("decodeCeiling"));
    QVERIFY(ceiling->text().contains(QStringLiteral("upper bound")));
    QVERIFY(ceiling->text().contains(FigureText::tokensPerSecond(expected->decodeCeilingTokensPerS)));
}

void TestCalculatorPanel::chartBarsMatchTheFigures()
{
    auto panel = newPanel();
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"), sizing::WeightDtype::Bf16,
                                     QStringLiteral("H100"), 32768, 8, std::nullopt)));
    const sizing::SizingResult &r = *panel->controller()->result();
    QVERIFY(r.fits);
    const MemoryChartView *chart = panel->memoryChart();
    const auto gb = [&](const char *key) { return r.figure(key)->value / 1e9; };
    QCOMPARE(chart->barSet(MemoryChartView::Weights)->at(0), gb("per_gpu_weights_bytes"));
    QCOMPARE(chart->barSet(MemoryChartView::KvLoad)->at(0), gb("kv_needed_bytes_per_gpu"));
    QCOMPARE(chart->barSet(MemoryChartView::KvUnused)->at(0), gb("kv_pool_bytes") - gb("kv_needed_bytes_per_gpu"));
    QCOMPARE(chart->barSet(MemoryChartView::Reserve)->at(0), gb("reserve_bytes"));
    double total = 0;
    for (int s = 0; s < MemoryChartView::SegmentCount; ++s)
        total += chart->barSet(MemoryChartView::Segment(s))->at(0);
    QVERIFY(qAbs(total - gb("gpu_memory_bytes")) < 1e-6); // fits: the bar fills the card exactly
    const QList<QPointF> line = chart->cardLine()->points();
    QCOMPARE(line.size(), 2);
    QCOMPARE(line[0].x(), gb("gpu_memory_bytes"));
    QVERIFY(chart->valueAxis()->max() >= gb("gpu_memory_bytes"));
    QVERIFY(chart->barSet(MemoryChartView::Weights)->label().contains(FigureText::bytes(double(r.perGpuWeightsBytes))));

    // A load that doesn't fit runs past the card's line.
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"), sizing::WeightDtype::Bf16,
                                     QStringLiteral("L4"), 4096, 1, 1)));
    const sizing::SizingResult &big = *panel->controller()->result();
    QVERIFY(!big.fits);
    total = 0;
    for (int s = 0; s < MemoryChartView::SegmentCount; ++s)
        total += chart->barSet(MemoryChartView::Segment(s))->at(0);
    QVERIFY(total > big.gpuMemoryBytes / 1e9);
    QVERIFY(chart->valueAxis()->max() >= total);
    QCOMPARE(chart->barSet(MemoryChartView::KvUnused)->at(0), 0.0);
}

void TestCalculatorPanel::nonFittingLoadShowsTheError()
{
    auto panel = newPanel();
    panel->show();
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-V3"), sizing::WeightDtype::Auto,
                                     QStringLiteral("H100"), 16384, 16, 8)));
    Result<sizing::SizingResult> expected = sizing::computeSizing(
        coreInput("deepseek-ai/DeepSeek-V3", sizing::WeightDtype::Auto, "H100", 16384, 16, 8));
    QVERIFY(expected.ok());
    QVERIFY(!expected->fits);
    QVERIFY(!expected->errors.empty());
    QCOMPARE(panel->shownErrors().size(), int(expected->errors.size()));
    for (size_t i = 0; i < expected->errors.size(); ++i)
        QCOMPARE(panel->shownErrors()[int(i)], QString::fromStdString(expected->errors[i].english));
    const auto *errors = panel->findChild<QLabel *>(QStringLiteral("errors"));
    QVERIFY(errors->isVisible());
    QVERIFY(errors->text().contains(QStringLiteral("does not fit")));
    const auto *verdict = panel->findChild<QLabel *>(QStringLiteral("verdict"));
    QVERIFY(verdict->text().contains(QStringLiteral("Does not fit")));

    // Back to a fitting size: the error box goes away.
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-V3"), sizing::WeightDtype::Auto,
                                     QStringLiteral("H100"), 16384, 16, 16)));
    QVERIFY(panel->shownErrors().isEmpty());
    QVERIFY(!errors->isVisible());
    QVERIFY(verdict->text().contains(QStringLiteral("Fits")));
}

void TestCalculatorPanel::invalidForcedTpIsExplained()
{
    auto panel = newPanel();
    panel->show();
    // 7B has 28 heads and 4 KV heads: TP 3 divides neither.
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"), sizing::WeightDtype::Bf16,
                                     QStringLiteral("H100"), 4096, 1, 3)));
    QVERIFY(!panel->shownErrors().isEmpty());
    QVERIFY(panel->shownErrors().first().startsWith(QStringLiteral("--tp 3")));
    QVERIFY(panel->findChild<QLabel *>(QStringLiteral("verdict"))->text().contains(QStringLiteral("Invalid TP")));
}

void TestCalculatorPanel::tpSearchMarksTheChosenSize()
{
    auto panel = newPanel();
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"), sizing::WeightDtype::Bf16,
                                     QStringLiteral("H100"), 32768, 16, std::nullopt)));
    const sizing::SizingResult &r = *panel->controller()->result();
    const TpSearchModel *tp = panel->tpSearchModel();
    QCOMPARE(tp->rowCount(), int(r.tpSearch.size()));
    QVERIFY(tp->chosenRow() >= 0);
    QCOMPARE(tp->data(tp->index(tp->chosenRow(), 0), TpSearchModel::TpRole).toInt(), r.tp);
    QVERIFY(r.tp > 1); // 32B bf16 with this load needs more than one H100
    for (int row = 0; row < tp->rowCount(); ++row) {
        const sizing::TpCandidate &c = r.tpSearch[size_t(row)];
        QCOMPARE(tp->data(tp->index(row, TpSearchModel::TpColumn)).toInt(), c.tp);
        QCOMPARE(cell(tp, row, TpSearchModel::NoteColumn), QString::fromStdString(c.note.english));
        QCOMPARE(cell(tp, row, TpSearchModel::ValidColumn), FigureText::yesNo(c.valid));
        QCOMPARE(tp->data(tp->index(row, 0), TpSearchModel::ChosenRole).toBool(), c.tp == r.tp);
    }
}

void TestCalculatorPanel::guideTableIsShownBesideAndFlagsUnderstatedRows()
{
    auto panel = newPanel();
    QSignalSpy guide(panel.get(), &CalculatorPanel::guideComparisonShown);
    QVERIFY(apply(*panel, panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"), sizing::WeightDtype::Bf16,
                                     QStringLiteral("H100"), 4096, 1, std::nullopt)));
    QVERIFY(guide.count() > 0 || guide.wait(kWaitMs));

    Result<std::vector<sizing::GuideRowComparison>> rows = sizing::compareWithGuide();
    QVERIFY(rows.ok());
    const GuideComparisonModel *model = panel->guideModel();
    QCOMPARE(model->rowCount(), int(rows->size()));
    int sevenB = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        const sizing::GuideRowComparison &expected = (*rows)[size_t(row)];
        QCOMPARE(cell(model, row, 0, GuideComparisonModel::ModelIdRole), QString::fromStdString(expected.modelId));
        QVERIFY(QString::fromStdString(expected.modelId).endsWith(cell(model, row, GuideComparisonModel::ModelColumn)));
        QCOMPARE(cell(model, row, GuideComparisonModel::GuideGpuColumn),
                 FigureText::bytes(double(expected.guideGpuMemoryBytes)));
        QCOMPARE(cell(model, row, GuideComparisonModel::WeightsColumn), FigureText::bytes(double(expected.fp16WeightsBytes)));
        QCOMPARE(cell(model, row, GuideComparisonModel::FullNeedColumn), FigureText::bytes(double(expected.fullNeedBytes)));
        QCOMPARE(model->data(model->index(row, 0), GuideComparisonModel::UnderstatedRole).toBool(), expected.understated);
        if (expected.params == "7B")
            sevenB = row;
    }
    // The guide's 7B row says 8 GB; fp16 weights alone are 15.2 GB.
    QVERIFY(sevenB >= 0);
    QVERIFY(model->data(model->index(sevenB, 0), GuideComparisonModel::UnderstatedRole).toBool());
    QCOMPARE(cell(model, sevenB, GuideComparisonModel::GuideGpuColumn), QStringLiteral("8.00 GB"));
    QVERIFY(cell(model, sevenB, GuideComparisonModel::WeightsColumn).startsWith(QStringLiteral("15.2")));
    QVERIFY(cell(model, sevenB, GuideComparisonModel::VerdictColumn).startsWith(QStringLiteral("Short by 7.23 GB")));
    // The row of the model on screen is marked.
    QCOMPARE(model->currentRow(), sevenB);
}

void TestCalculatorPanel::modelLoadsFromAFolderOffTheGuiThread()
{
    Result<model::ModelCatalog> catalog = model::ModelCatalog::builtIn();
    QVERIFY(catalog.ok());
    const model::CatalogEntry *entry = catalog->find("deepseek-ai/DeepSeek-R1-Distill-Llama-8B");
    QVERIFY(entry);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QByteArray::fromStdString(entry->configJson));
    config.close();

    Result<model::ModelSpec> spec = model::loadModelFolder(dir.path().toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    sizing::SizingInput in;
    in.model = *spec;
    in.contextLength = 8192;
    in.concurrency = 4;
    in.gpu = sizing::customGpu(47.5);
    in.gpusPerNode = 4;
    in.memFraction = 0.85;
    Result<sizing::SizingResult> expected = sizing::computeSizing(in);
    QVERIFY(expected.ok());

    auto panel = newPanel();
    CalculatorInputs inputs;
    inputs.model = {ModelSource::Kind::Folder, dir.path()};
    inputs.contextLength = 8192;
    inputs.concurrency = 4;
    inputs.customGpu = true;
    inputs.customGpuMemoryGiB = 47.5;
    inputs.gpusPerNode = 4;
    inputs.memFraction = 0.85;
    QVERIFY(apply(*panel, inputs));
    QCOMPARE(panel->controller()->problem(), CalculatorController::Problem::None);
    const SizingFiguresModel *figures = panel->figuresModel();
    QCOMPARE(figures->rowCount(), int(expected->figures.size()));
    for (int row = 0; row < figures->rowCount(); ++row)
        QCOMPARE(cell(figures, row, SizingFiguresModel::FormulaColumn),
                 QString::fromStdString(expected->figures[size_t(row)].formula));
    const auto *status = panel->findChild<QLabel *>(QStringLiteral("modelStatus"));
    QVERIFY(status->text().contains(QStringLiteral("LlamaForCausalLM")));
    QVERIFY(status->text().contains(QStringLiteral("config.json")));

    // The same file chosen as a config.json gives the same figures.
    inputs.model = {ModelSource::Kind::ConfigFile, config.fileName()};
    QVERIFY(apply(*panel, inputs));
    QCOMPARE(cell(figures, figures->rowOf(QStringLiteral("kv_pool_bytes")), SizingFiguresModel::FormulaColumn),
             QString::fromStdString(expected->figure("kv_pool_bytes")->formula));
}

void TestCalculatorPanel::unreadableFolderShowsTheLoadErrorInline()
{
    QTemporaryDir dir; // empty: no config.json
    QVERIFY(dir.isValid());
    Result<model::ModelSpec> direct = model::loadModelFolder(dir.path().toStdString());
    QVERIFY(!direct.ok());

    auto panel = newPanel();
    panel->show();
    CalculatorInputs inputs;
    inputs.model = {ModelSource::Kind::Folder, dir.path()};
    QVERIFY(apply(*panel, inputs));
    QCOMPARE(panel->controller()->problem(), CalculatorController::Problem::ModelNotLoaded);
    const auto *status = panel->findChild<QLabel *>(QStringLiteral("modelStatus"));
    QVERIFY(status->isVisible());
    QVERIFY(status->text().contains(QString::fromStdString(direct.message())));
    QCOMPARE(panel->figuresModel()->rowCount(), 0);
    QVERIFY(!panel->memoryChart()->breakdown().has_value());

    // No path at all: the panel asks for one instead of failing in the core.
    inputs.model = {ModelSource::Kind::ConfigFile, QString()};
    QVERIFY(apply(*panel, inputs));
    QCOMPARE(panel->controller()->problem(), CalculatorController::Problem::NoModelChosen);
    QVERIFY(status->text().contains(QStringLiteral("config.json")));
}

void TestCalculatorPanel::newerInputsSupersedeOlderOnes()
{
    auto panel = newPanel();
    panel->controller()->setDebounceInterval(50);
    QSignalSpy shown(panel.get(), &CalculatorPanel::resultShown);
    panel->setInputs(panelInput(QStringLiteral("deepseek-ai/DeepSeek-V3"), sizing::WeightDtype::Auto, QStringLiteral("H200"),
                                4096, 1, std::nullopt));
    panel->setInputs(panelInput(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"), sizing::WeightDtype::Bf16,
                                QStringLiteral("A100-80G"), 4096, 2, std::nullopt));
    QVERIFY(shown.wait(kWaitMs));
    QTest::qWait(200); // nothing stale may arrive afterwards
    QCOMPARE(shown.count(), 1);
    QCOMPARE(panel->controller()->result()->modelId, std::string("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"));
    QCOMPARE(panel->controller()->result()->gpu.name, std::string("A100-80G"));
    QVERIFY(!panel->controller()->isBusy());
}

void TestCalculatorPanel::formWidgetsDriveTheCalculation()
{
    auto panel = newPanel();
    QVERIFY(apply(*panel, CalculatorInputs{}));
    QSignalSpy shown(panel.get(), &CalculatorPanel::resultShown);
    auto *concurrency = panel->findChild<QSpinBox *>(QStringLiteral("concurrency"));
    auto *gpu = panel->findChild<QComboBox *>(QStringLiteral("gpu"));
    QVERIFY(concurrency && gpu);
    concurrency->setValue(12);
    gpu->setCurrentIndex(gpu->findData(QStringLiteral("H200")));
    QVERIFY(shown.wait(kWaitMs));
    QCOMPARE(panel->controller()->inputs().concurrency, qint64(12));
    QCOMPARE(panel->controller()->result()->gpu.name, std::string("H200"));
    QCOMPARE(panel->controller()->result()->concurrency, int64_t(12));
}

void TestCalculatorPanel::languageSwitchRetranslatesThePanel()
{
    auto panel = newPanel();
    QVERIFY(apply(*panel, CalculatorInputs{}));
    const SizingFiguresModel *figures = panel->figuresModel();
    const int row = figures->rowOf(QStringLiteral("per_gpu_weights_bytes"));
    QCOMPARE(cell(figures, row, SizingFiguresModel::LabelColumn), QStringLiteral("Weights per GPU"));
    QCOMPARE(panel->windowTitle(), QStringLiteral("Calculator"));

    LanguageSwitcher switcher;
    QSignalSpy changed(&switcher, &LanguageSwitcher::languageChanged);
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCOMPARE(changed.count(), 1);
    QCoreApplication::processEvents(); // LanguageChange is posted
    QCOMPARE(panel->windowTitle(), QStringLiteral("计算器"));
    QCOMPARE(cell(figures, row, SizingFiguresModel::LabelColumn), QStringLiteral("每块 GPU 的权重"));
    QCOMPARE(figures->headerData(SizingFiguresModel::FormulaColumn, Qt::Horizontal).toString(), QStringLiteral("公式"));

    QVERIFY(switcher.setLanguage(Language::English));
    QCoreApplication::processEvents();
    QCOMPARE(panel->windowTitle(), QStringLiteral("Calculator"));
    QCOMPARE(cell(figures, row, SizingFiguresModel::LabelColumn), QStringLiteral("Weights per GPU"));
}

// In Chinese, what core writes and the panel shows reads as Chinese: an unknown GPU, a folder
// without config.json, a config.json that is not JSON or names an unsupported architecture, and
// the guide table's arithmetic in its tooltips.
void TestCalculatorPanel::coreErrorsAndTooltipsReadAsChinese()
{
    LanguageSwitcher switcher;
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    auto panel = newPanel();
    panel->show();
    const auto *errors = panel->findChild<QLabel *>(QStringLiteral("errors"));
    const auto *status = panel->findChild<QLabel *>(QStringLiteral("modelStatus"));
    QVERIFY(errors && status);
    const auto chinese = [](const QString &text) {
        const QString plain = Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
        return test::readsAsChinese(plain) ? QString() : QStringLiteral("not Chinese: ") + plain;
    };

    // An unknown GPU (the form offers only the catalog's; the controller takes any name, as the
    // wizard's sizing does): core's message with the catalog's names, in Chinese.
    CalculatorInputs inputs;
    inputs.gpuName = QStringLiteral("RTX-9999");
    {
        QSignalSpy shown(panel.get(), &CalculatorPanel::resultShown);
        panel->controller()->setInputs(inputs);
        QVERIFY(shown.wait(kWaitMs));
    }
    QCOMPARE(panel->controller()->problem(), CalculatorController::Problem::InvalidInput);
    QVERIFY2(errors->text().contains(QStringLiteral("未知的 GPU 'RTX-9999'")), qPrintable(errors->text()));
    QVERIFY(errors->text().contains(QStringLiteral("H100")));
    QVERIFY2(chinese(errors->text()).isEmpty(), qPrintable(chinese(errors->text())));

    // Model files a person can get wrong.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Each case in a folder of its own: the controller keeps a loaded model per source.
    const auto caseFolder = [&](int i, const QByteArray &config) {
        const QString folder = dir.filePath(QStringLiteral("case%1").arg(i));
        QDir().mkpath(folder);
        if (!config.isEmpty()) {
            QFile f(QDir(folder).filePath(QStringLiteral("config.json")));
            if (f.open(QIODevice::WriteOnly))
                f.write(config);
        }
        return folder;
    };
    struct Case {
        const char *name;
        QByteArray config; // empty: no config.json at all
        QString expected;  // a piece of the Chinese text
    };
    const Case cases[] = {
        {"no config.json", {}, QStringLiteral("中没有 config.json")},
        {"not JSON", "{\"architectures\": [", QStringLiteral("不是有效的 JSON")},
        {"unsupported architecture", R"({"architectures": ["MambaForCausalLM"]})", QStringLiteral("Slipway 支持")},
        {"missing field", R"({"architectures": ["Qwen2ForCausalLM"]})", QStringLiteral("缺少必填字段")},
        {"quoted number",
         R"({"architectures": ["Qwen2ForCausalLM"], "num_hidden_layers": "28", "hidden_size": 3584,
             "num_attention_heads": 28, "intermediate_size": 18944, "vocab_size": 152064})",
         QStringLiteral("（字符串）；应为 不带引号的正整数")},
    };
    inputs = CalculatorInputs{};
    int index = 0;
    for (const Case &c : cases) {
        const QString folder = caseFolder(index++, c.config);
        inputs.model = {ModelSource::Kind::Folder, folder};
        QVERIFY2(apply(*panel, inputs), c.name);
        QCOMPARE(panel->controller()->problem(), CalculatorController::Problem::ModelNotLoaded);
        QVERIFY2(status->text().contains(c.expected), qPrintable(QString::fromUtf8(c.name) + QStringLiteral(": ") + status->text()));
        // The JSON parser's own diagnostic is quoted as it is, like a path.
        QString shown = status->text();
        const Result<model::ModelSpec> direct = model::loadModelFolder(folder.toStdString());
        QVERIFY(!direct.ok());
        if (direct.error().code == "model.config.not_json")
            shown.remove(QString::fromStdString(direct.error().args.at(1)).toHtmlEscaped())
                .remove(QString::fromStdString(direct.error().args.at(1)));
        QVERIFY2(chinese(shown).isEmpty(), qPrintable(chinese(shown)));
        // The same file chosen as a config.json reads the same way.
        if (!c.config.isEmpty()) {
            inputs.model = {ModelSource::Kind::ConfigFile, QDir(folder).filePath(QStringLiteral("config.json"))};
            QVERIFY2(apply(*panel, inputs), c.name);
            QVERIFY2(status->text().contains(c.expected), qPrintable(status->text()));
        }
    }

    // The guide table's arithmetic, shown as a tooltip on each row.
    QSignalSpy guide(panel.get(), &CalculatorPanel::guideComparisonShown);
    QVERIFY(apply(*panel, CalculatorInputs{}));
    QVERIFY(panel->guideModel()->rowCount() > 0 || guide.wait(kWaitMs));
    const GuideComparisonModel *model = panel->guideModel();
    QVERIFY(model->rowCount() > 0);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString tip = cell(model, row, GuideComparisonModel::VerdictColumn, Qt::ToolTipRole);
        QVERIFY2(tip.startsWith(QStringLiteral("fp16 权重 ")) && tip.contains(QStringLiteral(" 指南 ")), qPrintable(tip));
        QVERIFY2(chinese(tip).isEmpty(), qPrintable(chinese(tip)));
    }
    // ... and in English exactly core's formula, as before.
    QVERIFY(switcher.setLanguage(Language::English));
    Result<std::vector<sizing::GuideRowComparison>> rows = sizing::compareWithGuide();
    QVERIFY(rows.ok());
    QCOMPARE(cell(model, 0, GuideComparisonModel::VerdictColumn, Qt::ToolTipRole), QString::fromStdString(rows->front().formula));
}

QTEST_MAIN(TestCalculatorPanel)
#include "test_calculator_panel.moc"
