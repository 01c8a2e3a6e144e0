// WorkloadsModel: rows keyed by id (upsert replaces, never duplicates), the columns as shown
// (dashes for what a stopped workload lacks, the demo model named as such), uptime wording.
#include "workloads/workloads_model.h"

#include <QSignalSpy>
#include <QtTest>

using namespace slipway::ui;

namespace {

Workload local(WorkloadState state)
{
    Workload w;
    w.id = QStringLiteral("local-engine");
    w.name = QStringLiteral("Local engine");
    w.target = QStringLiteral("This computer");
    w.state = state;
    w.modelPath = QStringLiteral("/data/qwen");
    w.url = QStringLiteral("http://127.0.0.1:30000");
    w.pid = 4242;
    w.device = QStringLiteral("cpu");
    w.startedAt = QDateTime::currentDateTime().addSecs(-75);
    return w;
}

QString cell(const WorkloadsModel &model, int column)
{
    return model.index(0, column).data().toString();
}

} // namespace

class TestWorkloadsModel : public QObject {
    Q_OBJECT

private slots:
    void upsertAddsOnceThenReplaces();
    void runningRowShowsUrlPidUptimeAndDevice();
    void stoppedRowShowsDashes();
    void demoModelIsNamedAsSuch();
    void uptimeText_data();
    void uptimeText();
    void removeDropsTheRow();
};

void TestWorkloadsModel::upsertAddsOnceThenReplaces()
{
    WorkloadsModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.upsert(local(WorkloadState::Starting));
    model.upsert(local(WorkloadState::Ready));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.workload(0).state, WorkloadState::Ready);
    QCOMPARE(model.rowOf(QStringLiteral("local-engine")), 0);
    QCOMPARE(model.rowOf(QStringLiteral("cluster/ns/r1")), -1);
    QCOMPARE(model.columnCount(), int(WorkloadsModel::ColumnCount));
}

void TestWorkloadsModel::runningRowShowsUrlPidUptimeAndDevice()
{
    WorkloadsModel model;
    model.upsert(local(WorkloadState::Ready));
    QCOMPARE(cell(model, WorkloadsModel::StateColumn), QStringLiteral("Ready"));
    QCOMPARE(cell(model, WorkloadsModel::UrlColumn), QStringLiteral("http://127.0.0.1:30000"));
    QCOMPARE(cell(model, WorkloadsModel::PidColumn), QStringLiteral("4242"));
    QVERIFY(cell(model, WorkloadsModel::UptimeColumn).startsWith(QStringLiteral("1 min 1")));
    QCOMPARE(cell(model, WorkloadsModel::DeviceColumn), QStringLiteral("CPU"));
    QCOMPARE(cell(model, WorkloadsModel::ModelColumn), QStringLiteral("/data/qwen"));
}

void TestWorkloadsModel::stoppedRowShowsDashes()
{
    WorkloadsModel model;
    Workload w = local(WorkloadState::Crashed);
    w.pid = 0;
    model.upsert(w);
    QCOMPARE(cell(model, WorkloadsModel::StateColumn), QStringLiteral("Crashed"));
    QCOMPARE(cell(model, WorkloadsModel::UrlColumn), QStringLiteral("—"));
    QCOMPARE(cell(model, WorkloadsModel::PidColumn), QStringLiteral("—"));
    QCOMPARE(cell(model, WorkloadsModel::UptimeColumn), QStringLiteral("—"));
}

void TestWorkloadsModel::demoModelIsNamedAsSuch()
{
    WorkloadsModel model;
    Workload w = local(WorkloadState::Ready);
    w.demoModel = true;
    model.upsert(w);
    QCOMPARE(cell(model, WorkloadsModel::ModelColumn), QStringLiteral("Demo model (random weights)"));
    QCOMPARE(model.index(0, WorkloadsModel::ModelColumn).data(Qt::ToolTipRole).toString(), QStringLiteral("/data/qwen"));
}

void TestWorkloadsModel::uptimeText_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::addRow("seconds") << qint64(12) << QStringLiteral("12 s");
    QTest::addRow("minutes") << qint64(185) << QStringLiteral("3 min 05 s");
    QTest::addRow("hours") << qint64(3720) << QStringLiteral("1 h 02 min");
}

void TestWorkloadsModel::uptimeText()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(WorkloadsModel::uptimeText(seconds), text);
}

void TestWorkloadsModel::removeDropsTheRow()
{
    WorkloadsModel model;
    model.upsert(local(WorkloadState::Stopped));
    model.remove(QStringLiteral("local-engine"));
    QCOMPARE(model.rowCount(), 0);
    model.remove(QStringLiteral("local-engine")); // absent: nothing happens
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestWorkloadsModel)
#include "test_workloads_model.moc"
