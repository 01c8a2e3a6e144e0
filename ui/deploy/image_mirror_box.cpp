#include "deploy/image_mirror_box.h"

#include "deploy/image_mirror.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <optional>

namespace slipway::ui {

namespace {

QPlainTextEdit *commandView(QWidget *parent, const char *name)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(QString::fromLatin1(name));
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setMaximumHeight(view->fontMetrics().lineSpacing() * 6 + 12);
    view->setProperty("slipwayCoreText", true); // shell commands
    return view;
}

QString lines(const std::vector<std::string> &commands)
{
    QStringList out;
    for (const std::string &c : commands)
        out << QString::fromStdString(c);
    return out.join(QLatin1Char('\n'));
}

} // namespace

ImageMirrorBox::ImageMirrorBox(QWidget *parent)
    : QGroupBox(parent)
{
    setObjectName(QStringLiteral("mirrorBox"));
    auto *layout = new QVBoxLayout(this);
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_intro->setStyleSheet(QStringLiteral("color: #5f6368;"));
    layout->addWidget(m_intro);

    auto *fields = new QGridLayout;
    m_registryLabel = new QLabel(this);
    m_registry = new QLineEdit(this);
    m_registry->setObjectName(QStringLiteral("mirrorRegistry"));
    m_registry->setClearButtonEnabled(true);
    m_registryLabel->setBuddy(m_registry);
    m_toolLabel = new QLabel(this);
    m_tool = new QComboBox(this);
    m_tool->setObjectName(QStringLiteral("mirrorTool"));
    m_tool->addItem(QStringLiteral("skopeo"), QStringLiteral("skopeo"));
    m_tool->addItem(QStringLiteral("podman"), QStringLiteral("podman"));
    m_toolLabel->setBuddy(m_tool);
    fields->addWidget(m_registryLabel, 0, 0);
    fields->addWidget(m_registry, 0, 1);
    fields->addWidget(m_toolLabel, 0, 2);
    fields->addWidget(m_tool, 0, 3);
    fields->setColumnStretch(1, 1);
    layout->addLayout(fields);

    m_commands = new QWidget(this);
    auto *commands = new QGridLayout(m_commands);
    commands->setContentsMargins(0, 0, 0, 0);
    m_target = new QLabel(m_commands);
    m_target->setObjectName(QStringLiteral("mirrorTarget"));
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_directTitle = new QLabel(m_commands);
    m_direct = commandView(m_commands, "mirrorDirect");
    m_copyDirect = new QPushButton(m_commands);
    m_copyDirect->setObjectName(QStringLiteral("copyMirrorDirect"));
    m_airGappedTitle = new QLabel(m_commands);
    m_airGapped = commandView(m_commands, "mirrorAirGapped");
    m_copyAirGapped = new QPushButton(m_commands);
    m_copyAirGapped->setObjectName(QStringLiteral("copyMirrorAirGapped"));
    m_copyScript = new QPushButton(m_commands);
    m_copyScript->setObjectName(QStringLiteral("copyMirrorScript"));
    commands->addWidget(m_target, 0, 0, 1, 2);
    commands->addWidget(m_directTitle, 1, 0, 1, 2);
    commands->addWidget(m_direct, 2, 0);
    commands->addWidget(m_copyDirect, 2, 1, Qt::AlignTop);
    commands->addWidget(m_airGappedTitle, 3, 0, 1, 2);
    commands->addWidget(m_airGapped, 4, 0);
    commands->addWidget(m_copyAirGapped, 4, 1, Qt::AlignTop);
    commands->addWidget(m_copyScript, 5, 1);
    commands->setColumnStretch(0, 1);
    layout->addWidget(m_commands);

    connect(m_registry, &QLineEdit::textEdited, this, [this](const QString &text) {
        showCommands();
        emit registryEdited(text.trimmed());
    });
    connect(m_tool, &QComboBox::currentIndexChanged, this, [this] { showCommands(); });
    const auto copier = [](QPlainTextEdit *view) {
        return [view] { QApplication::clipboard()->setText(view->toPlainText() + QLatin1Char('\n')); };
    };
    connect(m_copyDirect, &QPushButton::clicked, this, copier(m_direct));
    connect(m_copyAirGapped, &QPushButton::clicked, this, copier(m_airGapped));
    connect(m_copyScript, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_script); });
    retranslateUi();
    showCommands();
}

void ImageMirrorBox::setImage(const QString &image, const QString &registry)
{
    m_image = image;
    if (m_registry->text().trimmed() != registry)
        m_registry->setText(registry);
    showCommands();
}

QString ImageMirrorBox::registry() const
{
    return m_registry->text().trimmed();
}

QString ImageMirrorBox::directCommands() const
{
    return m_commands->isVisibleTo(this) ? m_direct->toPlainText() : QString();
}

QString ImageMirrorBox::airGappedCommands() const
{
    return m_commands->isVisibleTo(this) ? m_airGapped->toPlainText() : QString();
}

QString ImageMirrorBox::script() const
{
    return m_script;
}

void ImageMirrorBox::showCommands()
{
    deploy::MirrorRequest request;
    request.image = m_image.toStdString();
    request.registry = registry().toStdString();
    request.tool = m_tool->currentData().toString().toStdString();
    // Nothing to run without a registry; with a wrong one, the page's problem line says why (the
    // plan builder checks the same registry).
    const std::optional<Result<deploy::ImageMirror>> mirror =
        registry().isEmpty() ? std::nullopt : std::optional(deploy::planImageMirror(request));
    m_commands->setVisible(mirror && mirror->ok());
    if (!mirror || !mirror->ok()) {
        retranslateUi();
        m_mirrored.clear();
        m_script.clear();
        m_direct->clear();
        m_airGapped->clear();
        return;
    }
    const deploy::ImageMirror &m = mirror->value();
    m_mirrored = QString::fromStdString(m.target);
    const deploy::MirrorCommands c = deploy::mirrorCommands(m);
    m_direct->setPlainText(lines(c.direct));
    m_airGapped->setPlainText(QStringLiteral("# ") + tr("1. where %1 is reachable:").arg(QString::fromStdString(m.source.domain)) +
                              QLatin1Char('\n') + lines(c.save) + QStringLiteral("\n# ") +
                              tr("2. inside the disconnected network, with the archive carried in:") + QLatin1Char('\n') +
                              lines(c.load));
    const std::string writtenBy = "the Slipway console " + QCoreApplication::applicationVersion().toStdString();
    m_script = QString::fromStdString(deploy::mirrorScript(m, writtenBy));
    retranslateUi();
}

void ImageMirrorBox::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        showCommands(); // the commands' comments are translated too
    QGroupBox::changeEvent(event);
}

void ImageMirrorBox::retranslateUi()
{
    setTitle(tr("Mirror the image into your registry"));
    m_intro->setText(tr("For a cluster that cannot pull %1 itself (air-gapped, or a registry policy), copy it into "
                        "a registry the cluster reaches; the manifests then pull the copy. Give a pull secret "
                        "above when that registry is private.")
                         .arg(m_image));
    m_registryLabel->setText(tr("Your registry:"));
    m_registry->setPlaceholderText(tr("host[:port]/namespace, e.g. quay.io/myorg"));
    m_registry->setToolTip(tr("Where the image is copied to, as `slipway-cli mirror-script --registry` takes it. "
                              "Empty: the cluster pulls the image from its own registry."));
    m_toolLabel->setText(tr("Tool:"));
    m_tool->setToolTip(tr("skopeo copies registry to registry without a local image store; podman pulls, tags "
                          "and pushes, as in the guide."));
    m_target->setText(tr("The manifests pull: %1").arg(m_mirrored));
    m_directTitle->setText(tr("Registry to registry (both reachable from here):"));
    m_airGappedTitle->setText(tr("Air-gapped, through an archive file:"));
    m_copyDirect->setText(tr("Copy"));
    m_copyAirGapped->setText(tr("Copy"));
    m_copyScript->setText(tr("Copy as script"));
    m_copyScript->setToolTip(tr("A bash script with all three ways (direct, save, load), as slipway-cli "
                                "mirror-script prints it."));
}

} // namespace slipway::ui
