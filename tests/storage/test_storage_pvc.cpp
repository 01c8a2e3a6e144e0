// PVC upload through the API server only, against the Kubernetes API test server whose exec
// endpoint (tests/support/kube/exec.mjs) really runs tar, find and sha256sum in a folder that stands
// in for the loader pod's volume: the copy, a second run that sends nothing, an upload cancelled
// half way and resumed, a corrupted file caught by the checksums and sent again, RBAC refusal;
// then the PV's reclaim policy set to Retain and the loader pod removed.
#include "deploy/deployment_plan.h"
#include "deploy/names.h"
#include "kube/client.h"
#include "kube_test_server.h"
#include "storage/pod_exec.h"
#include "storage/pvc_upload.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace slipway;
using namespace slipway::storage;
using json = nlohmann::json;

namespace {

const std::string kNamespace = "deepseek";
const std::string kPod = "deepseek-loader";
const QString kLongName = QStringLiteral("shards/with-a-very-long-folder-name-to-need-pax/") + QString(90, QLatin1Char('w')) +
                          QStringLiteral(".safetensors");

QByteArray randomBytes(qint64 n, int seed)
{
    QByteArray data(n, '\0');
    unsigned x = static_cast<unsigned>(seed) * 2654435761u + 3;
    for (qint64 i = 0; i < n; ++i) {
        x = x * 1103515245u + 12345u;
        data[i] = static_cast<char>(x >> 16);
    }
    return data;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TestStoragePvc : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void execRunsCommandAndReportsExitCode();
    void uploadsFolderAndVerifies();
    void secondRunSendsNothing();
    void cancelledUploadResumes();
    void corruptedFileIsSentAgain();
    void execWithoutPermissionIsExplained();
    void loaderTargetsFollowThePlan();
    void retainsVolumeAndRemovesLoader();

private:
    int tarRuns() const;
    std::int64_t lastTarStdin() const;

    testing::KubeTestServer m_kube;
    std::unique_ptr<kube::Client> m_client;
    QTemporaryDir m_local;
    QTemporaryDir m_podRoot;
    QList<QPair<QString, QByteArray>> m_files;
    ExecTarget m_target{kNamespace, kPod, "loader"};
};

void TestStoragePvc::initTestCase()
{
    QString error;
    QVERIFY2(m_kube.start(&error), qPrintable(error));
    m_client = std::make_unique<kube::Client>(m_kube.connection(testing::KubeTestServer::kAdminToken, kNamespace));
    QVERIFY(m_client->apply(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"deepseek"}})"));
    QVERIFY(m_kube.control("pods", R"({"namespace":"deepseek","name":"deepseek-loader","containers":["loader"],"state":"Running"})").find("\"ok\":true") != std::string::npos);
    const std::string root = json{{"namespace", kNamespace}, {"pod", kPod}, {"root", m_podRoot.path().toStdString()}}.dump();
    QVERIFY(m_kube.control("exec/root", root).find("\"ok\":true") != std::string::npos);
    m_files = {
        {QStringLiteral("config.json"), QByteArray("{\"model_type\": \"qwen2\"}\n")},
        {kLongName, randomBytes(200000, 1)},
        {QStringLiteral("empty.txt"), QByteArray()},
        {QStringLiteral("model.safetensors"), randomBytes(4 << 20, 2)},
        {QStringLiteral("tokenizer.json"), randomBytes(300001, 3)},
    };
    for (const auto &[name, data] : m_files)
        writeFile(m_local.filePath(name), data);
}

int TestStoragePvc::tarRuns() const
{
    int runs = 0;
    for (const json &e : json::parse(m_kube.controlGet("exec/log"))) {
        if (e["command"][0] == "tar")
            ++runs;
    }
    return runs;
}

std::int64_t TestStoragePvc::lastTarStdin() const
{
    std::int64_t bytes = -1;
    for (const json &e : json::parse(m_kube.controlGet("exec/log"))) {
        if (e["command"][0] == "tar")
            bytes = e["stdinBytes"].get<std::int64_t>();
    }
    return bytes;
}

void TestStoragePvc::execRunsCommandAndReportsExitCode()
{
    auto ok = execInPod(*m_client, m_target, {"mkdir", "-p", "/models/probe"});
    QVERIFY2(ok, ok ? "" : ok.message().c_str());
    QCOMPARE(ok->exitCode, 0);
    QCOMPARE(QString::fromStdString(ok->protocol), QStringLiteral("v5.channel.k8s.io"));
    QVERIFY(QFileInfo(m_podRoot.filePath(QStringLiteral("models/probe"))).isDir());
    auto missing = execInPod(*m_client, m_target, {"ls", "/models/no-such-folder"});
    QVERIFY2(missing, missing ? "" : missing.message().c_str());
    QCOMPARE(missing->exitCode, 2);
    QVERIFY2(missing->stderrText.find("/models/no-such-folder") != std::string::npos, missing->stderrText.c_str());
    auto absent = execInPod(*m_client, m_target, {"python3", "-c", "print(1)"});
    QVERIFY(!absent);
    QVERIFY2(absent.message().find("executable file not found") != std::string::npos, absent.message().c_str());
}

void TestStoragePvc::uploadsFolderAndVerifies()
{
    std::vector<TransferProgress> seen;
    PvcUploadOptions options;
    options.progressInterval = std::chrono::milliseconds(0);
    auto report = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B", options,
                                    [&](const TransferProgress &p) { seen.push_back(p); });
    QVERIFY2(report, report ? "" : report.message().c_str());
    QCOMPARE(report->filesSent, 5);
    QCOMPARE(report->filesSkipped, 0);
    QCOMPARE(report->filesVerified, 5);
    QCOMPARE(report->filesRepaired, 0);
    for (const auto &[name, data] : m_files)
        QCOMPARE(readFile(m_podRoot.filePath(QStringLiteral("models/DeepSeek-7B/") + name)), data);
    QVERIFY(seen.size() >= 5);
    bool hadRate = false;
    for (std::size_t i = 1; i < seen.size(); ++i) {
        QVERIFY(seen[i].bytesDone >= seen[i - 1].bytesDone);
        QVERIFY(seen[i].bytesDone <= seen[i].bytesTotal);
        hadRate = hadRate || seen[i].bytesPerSecond > 0;
    }
    QVERIFY(hadRate);
    QCOMPARE(QString::fromStdString(seen.back().phase), QStringLiteral("done"));
    QCOMPARE(seen.back().bytesDone, seen.back().bytesTotal);
    QCOMPARE(seen.back().filesDone, 5);
    QCOMPARE(lastTarStdin(), report->bytesSent);
}

void TestStoragePvc::secondRunSendsNothing()
{
    const int before = tarRuns();
    auto report = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B");
    QVERIFY2(report, report ? "" : report.message().c_str());
    QCOMPARE(report->filesSkipped, 5);
    QCOMPARE(report->filesSent, 0);
    QCOMPARE(report->filesVerified, 5);
    QCOMPARE(tarRuns(), before);
}

void TestStoragePvc::cancelledUploadResumes()
{
    net::CancelToken cancel;
    PvcUploadOptions options;
    options.progressInterval = std::chrono::milliseconds(0);
    auto first = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/resumed", options,
                                   [&](const TransferProgress &p) {
                                       if (p.currentFile == "model.safetensors" && p.bytesDone > 1300000)
                                           cancel.cancel();
                                   }, &cancel);
    QVERIFY(!first);
    QVERIFY2(first.message().find("cancelled") != std::string::npos, first.message().c_str());
    const std::int64_t firstStdin = lastTarStdin();
    // The pod's tar was killed part way: the big file is short or absent, the last one never came.
    QVERIFY(readFile(m_podRoot.filePath(QStringLiteral("models/resumed/model.safetensors"))).size() < (4 << 20) ||
            !QFileInfo::exists(m_podRoot.filePath(QStringLiteral("models/resumed/model.safetensors"))));
    QVERIFY(!QFileInfo::exists(m_podRoot.filePath(QStringLiteral("models/resumed/tokenizer.json"))));

    auto second = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/resumed");
    QVERIFY2(second, second ? "" : second.message().c_str());
    // Files go in path order: config.json, empty.txt, model.safetensors, shards/..., tokenizer.json.
    QCOMPARE(second->filesSkipped, 2); // config.json and empty.txt had arrived whole
    QCOMPARE(second->filesSent, 3);    // model.safetensors again, and the two never sent
    QCOMPARE(second->filesVerified, 5);
    // The second tar stream held those three files: their data plus headers, padding and the end.
    const std::int64_t secondStdin = lastTarStdin();
    const std::int64_t data = (4 << 20) + 200000 + 300001;
    QVERIFY(secondStdin >= data);
    QVERIFY(secondStdin < data + 5 * 512 + 2 * 512 + 10240);
    QVERIFY(firstStdin > 0);
    for (const auto &[name, data] : m_files)
        QCOMPARE(readFile(m_podRoot.filePath(QStringLiteral("models/resumed/") + name)), data);
}

void TestStoragePvc::corruptedFileIsSentAgain()
{
    const std::string corrupt = json{{"namespace", kNamespace}, {"pod", kPod}, {"path", "/models/DeepSeek-7B/tokenizer.json"}}.dump();
    QVERIFY(m_kube.control("exec/corrupt", corrupt).find("\"ok\":true") != std::string::npos);
    QVERIFY(readFile(m_podRoot.filePath(QStringLiteral("models/DeepSeek-7B/tokenizer.json"))) != m_files.last().second);
    auto report = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B");
    QVERIFY2(report, report ? "" : report.message().c_str());
    QCOMPARE(report->filesSkipped, 5); // same sizes: only the checksums tell
    QCOMPARE(report->filesRepaired, 1);
    QCOMPARE(readFile(m_podRoot.filePath(QStringLiteral("models/DeepSeek-7B/tokenizer.json"))), m_files.last().second);

    // Without checksum verification the size check alone cannot see it.
    QVERIFY(m_kube.control("exec/corrupt", corrupt).find("\"ok\":true") != std::string::npos);
    PvcUploadOptions sizesOnly;
    sizesOnly.verifyChecksums = false;
    auto blind = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B", sizesOnly);
    QVERIFY(blind);
    QCOMPARE(blind->filesRepaired, 0);
}

void TestStoragePvc::execWithoutPermissionIsExplained()
{
    QVERIFY(m_kube.control("tokens", R"({"token":"viewer","user":"viewer","deny":[{"verbs":["create"],"resources":["pods/exec"]}]})").find("\"ok\":true") != std::string::npos);
    kube::Client viewer(m_kube.connection("viewer", kNamespace));
    auto report = uploadFolderToPod(viewer, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B");
    QVERIFY(!report);
    QVERIFY2(report.message().find("pods/exec") != std::string::npos, report.message().c_str());
    QVERIFY2(report.message().find("permission denied") != std::string::npos || report.message().find("forbidden") != std::string::npos,
             report.message().c_str());
}

void TestStoragePvc::loaderTargetsFollowThePlan()
{
    deploy::DeploymentPlan plan;
    plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    auto targets = loaderTargets(plan);
    QVERIFY2(targets, targets ? "" : targets.message().c_str());
    QCOMPARE(targets->size(), std::size_t{1});
    QCOMPARE(targets->front().pod.pod, deploy::objectNames(plan).loaderPod);
    QCOMPARE(targets->front().claim, deploy::objectNames(plan).modelsClaim);
    QCOMPARE(QString::fromStdString(targets->front().directory), QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-7B"));
    plan.storage = deploy::Storage::S3;
    QVERIFY(!loaderTargets(plan));
}

void TestStoragePvc::retainsVolumeAndRemovesLoader()
{
    QVERIFY(m_client->apply(R"({"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-models"},
        "spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","hostPath":{"path":"/data"}}})"));
    QVERIFY(m_client->apply(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"deepseek-models","namespace":"deepseek"},
        "spec":{"accessModes":["ReadWriteOnce"],"volumeName":"pv-models","resources":{"requests":{"storage":"10Gi"}}}})"));
    QVERIFY(m_client->apply(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"unbound","namespace":"deepseek"},
        "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}}}})"));

    auto unbound = retainClaimVolume(*m_client, kNamespace, "unbound");
    QVERIFY(!unbound);
    QVERIFY2(unbound.message().find("not bound") != std::string::npos, unbound.message().c_str());

    auto volume = retainClaimVolume(*m_client, kNamespace, "deepseek-models");
    QVERIFY2(volume, volume ? "" : volume.message().c_str());
    QCOMPARE(volume.value(), std::string("pv-models"));
    auto pv = m_client->get({"v1", "PersistentVolume", "", "pv-models"});
    QVERIFY(pv);
    QCOMPARE(json::parse(pv->json)["spec"]["persistentVolumeReclaimPolicy"].get<std::string>(), std::string("Retain"));

    auto removed = removeLoaderPod(*m_client, m_target);
    QVERIFY2(removed, removed ? "" : removed.message().c_str());
    QVERIFY(!m_client->get({"v1", "Pod", kNamespace, kPod}));
    QVERIFY(removeLoaderPod(*m_client, m_target)); // already gone is fine
    // With the pod gone, an upload says so.
    auto after = uploadFolderToPod(*m_client, m_target, m_local.path().toStdString(), "/models/DeepSeek-7B");
    QVERIFY(!after);
    QVERIFY2(after.message().find("not found") != std::string::npos, after.message().c_str());
}

QTEST_GUILESS_MAIN(TestStoragePvc)
#include "test_storage_pvc.moc"
