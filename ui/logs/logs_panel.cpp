#include "logs/logs_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>
#include <QShortcut>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "logs/log_matcher.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "logs/log_view.h"

namespace slipway::ui {

namespace {

QToolButton *toolButton(const QString &objectName, bool checkable, QWidget *parent) {
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setCheckable(checkable);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

LogsPanel::LogsPanel(LogSourceModel *sources, QWidget *parent) : QWidget(parent), m_sources(sources) {
    buildUi();
    connect(m_sources, &LogSourceModel::rowsRemoved, this, [this] { showSource(m_sourceBox->currentIndex()); });
    showSource(m_sourceBox->currentIndex());
}

void LogsPanel::buildUi() {
    m_sourceLabel = new QLabel(this);
    m_sourceBox = new QComboBox(this);
    m_sourceBox->setObjectName(QStringLiteral("logSource"));
    m_sourceBox->setModel(m_sources);
    m_sourceBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_sourceLabel->setBuddy(m_sourceBox);
    connect(m_sourceBox, &QComboBox::currentIndexChanged, this, &LogsPanel::showSource);

    m_followButton = toolButton(QStringLiteral("logFollow"), true, this);
    m_followButton->setChecked(true);
    m_pauseButton = toolButton(QStringLiteral("logPause"), true, this);
    m_wrapButton = toolButton(QStringLiteral("logWrap"), true, this);
    m_wrapButton->setChecked(true);
    m_timestampButton = toolButton(QStringLiteral("logTimestamps"), true, this);
    m_copyButton = toolButton(QStringLiteral("logCopy"), false, this);
    m_copyAllButton = toolButton(QStringLiteral("logCopyAll"), false, this);
    m_downloadButton = toolButton(QStringLiteral("logDownload"), false, this);
    m_clearButton = toolButton(QStringLiteral("logClear"), false, this);

    m_searchLabel = new QLabel(this);
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("logSearch"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchLabel->setBuddy(m_searchEdit);
    m_previousButton = toolButton(QStringLiteral("logPrevious"), false, this);
    m_nextButton = toolButton(QStringLiteral("logNext"), false, this);
    m_matchLabel = new QLabel(this);
    m_matchLabel->setObjectName(QStringLiteral("logMatches"));
    m_filterLabel = new QLabel(this);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("logFilter"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterLabel->setBuddy(m_filterEdit);
    m_regexBox = new QCheckBox(this);
    m_regexBox->setObjectName(QStringLiteral("logRegex"));
    m_caseBox = new QCheckBox(this);
    m_caseBox->setObjectName(QStringLiteral("logCase"));

    m_view = new LogView(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("logStatus"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_sourceLabel);
    top->addWidget(m_sourceBox);
    top->addSpacing(12);
    for (QWidget *w : {static_cast<QWidget *>(m_followButton), static_cast<QWidget *>(m_pauseButton),
                       static_cast<QWidget *>(m_wrapButton), static_cast<QWidget *>(m_timestampButton)}) {
        top->addWidget(w);
    }
    top->addStretch(1);
    for (QWidget *w : {m_copyButton, m_copyAllButton, m_downloadButton, m_clearButton}) top->addWidget(w);

    auto *find = new QHBoxLayout;
    find->addWidget(m_searchLabel);
    find->addWidget(m_searchEdit, 2);
    find->addWidget(m_previousButton);
    find->addWidget(m_nextButton);
    find->addWidget(m_matchLabel);
    find->addSpacing(12);
    find->addWidget(m_filterLabel);
    find->addWidget(m_filterEdit, 2);
    find->addWidget(m_regexBox);
    find->addWidget(m_caseBox);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(find);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_statusLabel);

    connect(m_followButton, &QToolButton::toggled, m_view, &LogView::setFollow);
    connect(m_view, &LogView::followChanged, m_followButton, &QToolButton::setChecked);
    connect(m_pauseButton, &QToolButton::toggled, this, &LogsPanel::setPaused);
    connect(m_wrapButton, &QToolButton::toggled, m_view, &LogView::setWrap);
    connect(m_timestampButton, &QToolButton::toggled, m_view, &LogView::setShowTimestamps);
    connect(m_copyButton, &QToolButton::clicked, this, &LogsPanel::copySelection);
    connect(m_copyAllButton, &QToolButton::clicked, this, &LogsPanel::copyAll);
    connect(m_downloadButton, &QToolButton::clicked, this, &LogsPanel::download);
    connect(m_clearButton, &QToolButton::clicked, this, [this] {
        if (m_model) m_model->clear();
    });
    connect(m_previousButton, &QToolButton::clicked, this, &LogsPanel::findPrevious);
    connect(m_nextButton, &QToolButton::clicked, this, &LogsPanel::findNext);
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &LogsPanel::findNext);

    // Re-matching 100k lines per keystroke would lag typing: wait for a pause in it.
    auto *typingTimer = new QTimer(this);
    typingTimer->setSingleShot(true);
    typingTimer->setInterval(200);
    connect(typingTimer, &QTimer::timeout, this, &LogsPanel::applyMatchers);
    const auto restart = [typingTimer] { typingTimer->start(); };
    connect(m_searchEdit, &QLineEdit::textChanged, typingTimer, restart);
    connect(m_filterEdit, &QLineEdit::textChanged, typingTimer, restart);
    connect(m_regexBox, &QCheckBox::toggled, this, &LogsPanel::applyMatchers);
    connect(m_caseBox, &QCheckBox::toggled, this, &LogsPanel::applyMatchers);

    auto *findShortcut = new QShortcut(QKeySequence::Find, this);
    connect(findShortcut, &QShortcut::activated, this, [this] {
        m_searchEdit->setFocus();
        m_searchEdit->selectAll();
    });
    auto *nextShortcut = new QShortcut(QKeySequence::FindNext, this);
    connect(nextShortcut, &QShortcut::activated, this, &LogsPanel::findNext);
    auto *previousShortcut = new QShortcut(QKeySequence::FindPrevious, this);
    connect(previousShortcut, &QShortcut::activated, this, &LogsPanel::findPrevious);
    retranslateUi();
}

void LogsPanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslateUi();
    QWidget::changeEvent(event);
}

void LogsPanel::retranslateUi() {
    m_sourceLabel->setText(tr("Source:"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setToolTip(tr("Keep the newest line in view as lines arrive"));
    m_pauseButton->setToolTip(tr("Hold new lines back; they are added when you resume"));
    m_wrapButton->setText(tr("Wrap"));
    m_wrapButton->setToolTip(tr("Wrap long lines"));
    m_timestampButton->setText(tr("Timestamps"));
    m_timestampButton->setToolTip(tr("Show when each line arrived"));
    m_copyButton->setText(tr("Copy"));
    m_copyButton->setToolTip(tr("Copy the selected lines"));
    m_copyAllButton->setText(tr("Copy all"));
    m_copyAllButton->setToolTip(tr("Copy every line shown"));
    m_downloadButton->setText(tr("Download…"));
    m_downloadButton->setToolTip(tr("Save the lines shown to a file"));
    m_clearButton->setText(tr("Clear"));
    m_clearButton->setToolTip(tr("Forget the lines collected so far"));
    m_searchLabel->setText(tr("Search:"));
    m_searchEdit->setPlaceholderText(tr("Highlight text"));
    m_previousButton->setText(tr("Previous"));
    m_nextButton->setText(tr("Next"));
    m_filterLabel->setText(tr("Filter:"));
    m_filterEdit->setPlaceholderText(tr("Show only lines containing"));
    m_regexBox->setText(tr("Regular expression"));
    m_caseBox->setText(tr("Match case"));
    updatePauseButton(); // its text, and the status line
    updateMatchLabel();
    applyMatcherErrors();
}

void LogsPanel::setCurrentSource(const QString &id) {
    const int row = m_sources->rowOf(id);
    if (row >= 0) m_sourceBox->setCurrentIndex(row);
}

void LogsPanel::showSource(int row) {
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    m_model = m_sources->logModel(row);
    m_view->setModel(m_model);
    if (m_model) {
        connect(m_model, &LogModel::searchMatchesChanged, this, &LogsPanel::updateMatchLabel);
        connect(m_model, &LogModel::storedLinesChanged, this, &LogsPanel::updateStatus);
        connect(m_model, &LogModel::pendingLinesChanged, this, &LogsPanel::updateStatus);
        connect(m_model, &LogModel::modelReset, this, &LogsPanel::updateStatus);
        connect(m_model, &LogModel::pausedChanged, this, &LogsPanel::updatePauseButton);
        applyMatchers();
    }
    updatePauseButton();
    updateStatus();
    updateMatchLabel();
}

void LogsPanel::setFollow(bool follow) { m_followButton->setChecked(follow); }

void LogsPanel::setPaused(bool paused) {
    if (m_model) m_model->setPaused(paused);
    updatePauseButton();
}

void LogsPanel::updatePauseButton() {
    const bool paused = m_model && m_model->isPaused();
    const QSignalBlocker blocker(m_pauseButton);
    m_pauseButton->setChecked(paused);
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    updateStatus();
}

void LogsPanel::setWrap(bool wrap) { m_wrapButton->setChecked(wrap); }
void LogsPanel::setShowTimestamps(bool show) { m_timestampButton->setChecked(show); }

void LogsPanel::setSearchText(const QString &text) {
    m_searchEdit->setText(text);
    applyMatchers();
}

void LogsPanel::setFilterText(const QString &text) {
    m_filterEdit->setText(text);
    applyMatchers();
}

void LogsPanel::setRegex(bool regex) { m_regexBox->setChecked(regex); }
void LogsPanel::setCaseSensitive(bool caseSensitive) { m_caseBox->setChecked(caseSensitive); }

void LogsPanel::applyMatcherErrors() {
    for (QLineEdit *edit : {m_searchEdit, m_filterEdit}) {
        const LogMatcher matcher(edit->text(), m_regexBox->isChecked(), m_caseBox->isChecked());
        edit->setToolTip(matcher.isValid() ? QString() : tr("Invalid regular expression: %1").arg(matcher.errorString()));
        QPalette pal = edit->palette();
        pal.setColor(QPalette::Text, matcher.isValid() ? palette().color(QPalette::Text) : QColor(Qt::red));
        edit->setPalette(pal);
    }
}

void LogsPanel::applyMatchers() {
    if (!m_model) return;
    const LogMatcher search(m_searchEdit->text(), m_regexBox->isChecked(), m_caseBox->isChecked());
    const LogMatcher filter(m_filterEdit->text(), m_regexBox->isChecked(), m_caseBox->isChecked());
    applyMatcherErrors();
    const LogMatcher &current = m_model->filter();
    if (current.pattern() != filter.pattern() || current.isRegex() != filter.isRegex() ||
        current.isCaseSensitive() != filter.isCaseSensitive()) {
        m_model->setFilter(filter);
    }
    m_model->setSearch(search);
    m_view->setCurrentMatchRow(-1);
    updateStatus();
}

void LogsPanel::findMatch(bool forward) {
    if (!m_model) return;
    int from = m_view->currentMatchRow();
    if (from < 0) from = forward ? m_view->topRow() - 1 : m_view->topRow() + m_view->visibleRowCount();
    if (from >= m_model->rowCount()) from = -1;
    const int row = m_model->nextMatchRow(from, forward);
    if (row >= 0) m_view->setCurrentMatchRow(row);
    updateMatchLabel();
}

void LogsPanel::findNext() { findMatch(true); }
void LogsPanel::findPrevious() { findMatch(false); }

QString LogsPanel::matchSummary() const {
    if (!m_model || !m_model->search().isActive()) return {};
    const int count = m_model->searchMatchCount();
    if (count == 0) return tr("No matches");
    const int ordinal = m_model->matchOrdinal(m_view->currentMatchRow());
    if (ordinal > 0) return tr("%1 of %2").arg(ordinal).arg(count);
    return count == 1 ? tr("1 match") : tr("%1 matches").arg(count);
}

void LogsPanel::updateMatchLabel() {
    const LogMatcher search(m_searchEdit->text(), m_regexBox->isChecked(), m_caseBox->isChecked());
    m_matchLabel->setText(search.isValid() ? matchSummary() : tr("Invalid expression"));
}

void LogsPanel::updateStatus() {
    if (!m_model) {
        m_statusLabel->setText(tr("No log source"));
        return;
    }
    const QLocale locale;
    QString text = m_model->isFiltering()
                       ? tr("Showing %1 of %2 lines").arg(locale.toString(m_model->rowCount()), locale.toString(m_model->storedLines()))
                       : tr("%1 lines").arg(locale.toString(m_model->storedLines()));
    if (m_model->droppedLines() > 0) {
        text += QStringLiteral(" · ") + tr("%1 older lines dropped (buffer: %2 lines)")
                                            .arg(locale.toString(m_model->droppedLines()), locale.toString(m_model->maxLines()));
    }
    if (m_model->isPaused()) {
        text += QStringLiteral(" · ") + tr("Paused: %1 new lines waiting").arg(locale.toString(m_model->pendingLines()));
    }
    m_statusLabel->setText(text);
}

void LogsPanel::copySelection() {
    if (m_view->hasSelection()) QApplication::clipboard()->setText(m_view->selectedText());
}

void LogsPanel::copyAll() {
    if (m_model) QApplication::clipboard()->setText(m_model->text(0, m_model->rowCount() - 1, m_view->showTimestamps()));
}

QString LogsPanel::saveTo(const QString &path) const {
    if (!m_model) return tr("There is no log to save.");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return tr("Cannot save the log to %1: %2").arg(path, file.errorString());
    // In slices, so a 100k-line log never needs one giant string.
    constexpr int kSlice = 4096;
    for (int first = 0; first < m_model->rowCount(); first += kSlice) {
        file.write(m_model->text(first, first + kSlice - 1, m_view->showTimestamps()).toUtf8());
    }
    if (!file.commit()) return tr("Cannot save the log to %1: %2").arg(path, file.errorString());
    return {};
}

void LogsPanel::download() {
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation) + QStringLiteral("/") +
                              (m_sourceBox->currentData(LogSourceModel::IdRole).toString().isEmpty()
                                   ? QStringLiteral("log")
                                   : m_sourceBox->currentData(LogSourceModel::IdRole).toString()) +
                              QStringLiteral(".log");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save log"), suggested, tr("Log files (*.log *.txt);;All files (*)"));
    if (path.isEmpty()) return;
    if (const QString error = saveTo(path); !error.isEmpty()) QMessageBox::warning(this, tr("Save log"), error);
}

} // namespace slipway::ui
