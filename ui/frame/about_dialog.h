#pragma once
// AboutDialog: Slipway's name, version (QCoreApplication::applicationVersion(), which main sets
// from the generated version header), the Qt version and what the program is for.
#include <QDialog>

class QDialogButtonBox;
class QLabel;

namespace slipway::ui {

class AboutDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The version line as shown ("Version 0.1.0+g1234abc").
    QString versionText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_title = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_description = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace slipway::ui
