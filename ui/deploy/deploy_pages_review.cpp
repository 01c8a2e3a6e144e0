// The Review and Deploy pages.
#include "deploy/deploy_pages.h"

#include "deploy/deploy_wizard.h"
#include "deploy/local_deployer.h"
#include "deploy/test_commands.h"
#include "deploy/validate.h"
#include "deploy/yaml_highlighter.h"
#include "messages/core_messages.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {
QPlainTextEdit *codeView(QWidget *parent, const QString &text, bool yaml)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setPlainText(text);
    view->setProperty("slipwayCoreText", true); // manifests and commands
    if (yaml)
        new YamlHighlighter(view->document());
    return view;
}

QString shellLine(const QStringList &argv)
{
    QStringList quoted;
    // Quoted only where a shell would split or expand the argument.
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    for (const QString &a : argv)
        quoted << (plain.match(a).hasMatch() ? a : QString::fromStdString(deploy::shellQuote(a.toStdString())));
    return quoted.join(QLatin1Char(' '));
}
} // namespace

ReviewPage::ReviewPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::ReviewPageId)
{
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("objectTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setProperty("slipwayCoreText", true); // tabs named by object kind and name
    layout->addWidget(m_tabs, 3);
    auto *buttons = new QHBoxLayout;
    m_copy = new QPushButton(this);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_save = new QPushButton(this);
    m_save->setObjectName(QStringLiteral("saveAllButton"));
    m_saved = new QLabel(this);
    m_saved->setObjectName(QStringLiteral("savedLabel"));
    m_saved->setProperty("slipwayCoreText", true);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_save);
    buttons->addWidget(m_saved, 1);
    layout->addLayout(buttons);
    m_notesTitle = new QLabel(this);
    m_notesTitle->setStyleSheet(QStringLiteral("font-weight: 600;"));
    m_notes = new QLabel(this);
    m_notes->setObjectName(QStringLiteral("planNotes"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::RichText);
    m_checkTitle = new QLabel(this);
    m_checkTitle->setStyleSheet(QStringLiteral("font-weight: 600;"));
    m_check = codeView(this, QString(), false);
    m_check->setObjectName(QStringLiteral("testCommands"));
    m_check->setMaximumHeight(90);
    layout->addWidget(m_notesTitle);
    layout->addWidget(m_notes);
    layout->addWidget(m_checkTitle);
    layout->addWidget(m_check);
    layout->addWidget(makeProblemLabel());
    connect(m_copy, &QPushButton::clicked, this, &ReviewPage::copyCurrent);
    connect(m_save, &QPushButton::clicked, this, &ReviewPage::saveAll);
    connect(wizard, &DeployWizard::saved, this, [this](const QString &dir) {
        m_saved->setText(tr("Saved to %1").arg(dir));
    });
    retranslateUi();
}

void ReviewPage::initializePage()
{
    m_tabs->clear();
    m_saved->clear();
    const DeployChoices &c = m_wizard->choices();
    if (c.target == DeployTarget::Local) {
        auto *view = codeView(m_tabs, shellLine(m_wizard->localCommandLine()), false);
        view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        m_tabs->addTab(view, QString()); // named in retranslateUi()
        m_save->hide();
        m_notesTitle->setVisible(c.localPort == 0);
        m_notes->setVisible(c.localPort == 0);
        m_checkTitle->hide();
        m_check->hide();
    } else {
        m_save->show();
        auto objects = m_wizard->renderedObjects();
        if (objects) {
            for (const deploy::RenderedObject &o : *objects) {
                auto *view = codeView(m_tabs, QString::fromStdString(o.yaml), true);
                view->setObjectName(QString::fromStdString(o.fileName));
                m_tabs->addTab(view, QString::fromStdString(o.kind + " " + o.name));
                m_tabs->setTabToolTip(m_tabs->count() - 1, QString::fromStdString(o.fileName));
            }
            const deploy::DeploymentPlan plan = m_wizard->planBuild()->plan;
            const bool hasNotes = !deploy::planNotes(plan).empty();
            m_notesTitle->setVisible(hasNotes);
            m_notes->setVisible(hasNotes);
            const deploy::TestCommands check = deploy::testCommands(plan);
            m_check->setPlainText(QString::fromStdString(check.models + "\n" + check.completions));
            m_checkTitle->show();
            m_check->show();
        }
    }
    // What the tabs and notes were built for: retranslateUi() rebuilds the notes' text from it.
    m_tabs->setProperty("slipwayReviewedTarget", int(c.target));
    retranslateUi();
    refresh();
}

void ReviewPage::copyCurrent()
{
    if (auto *view = qobject_cast<QPlainTextEdit *>(m_tabs->currentWidget()))
        QApplication::clipboard()->setText(view->toPlainText());
}

void ReviewPage::saveAll()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save the manifests into"));
    if (dir.isEmpty())
        return;
    if (auto written = m_wizard->saveAllTo(dir); !written)
        m_saved->setText(QString::fromStdString(written.message()));
}

void ReviewPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ChoicePage::changeEvent(event);
}

void ReviewPage::retranslateUi()
{
    setTitle(tr("Review"));
    setSubTitle(tr("Exactly what will be applied: one tab per object, in apply order."));
    m_copy->setText(tr("Copy"));
    m_save->setText(tr("Save all to a folder…"));
    m_notesTitle->setText(tr("Before or after applying"));
    m_checkTitle->setText(tr("Check the deployment from inside the cluster"));

    // The notes are the page's own text too: rebuilt in the new language (core's notes through
    // CoreMessages), for the target the page was last entered with.
    const QVariant reviewed = m_tabs->property("slipwayReviewedTarget");
    if (!reviewed.isValid() || m_tabs->count() == 0)
        return;
    if (DeployTarget(reviewed.toInt()) == DeployTarget::Local) {
        m_tabs->setTabText(0, tr("Command line"));
        m_notes->setText(tr("Port 0 means a free port is picked when the engine starts; Logs and Chat follow it."));
        return;
    }
    Result<deploy::PlanBuild> built = m_wizard->planBuild();
    if (!built)
        return;
    QStringList items;
    for (const Message &n : deploy::planNotes(built->plan))
        items << QStringLiteral("<li>%1</li>").arg(CoreMessages::text(n).toHtmlEscaped());
    m_notes->setText(QStringLiteral("<ul style=\"margin-left:-20px\">%1</ul>").arg(items.join(QString())));
}

// ---- Deploy -------------------------------------------------------------------------------

DeployPage::DeployPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::DeployPageId)
{
    auto *layout = new QVBoxLayout(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("deployText"));
    m_text->setWordWrap(true);
    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setMinimumSize(220, 34);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("deployResult"));
    m_result->setWordWrap(true);
    m_result->setProperty("slipwayCoreText", true);
    layout->addWidget(m_text);
    layout->addWidget(m_start, 0, Qt::AlignLeft);
    layout->addWidget(m_result);
    layout->addWidget(makeProblemLabel());
    layout->addStretch(1);
    connect(m_start, &QPushButton::clicked, this, &DeployPage::startLocal);
    connect(wizard, &DeployWizard::saved, this, [this] { showState(); });
    retranslateUi();
}

void DeployPage::initializePage()
{
    m_started = false;
    m_result->clear();
    showState();
}

bool DeployPage::isComplete() const
{
    switch (m_wizard->choices().target) {
    case DeployTarget::Local: return m_started;
    case DeployTarget::Export: return !m_wizard->savedTo().isEmpty();
    case DeployTarget::Cluster: return true; // nothing to wait for; Finish closes
    }
    return false;
}

void DeployPage::startLocal()
{
    LocalDeployer *deployer = m_wizard->localDeployer();
    if (!deployer || m_wizard->choices().target != DeployTarget::Local)
        return;
    const local::EngineLaunchOptions options = toLaunchOptions(m_wizard->choices());
    if (auto valid = local::validateLaunchOptions(options); !valid) {
        m_result->setText(CoreMessages::text(valid.error()));
        return;
    }
    auto started = deployer->startLocalEngine(options);
    m_started = bool(started);
    m_result->setText(started ? tr("slipway-engine is starting: follow it in Logs, then try it in Chat.")
                              : QString::fromStdString(started.message()));
    emit completeChanged();
}

void DeployPage::showState()
{
    const DeployTarget target = m_wizard->choices().target;
    m_start->setVisible(target != DeployTarget::Export);
    switch (target) {
    case DeployTarget::Local:
        m_start->setEnabled(m_wizard->localDeployer() != nullptr);
        m_text->setText(m_wizard->localDeployer()
                            ? tr("Start slipway-engine on this machine with the flags from the Review page.")
                            : tr("Starting the engine is not available in this window; copy the command line "
                                 "from the Review page and run it in a terminal."));
        break;
    case DeployTarget::Cluster:
        m_start->setEnabled(false);
        m_text->setText(tr("Applying to a cluster needs a connection: open the Clusters panel, choose a kubeconfig "
                           "context or log in with a token, then come back to Target. Or go back to Review, save "
                           "the manifests and apply them with “oc apply -f FOLDER”."));
        break;
    case DeployTarget::Export:
        m_text->setText(m_wizard->savedTo().isEmpty()
                            ? tr("Go back to Review and save the manifests to a folder; then apply them with "
                                 "“oc apply -f FOLDER” or commit them for GitOps.")
                            : tr("Done: the manifests are in %1. Apply them with “oc apply -f %1”.")
                                  .arg(m_wizard->savedTo()));
        break;
    }
    emit completeChanged();
}

void DeployPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        showState();
    }
    ChoicePage::changeEvent(event);
}

void DeployPage::retranslateUi()
{
    setTitle(tr("Deploy"));
    setSubTitle(tr("The last step depends on the target."));
    m_start->setText(tr("Start slipway-engine"));
    m_start->setToolTip(tr("Only the Local target starts from here."));
}

} // namespace slipway::ui
