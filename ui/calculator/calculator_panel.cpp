#include "calculator/calculator_panel.h"

#include "calculator/calculator_controller.h"
#include "calculator/calculator_form.h"
#include "calculator/figure_text.h"
#include "calculator/guide_comparison_model.h"
#include "calculator/memory_chart.h"
#include "calculator/sizing_figures_model.h"
#include "calculator/tp_search_model.h"
#include "messages/core_messages.h"
#include "model/catalog.h"
#include "sizing/format.h"
#include "sizing/guide_comparison.h"

#include <QFutureWatcher>
#include <QEvent>
#include <QFrame>
#include <QFuture>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace slipway::ui {

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

QString htmlList(const QStringList &lines)
{
    QString html = QStringLiteral("<ul style=\"margin-left: -24px; margin-top: 2px; margin-bottom: 0px;\">");
    for (const QString &line : lines)
        html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    return html + QStringLiteral("</ul>");
}

QTableView *newTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->setWordWrap(true);
    view->setTextElideMode(Qt::ElideRight);
    return view;
}

struct GuideOutcome {
    std::vector<sizing::GuideRowComparison> rows;
    sizing::GuideAssumptions assumptions;
    QString error;
};

} // namespace

CalculatorPanel::CalculatorPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("calculatorPanel"));
    m_controller = new CalculatorController(this);
    m_figuresModel = new SizingFiguresModel(this);
    m_tpModel = new TpSearchModel(this);
    m_guideModel = new GuideComparisonModel(this);
    buildUi();
    retranslateUi();

    connect(m_form, &CalculatorForm::inputsChanged, m_controller, &CalculatorController::setInputs);
    connect(m_controller, &CalculatorController::updated, this, [this] { showOutcome(true); });
    connect(m_controller, &CalculatorController::busyChanged, this, [this](bool busy) {
        if (busy && !m_controller->result() && m_controller->problem() == CalculatorController::Problem::None) {
            m_verdict->setText(tr("Calculating…"));
            m_verdict->setStyleSheet(QStringLiteral("color: #666666;"));
        }
    });
    loadGuideComparison();
    m_controller->setInputs(m_form->inputs());
}

void CalculatorPanel::buildUi()
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(12);

    // The catalog is compiled in: parsing it is quick and touches no disk.
    Result<model::ModelCatalog> catalog = model::ModelCatalog::builtIn();
    m_form = new CalculatorForm(catalog ? *catalog : model::ModelCatalog{}, this);
    auto *formScroll = new QScrollArea(this);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setFixedWidth(370);
    layout->addWidget(formScroll);

    auto *results = new QVBoxLayout();
    results->setSpacing(8);
    layout->addLayout(results, 1);

    // Summary.
    auto *summary = new QFrame(this);
    summary->setObjectName(QStringLiteral("summary"));
    summary->setFrameShape(QFrame::StyledPanel);
    summary->setStyleSheet(QStringLiteral("QFrame#summary { background: #f4f7fb; border: 1px solid #d5dde8; border-radius: 4px; }"));
    auto *summaryLayout = new QGridLayout(summary);
    summaryLayout->setContentsMargins(12, 8, 12, 8);
    m_headline = new QLabel(summary);
    m_headline->setObjectName(QStringLiteral("headline"));
    QFont headlineFont = m_headline->font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.2);
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    m_headline->setWordWrap(true);
    m_verdict = new QLabel(summary);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    QFont verdictFont = m_verdict->font();
    verdictFont.setBold(true);
    verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.2);
    m_verdict->setFont(verdictFont);
    m_verdict->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_capacity = new QLabel(summary);
    m_capacity->setObjectName(QStringLiteral("capacity"));
    m_capacity->setWordWrap(true);
    m_ceiling = new QLabel(summary);
    m_ceiling->setObjectName(QStringLiteral("decodeCeiling"));
    m_ceiling->setWordWrap(true);
    summaryLayout->addWidget(m_headline, 0, 0);
    summaryLayout->addWidget(m_verdict, 0, 1);
    summaryLayout->addWidget(m_capacity, 1, 0, 1, 2);
    summaryLayout->addWidget(m_ceiling, 2, 0, 1, 2);
    summaryLayout->setColumnStretch(0, 1);
    results->addWidget(summary);

    // Errors and warnings.
    m_errorBox = new QLabel(this);
    m_errorBox->setObjectName(QStringLiteral("errors"));
    m_errorBox->setWordWrap(true);
    m_errorBox->setTextFormat(Qt::RichText);
    m_errorBox->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBox->setStyleSheet(QStringLiteral(
        "QLabel { background: #fdecea; color: #8a1c10; border: 1px solid #f0b4ab; border-radius: 4px; padding: 6px 8px; }"));
    m_errorBox->hide();
    // core/ writes the messages with codes; CoreMessages shows them in the current language.
    m_warningBox = new QLabel(this);
    m_warningBox->setObjectName(QStringLiteral("warnings"));
    m_warningBox->setWordWrap(true);
    m_warningBox->setTextFormat(Qt::RichText);
    m_warningBox->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warningBox->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff6e0; color: #6b4a00; border: 1px solid #f0d48a; border-radius: 4px; padding: 6px 8px; }"));
    m_warningBox->hide();
    results->addWidget(m_errorBox);
    results->addWidget(m_warningBox);

    // Chart.
    m_chart = new MemoryChartView(this);
    m_chart->setObjectName(QStringLiteral("memoryChart"));
    m_chart->setFixedHeight(200);
    results->addWidget(m_chart);
    m_chartCaption = new QLabel(this);
    m_chartCaption->setWordWrap(true);
    m_chartCaption->setStyleSheet(QStringLiteral("color: #555555;"));
    results->addWidget(m_chartCaption);

    // Tabs.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_figuresView = newTable(m_figuresModel, m_tabs);
    m_figuresView->setObjectName(QStringLiteral("figuresView"));
    m_figuresView->horizontalHeader()->setSectionResizeMode(SizingFiguresModel::LabelColumn, QHeaderView::ResizeToContents);
    m_figuresView->horizontalHeader()->setSectionResizeMode(SizingFiguresModel::ValueColumn, QHeaderView::ResizeToContents);
    m_tabs->addTab(m_figuresView, QString());

    m_tpView = newTable(m_tpModel, m_tabs);
    m_tpView->setObjectName(QStringLiteral("tpSearchView"));
    m_tpView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tpView->horizontalHeader()->setSectionResizeMode(TpSearchModel::NoteColumn, QHeaderView::Stretch);
    m_tabs->addTab(m_tpView, QString());

    auto *guidePage = new QWidget(m_tabs);
    auto *guideLayout = new QVBoxLayout(guidePage);
    guideLayout->setContentsMargins(6, 6, 6, 6);
    m_guideCaption = new QLabel(guidePage);
    m_guideCaption->setObjectName(QStringLiteral("guideCaption"));
    m_guideCaption->setWordWrap(true);
    m_guideView = newTable(m_guideModel, guidePage);
    m_guideView->setObjectName(QStringLiteral("guideView"));
    m_guideView->setWordWrap(false);
    m_guideView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_guideView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_guideView->horizontalHeader()->setSectionResizeMode(GuideComparisonModel::VerdictColumn, QHeaderView::Stretch);
    guideLayout->addWidget(m_guideCaption);
    guideLayout->addWidget(m_guideView, 1);
    m_tabs->addTab(guidePage, QString());
    results->addWidget(m_tabs, 1);
}

void CalculatorPanel::retranslateUi()
{
    setWindowTitle(tr("Calculator"));
    m_tabs->setTabText(0, tr("Figures and formulas"));
    m_tabs->setTabText(1, tr("TP search"));
    m_tabs->setTabText(2, tr("Guide's table"));
    m_chartCaption->setText(tr("One GPU's memory: the weights and the KV pool share --mem-fraction-static; the reserve "
                               "outside it holds activations, CUDA graphs and the CUDA context. The dashed line is the "
                               "card's memory."));
    m_figuresModel->retranslate();
    m_tpModel->retranslate();
    m_guideModel->retranslate();
    m_chart->retranslate();
    const sizing::GuideAssumptions &a = m_guideModel->assumptions();
    QString caption = tr("The customer guide's table (§3.2) gives GPU memory for fp16 inference and leaves out the KV "
                         "cache. Beside it: Slipway's fp16 weights, and the full need with a KV cache for %1 sequences "
                         "of %2 tokens. Hover a row for the arithmetic.")
                          .arg(q(sizing::formatInt(a.concurrency)), q(sizing::formatInt(a.contextLength)));
    if (!m_guideError.isEmpty())
        caption += QStringLiteral("<br><span style=\"color:#b02818;\">%1</span>")
                       .arg(tr("The guide's table could not be loaded: %1").arg(m_guideError).toHtmlEscaped());
    m_guideCaption->setText(caption);
    showOutcome(false);
}

void CalculatorPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CalculatorPanel::setInputs(const CalculatorInputs &inputs)
{
    m_form->setInputs(inputs);
}

CalculatorInputs CalculatorPanel::inputs() const
{
    return m_form->inputs();
}

void CalculatorPanel::showOutcome(bool announce)
{
    using Problem = CalculatorController::Problem;
    const std::optional<sizing::SizingResult> &result = m_controller->result();
    const std::optional<model::ModelSpec> &spec = m_controller->model();

    switch (m_controller->problem()) {
    case Problem::NoModelChosen:
        m_form->setModelStatus(CalculatorForm::ModelStatus::Failed,
                               m_controller->inputs().model.kind == ModelSource::Kind::Folder
                                   ? tr("Choose a model folder: it must hold config.json.")
                                   : tr("Choose a config.json file."));
        break;
    case Problem::ModelNotLoaded:
        m_form->setModelStatus(CalculatorForm::ModelStatus::Failed,
                               tr("Cannot load the model: %1").arg(m_controller->coreMessage()));
        break;
    case Problem::None:
    case Problem::InvalidInput:
        if (spec) {
            QString text = tr("%1 · %2 layers · %3 positions · %4")
                               .arg(q(spec->architectureName), q(sizing::formatInt(spec->numLayers)),
                                    q(sizing::formatInt(spec->maxPositionEmbeddings)), q(spec->torchDtype));
            if (spec->weights)
                text += QLatin1Char('\n') + tr("Exact sizes from %1 safetensors file(s): %2")
                                                .arg(spec->weights->fileCount)
                                                .arg(FigureText::bytes(static_cast<double>(spec->weights->totalBytes)));
            else if (m_controller->inputs().model.kind != ModelSource::Kind::Catalog)
                text += QLatin1Char('\n') + tr("No safetensors found: sizes follow config.json's shapes.");
            m_form->setModelStatus(CalculatorForm::ModelStatus::Loaded, text);
        }
        break;
    }

    m_figuresModel->setResult(result);
    m_tpModel->setResult(result);
    m_chart->setResult(result);
    m_guideModel->setCurrentModelId(spec ? q(spec->id) : QString());

    m_errors.clear();
    m_warnings.clear();
    if (result) {
        m_errors = CoreMessages::texts(result->errors);
        m_warnings = CoreMessages::texts(result->warnings);
    } else if (m_controller->problem() == Problem::InvalidInput) {
        m_errors << m_controller->coreMessage();
    }
    showSummary();
    showMessages();
    if (announce && (m_controller->problem() != Problem::None || result))
        emit resultShown();
}

void CalculatorPanel::showSummary()
{
    const std::optional<sizing::SizingResult> &r = m_controller->result();
    if (!r) {
        m_headline->setText(m_controller->problem() == CalculatorController::Problem::None ? tr("Calculating…")
                                                                                           : tr("No result"));
        m_verdict->clear();
        m_capacity->setText(tr("Choose a model and a GPU on the left."));
        m_ceiling->clear();
        return;
    }
    m_headline->setText(tr("%1 on %2 × %3 — TP %4, %5")
                            .arg(q(r->modelName))
                            .arg(r->gpusTotal)
                            .arg(q(r->gpu.name))
                            .arg(r->tp)
                            .arg(FigureText::nodes(r->nodes)));
    if (r->deployable()) {
        m_verdict->setText(tr("✔ Fits"));
        m_verdict->setStyleSheet(QStringLiteral("color: #1e7a36;"));
    } else if (!r->tpValid) {
        m_verdict->setText(tr("✘ Invalid TP"));
        m_verdict->setStyleSheet(QStringLiteral("color: #b02818;"));
    } else {
        m_verdict->setText(tr("✘ Does not fit"));
        m_verdict->setStyleSheet(QStringLiteral("color: #b02818;"));
    }
    m_capacity->setText(tr("KV pool holds %1; the load needs %2 (%3 sequences × %4 tokens). Weights %5 per GPU; "
                           "static fraction %6%7.")
                            .arg(FigureText::tokens(r->kvCapacityTokens), FigureText::tokens(r->kvNeededTokens),
                                 q(sizing::formatInt(r->concurrency)), q(sizing::formatInt(r->contextLength)),
                                 FigureText::bytes(static_cast<double>(r->perGpuWeightsBytes)),
                                 q(sizing::formatNumber(r->memFraction)),
                                 r->memFractionIsDefault ? tr(" (SGLang default)") : QString()));
    if (r->decodeCeilingTokensPerS > 0)
        m_ceiling->setText(tr("Decode ceiling — an upper bound from memory bandwidth, not a forecast: %1 for one "
                              "sequence, %2 for all %3 together.")
                               .arg(FigureText::tokensPerSecond(r->decodeCeilingTokensPerS),
                                    FigureText::tokensPerSecond(r->decodeCeilingBatchTokensPerS),
                                    q(sizing::formatInt(r->concurrency))));
    else
        m_ceiling->setText(tr("Decode ceiling: unknown, the GPU's memory bandwidth is not known."));
}

void CalculatorPanel::showMessages()
{
    if (m_errors.isEmpty()) {
        m_errorBox->hide();
    } else {
        m_errorBox->setText(QStringLiteral("<b>%1</b>%2").arg(tr("Not deployable as asked:").toHtmlEscaped(),
                                                              htmlList(m_errors)));
        m_errorBox->show();
    }
    if (m_warnings.isEmpty()) {
        m_warningBox->hide();
    } else {
        m_warningBox->setText(QStringLiteral("<b>%1</b>%2").arg(tr("Worth knowing:").toHtmlEscaped(), htmlList(m_warnings)));
        m_warningBox->show();
    }
}

void CalculatorPanel::loadGuideComparison()
{
    // compareWithGuide parses the compiled-in catalog for every row: quick, but not the GUI
    // thread's work.
    QFuture<GuideOutcome> future = QtConcurrent::run([] {
        GuideOutcome out;
        Result<std::vector<sizing::GuideRowComparison>> rows = sizing::compareWithGuide(out.assumptions);
        if (rows)
            out.rows = std::move(rows).value();
        else
            out.error = q(rows.message());
        return out;
    });
    // A watcher rather than QFuture::then(context): under load, Qt 6.4 was seen not to run a
    // continuation attached to a future that had already finished.
    auto *watcher = new QFutureWatcher<GuideOutcome>(this);
    connect(watcher, &QFutureWatcher<GuideOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const GuideOutcome out = watcher->result();
        m_guideError = out.error;
        m_guideModel->setRows(out.rows, out.assumptions);
        const std::optional<model::ModelSpec> &spec = m_controller->model();
        m_guideModel->setCurrentModelId(spec ? q(spec->id) : QString());
        retranslateUi();
        emit guideComparisonShown();
    });
    watcher->setFuture(future);
}

CalculatorPanel::~CalculatorPanel()
{
    // Shutdown is quit-then-wait: background tasks hold no pointer to this object, but they are
    // finished before its children go, so nothing of theirs outlives the owner (a torn-down
    // wizard was seen crashing in its layouts' destructors while a pool thread was still busy).
    for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>())
        watcher->waitForFinished();
}

} // namespace slipway::ui
