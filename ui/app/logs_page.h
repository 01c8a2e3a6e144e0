#pragma once
// LogsPage: the Logs panel as the window shows it, with the page's margins and title. The panel
// retranslates itself on a language change; the page only renames itself.
//
// Thread-safety: GUI thread only.
#include <QWidget>

namespace slipway::ui {

class LogSourceModel;
class LogsPanel;

class LogsPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPage)

public:
    // `sources` is not owned and must outlive the page.
    explicit LogsPage(LogSourceModel *sources, QWidget *parent = nullptr);

    LogsPanel *panel() const { return m_panel; }
    void showSource(const QString &id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    LogSourceModel *m_sources;
    LogsPanel *m_panel = nullptr;
};

} // namespace slipway::ui
