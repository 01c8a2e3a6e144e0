#pragma once
// LogsPage: the Logs panel as the window shows it. LogsPanel writes its texts once, when built, so
// on a language change this page builds a fresh one over the same sources (the lines are kept in
// LogSourceModel) and keeps the source that was shown.
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
