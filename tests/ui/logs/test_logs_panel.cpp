// LogsPanel offscreen: lines from a worker thread through the bridge, the buffer bound, follow,
// pause/resume, search and filter through the panel's controls, wrap on by default, copy and
// download, and the source selector.
#include <QtTest>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QToolButton>
#include <thread>

#include "logs/log_bridge.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "logs/log_view.h"
#include "logs/logs_panel.h"
#include "i18n/language.h"

#include <QCheckBox>
#include <QRegularExpression>

using namespace slipway::ui;

namespace {

// Posts `count` lines "line <i>" from a worker thread through the core-style sink.
void produce(const std::function<void(const std::string &)> &sink, int first, int count) {
    std::thread worker([&] {
        for (int i = first; i < first + count; ++i) sink("line " + std::to_string(i) + (i % 100 == 0 ? " ERROR" : ""));
    });
    worker.join();
}

struct Fixture {
    explicit Fixture(int maxLines = 100000) : sources(maxLines) {
        bridge = sources.addSource(QStringLiteral("local-engine"), QStringLiteral("Local engine"));
        panel = std::make_unique<LogsPanel>(&sources);
        panel->resize(900, 600);
        panel->show();
    }
    LogModel *model() const { return panel->currentModel(); }
    LogSourceModel sources;
    LogBridge *bridge = nullptr;
    std::unique_ptr<LogsPanel> panel;
};

} // namespace

class TestLogsPanel : public QObject {
    Q_OBJECT

private slots:
    void wrapIsOnByDefaultAndFollowToo() {
        Fixture f;
        QVERIFY(f.panel->view()->wrap());
        QVERIFY(f.panel->findChild<QToolButton *>(QStringLiteral("logWrap"))->isChecked());
        QVERIFY(f.panel->view()->follow());
        QVERIFY(!f.panel->view()->showTimestamps());
        f.panel->setWrap(false);
        QVERIFY(!f.panel->view()->wrap());
    }

    void hundredThousandLinesFromAWorkerStayBounded() {
        Fixture f(50000);
        QSignalSpy inserted(f.model(), &LogModel::rowsInserted);
        produce(f.bridge->lineSink(), 0, 100000);
        QTRY_COMPARE_WITH_TIMEOUT(f.model()->lineAt(f.model()->rowCount() - 1).text, QStringLiteral("line 99999"), 10000);
        QCOMPARE(f.model()->rowCount(), 50000);  // the buffer setting bounds it
        QCOMPARE(f.model()->lineAt(0).text, QStringLiteral("line 50000 ERROR"));
        QCOMPARE(f.model()->droppedLines(), qint64(50000));  // in the bridge or the model, all counted
        QVERIFY2(inserted.count() < 20, "lines must arrive in batches, not one by one");
        // Following: the last row is on screen.
        LogView *view = f.panel->view();
        QTRY_COMPARE(view->topRow(), view->verticalScrollBar()->maximum());
        QVERIFY(view->topRow() + view->visibleRowCount() >= f.model()->rowCount());
        QVERIFY(f.panel->findChild<QLabel *>(QStringLiteral("logStatus"))->text().contains(QStringLiteral("50,000 lines")));
    }

    void scrollingUpStopsFollowingAndEndResumes() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 2000);
        f.bridge->flush();
        LogView *view = f.panel->view();
        view->verticalScrollBar()->setValue(10);
        QVERIFY(!view->follow());
        QVERIFY(!f.panel->findChild<QToolButton *>(QStringLiteral("logFollow"))->isChecked());
        produce(f.bridge->lineSink(), 2000, 100);
        f.bridge->flush();
        QCOMPARE(view->topRow(), 10);  // stays where the reader is
        QTest::keyClick(view, Qt::Key_End);
        QVERIFY(view->follow());
        QCOMPARE(view->topRow(), view->verticalScrollBar()->maximum());
    }

    void readingOldLinesStaysPutWhileTheOldestAreDropped() {
        Fixture f(1000);
        produce(f.bridge->lineSink(), 0, 1000);
        f.bridge->flush();
        LogView *view = f.panel->view();
        view->verticalScrollBar()->setValue(500);
        const QString shown = f.model()->lineAt(view->topRow()).text;
        produce(f.bridge->lineSink(), 1000, 200);  // drops lines 0..199
        f.bridge->flush();
        QCOMPARE(view->topRow(), 300);
        QCOMPARE(f.model()->lineAt(view->topRow()).text, shown);
    }

    void removingTheShownSourceShowsAnother() {
        Fixture f;
        f.sources.addSource(QStringLiteral("pod-a"), QStringLiteral("Pod A"))->post(QStringLiteral("a"));
        f.panel->setCurrentSource(QStringLiteral("pod-a"));
        f.sources.removeSource(QStringLiteral("pod-a"));
        QCOMPARE(f.panel->currentModel(), f.sources.logModel(0));
        f.sources.removeSource(QStringLiteral("local-engine"));
        QCOMPARE(f.panel->currentModel(), nullptr);
        QCOMPARE(f.panel->findChild<QLabel *>(QStringLiteral("logStatus"))->text(), QStringLiteral("No log source"));
    }

    void pauseBuffersAndResumeAppends() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 10);
        f.bridge->flush();
        f.panel->setPaused(true);
        QVERIFY(f.panel->findChild<QToolButton *>(QStringLiteral("logPause"))->isChecked());
        produce(f.bridge->lineSink(), 10, 90);
        f.bridge->flush();
        QCOMPARE(f.model()->rowCount(), 10);
        QVERIFY(f.panel->findChild<QLabel *>(QStringLiteral("logStatus"))->text().contains(QStringLiteral("90 new lines waiting")));
        f.panel->setPaused(false);
        QCOMPARE(f.model()->rowCount(), 100);
        QCOMPARE(f.model()->lineAt(99).text, QStringLiteral("line 99"));
    }

    void searchHighlightsAndWalksMatches() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 1000);
        f.bridge->flush();
        f.panel->setSearchText(QStringLiteral("error"));
        QCOMPARE(f.model()->searchMatchCount(), 10);
        QCOMPARE(f.panel->matchSummary(), QStringLiteral("10 matches"));
        f.panel->findNext();  // from the screen's top (following: near the end) onward, wrapping
        const int first = f.panel->view()->currentMatchRow();
        QVERIFY(first >= 0);
        QVERIFY(f.model()->lineAt(first).text.endsWith(QStringLiteral("ERROR")));
        const QString summary = f.panel->matchSummary();
        QVERIFY2(summary.endsWith(QStringLiteral(" of 10")), qPrintable(summary));
        f.panel->findNext();
        const int second = f.panel->view()->currentMatchRow();
        QCOMPARE(second, (first + 100) % 1000);
        f.panel->findPrevious();
        QCOMPARE(f.panel->view()->currentMatchRow(), first);
        // The match is on screen, and following stopped there.
        QVERIFY(!f.panel->view()->follow());
        QVERIFY(first >= f.panel->view()->topRow() && first < f.panel->view()->topRow() + f.panel->view()->visibleRowCount());
        f.panel->setSearchText(QStringLiteral("no such text"));
        QCOMPARE(f.panel->matchSummary(), QStringLiteral("No matches"));
    }

    void filterShowsOnlyMatchingLinesWithRegexOption() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 1000);
        f.bridge->flush();
        f.panel->setFilterText(QStringLiteral("line 9\\d$"));
        QCOMPARE(f.model()->rowCount(), 0);  // plain text: the backslash is literal
        f.panel->setRegex(true);
        QCOMPARE(f.model()->rowCount(), 10);
        QCOMPARE(f.model()->lineAt(0).text, QStringLiteral("line 90"));
        f.panel->setFilterText(QStringLiteral("line ("));
        QCOMPARE(f.model()->rowCount(), 1000);  // an invalid expression filters nothing
        QVERIFY(!f.panel->findChild<QLineEdit *>(QStringLiteral("logFilter"))->toolTip().isEmpty());
        f.panel->setFilterText(QString());
        QCOMPARE(f.model()->rowCount(), 1000);
    }

    void downloadWritesTheLinesShown() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 300);
        f.bridge->flush();
        QTemporaryDir dir;
        const QString all = dir.filePath(QStringLiteral("all.log"));
        QCOMPARE(f.panel->saveTo(all), QString());
        QFile file(all);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QCOMPARE(content.count('\n'), 300);
        QVERIFY(content.startsWith("line 0 ERROR\nline 1\n"));
        QVERIFY(content.endsWith("line 299\n"));

        f.panel->setFilterText(QStringLiteral("ERROR"));
        f.panel->setShowTimestamps(true);
        const QString filtered = dir.filePath(QStringLiteral("errors.log"));
        QCOMPARE(f.panel->saveTo(filtered), QString());
        QFile errors(filtered);
        QVERIFY(errors.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = errors.readAll().split('\n');
        QCOMPARE(lines.size(), 4);  // 3 lines and the empty rest after the last "\n"
        QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} line 100 ERROR$")).match(QString::fromUtf8(lines[1])).hasMatch());

        const QString error = f.panel->saveTo(QStringLiteral("/nonexistent/dir/x.log"));
        QVERIFY(error.startsWith(QStringLiteral("Cannot save the log to /nonexistent/dir/x.log")));
    }

    void copySelectionAndCopyAll() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 50);
        f.bridge->flush();
        f.panel->view()->selectRows(3, 5);
        f.panel->copySelection();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("line 3\nline 4\nline 5\n"));
        f.panel->copyAll();
        QCOMPARE(QApplication::clipboard()->text().count(QLatin1Char('\n')), 50);
        // Ctrl+A and Ctrl+C in the view do the same.
        QTest::keyClick(f.panel->view(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(f.panel->view()->selectionFirst(), 0);
        QCOMPARE(f.panel->view()->selectionLast(), 49);
        QApplication::clipboard()->clear();
        QTest::keyClick(f.panel->view(), Qt::Key_C, Qt::ControlModifier);
        QVERIFY(QApplication::clipboard()->text().startsWith(QStringLiteral("line 0 ERROR\nline 1\n")));
    }

    void clickSelectsRows() {
        Fixture f;
        produce(f.bridge->lineSink(), 0, 5);
        f.bridge->flush();
        LogView *view = f.panel->view();
        const int lineHeight = view->fontMetrics().lineSpacing();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(20, lineHeight / 2));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(20, lineHeight * 2 + lineHeight / 2));
        QCOMPARE(view->selectionFirst(), 0);
        QCOMPARE(view->selectionLast(), 2);
        QCOMPARE(view->selectedText(), QStringLiteral("line 0 ERROR\nline 1\nline 2\n"));
    }

    void sourceSelectorSwitchesStreams() {
        Fixture f;
        LogBridge *other = f.sources.addSource(QStringLiteral("pod-a"), QStringLiteral("Pod A"));
        other->post(QStringLiteral("from pod a"));
        other->flush();
        produce(f.bridge->lineSink(), 0, 3);
        f.bridge->flush();
        QCOMPARE(f.model()->rowCount(), 3);
        auto *box = f.panel->findChild<QComboBox *>(QStringLiteral("logSource"));
        QCOMPARE(box->count(), 2);
        box->setCurrentIndex(1);
        QCOMPARE(f.panel->currentModel()->rowCount(), 1);
        QCOMPARE(f.panel->currentModel()->lineAt(0).text, QStringLiteral("from pod a"));
        f.panel->setCurrentSource(QStringLiteral("local-engine"));
        QCOMPARE(f.panel->currentModel()->rowCount(), 3);
    }

    void sinkOutlivesItsBridge() {
        std::function<void(const std::string &)> sink;
        {
            Fixture f;
            sink = f.bridge->lineSink();
            sink("while alive");
        }
        sink("after the panel and bridge are gone");  // dropped, no crash
        QCoreApplication::processEvents();
    }

    void longLinesWrapIntoSeveralScreenLines() {
        Fixture f;
        f.bridge->post(QString(2000, QLatin1Char('x')));
        f.bridge->post(QStringLiteral("short"));
        f.bridge->flush();
        LogView *view = f.panel->view();
        QCOMPARE(view->visibleRowCount(), 2);
        f.panel->setWrap(false);
        QVERIFY(view->horizontalScrollBar()->maximum() > 0);  // the long line scrolls sideways
        QImage image(view->viewport()->size(), QImage::Format_ARGB32);
        view->viewport()->render(&image);  // paints without trouble in both modes
        f.panel->setWrap(true);
        view->viewport()->render(&image);
        QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
    }

    // A language switch retranslates the panel in place (QEvent::LanguageChange →
    // retranslateUi): the search, the filter, the pause and the lines stay.
    void retranslatesInPlaceOnLanguageChange() {
        Fixture f;
        for (int i = 0; i < 3; ++i) f.bridge->post(QStringLiteral("line %1 ERROR").arg(i));
        f.bridge->post(QStringLiteral("quiet"));
        f.bridge->flush();
        f.panel->setSearchText(QStringLiteral("ERROR"));
        f.panel->setFilterText(QStringLiteral("line"));
        f.panel->setPaused(true);
        auto *pause = f.panel->findChild<QToolButton *>(QStringLiteral("logPause"));
        auto *copyAll = f.panel->findChild<QToolButton *>(QStringLiteral("logCopyAll"));
        auto *regex = f.panel->findChild<QCheckBox *>(QStringLiteral("logRegex"));
        auto *search = f.panel->findChild<QLineEdit *>(QStringLiteral("logSearch"));
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QCOMPARE(copyAll->text(), QStringLiteral("Copy all"));
        const QString matches = f.panel->matchSummary();
        QCOMPARE(matches, QStringLiteral("3 matches"));

        LanguageSwitcher switcher;
        QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
        QCoreApplication::processEvents(); // LanguageChange is posted to the widgets
        const auto chinese = [](const QString &text) {
            return text.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]")));
        };
        QVERIFY2(chinese(pause->text()), qPrintable(pause->text()));
        QVERIFY2(chinese(copyAll->text()) && chinese(copyAll->toolTip()), qPrintable(copyAll->text()));
        QVERIFY2(chinese(regex->text()), qPrintable(regex->text()));
        QVERIFY2(chinese(search->placeholderText()), qPrintable(search->placeholderText()));
        QVERIFY2(chinese(f.panel->matchSummary()), qPrintable(f.panel->matchSummary()));
        const QString status = f.panel->findChild<QLabel *>(QStringLiteral("logStatus"))->text();
        QVERIFY2(chinese(status), qPrintable(status));
        // The same panel, state intact.
        QCOMPARE(search->text(), QStringLiteral("ERROR"));
        QCOMPARE(f.panel->findChild<QLineEdit *>(QStringLiteral("logFilter"))->text(), QStringLiteral("line"));
        QVERIFY(f.model()->isPaused());
        QVERIFY(pause->isChecked());
        QCOMPARE(f.model()->rowCount(), 3);

        QVERIFY(switcher.setLanguage(Language::English));
        QCoreApplication::processEvents();
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QCOMPARE(copyAll->text(), QStringLiteral("Copy all"));
        QCOMPARE(f.panel->matchSummary(), matches);
    }
};

QTEST_MAIN(TestLogsPanel)
#include "test_logs_panel.moc"
