// core/deploy validation and output: each bad plan is refused with a message that says what to
// change and nothing is written; writeToDirectory is all or nothing; the test commands are
// correct shell and correct JSON; enum names and quantities round-trip.
#include "deploy_test_support.h"

#include "deploy/names.h"
#include "deploy/server_command.h"
#include "deploy/test_commands.h"
#include "deploy/validate.h"
#include "deploy/yaml_doc.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace deploytest;

using Mutation = std::function<void(DeploymentPlan &)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

// What slipway-cli render -o DIR does: render, and write only when rendering succeeded.
std::string renderInto(const DeploymentPlan &plan, const QString &dir)
{
    const auto rendered = render(plan);
    if (!rendered.ok())
        return rendered.message();
    const auto written = writeToDirectory(rendered.value(), dir.toStdString());
    return written.ok() ? std::string() : written.message();
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

// Runs a rendered curl command in sh with curl replaced by a function that prints its arguments,
// one per line: proves the quoting survives a real shell.
QStringList shellArguments(const std::string &command)
{
    QProcess sh;
    sh.start(QStringLiteral("sh"), {QStringLiteral("-c"),
                                    QStringLiteral("curl() { for a in \"$@\"; do printf '%s\\n' \"$a\"; done; }\n") +
                                        QString::fromStdString(command)});
    if (!sh.waitForFinished(10000) || sh.exitCode() != 0)
        return {};
    QString out = QString::fromUtf8(sh.readAllStandardOutput());
    if (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    return out.split(QLatin1Char('\n'));
}

} // namespace

class TestDeployValidate final : public QObject {
    Q_OBJECT

private slots:
    void validPlansPass_data();
    void validPlansPass();
    void badPlansAreRefusedAndWriteNothing_data();
    void badPlansAreRefusedAndWriteNothing();
    void writeToDirectoryCreatesEveryFile();
    void writeToDirectoryIsAllOrNothing();
    void yamlStreamHasOneDocumentPerObject();
    void testCommandsAreValidShellAndJson();
    void enumNamesRoundTrip();
    void quantitiesAndDecimals();
    void namesFollowDnsRules();
    void yamlQuotesWhatWouldChangeType();
    void notesTellWhatToDoBesidesApplying();
};

void TestDeployValidate::validPlansPass_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("storage");
    for (Mode mode : {Mode::Deployment, Mode::KServe, Mode::Lws}) {
        for (Storage storage : {Storage::Pvc, Storage::S3, Storage::Download, Storage::Image}) {
            QTest::addRow("%s %s", modeName(mode).data(), storageName(storage).data()) << int(mode) << int(storage);
        }
    }
}

void TestDeployValidate::validPlansPass()
{
    QFETCH(int, mode);
    QFETCH(int, storage);
    const auto result = validate(validPlan(Mode(mode), Storage(storage)));
    QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
}

void TestDeployValidate::badPlansAreRefusedAndWriteNothing_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("storage");
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, Mode mode, Storage storage, Mutation mutate, const char *expected) {
        QTest::newRow(name) << int(mode) << int(storage) << mutate << QString::fromUtf8(expected);
    };
    const Mode D = Mode::Deployment, K = Mode::KServe, L = Mode::Lws;
    const Storage P = Storage::Pvc, S = Storage::S3, W = Storage::Download, I = Storage::Image;

    row("upper-case name", D, P, [](DeploymentPlan &p) { p.name = "DeepSeek_7B"; }, "name 'DeepSeek_7B' is not a valid name: use lower-case letters");
    row("name starting with a digit", L, P, [](DeploymentPlan &p) { p.name = "7b-model"; }, "starting with a letter");
    row("name too long", D, P, [](DeploymentPlan &p) { p.name = std::string(43, 'a'); }, "use at most 42");
    row("invalid namespace", D, P, [](DeploymentPlan &p) { p.namespaceName = "LLM Serving"; }, "namespace 'LLM Serving' is not a valid namespace");
    row("route host too long", D, P,
        [](DeploymentPlan &p) { p.name = std::string(30, 'a'); p.namespaceName = std::string(33, 'b'); },
        "shorten the name or the namespace, or set the route host");
    row("tp != nodes x gpus", L, P, [](DeploymentPlan &p) { p.tp = 4; }, "tp 4 must equal nodes x GPUs per node (2 x 1 = 2)");
    row("tp below gpus on one node", D, P, [](DeploymentPlan &p) { p.gpusPerNode = 2; }, "tp 1 must equal nodes x GPUs per node (1 x 2 = 2)");
    row("tp zero", D, P, [](DeploymentPlan &p) { p.tp = 0; }, "tensor parallelism must be at least 1");
    row("deployment on two nodes", D, P, [](DeploymentPlan &p) { p.nodes = 2; p.tp = 2; }, "use mode lws");
    row("kserve on two nodes", K, S, [](DeploymentPlan &p) { p.nodes = 2; p.tp = 2; }, "use mode lws");
    row("lws on one node", L, P, [](DeploymentPlan &p) { p.nodes = 1; p.tp = 1; }, "use mode deployment");
    row("missing S3 bucket", K, S, [](DeploymentPlan &p) { p.s3.bucket.clear(); }, "storage s3 needs the S3 bucket");
    row("missing S3 endpoint", D, S, [](DeploymentPlan &p) { p.s3.endpoint.clear(); }, "storage s3 needs the S3 endpoint");
    row("S3 endpoint without scheme", K, S, [](DeploymentPlan &p) { p.s3.endpoint = "minio:9000"; }, "must be a URL starting with http://");
    row("S3 without credentials", K, S,
        [](DeploymentPlan &p) { p.s3.accessKeyId.clear(); p.s3.secretAccessKey.clear(); }, "storage s3 needs credentials");
    row("S3 credentials twice", K, S, [](DeploymentPlan &p) { p.s3.existingSecret = "minio-creds"; }, "give either the access keys or an existing Secret");
    row("download without model id", D, W, [](DeploymentPlan &p) { p.modelId.clear(); p.modelDir = "m"; }, "needs a Hugging Face model id of the form owner/name");
    row("download endpoint not a URL", D, W, [](DeploymentPlan &p) { p.download.endpoint = "hf-mirror.com"; }, "download endpoint 'hf-mirror.com' must be a URL");
    row("lws 4 nodes on RWO PVC", L, P, [](DeploymentPlan &p) { p.nodes = 4; p.tp = 4; }, "use --rwx (ReadWriteMany storage), or storage download or s3");
    row("replicas on RWO PVC", D, P, [](DeploymentPlan &p) { p.replicas = 2; }, "use --rwx (ReadWriteMany storage) or 1 replica");
    row("image without model path", D, I, [](DeploymentPlan &p) { p.imageModelPath.clear(); }, "storage image needs the model's absolute path");
    row("port out of range", D, P, [](DeploymentPlan &p) { p.port = 70000; }, "port 70000 is out of range");
    row("restricted low port", D, P, [](DeploymentPlan &p) { p.security = Security::Restricted; p.port = 80; }, "use a port of 1024 or more");
    row("rendezvous port equals http port", L, P, [](DeploymentPlan &p) { p.distPort = p.port; }, "give them different values");
    row("shm above memory limit", D, P, [](DeploymentPlan &p) { p.shmBytes = p.memoryLimitBytes; }, "raise the memory limit or shrink /dev/shm");
    row("cpu limit below request", D, P, [](DeploymentPlan &p) { p.cpuLimitMillis = 4000; }, "CPU limit 4 is below the request 8");
    row("memory limit below request", D, P, [](DeploymentPlan &p) { p.memoryLimitBytes = 16ull << 30; }, "memory limit 16Gi is below the request 32Gi");
    row("extra arg repeats --tp", D, P, [](DeploymentPlan &p) { p.extraArgs = {"--tp=2"}; }, "repeats a flag Slipway sets");
    row("mem fraction above 1", D, P, [](DeploymentPlan &p) { p.memFractionStatic = 1.5; }, "must be between 0 and 1");
    row("invalid storage class", D, P, [](DeploymentPlan &p) { p.storageClass = "Fast_SSD"; }, "storage class 'Fast_SSD' is not a valid name");
    row("model folder escapes the volume", D, P, [](DeploymentPlan &p) { p.modelDir = "../etc"; }, "must be a relative path inside the volume");
    row("startup timeout too short", D, P, [](DeploymentPlan &p) { p.startupTimeoutSeconds = 10; }, "use at least 60 s");
    row("empty image", D, P, [](DeploymentPlan &p) { p.image = "bad image"; }, "server image 'bad image' is not an image reference");
}

void TestDeployValidate::badPlansAreRefusedAndWriteNothing()
{
    QFETCH(int, mode);
    QFETCH(int, storage);
    QFETCH(Mutation, mutate);
    QFETCH(QString, expected);
    DeploymentPlan plan = validPlan(Mode(mode), Storage(storage));
    QVERIFY(validate(plan).ok());
    mutate(plan);
    const auto result = validate(plan);
    QVERIFY(!result.ok());
    const QString message = QString::fromStdString(result.message());
    QVERIFY2(message.contains(expected), qPrintable(QStringLiteral("message was: ") + message));

    QTemporaryDir root;
    const QString existing = root.filePath(QStringLiteral("existing"));
    QVERIFY(QDir().mkpath(existing));
    QCOMPARE(QString::fromStdString(renderInto(plan, existing)), message);
    QVERIFY(entries(existing).isEmpty());
    const QString fresh = root.filePath(QStringLiteral("fresh"));
    QCOMPARE(QString::fromStdString(renderInto(plan, fresh)), message);
    QVERIFY(!QFileInfo::exists(fresh));
    QCOMPARE(entries(root.path()), QStringList{QStringLiteral("existing")});
}

void TestDeployValidate::writeToDirectoryCreatesEveryFile()
{
    const auto rendered = render(validPlan(Mode::KServe, Storage::S3));
    QVERIFY(rendered.ok());
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("out/"));
    const auto written = writeToDirectory(rendered.value(), dir.toStdString());
    QVERIFY2(written.ok(), written.ok() ? "" : written.message().c_str());
    QStringList expected;
    for (const RenderedObject &object : rendered.value()) {
        expected << QString::fromStdString(object.fileName);
        QFile file(QDir(dir).filePath(QString::fromStdString(object.fileName)));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), object.yaml);
        if (object.kind == "Secret")
            QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }
    expected.sort();
    QCOMPARE(entries(dir), expected);
    QVERIFY(expected.first().startsWith(QStringLiteral("01-serviceaccount-")));
    QCOMPARE(entries(root.path()), QStringList{QStringLiteral("out")}); // no staging folder left behind

    // Writing again into the existing folder replaces the files in place.
    QVERIFY(writeToDirectory(rendered.value(), dir.toStdString()).ok());
    QCOMPARE(entries(dir), expected);
}

void TestDeployValidate::writeToDirectoryIsAllOrNothing()
{
    const auto rendered = render(validPlan(Mode::Deployment, Storage::Pvc));
    QVERIFY(rendered.ok());
    QTemporaryDir root;

    // Two objects for one file: refused before anything is written.
    std::vector<RenderedObject> clash = rendered.value();
    clash.back().fileName = clash.front().fileName;
    const QString dir = root.filePath(QStringLiteral("clash"));
    const auto clashed = writeToDirectory(clash, dir.toStdString());
    QVERIFY(!clashed.ok());
    QVERIFY(QString::fromStdString(clashed.message()).contains(QStringLiteral("same file")));
    QVERIFY(!QFileInfo::exists(dir));

    // A folder where a file must go: refused, the existing folder is left as it was.
    const QString blocked = root.filePath(QStringLiteral("blocked"));
    QVERIFY(QDir().mkpath(blocked + QLatin1Char('/') + QString::fromStdString(rendered.value().back().fileName)));
    const auto blockedResult = writeToDirectory(rendered.value(), blocked.toStdString());
    QVERIFY(!blockedResult.ok());
    QVERIFY(QString::fromStdString(blockedResult.message()).contains(QStringLiteral("in the way")));
    QCOMPARE(entries(blocked).size(), 1);

    // The output path is a file.
    const QString file = root.filePath(QStringLiteral("file.yaml"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const auto onFile = writeToDirectory(rendered.value(), file.toStdString());
    QVERIFY(!onFile.ok());
    QVERIFY(QString::fromStdString(onFile.message()).contains(QStringLiteral("is not a folder")));

    // A missing parent folder.
    const auto noParent = writeToDirectory(rendered.value(), root.filePath(QStringLiteral("a/b/c")).toStdString());
    QVERIFY(!noParent.ok());
    QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("a"))));
    QCOMPARE(entries(root.path()).size(), 2); // blocked/ and file.yaml only: no staging folders left
}

void TestDeployValidate::yamlStreamHasOneDocumentPerObject()
{
    const auto rendered = render(validPlan(Mode::Lws, Storage::S3));
    QVERIFY(rendered.ok());
    const std::string stream = toYamlStream(rendered.value());
    const std::vector<YAML::Node> documents = YAML::LoadAll(stream);
    QCOMPARE(documents.size(), rendered.value().size());
    for (std::size_t i = 0; i < documents.size(); ++i) {
        QCOMPARE(documents[i]["kind"].as<std::string>(), rendered.value()[i].kind);
        QCOMPARE(documents[i]["metadata"]["name"].as<std::string>(), rendered.value()[i].name);
    }
    QVERIFY(stream.rfind("---\n", 0) == 0);
}

void TestDeployValidate::testCommandsAreValidShellAndJson()
{
    DeploymentPlan plan = validPlan(Mode::Deployment, Storage::Pvc);
    plan.servedModelName = "DeepSeek-R1-Distill-Qwen-7B";
    const TestCommands commands = testCommands(plan, {}, "What's the meaning of life?");
    QCOMPARE(commands.baseUrl, std::string("http://ds-r1-7b.llm-serving.svc.cluster.local:40000"));

    const QStringList completion = shellArguments(commands.completions);
    QVERIFY2(completion.size() >= 6, commands.completions.c_str());
    QCOMPARE(completion[1], QStringLiteral("http://ds-r1-7b.llm-serving.svc.cluster.local:40000/v1/completions"));
    QCOMPARE(completion[completion.indexOf(QStringLiteral("-H")) + 1], QStringLiteral("Content-Type: application/json"));
    QJsonParseError error;
    const QJsonObject body = QJsonDocument::fromJson(completion.last().toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(body.value("model").toString(), QStringLiteral("DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(body.value("prompt").toString(), QStringLiteral("What's the meaning of life?"));
    QVERIFY(!body.contains("role")); // the guide's mistake: not a field of /v1/completions
    QVERIFY(!body.contains("messages"));

    const QStringList chat = shellArguments(commands.chatCompletions);
    QVERIFY(!chat.isEmpty());
    QVERIFY(chat[1].endsWith(QStringLiteral("/v1/chat/completions")));
    const QJsonObject chatBody = QJsonDocument::fromJson(chat.last().toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject message = chatBody.value("messages").toArray().at(0).toObject();
    QCOMPARE(message.value("role").toString(), QStringLiteral("user"));
    QCOMPARE(message.value("content").toString(), QStringLiteral("What's the meaning of life?"));

    QCOMPARE(shellArguments(commands.models).value(1), QStringLiteral("http://ds-r1-7b.llm-serving.svc.cluster.local:40000/v1/models"));

    // KServe: the predictor Service on port 80, and the model name SGLang reports (/mnt/models).
    DeploymentPlan kserve = validPlan(Mode::KServe, Storage::S3);
    const TestCommands kserveCommands = testCommands(kserve, "https://ds.apps.example.com/", "hi", true);
    QCOMPARE(kserveCommands.baseUrl, std::string("https://ds.apps.example.com"));
    const QStringList kserveArgs = shellArguments(kserveCommands.completions);
    QVERIFY(kserveArgs.contains(QStringLiteral("-k")));
    QCOMPARE(QJsonDocument::fromJson(kserveArgs.last().toUtf8()).object().value("model").toString(), QStringLiteral("/mnt/models"));
    QCOMPARE(inClusterUrl(kserve), std::string("http://ds-r1-7b-predictor.llm-serving.svc.cluster.local"));
    QCOMPARE(inClusterUrl(validPlan(Mode::Lws, Storage::Pvc)), std::string("http://ds-r1-7b-leader.llm-serving.svc.cluster.local:40000"));
}

void TestDeployValidate::enumNamesRoundTrip()
{
    for (Mode mode : {Mode::Deployment, Mode::KServe, Mode::Lws})
        QCOMPARE(parseMode(modeName(mode)).value(), mode);
    for (Storage storage : {Storage::Pvc, Storage::S3, Storage::Download, Storage::Image})
        QCOMPARE(parseStorage(storageName(storage)).value(), storage);
    QCOMPARE(parseRuntime("slipway").value(), Runtime::Slipway);
    QCOMPARE(parsePlatform("kubernetes").value(), Platform::Kubernetes);
    QCOMPARE(parseSecurity("restricted").value(), Security::Restricted);
    const auto bad = parseMode("statefulset");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.message(), std::string("unknown mode 'statefulset': choose one of deployment, kserve, lws"));
}

void TestDeployValidate::quantitiesAndDecimals()
{
    QCOMPARE(cpuQuantity(8000), std::string("8"));
    QCOMPARE(cpuQuantity(8500), std::string("8500m"));
    QCOMPARE(memoryQuantity(64ull << 30), std::string("64Gi"));
    QCOMPARE(memoryQuantity(1536ull << 20), std::string("1536Mi"));
    QCOMPARE(memoryQuantity(2ull << 40), std::string("2Ti"));
    QCOMPARE(memoryQuantity(1000), std::string("1000"));
    QCOMPARE(formatDecimal(0.93), std::string("0.93"));
    QCOMPARE(formatDecimal(0.9), std::string("0.9"));
}

void TestDeployValidate::namesFollowDnsRules()
{
    QVERIFY(isDns1035Label("deepseek-r1"));
    QVERIFY(!isDns1035Label("7b"));
    QVERIFY(isDns1123Label("7b"));
    QVERIFY(!isDns1123Label("-a"));
    QVERIFY(!isDns1123Label("a-"));
    QVERIFY(!isDns1123Label(std::string(64, 'a')));
    QVERIFY(isDns1123Subdomain("ds.apps.example.com"));
    QVERIFY(!isDns1123Subdomain("ds..example"));
    QVERIFY(!isDns1123Subdomain("Upper.example"));
    // Every derived name of the longest accepted plan name stays a valid 63-character label.
    DeploymentPlan plan = validPlan(Mode::Lws, Storage::Pvc);
    plan.name = std::string(kMaxPlanNameLength, 'a');
    const ObjectNames names = objectNames(plan);
    for (const std::string &name : {names.sccRoleBinding, names.leaderLoaderPod, names.workerLoaderPod, names.workerClaim,
                                    names.downloadJob, names.service}) {
        QVERIFY2(isDns1123Label(name), name.c_str());
    }
}

void TestDeployValidate::yamlQuotesWhatWouldChangeType()
{
    for (const char *text : {"8", "0.93", "0.0.0.0", "yes", "No", "on", "OFF", "y", "true", "null", "~", "", "1e3", "0x1F",
                             "-1", ".5", "+1", "12:30", "2024-01-01"}) {
        QVERIFY2(yamlStringNeedsQuotes(text), text);
    }
    for (const char *text : {"--model-path", "/mnt/models", "python3", "$(LWS_GROUP_SIZE)", "sglang.launch_server", "-m"})
        QVERIFY2(!yamlStringNeedsQuotes(text), text);
    // Strings come back as the same strings, integers as integers.
    YamlValue doc = YamlValue::map();
    doc.set("args", YamlValue::sequence({"8", "yes", "0.93", "--tp", "it's: tricky #1", "[\"nvidia.com/gpu\"]"}));
    doc.set("port", 40000);
    const YAML::Node parsed = YAML::Load(emitYaml(doc));
    QCOMPARE(stringList(parsed["args"]), (std::vector<std::string>{"8", "yes", "0.93", "--tp", "it's: tricky #1", "[\"nvidia.com/gpu\"]"}));
    QCOMPARE(parsed["args"][0].Tag(), std::string("!")); // quoted, so not an integer
    QCOMPARE(parsed["port"].as<int>(), 40000);
    QCOMPARE(parsed["port"].Tag(), std::string("?"));    // plain, so an integer
}

void TestDeployValidate::notesTellWhatToDoBesidesApplying()
{
    const auto joinedNotes = [](const DeploymentPlan &plan) {
        std::string all;
        for (const slipway::Message &note : planNotes(plan))
            all += note.english + "\n";
        return QString::fromStdString(all);
    };
    const QString pvc = joinedNotes(validPlan(Mode::Deployment, Storage::Pvc));
    QVERIFY2(pvc.contains(QStringLiteral("oc cp ./DeepSeek-R1-Distill-Qwen-7B llm-serving/ds-r1-7b-loader:/models/")), qPrintable(pvc));
    DeploymentPlan lws = validPlan(Mode::Lws, Storage::Pvc);
    lws.platform = Platform::Kubernetes;
    const QString lwsNotes = joinedNotes(lws);
    QVERIFY(lwsNotes.contains(QStringLiteral("kubectl cp ./DeepSeek-R1-Distill-Qwen-7B llm-serving/ds-r1-7b-loader-leader:/models/")));
    QVERIFY(lwsNotes.contains(QStringLiteral("ds-r1-7b-loader-worker")));
    QVERIFY(lwsNotes.contains(QStringLiteral("pod-security.kubernetes.io/enforce=privileged")));
    QVERIFY(lwsNotes.contains(QStringLiteral("LeaderWorkerSet controller")));
    lws.createNamespace = true; // the rendered Namespace carries the label itself
    QVERIFY(!joinedNotes(lws).contains(QStringLiteral("pod-security")));
    DeploymentPlan rdma = validPlan(Mode::Lws, Storage::S3);
    rdma.security = Security::Restricted;
    rdma.rdma = true;
    QVERIFY(joinedNotes(rdma).contains(QStringLiteral("IPC_LOCK")));
    QVERIFY(joinedNotes(validPlan(Mode::KServe, Storage::S3)).contains(QStringLiteral("storage initializer")));
}

QTEST_GUILESS_MAIN(TestDeployValidate)
#include "test_deploy_validate.moc"
