// LogModel: the bounded ring buffer, filter and search kept right while lines arrive and old
// ones are dropped, and pause/resume.
#include <QtTest>

#include "logs/log_model.h"

using namespace slipway::ui;

namespace {

QList<LogLine> numbered(int first, int count) {
    QList<LogLine> out;
    out.reserve(count);
    for (int i = first; i < first + count; ++i) {
        const QString level = i % 10 == 0 ? QStringLiteral("ERROR") : QStringLiteral("info");
        out.append(LogLine{QStringLiteral("%1 line %2").arg(level).arg(i), 1000 + i});
    }
    return out;
}

QStringList rows(const LogModel &model) {
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r) out << model.lineAt(r).text;
    return out;
}

} // namespace

class TestLogModel : public QObject {
    Q_OBJECT

private slots:
    void holdsAHundredThousandLinesInBatches() {
        LogModel model(100000);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 100; ++i) model.appendLines(numbered(i * 1000, 1000));
        QCOMPARE(model.rowCount(), 100000);
        QCOMPARE(model.lineAt(99999).text, QStringLiteral("info line 99999"));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }

    void boundDropsTheOldestLines() {
        LogModel model(10000);
        QSignalSpy removed(&model, &LogModel::rowsRemoved);
        for (int i = 0; i < 25; ++i) model.appendLines(numbered(i * 1000, 1000));
        QCOMPARE(model.rowCount(), 10000);
        QCOMPARE(model.storedLines(), 10000);
        QCOMPARE(model.droppedLines(), qint64(15000));
        QCOMPARE(model.lineAt(0).text, QStringLiteral("ERROR line 15000"));
        QCOMPARE(model.lineAt(9999).text, QStringLiteral("info line 24999"));
        QCOMPARE(model.data(model.index(0), LogModel::ArrivalTimeRole).toLongLong(), qint64(16000));
        QCOMPARE(removed.count(), 15);  // one removal at the front per batch
        QCOMPARE(removed.first().at(1).toInt(), 0);
    }

    void batchLargerThanTheBufferKeepsItsNewestLines() {
        LogModel model(100);
        model.appendLines(numbered(0, 50));
        model.appendLines(numbered(50, 1000));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.lineAt(0).text, QStringLiteral("ERROR line 950"));
        QCOMPARE(model.droppedLines(), qint64(950));
    }

    void filterShowsOnlyMatchingLines_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addRow("substring, any case") << "error" << false << false;
        QTest::addRow("substring, case") << "ERROR line 1" << false << true;
        QTest::addRow("regex") << "line \\d*[37]$" << true << false;
        QTest::addRow("regex, case misses") << "^error" << true << true;
    }
    void filterShowsOnlyMatchingLines() {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(bool, caseSensitive);
        LogModel model(3000);
        const LogMatcher filter(pattern, regex, caseSensitive);
        model.appendLines(numbered(0, 2000));
        model.setFilter(filter);
        // More lines arrive, and the oldest are dropped, while filtering.
        for (int i = 0; i < 4; ++i) model.appendLines(numbered(2000 + i * 700, 700));
        QStringList expected;
        for (const LogLine &line : numbered(4800 - 3000, 3000)) {
            if (filter.matches(line.text)) expected << line.text;
        }
        QCOMPARE(rows(model), expected);
        QCOMPARE(model.storedLines(), 3000);
        model.setFilter({});
        QCOMPARE(model.rowCount(), 3000);
        QCOMPARE(model.lineAt(0).text, QStringLiteral("ERROR line 1800"));
    }

    void invalidRegexFiltersNothing() {
        LogModel model(100);
        model.appendLines(numbered(0, 100));
        const LogMatcher broken(QStringLiteral("line ("), true, false);
        QVERIFY(!broken.isValid());
        QVERIFY(!broken.errorString().isEmpty());
        model.setFilter(broken);
        QVERIFY(!model.isFiltering());
        QCOMPARE(model.rowCount(), 100);
    }

    void searchCountsAndWalksMatches() {
        LogModel model(1000);
        model.appendLines(numbered(0, 100));
        model.setSearch(LogMatcher(QStringLiteral("error"), false, false));
        QCOMPARE(model.searchMatchCount(), 10);
        QCOMPARE(model.nextMatchRow(-1, true), 0);
        QCOMPARE(model.nextMatchRow(0, true), 10);
        QCOMPARE(model.nextMatchRow(95, true), 0);     // wraps to the first
        QCOMPARE(model.nextMatchRow(5, false), 0);
        QCOMPARE(model.nextMatchRow(0, false), 90);    // wraps to the last
        QCOMPARE(model.matchOrdinal(30), 4);
        QCOMPARE(model.matchOrdinal(31), 0);
        QSignalSpy changed(&model, &LogModel::searchMatchesChanged);
        model.appendLines(numbered(100, 20));
        QCOMPARE(model.searchMatchCount(), 12);
        QVERIFY(changed.count() >= 1);
    }

    void searchWithinAFilterAndAcrossDrops() {
        LogModel model(200);
        model.setFilter(LogMatcher(QStringLiteral("line \\d*[05]$"), true, false));  // every 5th line
        model.setSearch(LogMatcher(QStringLiteral("error"), false, false));          // every 10th
        for (int i = 0; i < 10; ++i) model.appendLines(numbered(i * 100, 100));
        // Held: lines 800..999; shown: 40 of them; matching: 20.
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(model.searchMatchCount(), 20);
        QCOMPARE(model.lineAt(model.nextMatchRow(-1, true)).text, QStringLiteral("ERROR line 800"));
        QCOMPARE(model.lineAt(model.nextMatchRow(-1, false)).text, QStringLiteral("ERROR line 990"));
        QCOMPARE(model.nextMatchRow(0, true), 2);
    }

    void spansAreFoundForHighlighting() {
        const LogMatcher plain(QStringLiteral("ab"), false, false);
        QCOMPARE(plain.spans(QStringLiteral("xAbyabab")), (QList<QPair<int, int>>{{1, 2}, {4, 2}, {6, 2}}));
        const LogMatcher regex(QStringLiteral("\\d+"), true, false);
        QCOMPARE(regex.spans(QStringLiteral("a12b3")), (QList<QPair<int, int>>{{1, 2}, {4, 1}}));
        QVERIFY(LogMatcher().spans(QStringLiteral("abc")).isEmpty());
    }

    void pauseHoldsLinesBackAndResumeAppendsThem() {
        LogModel model(1000);
        QSignalSpy paused(&model, &LogModel::pausedChanged);
        model.appendLines(numbered(0, 10));
        model.setPaused(true);
        model.appendLines(numbered(10, 5));
        model.appendLines(numbered(15, 5));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.pendingLines(), 10);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 20);
        QCOMPARE(model.pendingLines(), 0);
        QCOMPARE(model.lineAt(19).text, QStringLiteral("info line 19"));
        QCOMPARE(paused.count(), 2);
    }

    void pausedLinesAreBoundedToo() {
        LogModel model(100);
        model.setPaused(true);
        for (int i = 0; i < 5; ++i) model.appendLines(numbered(i * 100, 100));
        QCOMPARE(model.pendingLines(), 100);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.lineAt(0).text, QStringLiteral("ERROR line 400"));
    }

    void shrinkingTheBufferKeepsTheNewest() {
        LogModel model(1000);
        model.appendLines(numbered(0, 800));
        model.setMaxLines(300);
        QCOMPARE(model.rowCount(), 300);
        QCOMPARE(model.lineAt(0).text, QStringLiteral("ERROR line 500"));
        model.appendLines(numbered(800, 100));
        QCOMPARE(model.rowCount(), 300);
        QCOMPARE(model.lineAt(299).text, QStringLiteral("info line 899"));
    }

    void clearForgetsEverything() {
        LogModel model(100);
        model.appendLines(numbered(0, 150));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.droppedLines(), qint64(0));
        model.appendLines(numbered(0, 3));
        QCOMPARE(rows(model), (QStringList{"ERROR line 0", "info line 1", "info line 2"}));
    }

    void textJoinsRowsWithOptionalTimestamps() {
        LogModel model(10);
        const qint64 t = QDateTime(QDate(2025, 1, 2), QTime(13, 14, 15, 678)).toMSecsSinceEpoch();
        model.appendLines({LogLine{QStringLiteral("a"), t}, LogLine{QStringLiteral("b"), t}});
        QCOMPARE(model.text(0, 1, false), QStringLiteral("a\nb\n"));
        QCOMPARE(model.text(1, 1, true), QStringLiteral("13:14:15.678 b\n"));
    }
};

QTEST_MAIN(TestLogModel)
#include "test_log_model.moc"
