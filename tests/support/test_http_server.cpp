#include "test_http_server.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

#include <csignal>

namespace slipway::testing {

TestHttpServer::TestHttpServer(QStringList arguments) : m_arguments(std::move(arguments))
{
    m_tls = m_arguments.contains(QStringLiteral("--tls-cert"));
}

TestHttpServer::~TestHttpServer()
{
    kill();
}

QString TestHttpServer::nodeProgram()
{
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

bool TestHttpServer::start(QString *error)
{
    const QString node = nodeProgram();
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not on PATH (installer/setup.sh installs Node.js)");
        return false;
    }
    const QString script = QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/support/http_test_server.mjs");
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(node, QStringList{script} + m_arguments);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start node: ") + m_process.errorString();
        return false;
    }
    QByteArray seen;
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(100);
        seen += m_process.readAllStandardOutput();
        const int at = seen.indexOf("LISTENING ");
        if (at >= 0 && seen.indexOf('\n', at) > at) {
            m_port = seen.mid(at + 10, seen.indexOf('\n', at) - at - 10).trimmed().toInt();
            return m_port > 0;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
    }
    *error = QStringLiteral("the test server did not start: ") + QString::fromUtf8(seen) +
             QString::fromUtf8(m_process.readAllStandardError());
    return false;
}

void TestHttpServer::kill()
{
    if (QThread::currentThread() != m_process.thread()) {
        // From a test's worker thread: QProcess may only be touched by its own thread.
        if (const qint64 pid = m_process.processId(); pid > 0)
            ::kill(pid_t(pid), SIGKILL);
        return;
    }
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

std::string TestHttpServer::baseUrl() const
{
    return std::string(m_tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port);
}

QString TestHttpServer::output() const
{
    return QString::fromUtf8(const_cast<QProcess &>(m_process).readAllStandardError());
}

QString TestCertificates::openssl()
{
    return QStandardPaths::findExecutable(QStringLiteral("openssl"));
}

std::string TestCertificates::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

bool TestCertificates::run(const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(openssl(), arguments);
    if (!process.waitForFinished(20000) || process.exitCode() != 0) {
        *error = QStringLiteral("openssl ") + arguments.join(u' ') + QStringLiteral(" failed: ") +
                 QString::fromUtf8(process.readAllStandardError());
        return false;
    }
    return true;
}

bool TestCertificates::generate(QString *error)
{
    if (openssl().isEmpty()) {
        *error = QStringLiteral("the openssl command is not on PATH");
        return false;
    }
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    writeFile(m_dir, QStringLiteral("server.ext"),
              "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    writeFile(m_dir, QStringLiteral("client.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    return run(QStringList{"req", "-x509"} + ec +
                   QStringList{"-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Slipway Test CA",
                               "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                               "keyUsage=critical,keyCertSign,cRLSign"},
               error) &&
           run(QStringList{"req"} + ec +
                   QStringList{"-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"},
               error) &&
           run({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.pem", "-days", "2", "-extfile", "server.ext"},
               error) &&
           run(QStringList{"req"} + ec +
                   QStringList{"-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=slipway-client"},
               error) &&
           run({"x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "client.pem", "-days", "2", "-extfile", "client.ext"},
               error);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(text);
    return path;
}

} // namespace slipway::testing
