// core/kube's client against the Kubernetes API test server over HTTPS with its own CA:
// discovery, server-side apply (dry run, conflicts naming the manager, force), every object
// core/deploy renders, scale, delete, access reviews, 401/403 handling, credentials from token
// files, exec plugins and client certificates, events and the service proxy.
#include "kube_test_server.h"

#include "deploy/deployment_plan.h"
#include "deploy/render.h"
#include "kube/api_error.h"
#include "kube/client.h"
#include "kube/kubeconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace slipway;
using namespace slipway::kube;
using slipway::testing::KubeTestServer;

namespace {

QJsonObject parse(const std::string &json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text, bool executable = false)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(text);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFile::ExeOwner | QFile::ExeUser);
    return path;
}

// Evaluates `expr` once (it is often a network call).
#define VERIFY_OK(expr)                                                                                    \
    do {                                                                                                   \
        const auto &result_ = (expr);                                                                      \
        QVERIFY2(result_.ok(), result_.ok() ? "" : result_.message().c_str());                             \
    } while (false)
#define VERIFY_CONTAINS(text, part) QVERIFY2(std::string(text).find(part) != std::string::npos, (std::string(text) + "  <- lacks: " + (part)).c_str())

} // namespace

class TestKubeClient : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<KubeTestServer> m_server;
    std::unique_ptr<Client> m_admin;

    void ensureNamespace(const std::string &name)
    {
        auto r = m_admin->apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_admin = std::make_unique<Client>(m_server->connection(KubeTestServer::kAdminToken, "apps"));
        ensureNamespace("apps");
    }

    void discoversVersionAndGroups()
    {
        auto info = m_admin->discover();
        VERIFY_OK(info);
        QCOMPARE(info->gitVersion, std::string("v1.30.4"));
        QVERIFY(info->openShift);
        QVERIFY(info->leaderWorkerSet);
        QVERIFY(info->kserve);
        QVERIFY(info->hasGroup("apps"));

        m_server->control("features", R"({"openshift":false,"lws":false,"kserve":false})");
        Client fresh(m_server->connection());
        auto plain = fresh.discover();
        VERIFY_OK(plain);
        QVERIFY(!plain->openShift);
        QVERIFY(!plain->leaderWorkerSet);
        QVERIFY(!plain->kserve);
        // A kind outside the built-in table is looked up through discovery.
        auto widget = fresh.apply("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
        QVERIFY(!widget.ok());
        VERIFY_CONTAINS(widget.message(), "not served by this cluster");
        m_server->control("features", R"({"openshift":true,"lws":true,"kserve":true})");
    }

    void tlsServerNameIsTheNameTheCertificateIsCheckedAgainst()
    {
        // The server's certificate names 127.0.0.1 and localhost; the URL stays 127.0.0.1.
        const std::string kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n"
                                       "    server: " + m_server->server() + "\n    certificate-authority-data: " +
                                       QByteArray::fromStdString(m_server->caPem()).toBase64().toStdString() +
                                       "\n    tls-server-name: localhost\nusers:\n- name: u\n  user:\n    token: " +
                                       KubeTestServer::kAdminToken + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n";
        auto config = parseKubeconfig(kubeconfig, "/tmp/tls-server-name.yaml");
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        auto connection = connectionForContext(*config);
        QVERIFY(connection.ok());
        QCOMPARE(connection->tls.serverName, std::string("localhost"));
        Client named(*connection);
        auto info = named.discover();
        QVERIFY2(info.ok(), info.ok() ? "" : info.message().c_str());
        // A name the certificate does not hold fails, though the address is the same.
        connection->tls.serverName = "api.elsewhere.example";
        Client wrong(*connection);
        auto refused = wrong.discover();
        QVERIFY(!refused.ok());
        QVERIFY2(refused.message().find("certificate") != std::string::npos || refused.message().find("TLS") != std::string::npos ||
                     refused.message().find("SSL") != std::string::npos,
                 refused.message().c_str());
    }

    void applyCreatesThenUpdates()
    {
        const std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: demo\n"
                                 "data:\n  port: \"40000\"\n  enabled: 'true'\n";
        auto created = m_admin->apply(yaml);
        VERIFY_OK(created);
        QVERIFY(created->created);
        QCOMPARE(created->object.namespaceName, std::string("apps")); // the connection's namespace
        auto again = m_admin->apply(yaml);
        VERIFY_OK(again);
        QVERIFY(!again->created);
        QCOMPARE(again->object.resourceVersion, created->object.resourceVersion); // no change, no new version

        auto got = m_admin->get({"v1", "ConfigMap", "apps", "settings"});
        VERIFY_OK(got);
        const QJsonObject object = parse(got->json);
        // Quoted YAML scalars stay strings.
        QCOMPARE(object["data"].toObject()["port"].toString(), QStringLiteral("40000"));
        QCOMPARE(object["data"].toObject()["enabled"].toString(), QStringLiteral("true"));
        const QJsonArray managed = object["metadata"].toObject()["managedFields"].toArray();
        QCOMPARE(managed.size(), 1);
        QCOMPARE(managed[0].toObject()["manager"].toString(), QStringLiteral("slipway"));
        QCOMPARE(managed[0].toObject()["operation"].toString(), QStringLiteral("Apply"));

        // What went over the wire: PATCH, apply content type, fieldManager=slipway.
        const QJsonArray requests = QJsonDocument::fromJson(QByteArray::fromStdString(m_server->controlGet("requests"))).array();
        QJsonObject last;
        for (const auto &r : requests) {
            if (r.toObject()["method"] == QStringLiteral("PATCH"))
                last = r.toObject();
        }
        QCOMPARE(last["method"].toString(), QStringLiteral("PATCH"));
        QCOMPARE(last["contentType"].toString(), QStringLiteral("application/apply-patch+yaml"));
        QCOMPARE(last["query"].toObject()["fieldManager"].toString(), QStringLiteral("slipway"));

        auto other = m_admin->apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  labels:\n    app: else\n");
        VERIFY_OK(other);
        ListOptions options;
        options.labelSelector = "app=demo";
        auto list = m_admin->list("v1", "ConfigMap", "apps", options);
        VERIFY_OK(list);
        QCOMPARE(list->items.size(), size_t(1));
        QCOMPARE(list->items[0].name, std::string("settings"));
        QCOMPARE(list->items[0].kind, std::string("ConfigMap"));
        QVERIFY(!list->resourceVersion.empty());
    }

    void dryRunStoresNothing()
    {
        ApplyOptions options;
        options.dryRun = true;
        auto dry = m_admin->apply("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dry\n", options);
        VERIFY_OK(dry);
        QCOMPARE(dry->object.name, std::string("dry"));
        auto got = m_admin->get({"v1", "ServiceAccount", "apps", "dry"});
        QVERIFY(!got.ok());
        QCOMPARE(errorKind(got.error()), ErrorKind::NotFound);
        const QJsonArray requests = QJsonDocument::fromJson(QByteArray::fromStdString(m_server->controlGet("requests"))).array();
        bool sawDryRun = false;
        for (const auto &r : requests)
            sawDryRun |= r.toObject()["query"].toObject()["dryRun"].toString() == QStringLiteral("All");
        QVERIFY(sawDryRun);
    }

    void conflictNamesTheOtherManagerUntilForced()
    {
        const std::string dashboard = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
                                      "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
                                      "        app: web\n    spec:\n      containers:\n      - name: server\n        image: a:1\n";
        ApplyOptions asDashboard;
        asDashboard.fieldManager = "rhods-dashboard";
        VERIFY_OK(m_admin->apply(dashboard, asDashboard));

        std::string mine = dashboard;
        mine.replace(mine.find("replicas: 1"), 11, "replicas: 2");
        auto conflict = m_admin->apply(mine);
        QVERIFY(!conflict.ok());
        QCOMPARE(errorKind(conflict.error()), ErrorKind::Conflict);
        VERIFY_CONTAINS(conflict.message(), "\"rhods-dashboard\"");
        VERIFY_CONTAINS(conflict.message(), ".spec.replicas");
        VERIFY_CONTAINS(conflict.message(), "force");

        ApplyOptions force;
        force.force = true;
        auto forced = m_admin->apply(mine, force);
        VERIFY_OK(forced);
        QCOMPARE(parse(forced->object.json)["spec"].toObject()["replicas"].toInt(), 2);
        // Now the dashboard is the one that conflicts, with slipway.
        auto back = m_admin->apply(dashboard, asDashboard);
        QVERIFY(!back.ok());
        VERIFY_CONTAINS(back.message(), "\"slipway\"");
    }

    void badObjectsGetClearMessages()
    {
        auto invalid = m_admin->apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n");
        QVERIFY(!invalid.ok());
        QCOMPARE(errorKind(invalid.error()), ErrorKind::Invalid);
        VERIFY_CONTAINS(invalid.message(), "metadata.name");

        auto noNamespace = m_admin->apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: nowhere\n");
        QVERIFY(!noNamespace.ok());
        VERIFY_CONTAINS(noNamespace.message(), "namespaces \"nowhere\" not found");

        QVERIFY(m_admin->apply("kind: ConfigMap\nmetadata:\n  name: x\n").message().find("apiVersion") != std::string::npos);
        QVERIFY(m_admin->apply("apiVersion: v1\nkind: ConfigMap\n").message().find("metadata.name") != std::string::npos);
        QVERIFY(m_admin->apply("a: [").message().find("not valid YAML") != std::string::npos);
    }

    void appliesEveryRenderedObject_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("storage");
        QTest::addRow("deployment pvc") << int(deploy::Mode::Deployment) << int(deploy::Storage::Pvc);
        QTest::addRow("kserve s3") << int(deploy::Mode::KServe) << int(deploy::Storage::S3);
        QTest::addRow("lws download") << int(deploy::Mode::Lws) << int(deploy::Storage::Download);
    }

    void appliesEveryRenderedObject()
    {
        QFETCH(int, mode);
        QFETCH(int, storage);
        deploy::DeploymentPlan plan;
        plan.mode = deploy::Mode(mode);
        plan.storage = deploy::Storage(storage);
        plan.name = "ds-r1-7b";
        plan.namespaceName = "llm-" + std::to_string(mode) + "-" + std::to_string(storage);
        plan.createNamespace = true;
        plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
        plan.s3 = {"http://minio.minio.svc:9000", "models", "deepseek/7b", "", "AKIAEXAMPLE", "SECRETEXAMPLEKEY", "", plan.s3.syncImage};
        if (plan.mode == deploy::Mode::Lws) {
            plan.nodes = 2;
            plan.tp = 2;
        }
        auto objects = deploy::render(plan);
        VERIFY_OK(objects);
        QVERIFY(objects->size() >= 4);
        // The way the console applies: a server-side dry run of everything first, then for real.
        // The dry run of namespaced objects needs the namespace, so the Namespace goes first.
        for (const deploy::RenderedObject &object : *objects) {
            ApplyOptions options;
            options.dryRun = true;
            auto dry = m_admin->apply(object.yaml, options);
            if (object.kind == "Namespace") {
                VERIFY_OK(dry);
                VERIFY_OK(m_admin->apply(object.yaml));
                continue;
            }
            QVERIFY2(dry.ok(), (object.fileName + ": " + (dry.ok() ? "" : dry.message())).c_str());
        }
        for (const deploy::RenderedObject &object : *objects) {
            auto applied = m_admin->apply(object.yaml);
            QVERIFY2(applied.ok(), (object.fileName + ": " + (applied.ok() ? "" : applied.message())).c_str());
            QCOMPARE(applied->object.kind, object.kind);
            QCOMPARE(applied->object.name, object.name);
            auto got = m_admin->get({applied->object.apiVersion, object.kind, applied->object.namespaceName, object.name});
            VERIFY_OK(got);
        }
        // Undeploy: deleting the namespace removes everything in it.
        VERIFY_OK(m_admin->remove({"v1", "Namespace", "", plan.namespaceName}, Propagation::Foreground));
        QVERIFY(KubeTestServer::waitFor([&] {
            auto left = m_admin->list("v1", "ServiceAccount", plan.namespaceName);
            return left.ok() && left->items.empty() && !m_admin->get({"v1", "Namespace", "", plan.namespaceName}).ok();
        }));
    }

    void scalesThroughTheSubresource()
    {
        VERIFY_OK(m_admin->apply("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scaled\nspec:\n  replicas: 1\n"
                                 "  selector:\n    matchLabels:\n      app: s\n  template:\n    metadata:\n      labels:\n        app: s\n"
                                 "    spec:\n      containers:\n      - name: c\n        image: i\n"));
        auto scaled = m_admin->scale({"apps/v1", "Deployment", "apps", "scaled"}, 3);
        VERIFY_OK(scaled);
        QCOMPARE(scaled.value(), 3);
        auto got = m_admin->get({"apps/v1", "Deployment", "apps", "scaled"});
        QCOMPARE(parse(got->json)["spec"].toObject()["replicas"].toInt(), 3);

        VERIFY_OK(m_admin->apply("apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata:\n  name: group\n"
                                 "spec:\n  replicas: 1\n  leaderWorkerTemplate:\n    size: 2\n"));
        auto lws = m_admin->scale({"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "apps", "group"}, 0);
        VERIFY_OK(lws);
        QCOMPARE(lws.value(), 0);

        auto configMap = m_admin->scale({"v1", "ConfigMap", "apps", "settings"}, 2);
        QVERIFY(!configMap.ok());
        VERIFY_CONTAINS(configMap.message(), "cannot scale a ConfigMap");
        QVERIFY(!m_admin->scale({"apps/v1", "Deployment", "apps", "missing"}, 2).ok());
    }

    void deletesWithPropagation()
    {
        VERIFY_OK(m_admin->apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: gone-soon\nstringData:\n  k: v\n"));
        VERIFY_OK(m_admin->remove({"v1", "Secret", "apps", "gone-soon"}, Propagation::Background));
        QVERIFY(!m_admin->get({"v1", "Secret", "apps", "gone-soon"}).ok());

        VERIFY_OK(m_admin->apply("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: download\nspec:\n  template:\n    spec:\n"
                                 "      restartPolicy: Never\n      containers:\n      - name: d\n        image: i\n"));
        VERIFY_OK(m_admin->remove({"batch/v1", "Job", "apps", "download"}, Propagation::Foreground));
        // Foreground: the object stays, marked, until its dependents are gone; then it disappears.
        auto marked = m_admin->get({"batch/v1", "Job", "apps", "download"});
        if (marked.ok())
            QVERIFY(parse(marked->json)["metadata"].toObject().contains("deletionTimestamp"));
        QVERIFY(KubeTestServer::waitFor([&] { return !m_admin->get({"batch/v1", "Job", "apps", "download"}).ok(); }));
        const QJsonArray requests = QJsonDocument::fromJson(QByteArray::fromStdString(m_server->controlGet("requests"))).array();
        bool sawForeground = false;
        for (const auto &r : requests)
            sawForeground |= r.toObject()["method"] == QStringLiteral("DELETE") &&
                             r.toObject()["body"].toString().contains(QStringLiteral("\"Foreground\""));
        QVERIFY(sawForeground);

        auto again = m_admin->remove({"batch/v1", "Job", "apps", "download"});
        QVERIFY(!again.ok());
        QCOMPARE(errorKind(again.error()), ErrorKind::NotFound);
    }

    void permissionsAreCheckedAndExplained()
    {
        m_server->control("tokens", R"({"token":"dev-token","user":"dev","deny":[
            {"verbs":["list","watch"],"resources":["pods"],"namespace":"apps"},
            {"verbs":["use"],"resources":["securitycontextconstraints"]},
            {"verbs":["*"],"resources":["services/proxy"]}]})");
        Client dev(m_server->connection("dev-token", "apps"));
        AccessCheck listPods{"list", "", "pods", "", "apps", ""};
        auto denied = dev.checkAccess(listPods);
        VERIFY_OK(denied);
        QVERIFY(!denied->allowed);
        auto scc = dev.checkAccess({"use", "security.openshift.io", "securitycontextconstraints", "", "", "privileged"});
        VERIFY_OK(scc);
        QVERIFY(!scc->allowed);
        auto create = dev.checkAccess({"create", "apps", "deployments", "", "apps", ""});
        VERIFY_OK(create);
        QVERIFY(create->allowed);
        QVERIFY(!dev.checkAccess({"", "", "pods", "", "", ""}).ok());

        auto list = dev.list("v1", "Pod", "apps");
        QVERIFY(!list.ok());
        QCOMPARE(errorKind(list.error()), ErrorKind::Forbidden);
        VERIFY_CONTAINS(list.message(), "User \"dev\" cannot list resource \"pods\"");
        VERIFY_CONTAINS(list.message(), "ask a cluster administrator");
        QVERIFY(dev.list("v1", "ConfigMap", "apps").ok());
    }

    void unauthorizedIsDistinctAndResumable()
    {
        const std::string token = "sha256~ExpiringTokenValue0123456789";
        m_server->control("tokens", R"({"token":")" + token + R"(","user":"ops","expireAfterRequests":2})");
        Client ops(m_server->connection(token, "apps"));
        VERIFY_OK(ops.list("v1", "ConfigMap", "apps"));
        VERIFY_OK(ops.list("v1", "ConfigMap", "apps"));
        auto expired = ops.list("v1", "ConfigMap", "apps");
        QVERIFY(!expired.ok());
        QVERIFY(isUnauthorized(expired.error()));
        QVERIFY(expired.message().starts_with(std::string(kUnauthorizedMessage)));
        QVERIFY2(expired.message().find("ExpiringTokenValue") == std::string::npos, expired.message().c_str());
        // Log in again: the same client continues with the new token.
        m_server->control("tokens", R"({"token":"sha256~fresh","user":"ops"})");
        ops.replaceToken("sha256~fresh");
        VERIFY_OK(ops.list("v1", "ConfigMap", "apps"));
    }

    void execPluginRefreshesOn401()
    {
        QTemporaryDir dir;
        const QString tokenFile = writeFile(dir, QStringLiteral("current"), "exec-token-1");
        const QString plugin = writeFile(dir, QStringLiteral("plugin.sh"),
                                         "#!/bin/sh\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                                         "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s\"}}' \"$(cat '" +
                                             tokenFile.toUtf8() + "')\"\n",
                                         true);
        m_server->control("tokens", R"({"token":"exec-token-1","user":"sso"})");
        const QByteArray kubeconfig =
            "apiVersion: v1\nkind: Config\ncurrent-context: sso\nclusters:\n- name: test\n  cluster:\n    server: " +
            QByteArray::fromStdString(m_server->server()) + "\n    certificate-authority: " + m_server->caFile().toUtf8() +
            "\nusers:\n- name: sso\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
            "      command: ./plugin.sh\ncontexts:\n- name: sso\n  context:\n    cluster: test\n    user: sso\n    namespace: apps\n";
        const QString configPath = writeFile(dir, QStringLiteral("config"), kubeconfig);
        auto config = loadKubeconfigFiles({configPath.toStdString()});
        VERIFY_OK(config);
        auto connection = connectionForContext(*config);
        VERIFY_OK(connection);
        auto *source = dynamic_cast<ExecPluginSource *>(connection->credentials.get());
        QVERIFY(source);
        Client client(*connection);
        VERIFY_OK(client.list("v1", "ConfigMap", "apps"));
        VERIFY_OK(client.list("v1", "ConfigMap", "apps"));
        QCOMPARE(source->runCount(), 1); // cached
        // The identity provider rotates the token: the 401 makes the client run the plugin again.
        m_server->control("expire", R"({"token":"exec-token-1"})");
        m_server->control("tokens", R"({"token":"exec-token-2","user":"sso"})");
        writeFile(dir, QStringLiteral("current"), "exec-token-2");
        VERIFY_OK(client.list("v1", "ConfigMap", "apps"));
        QCOMPARE(source->runCount(), 2);
    }

    void clientCertificateAndCaFiles()
    {
        QTemporaryDir dir;
        const QByteArray kubeconfig =
            "apiVersion: v1\nkind: Config\ncurrent-context: cert\nclusters:\n- name: test\n  cluster:\n    server: " +
            QByteArray::fromStdString(m_server->server()) + "\n    certificate-authority-data: " +
            QByteArray::fromStdString(m_server->caPem()).toBase64() + "\nusers:\n- name: cert\n  user:\n"
            "    client-certificate: " + m_server->clientCertFile().toUtf8() + "\n    client-key: " +
            m_server->clientKeyFile().toUtf8() + "\ncontexts:\n- name: cert\n  context:\n    cluster: test\n    user: cert\n";
        auto config = parseKubeconfig(kubeconfig.toStdString(), writeFile(dir, QStringLiteral("c"), kubeconfig).toStdString());
        VERIFY_OK(config);
        auto connection = connectionForContext(*config);
        VERIFY_OK(connection);
        QVERIFY(!connection->credentials);
        Client client(*connection);
        VERIFY_OK(client.list("v1", "Namespace", ""));

        // Without the cluster's CA the server is not trusted, and the message says what to do.
        auto untrusted = tokenConnection(m_server->server(), "admin-token");
        VERIFY_OK(untrusted);
        auto failed = Client(*untrusted).discover();
        QVERIFY(!failed.ok());
        VERIFY_CONTAINS(failed.message(), "certificate");
    }

    void eventsOfAnObject()
    {
        m_server->control("pods", R"({"namespace":"apps","name":"server-0","state":"Pending"})");
        auto events = m_admin->events({"v1", "Pod", "apps", "server-0"});
        VERIFY_OK(events);
        QCOMPARE(events->size(), size_t(1));
        QCOMPARE(events->at(0).reason, std::string("FailedScheduling"));
        QCOMPARE(events->at(0).type, std::string("Warning"));
        VERIFY_CONTAINS(events->at(0).message, "Insufficient nvidia.com/gpu");
        m_server->control("pod-state", R"({"namespace":"apps","name":"server-0","state":"ImagePullBackOff"})");
        events = m_admin->events({"v1", "Pod", "apps", "server-0"});
        QCOMPARE(events->size(), size_t(2));
        QCOMPARE(events->back().message, std::string("Error: ImagePullBackOff"));
        auto none = m_admin->events({"v1", "Pod", "apps", "other"});
        VERIFY_OK(none);
        QVERIFY(none->empty());
    }

    void proxiesToServicesAndPods()
    {
        VERIFY_OK(m_admin->apply("apiVersion: v1\nkind: Service\nmetadata:\n  name: engine\nspec:\n  ports:\n  - port: 40000\n"));
        m_server->control("proxy", R"({"namespace":"apps","kind":"services","name":"engine","reply":"echo"})");
        ProxyTarget service{ProxyTarget::Kind::Service, "apps", "engine", "40000", ""};
        QCOMPARE(m_admin->proxyPath(service, "/v1/models"), std::string("/api/v1/namespaces/apps/services/engine:40000/proxy/v1/models"));
        QCOMPARE(m_admin->proxyPath({ProxyTarget::Kind::Pod, "apps", "p", "8443", "https"}, "metrics"),
                 std::string("/api/v1/namespaces/apps/pods/https:p:8443/proxy/metrics"));
        auto posted = m_admin->proxy(service, "POST", "v1/chat/completions?stream=false", R"({"model":"m"})",
                                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer leak"}});
        VERIFY_OK(posted);
        QCOMPARE(posted->status, 200L);
        const QJsonObject echo = parse(posted->body);
        QCOMPARE(echo["method"].toString(), QStringLiteral("POST"));
        QCOMPARE(echo["path"].toString(), QStringLiteral("/v1/chat/completions"));
        QCOMPARE(echo["search"].toString(), QStringLiteral("?stream=false"));
        QCOMPARE(echo["body"].toString(), QStringLiteral(R"({"model":"m"})"));

        // A backend's own error is a response; the API server's refusals are errors.
        m_server->control("proxy", R"({"namespace":"apps","kind":"pods","name":"server-0","reply":{"status":404,"body":"no such route"}})");
        auto backend404 = m_admin->proxy({ProxyTarget::Kind::Pod, "apps", "server-0", "40000", ""}, "GET", "nope");
        VERIFY_OK(backend404);
        QCOMPARE(backend404->status, 404L);
        VERIFY_OK(m_admin->apply("apiVersion: v1\nkind: Service\nmetadata:\n  name: idle\n"));
        auto noEndpoints = m_admin->proxy({ProxyTarget::Kind::Service, "apps", "idle", "80", ""}, "GET", "/");
        QVERIFY(!noEndpoints.ok());
        VERIFY_CONTAINS(noEndpoints.message(), "no endpoints available");
        Client dev(m_server->connection("dev-token", "apps"));
        auto forbidden = dev.proxy(service, "GET", "v1/models");
        QVERIFY(!forbidden.ok());
        QCOMPARE(errorKind(forbidden.error()), ErrorKind::Forbidden);
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(TestKubeClient)
#include "test_kube_client.moc"
