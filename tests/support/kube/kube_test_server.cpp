#include "kube_test_server.h"

#include "net/http_client.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

namespace slipway::testing {

KubeTestServer::KubeTestServer(QStringList arguments) : m_arguments(std::move(arguments)) {}

KubeTestServer::~KubeTestServer()
{
    kill();
}

bool KubeTestServer::start(QString *error)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not on PATH (installer/setup.sh installs Node.js)");
        return false;
    }
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty()) {
        *error = QStringLiteral("the openssl command is not on PATH; the test server needs it for its certificates");
        return false;
    }
    const QString script = QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/support/kube/kube_api_server.mjs");
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(node, QStringList{script, QStringLiteral("--dir"), m_dir.path()} + m_arguments);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start node: ") + m_process.errorString();
        return false;
    }
    QByteArray seen;
    const QDeadlineTimer deadline(15000);
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
    *error = QStringLiteral("the Kubernetes test server did not start: ") + QString::fromUtf8(seen) +
             QString::fromUtf8(m_process.readAllStandardError());
    return false;
}

void KubeTestServer::kill()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

std::string KubeTestServer::caPem() const
{
    QFile file(caFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

kube::Connection KubeTestServer::connection(const std::string &token, const std::string &ns) const
{
    auto connection = kube::tokenConnection(server(), token, caPem(), false, ns);
    return connection ? connection.value() : kube::Connection{};
}

std::string KubeTestServer::control(const std::string &path, const std::string &json) const
{
    net::Request request;
    request.method = "POST";
    request.url = server() + "/_test/" + path;
    request.body = json;
    request.headers.push_back({"Content-Type", "application/json"});
    request.tls.caData = caPem();
    request.timeouts.total = std::chrono::milliseconds(5000);
    auto response = net::perform(request);
    if (!response)
        return "ERROR: " + response.message();
    if (!response->isSuccess())
        return "ERROR: HTTP " + std::to_string(response->status) + ": " + response->body;
    return response->body;
}

std::string KubeTestServer::controlGet(const std::string &path) const
{
    net::Request request;
    request.url = server() + "/_test/" + path;
    request.tls.caData = caPem();
    request.timeouts.total = std::chrono::milliseconds(5000);
    auto response = net::perform(request);
    if (!response)
        return "ERROR: " + response.message();
    return response->body;
}

bool KubeTestServer::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QThread::msleep(20);
    }
    return condition();
}

} // namespace slipway::testing
