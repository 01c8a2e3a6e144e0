#pragma once
// Starts tests/support/http_test_server.mjs (Node, built-in modules only) on a free port for the
// duration of a test, and makes TLS material with the openssl command-line tool.
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <string>

namespace slipway::testing {

class TestHttpServer final {
public:
    // `arguments` are passed to the script (see its header: --tls-cert, --api-key, ...).
    explicit TestHttpServer(QStringList arguments = {});
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer &) = delete;
    TestHttpServer &operator=(const TestHttpServer &) = delete;

    // Starts the server and waits until it listens; false with `error` set when it cannot.
    bool start(QString *error);
    // Kills the server abruptly (a server that dies mid-stream); callable from any thread.
    void kill();

    int port() const { return m_port; }
    // "http://127.0.0.1:<port>" or "https://..." when started with --tls-cert.
    std::string baseUrl() const;
    std::string url(const std::string &path) const { return baseUrl() + path; }
    QString output() const;

    static QString nodeProgram();

private:
    QStringList m_arguments;
    QProcess m_process;
    int m_port = 0;
    bool m_tls = false;
};

// A CA, a server certificate for 127.0.0.1/localhost signed by it, and a client certificate
// (CN "slipway-client") signed by it, as PEM files in a temporary folder.
class TestCertificates final {
public:
    bool generate(QString *error);
    QString caPem() const { return path("ca.pem"); }
    QString serverCert() const { return path("server.pem"); }
    QString serverKey() const { return path("server.key"); }
    QString clientCert() const { return path("client.pem"); }
    QString clientKey() const { return path("client.key"); }

    static QString openssl();
    static std::string readFile(const QString &path);

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    bool run(const QStringList &arguments, QString *error);

    QTemporaryDir m_dir;
};

// Writes `text` to `<dir>/<name>` and returns the path.
QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text);

} // namespace slipway::testing
