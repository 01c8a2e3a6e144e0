#include "s3_test_server.h"

#include "net/http_client.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace slipway::testing {

S3TestServer::S3TestServer(QString bucket) : m_bucket(std::move(bucket)) {}

S3TestServer::~S3TestServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString S3TestServer::findModule(QString *why)
{
    QStringList candidates;
    const QByteArray explicitPath = qgetenv("SLIPWAY_S3RVER_MODULE");
    if (!explicitPath.isEmpty())
        candidates << QString::fromLocal8Bit(explicitPath);
    candidates << QStringLiteral(SLIPWAY_NODE_DIR "/node_modules/s3rver");
    for (const QString &c : candidates) {
        if (QFileInfo::exists(c + QStringLiteral("/package.json")))
            return QDir(c).absolutePath();
    }
    *why = QStringLiteral("the npm package s3rver is not installed in " SLIPWAY_NODE_DIR
                          "/node_modules (installer/setup.sh installs tests/node's packages)");
    return {};
}

bool S3TestServer::start(QString *error)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not on PATH");
        return false;
    }
    const QString module = findModule(error);
    if (module.isEmpty())
        return false;
    const QString script = QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/support/storage/s3_test_server.mjs");
    m_process.start(node, {script, QStringLiteral("--dir"), m_dir.path(), QStringLiteral("--bucket"), m_bucket,
                           QStringLiteral("--module"), module});
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
    *error = QStringLiteral("the S3 test server did not start: ") + QString::fromUtf8(seen) +
             QString::fromUtf8(m_process.readAllStandardError());
    return false;
}

std::string S3TestServer::control(const std::string &path, const std::string &json) const
{
    net::Request request;
    request.method = "POST";
    request.url = endpoint() + "/_fault/" + path;
    request.body = json;
    request.headers.push_back({"Content-Type", "application/json"});
    request.timeouts.total = std::chrono::milliseconds(5000);
    auto response = net::perform(request);
    if (!response)
        return "ERROR: " + response.message();
    return response->body;
}

std::string S3TestServer::stats() const
{
    net::Request request;
    request.url = endpoint() + "/_fault/stats";
    request.timeouts.total = std::chrono::milliseconds(5000);
    auto response = net::perform(request);
    if (!response)
        return "ERROR: " + response.message();
    return response->body;
}

} // namespace slipway::testing
