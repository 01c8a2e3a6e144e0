// deploy::buildPlan: the layout rules, the sizing's figures in the plan, and the messages that
// slipway-cli render and the Deploy wizard share.
#include "deploy/plan_builder.h"
#include "deploy/render.h"
#include "model/model_loader.h"

#include <QtTest>

using namespace slipway;
using namespace slipway::deploy;

namespace {
const char *k7B = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";

PlanRequest base()
{
    PlanRequest r;
    r.modelRef = k7B;
    return r;
}
} // namespace

class TestPlanBuilder : public QObject {
    Q_OBJECT

private slots:
    void badRequestsFailWithTheCliMessage_data();
    void badRequestsFailWithTheCliMessage();
    void anyTwoOfTpNodesAndGpusPerNodeFixTheThird_data();
    void anyTwoOfTpNodesAndGpusPerNodeFixTheThird();
    void planCarriesTheSizingFigures();
    void pvcSizeReplacesTheSizedVolume();
    void preloadedModelIsUsedWithoutLoading();
    void parsesQuantities_data();
    void parsesQuantities();
};

void TestPlanBuilder::badRequestsFailWithTheCliMessage_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("expected");
    QTest::addRow("tp does not divide heads") << 0 << "TP 3 does not divide the 28 attention heads";
    QTest::addRow("nodes x gpus per node != tp") << 1 << "--nodes 2 × --gpus-per-node 1 = 2 GPUs, but --tp is 4";
    QTest::addRow("tp not a multiple of nodes") << 2 << "--tp 3 cannot be split evenly over --nodes 2";
    QTest::addRow("nodes without lws") << 3 << "--nodes 2 needs --mode lws";
    QTest::addRow("needs several nodes") << 4 << "use --mode lws";
    QTest::addRow("does not fit") << 5 << "does not fit on 1 × H100";
    QTest::addRow("pvc too small") << 6 << "--pvc-size 1Gi is smaller than the model's files";
    QTest::addRow("pvc size unreadable") << 7 << "--pvc-size must be a size such as 500Gi or 200G, not 'lots'";
    QTest::addRow("missing model") << 8 << "--model is required";
    QTest::addRow("bad port") << 9 << "--port must be between 1 and 65535";
    QTest::addRow("derived gpus per node too many") << 10 << "--gpus-per-node must be between 1 and 64, not 128";
}

void TestPlanBuilder::badRequestsFailWithTheCliMessage()
{
    QFETCH(int, row);
    QFETCH(QString, expected);
    PlanRequest r = base();
    switch (row) {
    case 0: r.tp = 3; break;
    case 1: r.mode = Mode::Lws; r.tp = 4; r.nodes = 2; r.gpusPerNode = 1; break;
    case 2: r.mode = Mode::Lws; r.tp = 3; r.nodes = 2; break;
    case 3: r.nodes = 2; break;
    case 4: r.modelRef = "deepseek-ai/DeepSeek-R1"; break;
    case 5: r.modelRef = "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"; r.tp = 1; break;
    case 6: r.pvcSize = "1Gi"; break;
    case 7: r.pvcSize = "lots"; break;
    case 8: r.modelRef.clear(); break;
    case 9: r.port = 70000; break;
    case 10: r.mode = Mode::Lws; r.tp = 256; r.nodes = 2; break;
    }
    auto built = buildPlan(r);
    QVERIFY(!built);
    QVERIFY2(QString::fromStdString(built.message()).contains(expected), built.message().c_str());
}

void TestPlanBuilder::anyTwoOfTpNodesAndGpusPerNodeFixTheThird_data()
{
    QTest::addColumn<int>("tp");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("perNode");
    QTest::addColumn<int>("wantTp");
    QTest::addColumn<int>("wantNodes");
    QTest::addColumn<int>("wantPerNode");
    QTest::addRow("tp 4 over 2 nodes") << 4 << 2 << 0 << 4 << 2 << 2;
    QTest::addRow("2 nodes of 2") << 0 << 2 << 2 << 4 << 2 << 2;
    QTest::addRow("all three agree") << 4 << 2 << 2 << 4 << 2 << 2;
}

void TestPlanBuilder::anyTwoOfTpNodesAndGpusPerNodeFixTheThird()
{
    QFETCH(int, tp);
    QFETCH(int, nodes);
    QFETCH(int, perNode);
    PlanRequest r = base();
    r.mode = Mode::Lws;
    if (tp)
        r.tp = tp;
    if (nodes)
        r.nodes = nodes;
    if (perNode)
        r.gpusPerNode = perNode;
    auto built = buildPlan(r);
    QVERIFY2(built, built ? "" : built.message().c_str());
    QTEST(built->plan.tp, "wantTp");
    QTEST(built->plan.nodes, "wantNodes");
    QTEST(built->plan.gpusPerNode, "wantPerNode");
    QVERIFY(render(built->plan));
}

void TestPlanBuilder::planCarriesTheSizingFigures()
{
    PlanRequest r = base();
    r.contextLength = 32768;
    r.maxRunningRequests = 8;
    r.cudaGraphMaxBs = 16;
    auto built = buildPlan(r);
    QVERIFY2(built, built ? "" : built.message().c_str());
    const auto &s = built->sizing;
    const auto &p = built->plan;
    QCOMPARE(p.modelId, s.modelId);
    QCOMPARE(p.tp, s.tp);
    QCOMPARE(p.memFractionStatic, 0.93); // the guide's default, not SGLang's
    QCOMPARE(s.memFraction, 0.93);
    QCOMPARE(p.cpuRequestMillis, s.cpuCores * 1000);
    QCOMPARE(p.memoryLimitBytes, uint64_t(s.hostMemoryBytes + s.shmBytes));
    QCOMPARE(p.volumeBytes, uint64_t(s.volumeBytes));
    QCOMPARE(p.contextLength.value_or(0), 32768);
    QCOMPARE(p.maxRunningRequests.value_or(0), 8);
    QCOMPARE(p.cudaGraphMaxBs.value_or(0), 16);

    // Without a context the plan leaves --context-length out (the model's maximum).
    auto plain = buildPlan(base());
    QVERIFY(plain);
    QVERIFY(!plain->plan.contextLength);
    QCOMPARE(plain->plan.maxRunningRequests.value_or(0), 20);
}

void TestPlanBuilder::pvcSizeReplacesTheSizedVolume()
{
    PlanRequest r = base();
    r.pvcSize = "500Gi";
    r.loaderImage = "mirror.local/ubi9/ubi:9.4";
    auto built = buildPlan(r);
    QVERIFY(built);
    QCOMPARE(built->plan.volumeBytes, uint64_t(500) << 30);
    QCOMPARE(built->plan.loaderImage, std::string("mirror.local/ubi9/ubi:9.4"));
    auto objects = render(built->plan);
    QVERIFY(objects);
    QVERIFY(QString::fromStdString(toYamlStream(*objects)).contains("image: mirror.local/ubi9/ubi:9.4"));
}

void TestPlanBuilder::preloadedModelIsUsedWithoutLoading()
{
    PlanRequest r = base();
    auto spec = model::loadModel(k7B);
    QVERIFY(spec);
    r.model = *spec;
    r.modelRef = "/this/path/is/never/read";
    auto built = buildPlan(r);
    QVERIFY2(built, built ? "" : built.message().c_str());
    QCOMPARE(built->plan.modelId, std::string(k7B));
}

void TestPlanBuilder::parsesQuantities_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qulonglong>("bytes");
    QTest::addRow("Gi") << "500Gi" << qulonglong(500) * (1ull << 30);
    QTest::addRow("G") << "200G" << qulonglong(200'000'000'000ull);
    QTest::addRow("Mi") << "750Mi" << qulonglong(750) * (1ull << 20);
    QTest::addRow("fraction") << "1.5Ti" << qulonglong(1.5 * double(1ull << 40));
    QTest::addRow("plain") << "1000" << qulonglong(1000);
    QTest::addRow("unit only") << "Gi" << qulonglong(0);
    QTest::addRow("unknown unit") << "5GB" << qulonglong(0);
    QTest::addRow("zero") << "0Gi" << qulonglong(0);
}

void TestPlanBuilder::parsesQuantities()
{
    QFETCH(QString, text);
    QFETCH(qulonglong, bytes);
    auto parsed = parseQuantity("--pvc-size", text.toStdString());
    if (bytes == 0) {
        QVERIFY(!parsed);
        QVERIFY(QString::fromStdString(parsed.message()).contains("'" + text + "'"));
    } else {
        QVERIFY(parsed);
        QCOMPARE(qulonglong(*parsed), bytes);
    }
}

QTEST_GUILESS_MAIN(TestPlanBuilder)
#include "test_plan_builder.moc"
