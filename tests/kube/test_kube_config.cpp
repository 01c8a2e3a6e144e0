// kubeconfig parsing and merging, contexts to connections, token files, exec credential plugins
// (a small shell script as the plugin), and that no secret reaches an error message.
#include "kube/connection.h"
#include "kube/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

using namespace slipway;
using namespace slipway::kube;

namespace {

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

const char *kCaPem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

QByteArray firstFile()
{
    const QByteArray ca = QByteArray(kCaPem).toBase64();
    return "apiVersion: v1\nkind: Config\n"
           "clusters:\n"
           "- name: prod\n  cluster:\n    server: https://api.prod.example.com:6443/\n"
           "    certificate-authority-data: " + ca + "\n    proxy-url: http://proxy.example.com:3128\n"
           "- name: shared\n  cluster:\n    server: https://first.example.com:6443\n"
           "users:\n"
           "- name: alice\n  user:\n    token: sha256~AliceSecretToken1234567890\n"
           "- name: files\n  user:\n    tokenFile: tokens/current\n    client-certificate: certs/client.pem\n"
           "    client-key: certs/client.key\n"
           "contexts:\n"
           "- name: prod-alice\n  context:\n    cluster: prod\n    user: alice\n    namespace: llm\n"
           "- name: shared\n  context:\n    cluster: shared\n    user: alice\n";
}

QByteArray secondFile()
{
    return "apiVersion: v1\nkind: Config\ncurrent-context: lab\n"
           "clusters:\n"
           "- name: shared\n  cluster:\n    server: https://second.example.com:6443\n"
           "- name: lab\n  cluster:\n    server: https://lab.example.com:6443\n    insecure-skip-tls-verify: true\n"
           "    tls-server-name: api.lab.internal\n"
           "users:\n"
           "- name: bob\n  user:\n    token: bob-token\n"
           "contexts:\n"
           "- name: lab\n  context:\n    cluster: lab\n    user: bob\n"
           "- name: shared\n  context:\n    cluster: lab\n    user: bob\n";
}

} // namespace

class TestKubeConfig : public QObject {
    Q_OBJECT

private slots:
    void parsesClustersUsersAndContexts()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("config"), firstFile());
        auto config = loadKubeconfigFiles({path.toStdString()});
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        QCOMPARE(config->clusters.size(), size_t(2));
        const ClusterEntry *prod = config->findCluster("prod");
        QVERIFY(prod);
        QCOMPARE(prod->certificateAuthorityData, std::string(kCaPem));
        QCOMPARE(prod->proxyUrl, std::string("http://proxy.example.com:3128"));
        const UserEntry *files = config->findUser("files");
        QVERIFY(files);
        // Relative paths are anchored at the kubeconfig's folder.
        QCOMPARE(QString::fromStdString(files->tokenFile), QDir(dir.path()).filePath(QStringLiteral("tokens/current")));
        QCOMPARE(QString::fromStdString(files->clientKey), QDir(dir.path()).filePath(QStringLiteral("certs/client.key")));
        QVERIFY(config->currentContext.empty());
    }

    void mergesFilesAsKubectlDoes()
    {
        QTemporaryDir dir;
        const QString first = writeFile(dir, QStringLiteral("a.yaml"), firstFile());
        const QString second = writeFile(dir, QStringLiteral("b.yaml"), secondFile());
        const QString missing = dir.filePath(QStringLiteral("missing.yaml"));
        const QByteArray env = (first + QLatin1Char(':') + missing + QLatin1Char(':') + second).toUtf8();
        qputenv("KUBECONFIG", env);
        const auto paths = defaultKubeconfigPaths();
        QCOMPARE(paths.size(), size_t(3));
        auto config = loadKubeconfigFiles(paths);
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        // First file wins per name; the missing file is skipped.
        QCOMPARE(config->findCluster("shared")->server, std::string("https://first.example.com:6443"));
        QCOMPARE(config->findContext("shared")->user, std::string("alice"));
        QVERIFY(config->findCluster("lab"));
        QVERIFY(config->findUser("bob"));
        // current-context from the first file that sets it (the second here).
        QCOMPARE(config->currentContext, std::string("lab"));
        QCOMPARE(config->contextNames(), (std::vector<std::string>{"prod-alice", "shared", "lab"}));
        QCOMPARE(config->files.size(), size_t(2));
        qunsetenv("KUBECONFIG");

        // Swapping the order swaps the winners.
        auto swapped = loadKubeconfigFiles({second.toStdString(), first.toStdString()});
        QVERIFY(swapped.ok());
        QCOMPARE(swapped->findCluster("shared")->server, std::string("https://second.example.com:6443"));
    }

    void noKubeconfigIsAClearError()
    {
        QTemporaryDir dir;
        auto config = loadKubeconfigFiles({dir.filePath(QStringLiteral("nothing")).toStdString()});
        QVERIFY(!config.ok());
        QVERIFY(config.message().find("no kubeconfig found") != std::string::npos);
        QVERIFY(config.message().find("oc login") != std::string::npos);
    }

    void contextBecomesConnection()
    {
        QTemporaryDir dir;
        const QString first = writeFile(dir, QStringLiteral("a.yaml"), firstFile());
        const QString second = writeFile(dir, QStringLiteral("b.yaml"), secondFile());
        auto config = loadKubeconfigFiles({first.toStdString(), second.toStdString()});
        QVERIFY(config.ok());

        auto prod = connectionForContext(*config, "prod-alice");
        QVERIFY2(prod.ok(), prod.ok() ? "" : prod.message().c_str());
        QCOMPARE(prod->server, std::string("https://api.prod.example.com:6443")); // trailing slash dropped
        QCOMPARE(prod->namespaceName, std::string("llm"));
        QCOMPARE(prod->tls.caData, std::string(kCaPem));
        QCOMPARE(prod->proxy.value_or(""), std::string("http://proxy.example.com:3128"));
        QVERIFY(prod->securityWarning().empty());
        auto credentials = prod->credentials->credentials(false);
        QVERIFY(credentials.ok());
        QCOMPARE(credentials->token, std::string("sha256~AliceSecretToken1234567890"));

        // current-context (lab): insecure, with a warning the UI shows.
        auto lab = connectionForContext(*config);
        QVERIFY(lab.ok());
        QCOMPARE(lab->contextName, std::string("lab"));
        QCOMPARE(lab->namespaceName, std::string("default"));
        QVERIFY(lab->tls.insecureSkipVerify);
        QCOMPARE(lab->tlsServerName, std::string("api.lab.internal"));
        QVERIFY(lab->securityWarning().find("TLS verification is off") != std::string::npos);

        auto unknown = connectionForContext(*config, "nope");
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.message().find("no context \"nope\"") != std::string::npos);
    }

    void brokenEntriesAreNamed_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const QByteArray head = "apiVersion: v1\nkind: Config\ncurrent-context: c\n";
        QTest::addRow("missing cluster") << head + "contexts:\n- name: c\n  context:\n    cluster: gone\n    user: u\n"
                                         << "names cluster \"gone\"";
        QTest::addRow("missing user") << head + "clusters:\n- name: k\n  cluster:\n    server: https://k:6443\n"
                                                "contexts:\n- name: c\n  context:\n    cluster: k\n    user: ghost\n"
                                      << "names user \"ghost\"";
        QTest::addRow("no server") << head + "clusters:\n- name: k\n  cluster: {}\ncontexts:\n- name: c\n  context:\n    cluster: k\n"
                                   << "has no server URL";
        QTest::addRow("CA and insecure")
            << head + "clusters:\n- name: k\n  cluster:\n    server: https://k:6443\n    insecure-skip-tls-verify: true\n"
                      "    certificate-authority-data: " + QByteArray(kCaPem).toBase64() +
                   "\ncontexts:\n- name: c\n  context:\n    cluster: k\n"
            << "both a certificate authority and insecure-skip-tls-verify";
        QTest::addRow("CA file missing")
            << head + "clusters:\n- name: k\n  cluster:\n    server: https://k:6443\n    certificate-authority: /nonexistent/ca.crt\n"
                      "contexts:\n- name: c\n  context:\n    cluster: k\n"
            << "cannot read the certificate-authority file of cluster \"k\"";
        QTest::addRow("cert without key")
            << head + "clusters:\n- name: k\n  cluster:\n    server: https://k:6443\nusers:\n- name: u\n  user:\n"
                      "    client-certificate-data: " + QByteArray(kCaPem).toBase64() +
                   "\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
            << "client certificate without its key";
        QTest::addRow("server without scheme") << head + "clusters:\n- name: k\n  cluster:\n    server: api.k:6443\n"
                                                        "contexts:\n- name: c\n  context:\n    cluster: k\n"
                                               << "must start with https://";
    }

    void brokenEntriesAreNamed()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        auto config = parseKubeconfig(yaml.toStdString(), "/tmp/kubeconfig");
        QVERIFY2(config.ok(), config.ok() ? "" : config.message().c_str());
        auto connection = connectionForContext(*config);
        QVERIFY(!connection.ok());
        QVERIFY2(QString::fromStdString(connection.message()).contains(expected), connection.message().c_str());
    }

    void parseErrorsNameTheFileNotTheSecret()
    {
        const std::string secret = "c2VjcmV0LWtleS1tYXRlcmlhbA!!!";
        auto bad = parseKubeconfig("users:\n- name: u\n  user:\n    client-key-data: " + secret + "\n", "/home/me/.kube/config");
        QVERIFY(!bad.ok());
        QVERIFY(bad.message().find("/home/me/.kube/config") != std::string::npos);
        QVERIFY(bad.message().find("client-key-data") != std::string::npos);
        QVERIFY(bad.message().find(secret) == std::string::npos);

        auto notYaml = parseKubeconfig("clusters: [unclosed", "cfg");
        QVERIFY(!notYaml.ok());
        QVERIFY(notYaml.message().find("not valid YAML") != std::string::npos);

        auto wrongKind = parseKubeconfig("kind: Pod\n", "cfg");
        QVERIFY(!wrongKind.ok());
        QVERIFY(wrongKind.message().find("expected Config") != std::string::npos);
    }

    void tokenFileIsReadOnEveryUse()
    {
        QTemporaryDir dir;
        const QString tokenPath = writeFile(dir, QStringLiteral("token"), "first-token\n");
        TokenFileSource source(tokenPath.toStdString());
        QCOMPARE(source.credentials(false)->token, std::string("first-token"));
        writeFile(dir, QStringLiteral("token"), "  rotated-token \n");
        QCOMPARE(source.credentials(false)->token, std::string("rotated-token"));
        writeFile(dir, QStringLiteral("token"), "\n");
        auto empty = source.credentials(false);
        QVERIFY(!empty.ok());
        QVERIFY(empty.message().find("is empty") != std::string::npos);
        TokenFileSource missing(dir.filePath(QStringLiteral("none")).toStdString());
        QVERIFY(!missing.credentials(false).ok());
    }

    void loginFormValidates()
    {
        auto ok = tokenConnection(" https://api.c.example.com:6443/ ", " sha256~abc \n", "", false, "llm");
        QVERIFY(ok.ok());
        QCOMPARE(ok->server, std::string("https://api.c.example.com:6443"));
        QCOMPARE(ok->namespaceName, std::string("llm"));
        QCOMPARE(ok->credentials->credentials(false)->token, std::string("sha256~abc"));
        QVERIFY(ok->contextName.find("sha256") == std::string::npos);

        QVERIFY(!tokenConnection("", "t").ok());
        QVERIFY(tokenConnection("api.c:6443", "t").message().find("https://") != std::string::npos);
        QVERIFY(tokenConnection("https://c", "").message().find("no token") != std::string::npos);
        QVERIFY(tokenConnection("https://c", "t", "not a pem").message().find("not a PEM") != std::string::npos);
        QVERIFY(!tokenConnection("https://c", "t", kCaPem, true).ok());
    }

    void execPluginRunsAndCaches()
    {
        QTemporaryDir dir;
        const QString counter = dir.filePath(QStringLiteral("runs"));
        // Prints a token that names its run, the env it got and whether cluster info came along.
        const QByteArray script =
            "#!/bin/sh\n"
            "echo x >> '" + counter.toUtf8() + "'\n"
            "n=$(wc -l < '" + counter.toUtf8() + "' | tr -d ' ')\n"
            "case \"$KUBERNETES_EXEC_INFO\" in *'\"server\":\"https://k:6443\"'*) info=yes;; *) info=no;; esac\n"
            "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":"
            "{\"token\":\"run%s-%s-%s-%s\",\"expirationTimestamp\":\"%s\"}}' \"$n\" \"$1\" \"$PLUGIN_ENV\" \"$info\" \"$EXPIRY\"\n";
        const QString plugin = writeFile(dir, QStringLiteral("plugin.sh"), script, true);
        ExecConfig config;
        config.command = plugin.toStdString();
        config.args = {"arg1"};
        config.env = {{"PLUGIN_ENV", "envval"}, {"EXPIRY", "2999-01-01T00:00:00Z"}};
        config.provideClusterInfo = true;
        ExecPluginSource source(config, "https://k:6443", kCaPem);
        auto first = source.credentials(false);
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        QCOMPARE(first->token, std::string("run1-arg1-envval-yes"));
        QCOMPARE(source.credentials(false)->token, std::string("run1-arg1-envval-yes")); // cached
        QCOMPARE(source.runCount(), 1);
        QCOMPARE(source.credentials(true)->token, std::string("run2-arg1-envval-yes")); // a 401 refreshes
        QCOMPARE(source.runCount(), 2);

        // An expired credential is fetched again on every use.
        config.env = {{"PLUGIN_ENV", "e"}, {"EXPIRY", "2001-01-01T00:00:00Z"}};
        ExecPluginSource expiring(config, "https://k:6443", "");
        QVERIFY(expiring.credentials(false).ok());
        QVERIFY(expiring.credentials(false).ok());
        QCOMPARE(expiring.runCount(), 2);
    }

    void execPluginFailuresAreClearAndRedacted()
    {
        QTemporaryDir dir;
        const QString failing = writeFile(dir, QStringLiteral("fail.sh"),
                                          "#!/bin/sh\necho 'login failed: Bearer abcdefSECRET123 rejected' >&2\nexit 3\n", true);
        ExecConfig config;
        config.command = failing.toStdString();
        ExecPluginSource source(config, "https://k", "");
        auto result = source.credentials(false);
        QVERIFY(!result.ok());
        QVERIFY2(result.message().find("exit code 3") != std::string::npos, result.message().c_str());
        QVERIFY(result.message().find("login failed") != std::string::npos);
        QVERIFY2(result.message().find("abcdefSECRET123") == std::string::npos, result.message().c_str());

        ExecConfig missing;
        missing.command = "/nonexistent/kubelogin";
        missing.installHint = "Install kubelogin from your identity team.";
        auto notFound = ExecPluginSource(missing, "https://k", "").credentials(false);
        QVERIFY(!notFound.ok());
        QVERIFY(notFound.message().find("Install kubelogin") != std::string::npos);

        const QString garbage = writeFile(dir, QStringLiteral("garbage.sh"), "#!/bin/sh\necho hello\n", true);
        config.command = garbage.toStdString();
        auto notJson = ExecPluginSource(config, "https://k", "").credentials(false);
        QVERIFY(!notJson.ok());
        QVERIFY(notJson.message().find("ExecCredential") != std::string::npos);
    }

    void execCredentialParsing()
    {
        auto withCert = parseExecCredential(
            R"({"kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY","expirationTimestamp":"2030-05-01T10:00:00.5+02:00"}})");
        QVERIFY(withCert.ok());
        QCOMPARE(withCert->credentials.clientCertData, std::string("CERT"));
        QVERIFY(withCert->expiration.has_value());
        QVERIFY(!parseExecCredential(R"({"kind":"ExecCredential","status":{}})").ok());
        QVERIFY(!parseExecCredential(R"({"kind":"ExecCredential","status":{"clientCertificateData":"C"}})").ok());
        QVERIFY(!parseExecCredential(R"({"kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}})").ok());
    }

    void rfc3339()
    {
        using namespace std::chrono;
        const auto a = parseRfc3339("2024-05-01T10:00:00Z");
        const auto b = parseRfc3339("2024-05-01T12:00:00+02:00");
        const auto c = parseRfc3339("2024-05-01T10:00:00.000000001Z");
        QVERIFY(a && b && c);
        QVERIFY(*a == *b);
        QCOMPARE(duration_cast<nanoseconds>(*c - *a).count(), 1LL);
        QCOMPARE(duration_cast<seconds>(a->time_since_epoch()).count(), 1714557600LL);
        QVERIFY(!parseRfc3339("2024-05-01 10:00:00Z"));
        QVERIFY(!parseRfc3339("2024-05-01T10:00:00"));
    }
};

QTEST_GUILESS_MAIN(TestKubeConfig)
#include "test_kube_config.moc"
