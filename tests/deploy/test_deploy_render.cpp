// core/deploy rendering: a matrix of mode x storage x runtime x platform x security checked by the
// independent manifest validator (shared/k8s-schemas) in one run, the guide's command lines, and
// the structure every manifest must have (labels, /dev/shm, probes, security).
#include "deploy_test_support.h"

#include "deploy/names.h"
#include "deploy/server_command.h"
#include "deploy/validate.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace deploytest;

namespace {

struct MatrixRow {
    QString name;
    DeploymentPlan plan;
    bool expectValid = true;
    std::vector<RenderedObject> objects;
};

// Pod specs of an object (Deployment / Job template, Pod, LWS leader and worker templates).
std::vector<YAML::Node> podSpecs(const YAML::Node &doc)
{
    const std::string kind = doc["kind"].as<std::string>();
    if (kind == "Deployment" || kind == "Job")
        return {doc["spec"]["template"]["spec"]};
    if (kind == "Pod")
        return {doc["spec"]};
    if (kind == "LeaderWorkerSet") {
        const YAML::Node group = doc["spec"]["leaderWorkerTemplate"];
        return {group["leaderTemplate"]["spec"], group["workerTemplate"]["spec"]};
    }
    return {};
}

// Server containers: those of Deployments, LWS templates and the ServingRuntime.
std::vector<YAML::Node> serverContainers(const YAML::Node &doc)
{
    std::vector<YAML::Node> result;
    const std::string kind = doc["kind"].as<std::string>();
    if (kind == "ServingRuntime") {
        for (const YAML::Node &c : doc["spec"]["containers"])
            result.push_back(c);
    } else if (kind == "Deployment" || kind == "LeaderWorkerSet") {
        for (const YAML::Node &spec : podSpecs(doc)) {
            for (const YAML::Node &c : spec["containers"])
                result.push_back(c);
        }
    }
    return result;
}

bool mountsShm(const YAML::Node &container)
{
    for (const YAML::Node &mount : container["volumeMounts"]) {
        if (mount["mountPath"].as<std::string>() == "/dev/shm")
            return true;
    }
    return false;
}

bool hasMemoryShmVolume(const YAML::Node &volumes)
{
    for (const YAML::Node &volume : volumes) {
        if (volume["emptyDir"] && volume["emptyDir"]["medium"] && volume["emptyDir"]["medium"].as<std::string>() == "Memory" &&
            volume["emptyDir"]["sizeLimit"])
            return true;
    }
    return false;
}

// Collects every value of a key anywhere in the tree.
void collect(const YAML::Node &node, const std::string &key, std::vector<YAML::Node> &out)
{
    if (node.IsMap()) {
        for (const auto &entry : node) {
            if (entry.first.as<std::string>() == key)
                out.push_back(entry.second);
            collect(entry.second, key, out);
        }
    } else if (node.IsSequence()) {
        for (const YAML::Node &item : node)
            collect(item, key, out);
    }
}

bool isSubset(const YAML::Node &small, const YAML::Node &big)
{
    for (const auto &entry : small) {
        const std::string key = entry.first.as<std::string>();
        if (!big[key] || big[key].as<std::string>() != entry.second.as<std::string>())
            return false;
    }
    return true;
}

} // namespace

class TestDeployRender final : public QObject {
    Q_OBJECT

private:
    std::vector<MatrixRow> m_rows;

private slots:
    void initTestCase();
    void matrixRejectsWhatValidateRejects();
    void matrixPassesTheSchemaValidator();
    void everyObjectCarriesTheSameAppLabels();
    void serverPodsHaveShmProbesAndEqualGpuRequests();
    void restrictedRendersNothingPrivileged();
    void privilegedOnOpenShiftBindsTheSccToTheServiceAccount();
    void selectorsMatchTemplateLabels();
    void guideCommandLines_data();
    void guideCommandLines();
    void slipwayRuntimeTakesTheSameFlags();
    void lwsWithoutRwxUsesTheGuidesTwoClaims();
    void kserveCarriesDashboardMetadataAndStorageUri();
    void downloadUsesTheConfiguredEndpoint();
    void rdmaAddsIpcLockOnlyWhenAsked();
    void numericStringsStayStrings();
    void s3UriTrimsTheKeyPrefix();
};

void TestDeployRender::initTestCase()
{
    int index = 0;
    for (Mode mode : {Mode::Deployment, Mode::KServe, Mode::Lws}) {
        for (Storage storage : {Storage::Pvc, Storage::S3, Storage::Download, Storage::Image}) {
            for (Runtime runtime : {Runtime::SGLang, Runtime::Slipway}) {
                for (Platform platform : {Platform::OpenShift, Platform::Kubernetes}) {
                    for (Security security : {Security::Privileged, Security::Restricted}) {
                        for (bool rwx : {false, true}) {
                            // RWX only changes PVC-backed storage.
                            if (rwx && (storage == Storage::S3 || storage == Storage::Image))
                                continue;
                            MatrixRow row;
                            row.plan = validPlan(mode, storage);
                            DeploymentPlan &plan = row.plan;
                            plan.runtime = runtime;
                            plan.platform = platform;
                            plan.security = security;
                            plan.rwx = rwx;
                            // Vary what the matrix does not enumerate, deterministically.
                            plan.rdma = security == Security::Restricted && rwx;
                            plan.createNamespace = platform == Platform::Kubernetes && rwx;
                            plan.enableMetrics = runtime == Runtime::Slipway;
                            if (runtime == Runtime::Slipway)
                                plan.servedModelName = "deepseek-r1-distill-qwen-7b";
                            if (mode == Mode::Lws && runtime == Runtime::Slipway) {
                                // 4 nodes x 2 GPUs: without RWX a PVC cannot reach every worker.
                                plan.nodes = 4;
                                plan.gpusPerNode = 2;
                                plan.tp = 8;
                            }
                            if (storage == Storage::Download && platform == Platform::Kubernetes)
                                plan.download.endpoint = "https://hf-mirror.com";
                            row.expectValid = !(mode == Mode::Lws && storage == Storage::Pvc && !rwx && plan.nodes > 2);
                            row.name = QStringLiteral("r%1-%2-%3-%4-%5-%6%7")
                                           .arg(index++, 3, 10, QLatin1Char('0'))
                                           .arg(QString::fromUtf8(modeName(mode).data()), QString::fromUtf8(storageName(storage).data()),
                                                QString::fromUtf8(runtimeName(runtime).data()), QString::fromUtf8(platformName(platform).data()),
                                                QString::fromUtf8(securityName(security).data()),
                                                rwx ? QStringLiteral("-rwx") : QString());
                            if (row.expectValid) {
                                auto rendered = render(plan);
                                QVERIFY2(rendered.ok(), qPrintable(row.name + QStringLiteral(": ") +
                                                                   QString::fromStdString(rendered.ok() ? "" : rendered.message())));
                                row.objects = rendered.value();
                            }
                            m_rows.push_back(std::move(row));
                        }
                    }
                }
            }
        }
    }
    QCOMPARE(int(m_rows.size()), 144);
}

void TestDeployRender::matrixRejectsWhatValidateRejects()
{
    int rejected = 0;
    for (const MatrixRow &row : m_rows) {
        if (row.expectValid)
            continue;
        ++rejected;
        const auto result = render(row.plan);
        QVERIFY2(!result.ok(), qPrintable(row.name));
        QVERIFY2(QString::fromStdString(result.message()).contains(QStringLiteral("--rwx")), qPrintable(row.name));
        QCOMPARE(result.message(), validate(row.plan).message());
    }
    QCOMPARE(rejected, 4);
}

void TestDeployRender::matrixPassesTheSchemaValidator()
{
    const QString validator = QStringLiteral(SLIPWAY_VALIDATOR_DIR "/validate-manifests.mjs");
    QVERIFY2(QFileInfo::exists(validator),
             qPrintable(QStringLiteral("validator missing at %1: run installer/setup.sh").arg(validator)));
    QTemporaryDir root;
    QVERIFY(root.isValid());
    int documents = 0;
    for (const MatrixRow &row : m_rows) {
        if (!row.expectValid)
            continue;
        const auto written = writeToDirectory(row.objects, root.filePath(row.name).toStdString());
        QVERIFY2(written.ok(), qPrintable(row.name + QStringLiteral(": ") + QString::fromStdString(written.ok() ? "" : written.message())));
        documents += int(row.objects.size());
    }

    // One node process for everything: start-up dominates.
    QProcess node;
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start(QStringLiteral("node"), {validator, root.path()});
    QVERIFY2(node.waitForStarted(10000), "cannot start node");
    QVERIFY2(node.waitForFinished(150000), "the validator did not finish in 150 s");
    const QString output = QString::fromUtf8(node.readAll());

    QMap<QString, QStringList> failuresByRow;
    int okLines = 0;
    const QRegularExpression rowPattern(QStringLiteral("/(r\\d{3}-[a-z0-9-]+)/"));
    for (const QString &line : output.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("OK ")))
            ++okLines;
        if (!line.startsWith(QLatin1String("FAIL")))
            continue;
        const auto match = rowPattern.match(line);
        failuresByRow[match.hasMatch() ? match.captured(1) : QStringLiteral("?")] << line;
    }
    for (auto it = failuresByRow.cbegin(); it != failuresByRow.cend(); ++it)
        qWarning().noquote() << "row" << it.key() << "failed:\n  " << it.value().join(QStringLiteral("\n  "));
    if (node.exitCode() != 0 && failuresByRow.isEmpty())
        qWarning().noquote() << output.right(4000);
    QCOMPARE(failuresByRow.size(), 0);
    QCOMPARE(node.exitCode(), 0);
    QCOMPARE(okLines, documents);
}

void TestDeployRender::everyObjectCarriesTheSameAppLabels()
{
    for (const MatrixRow &row : m_rows) {
        for (const YAML::Node &doc : parseAll(row.objects)) {
            const YAML::Node labels = doc["metadata"]["labels"];
            const QString where = row.name + QStringLiteral(" ") + QString::fromStdString(doc["kind"].as<std::string>());
            QVERIFY2(labels["app.kubernetes.io/instance"].as<std::string>() == row.plan.name, qPrintable(where));
            QVERIFY2(labels["app.kubernetes.io/name"].as<std::string>() ==
                         (row.plan.runtime == Runtime::SGLang ? "sglang" : "slipway-engine"),
                     qPrintable(where));
            QVERIFY2(labels["app.kubernetes.io/part-of"].as<std::string>() == "slipway", qPrintable(where));
            QVERIFY2(labels["app.kubernetes.io/managed-by"].as<std::string>() == "slipway", qPrintable(where));
            QVERIFY2(!labels["app.kubernetes.io/component"].as<std::string>().empty(), qPrintable(where));
        }
    }
}

void TestDeployRender::serverPodsHaveShmProbesAndEqualGpuRequests()
{
    for (const MatrixRow &row : m_rows) {
        int servers = 0;
        for (const YAML::Node &doc : parseAll(row.objects)) {
            const std::string kind = doc["kind"].as<std::string>();
            const QString where = row.name + QStringLiteral(" ") + QString::fromStdString(kind);
            for (const YAML::Node &container : serverContainers(doc)) {
                ++servers;
                QVERIFY2(mountsShm(container), qPrintable(where));
                const bool serves = container["ports"].IsDefined();
                if (serves) {
                    QVERIFY2(container["readinessProbe"]["httpGet"]["path"].as<std::string>() == "/health_generate", qPrintable(where));
                    QVERIFY2(container["livenessProbe"]["httpGet"]["path"].as<std::string>() == "/health", qPrintable(where));
                    const YAML::Node startup = container["startupProbe"];
                    QVERIFY2(startup["periodSeconds"].as<int>() * startup["failureThreshold"].as<int>() >= 1800, qPrintable(where));
                }
                if (kind != "ServingRuntime") {
                    const YAML::Node resources = container["resources"];
                    QVERIFY2(resources["requests"]["nvidia.com/gpu"].as<std::string>() ==
                                 resources["limits"]["nvidia.com/gpu"].as<std::string>(),
                             qPrintable(where));
                }
            }
            if (kind == "ServingRuntime") {
                QVERIFY2(hasMemoryShmVolume(doc["spec"]["volumes"]), qPrintable(where));
            } else if (kind == "Deployment" || kind == "LeaderWorkerSet") {
                for (const YAML::Node &spec : podSpecs(doc))
                    QVERIFY2(hasMemoryShmVolume(spec["volumes"]), qPrintable(where));
            } else if (kind == "InferenceService") {
                const YAML::Node resources = doc["spec"]["predictor"]["model"]["resources"];
                QVERIFY2(resources["requests"]["nvidia.com/gpu"].as<std::string>() ==
                             resources["limits"]["nvidia.com/gpu"].as<std::string>(),
                         qPrintable(where));
            }
        }
        if (row.expectValid)
            QVERIFY2(servers >= 1, qPrintable(row.name));
    }
}

void TestDeployRender::restrictedRendersNothingPrivileged()
{
    int checked = 0;
    for (const MatrixRow &row : m_rows) {
        if (!row.expectValid || row.plan.security != Security::Restricted)
            continue;
        ++checked;
        QCOMPARE(countKind(row.objects, "RoleBinding"), 0);
        for (const YAML::Node &doc : parseAll(row.objects)) {
            std::vector<YAML::Node> privileged;
            collect(doc, "privileged", privileged);
            QVERIFY2(privileged.empty(), qPrintable(row.name));
            std::vector<YAML::Node> contexts;
            collect(doc, "securityContext", contexts);
            for (const YAML::Node &context : contexts) {
                if (context["allowPrivilegeEscalation"])
                    QVERIFY2(!context["allowPrivilegeEscalation"].as<bool>(), qPrintable(row.name));
            }
        }
        for (const YAML::Node &doc : parseAll(row.objects)) {
            for (const YAML::Node &container : serverContainers(doc)) {
                const YAML::Node context = container["securityContext"];
                QVERIFY2(context["runAsNonRoot"].as<bool>(), qPrintable(row.name));
                QCOMPARE(stringList(context["capabilities"]["drop"]), std::vector<std::string>{"ALL"});
                QCOMPARE(context["seccompProfile"]["type"].as<std::string>(), std::string("RuntimeDefault"));
            }
        }
    }
    QVERIFY(checked > 60);
}

void TestDeployRender::privilegedOnOpenShiftBindsTheSccToTheServiceAccount()
{
    for (const MatrixRow &row : m_rows) {
        if (!row.expectValid)
            continue;
        const bool wantBinding = row.plan.security == Security::Privileged && row.plan.platform == Platform::OpenShift;
        QCOMPARE(countKind(row.objects, "RoleBinding"), wantBinding ? 1 : 0);
        if (!wantBinding)
            continue;
        const YAML::Node binding = findObject(row.objects, "RoleBinding");
        QCOMPARE(binding["roleRef"]["name"].as<std::string>(), std::string("system:openshift:scc:privileged"));
        QCOMPARE(binding["roleRef"]["kind"].as<std::string>(), std::string("ClusterRole"));
        const std::string account = binding["subjects"][0]["name"].as<std::string>();
        QCOMPARE(findObject(row.objects, "ServiceAccount")["metadata"]["name"].as<std::string>(), account);
        QCOMPARE(binding["subjects"][0]["namespace"].as<std::string>(), row.plan.namespaceName);
        // The pods that need the SCC run under that account.
        for (const YAML::Node &doc : parseAll(row.objects)) {
            const std::string kind = doc["kind"].as<std::string>();
            if (kind == "InferenceService")
                QCOMPARE(doc["spec"]["predictor"]["serviceAccountName"].as<std::string>(), account);
            if (kind == "Deployment" || kind == "LeaderWorkerSet") {
                for (const YAML::Node &spec : podSpecs(doc))
                    QCOMPARE(spec["serviceAccountName"].as<std::string>(), account);
            }
        }
    }
}

void TestDeployRender::selectorsMatchTemplateLabels()
{
    for (const MatrixRow &row : m_rows) {
        if (!row.expectValid)
            continue;
        const YAML::Node service = findObject(row.objects, "Service");
        if (row.plan.mode == Mode::Deployment) {
            const YAML::Node deployment = findObject(row.objects, "Deployment");
            const YAML::Node templateLabels = deployment["spec"]["template"]["metadata"]["labels"];
            QVERIFY2(isSubset(deployment["spec"]["selector"]["matchLabels"], templateLabels), qPrintable(row.name));
            QVERIFY2(isSubset(service["spec"]["selector"], templateLabels), qPrintable(row.name));
        } else if (row.plan.mode == Mode::Lws) {
            const YAML::Node lws = findObject(row.objects, "LeaderWorkerSet");
            YAML::Node leaderLabels = YAML::Clone(lws["spec"]["leaderWorkerTemplate"]["leaderTemplate"]["metadata"]["labels"]);
            YAML::Node workerLabels = YAML::Clone(lws["spec"]["leaderWorkerTemplate"]["workerTemplate"]["metadata"]["labels"]);
            // The LWS controller adds its name label to every pod of the set.
            leaderLabels["leaderworkerset.sigs.k8s.io/name"] = row.plan.name;
            workerLabels["leaderworkerset.sigs.k8s.io/name"] = row.plan.name;
            QVERIFY2(isSubset(service["spec"]["selector"], leaderLabels), qPrintable(row.name));
            QVERIFY2(!isSubset(service["spec"]["selector"], workerLabels), qPrintable(row.name));
        } else {
            QVERIFY2(!service.IsDefined() || service.IsNull(), qPrintable(row.name)); // KServe creates its own
        }
        // The Route / Ingress points at the Service clients use.
        const std::string expectedService = objectNames(row.plan).service;
        if (row.plan.platform == Platform::OpenShift)
            QCOMPARE(findObject(row.objects, "Route")["spec"]["to"]["name"].as<std::string>(), expectedService);
        else if (row.plan.mode != Mode::KServe)
            QCOMPARE(findObject(row.objects, "Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
                         .as<std::string>(),
                     expectedService);
    }
}

void TestDeployRender::guideCommandLines_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("guideIndex");
    QTest::addColumn<bool>("worker");
    QTest::addRow("§3.3 Deployment") << int(Mode::Deployment) << 0 << false;
    QTest::addRow("§4.5 ServingRuntime") << int(Mode::KServe) << 1 << false;
    QTest::addRow("§5.2 LWS leader") << int(Mode::Lws) << 2 << false;
    QTest::addRow("§5.2 LWS worker") << int(Mode::Lws) << 3 << true;
}

void TestDeployRender::guideCommandLines()
{
    QFETCH(int, mode);
    QFETCH(int, guideIndex);
    QFETCH(bool, worker);
    const auto guide = guideLaunchLists();
    QCOMPARE(int(guide.size()), 4);
    const auto rendered = render(guidePlan(Mode(mode)));
    QVERIFY2(rendered.ok(), rendered.ok() ? "" : rendered.message().c_str());

    std::vector<std::string> command, args;
    if (Mode(mode) == Mode::Deployment) {
        const YAML::Node c = findObject(rendered.value(), "Deployment")["spec"]["template"]["spec"]["containers"][0];
        command = stringList(c["command"]);
        QVERIFY(!c["args"]);
        QCOMPARE(command, guide[guideIndex]); // the guide puts it all in `command`
    } else if (Mode(mode) == Mode::KServe) {
        const YAML::Node c = findObject(rendered.value(), "ServingRuntime")["spec"]["containers"][0];
        QCOMPARE(c["name"].as<std::string>(), std::string("kserve-container"));
        QCOMPARE(stringList(c["command"]), std::vector<std::string>{"python3"}); // as in the guide
        QCOMPARE(stringList(c["args"]), guide[guideIndex]);
    } else {
        const YAML::Node group = findObject(rendered.value(), "LeaderWorkerSet")["spec"]["leaderWorkerTemplate"];
        const YAML::Node c = group[worker ? "workerTemplate" : "leaderTemplate"]["spec"]["containers"][0];
        command = stringList(c["command"]);
        if (command != guide[guideIndex])
            qWarning().noquote() << "rendered:" << joined(command) << "\nguide:   " << joined(guide[guideIndex]);
        QCOMPARE(command, guide[guideIndex]);
        // The guide's environment: NCCL_IB_GID_INDEX=3, LWS_WORKER_INDEX from the worker-index label.
        QCOMPARE(c["env"][0]["name"].as<std::string>(), std::string("NCCL_IB_GID_INDEX"));
        QCOMPARE(c["env"][0]["value"].as<std::string>(), std::string("3"));
        QCOMPARE(c["env"][1]["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>(),
                 std::string("metadata.labels['leaderworkerset.sigs.k8s.io/worker-index']"));
        QCOMPARE(group["size"].as<int>(), 2);
        QCOMPARE(group["restartPolicy"].as<std::string>(), std::string("RecreateGroupOnPodRestart"));
        QCOMPARE(bool(c["readinessProbe"]), !worker);
    }
}

void TestDeployRender::slipwayRuntimeTakesTheSameFlags()
{
    for (Mode mode : {Mode::Deployment, Mode::KServe, Mode::Lws}) {
        DeploymentPlan sglang = guidePlan(mode);
        DeploymentPlan slipway = sglang;
        slipway.runtime = Runtime::Slipway;
        slipway.image.clear(); // the guide plan names the guide's SGLang image
        QCOMPARE(serverFlags(slipway, ServerRole::Leader), serverFlags(sglang, ServerRole::Leader));
        const auto argv = serverCommand(slipway, mode == Mode::Lws ? ServerRole::Leader : ServerRole::Single).argv();
        QCOMPARE(argv.front(), std::string("slipway-engine"));
        QCOMPARE(std::vector<std::string>(argv.begin() + 1, argv.end()),
                 serverFlags(sglang, mode == Mode::Lws ? ServerRole::Leader : ServerRole::Single));
        QVERIFY(effectiveImage(slipway).rfind("quay.io/slipway/slipway-engine:", 0) == 0);
        slipway.image = "registry.example.com/ai/slipway-engine:dev";
        QCOMPARE(effectiveImage(slipway), slipway.image);
    }
}

void TestDeployRender::lwsWithoutRwxUsesTheGuidesTwoClaims()
{
    const auto rendered = render(guidePlan(Mode::Lws));
    QVERIFY(rendered.ok());
    QCOMPARE(countKind(rendered.value(), "PersistentVolumeClaim"), 2);
    QCOMPARE(countKind(rendered.value(), "Pod"), 2);
    const YAML::Node group = findObject(rendered.value(), "LeaderWorkerSet")["spec"]["leaderWorkerTemplate"];
    const auto claimOf = [](const YAML::Node &spec) {
        for (const YAML::Node &volume : spec["volumes"]) {
            if (volume["persistentVolumeClaim"])
                return volume["persistentVolumeClaim"]["claimName"].as<std::string>();
        }
        return std::string();
    };
    QCOMPARE(claimOf(group["leaderTemplate"]["spec"]), std::string("deepseek-standalone-models-leader"));
    QCOMPARE(claimOf(group["workerTemplate"]["spec"]), std::string("deepseek-standalone-models-worker"));
    for (const YAML::Node &doc : parseAll(rendered.value())) {
        if (doc["kind"].as<std::string>() == "PersistentVolumeClaim")
            QCOMPARE(stringList(doc["spec"]["accessModes"]), std::vector<std::string>{"ReadWriteOnce"});
    }
    // With RWX: one shared claim and one loader.
    DeploymentPlan shared = guidePlan(Mode::Lws);
    shared.rwx = true;
    const auto sharedRendered = render(shared);
    QVERIFY(sharedRendered.ok());
    QCOMPARE(countKind(sharedRendered.value(), "PersistentVolumeClaim"), 1);
    QCOMPARE(stringList(findObject(sharedRendered.value(), "PersistentVolumeClaim")["spec"]["accessModes"]),
             std::vector<std::string>{"ReadWriteMany"});
    // The leader Service is not the LWS's own headless Service name.
    QCOMPARE(findObject(sharedRendered.value(), "Service")["metadata"]["name"].as<std::string>(),
             std::string("deepseek-standalone-leader"));
}

void TestDeployRender::kserveCarriesDashboardMetadataAndStorageUri()
{
    DeploymentPlan plan = validPlan(Mode::KServe, Storage::S3);
    const auto rendered = render(plan);
    QVERIFY(rendered.ok());
    const YAML::Node runtime = findObject(rendered.value(), "ServingRuntime");
    const YAML::Node isvc = findObject(rendered.value(), "InferenceService");
    QCOMPARE(runtime["metadata"]["labels"]["opendatahub.io/dashboard"].as<std::string>(), std::string("true"));
    QCOMPARE(runtime["metadata"]["annotations"]["opendatahub.io/recommended-accelerators"].as<std::string>(),
             std::string("[\"nvidia.com/gpu\"]"));
    QVERIFY(runtime["metadata"]["annotations"]["openshift.io/display-name"]);
    QCOMPARE(runtime["metadata"]["name"].as<std::string>(), isvc["metadata"]["name"].as<std::string>());
    QCOMPARE(isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"].as<std::string>(), std::string("RawDeployment"));
    QCOMPARE(isvc["metadata"]["labels"]["opendatahub.io/dashboard"].as<std::string>(), std::string("true"));
    QCOMPARE(isvc["spec"]["predictor"]["model"]["storageUri"].as<std::string>(),
             std::string("s3://openshift/mymodel/deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(isvc["spec"]["predictor"]["model"]["runtime"].as<std::string>(), runtime["metadata"]["name"].as<std::string>());
    // The runtime reads /mnt/models, where the storage initializer puts the model.
    const auto args = stringList(runtime["spec"]["containers"][0]["args"]);
    QCOMPARE(args[std::find(args.begin(), args.end(), "--model-path") - args.begin() + 1], std::string("/mnt/models"));
    // The Secret KServe reads, attached to the predictor's ServiceAccount.
    const YAML::Node secret = findObject(rendered.value(), "Secret");
    QCOMPARE(secret["metadata"]["annotations"]["serving.kserve.io/s3-endpoint"].as<std::string>(),
             std::string("minio-svc.minio-store.svc.cluster.local:9000"));
    QCOMPARE(secret["metadata"]["annotations"]["serving.kserve.io/s3-usehttps"].as<std::string>(), std::string("0"));
    QCOMPARE(secret["stringData"]["AWS_ACCESS_KEY_ID"].as<std::string>(), std::string("openshift"));
    const YAML::Node account = findObject(rendered.value(), "ServiceAccount");
    QCOMPARE(account["secrets"][0]["name"].as<std::string>(), secret["metadata"]["name"].as<std::string>());
    QCOMPARE(isvc["spec"]["predictor"]["serviceAccountName"].as<std::string>(), account["metadata"]["name"].as<std::string>());
    // The Route reaches KServe's predictor Service.
    QCOMPARE(findObject(rendered.value(), "Route")["spec"]["to"]["name"].as<std::string>(), std::string("ds-r1-7b-predictor"));

    // PVC storage: pvc://claim/folder, and the loader pod to fill it.
    const auto pvcRendered = render(validPlan(Mode::KServe, Storage::Pvc));
    QVERIFY(pvcRendered.ok());
    QCOMPARE(findObject(pvcRendered.value(), "InferenceService")["spec"]["predictor"]["model"]["storageUri"].as<std::string>(),
             std::string("pvc://ds-r1-7b-models/DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(countKind(pvcRendered.value(), "Pod"), 1);
    QCOMPARE(countKind(pvcRendered.value(), "Secret"), 0);
}

void TestDeployRender::downloadUsesTheConfiguredEndpoint()
{
    DeploymentPlan plan = validPlan(Mode::Deployment, Storage::Download);
    plan.download.endpoint = "https://hf-mirror.com";
    plan.download.revision = "v1.0";
    const auto rendered = render(plan);
    QVERIFY(rendered.ok());
    const YAML::Node job = findObject(rendered.value(), "Job");
    const YAML::Node container = job["spec"]["template"]["spec"]["containers"][0];
    QMap<QString, QString> env;
    for (const YAML::Node &e : container["env"]) {
        if (e["value"])
            env[QString::fromStdString(e["name"].as<std::string>())] = QString::fromStdString(e["value"].as<std::string>());
    }
    QCOMPARE(env.value("HF_ENDPOINT"), QStringLiteral("https://hf-mirror.com"));
    QCOMPARE(env.value("MODEL_ID"), QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(env.value("MODEL_REVISION"), QStringLiteral("v1.0"));
    QCOMPARE(env.value("TARGET_DIR"), QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-7B"));
    // The script is valid Python source and free of $( ... ), which the kubelet would expand.
    const std::string script = stringList(container["command"])[2];
    QVERIFY(script.find("$(") == std::string::npos);
    QVERIFY(script.find("/api/models/") != std::string::npos);
    QProcess python;
    python.start(QStringLiteral("python3"), {QStringLiteral("-c"),
                                             QStringLiteral("import ast,sys; ast.parse(sys.stdin.read())")});
    if (python.waitForStarted(5000)) {
        python.write(QByteArray::fromStdString(script));
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(10000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }
    // The server waits for the download in an init container, mounting the same claim.
    const YAML::Node spec = findObject(rendered.value(), "Deployment")["spec"]["template"]["spec"];
    QCOMPARE(spec["initContainers"][0]["name"].as<std::string>(), std::string("wait-for-model"));

    // LWS without RWX: every pod downloads into its own ephemeral volume; no Job, no PVC.
    DeploymentPlan lws = validPlan(Mode::Lws, Storage::Download);
    const auto lwsRendered = render(lws);
    QVERIFY(lwsRendered.ok());
    QCOMPARE(countKind(lwsRendered.value(), "Job"), 0);
    QCOMPARE(countKind(lwsRendered.value(), "PersistentVolumeClaim"), 0);
    const YAML::Node worker = findObject(lwsRendered.value(), "LeaderWorkerSet")["spec"]["leaderWorkerTemplate"]["workerTemplate"]["spec"];
    QCOMPARE(worker["initContainers"][0]["name"].as<std::string>(), std::string("download"));
    bool ephemeral = false;
    for (const YAML::Node &volume : worker["volumes"])
        ephemeral = ephemeral || bool(volume["ephemeral"]);
    QVERIFY(ephemeral);
}

void TestDeployRender::rdmaAddsIpcLockOnlyWhenAsked()
{
    for (Security security : {Security::Privileged, Security::Restricted}) {
        DeploymentPlan plan = validPlan(Mode::Lws, Storage::Pvc);
        plan.rwx = true;
        plan.security = security;
        for (bool rdma : {false, true}) {
            plan.rdma = rdma;
            const auto rendered = render(plan);
            QVERIFY(rendered.ok());
            const std::string yaml = toYamlStream(rendered.value());
            QCOMPARE(yaml.find("IPC_LOCK") != std::string::npos, rdma && security == Security::Restricted);
            QCOMPARE(yaml.find("rdma/rdma_shared_device_a") != std::string::npos, rdma);
        }
    }
}

void TestDeployRender::numericStringsStayStrings()
{
    const auto rendered = render(guidePlan(Mode::Deployment));
    QVERIFY(rendered.ok());
    std::string yaml;
    for (const RenderedObject &object : rendered.value()) {
        if (object.kind == "Deployment")
            yaml = object.yaml;
    }
    QVERIFY(yaml.find("- \"0.93\"") != std::string::npos);
    QVERIFY(yaml.find("- \"8\"") != std::string::npos);
    QVERIFY(yaml.find("- \"0.0.0.0\"") != std::string::npos);
    QVERIFY(yaml.find("- \"40000\"") != std::string::npos);
    QVERIFY(yaml.find("value: \"3\"") != std::string::npos);
    QVERIFY(yaml.find('\t') == std::string::npos);
}

// The bucket path as operators type it ("/models/r1/", "models/r1") names one key prefix; the
// s3:// URI that KServe, the sync container and the console use is built from it.
void TestDeployRender::s3UriTrimsTheKeyPrefix()
{
    DeploymentPlan plan;
    plan.s3.bucket = "models";
    const QList<QPair<QString, QString>> cases{{"/deepseek/r1-7b/", "deepseek/r1-7b"},
                                               {"deepseek/r1-7b", "deepseek/r1-7b"},
                                               {"//a//b//", "a//b"},
                                               {"", ""},
                                               {"///", ""}};
    for (const auto &[path, prefix] : cases) {
        plan.s3.path = path.toStdString();
        QCOMPARE(QString::fromStdString(s3KeyPrefix(plan)), prefix);
        QCOMPARE(QString::fromStdString(s3Uri(plan)),
                 prefix.isEmpty() ? QStringLiteral("s3://models") : "s3://models/" + prefix);
    }
}

QTEST_GUILESS_MAIN(TestDeployRender)
#include "test_deploy_render.moc"
