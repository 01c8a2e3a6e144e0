#pragma once
// The Logs panel: one log source at a time (a source selector over LogSourceModel), followed
// with autoscroll, paused (lines wait and are appended on resume), searched with highlighting
// (next/previous, match count), filtered (only matching lines; plain text or regular
// expression), wrapped (on by default), with arrival timestamps, copied and downloaded.
//
// MainWindow builds it as:
//     auto *sources = new LogSourceModel(maxLines, this);          // the buffer setting
//     LogBridge *engine = sources->addSource("local-engine", tr("Local engine"));
//     engineCallbacks.onLine = engine->lineSink();                 // core/local, any thread
//     addPanel(new LogsPanel(sources), tr("Logs"));
//
// Every text follows a language change (QEvent::LanguageChange → retranslateUi()); the source,
// the search, the filter and the lines stay as they are.
//
// Thread-safety: GUI thread only.
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace slipway::ui {

class LogModel;
class LogSourceModel;
class LogView;

class LogsPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPanel)

public:
    // `sources` is not owned and must outlive the panel.
    explicit LogsPanel(LogSourceModel *sources, QWidget *parent = nullptr);

    LogSourceModel *sources() const { return m_sources; }
    LogModel *currentModel() const { return m_model; }
    LogView *view() const { return m_view; }
    void setCurrentSource(const QString &id);

    // The controls, for the window's actions and for tests.
    void setFollow(bool follow);
    void setPaused(bool paused);
    void setWrap(bool wrap);
    void setShowTimestamps(bool show);
    void setSearchText(const QString &text);
    void setFilterText(const QString &text);
    void setRegex(bool regex);
    void setCaseSensitive(bool caseSensitive);
    void findNext();
    void findPrevious();
    QString matchSummary() const;  // "3 of 120", "No matches", or empty without a search

    // Copies the selected lines (copySelection) or every line shown (copyAll) to the clipboard.
    void copySelection();
    void copyAll();
    // Writes every line shown (the filter applies; timestamps when shown) to `path` as UTF-8.
    // Returns an empty string on success, else the message shown to the user.
    QString saveTo(const QString &path) const;
    // Asks for a file name, then saveTo().
    void download();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void applyMatcherErrors(); // marks an invalid regular expression in the search and filter fields
    void showSource(int row);
    void applyMatchers();
    void updateMatchLabel();
    void updateStatus();
    void updatePauseButton();
    void findMatch(bool forward);

    LogSourceModel *m_sources;
    QPointer<LogModel> m_model;
    LogView *m_view = nullptr;
    QComboBox *m_sourceBox = nullptr;
    QToolButton *m_followButton = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QToolButton *m_wrapButton = nullptr;
    QToolButton *m_timestampButton = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QCheckBox *m_regexBox = nullptr;
    QCheckBox *m_caseBox = nullptr;
    QLabel *m_matchLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QLabel *m_searchLabel = nullptr;
    QLabel *m_filterLabel = nullptr;
    QToolButton *m_copyButton = nullptr;
    QToolButton *m_copyAllButton = nullptr;
    QToolButton *m_downloadButton = nullptr;
    QToolButton *m_clearButton = nullptr;
    QToolButton *m_previousButton = nullptr;
    QToolButton *m_nextButton = nullptr;
};

} // namespace slipway::ui
