#pragma once
// The Runtime page's "mirror the image into your registry" box (issue #8 item 4): the registry a
// person types, the skopeo or podman commands that copy the chosen server image there (the same
// commands as `slipway-cli mirror-script`, from core/deploy/image_mirror), copy buttons, and the
// name the manifests then pull. The registry is a plan choice (PlanRequest::mirrorRegistry): the
// wizard's Review page renders the mirrored image from it.
#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace slipway::ui {

class ImageMirrorBox final : public QGroupBox {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageMirrorBox)

public:
    explicit ImageMirrorBox(QWidget *parent = nullptr);

    // The image the server would pull without a mirror, and the registry typed so far; the
    // commands follow both. Setting them does not emit registryEdited().
    void setImage(const QString &image, const QString &registry);
    QString registry() const;

    // What is shown (empty while the registry is empty or invalid): the commands one a line, and
    // the whole script as `slipway-cli mirror-script` prints it, but for its "Written by" line.
    QString directCommands() const;
    QString airGappedCommands() const;
    QString script() const;
    QString mirroredImage() const { return m_mirrored; }
    QLineEdit *registryEdit() const { return m_registry; }

signals:
    void registryEdited(const QString &registry);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showCommands();

    QString m_image;
    QString m_mirrored;
    QString m_script;
    QLabel *m_intro = nullptr, *m_registryLabel = nullptr, *m_toolLabel = nullptr, *m_target = nullptr;
    QLabel *m_directTitle = nullptr, *m_airGappedTitle = nullptr;
    QLineEdit *m_registry = nullptr;
    QComboBox *m_tool = nullptr;
    QPlainTextEdit *m_direct = nullptr, *m_airGapped = nullptr;
    QPushButton *m_copyDirect = nullptr, *m_copyAirGapped = nullptr, *m_copyScript = nullptr;
    QWidget *m_commands = nullptr;
};

} // namespace slipway::ui
