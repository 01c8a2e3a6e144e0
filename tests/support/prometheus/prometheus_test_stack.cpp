#include "prometheus_test_stack.h"

#include "net/http_client.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::testing {

namespace {

const char *kSupport = SLIPWAY_SOURCE_DIR "/tests/support/prometheus";

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

net::Response httpGet(const std::string &url)
{
    net::Request request;
    request.url = url;
    request.timeouts.total = std::chrono::milliseconds(5000);
    const auto response = net::perform(request);
    return response.ok() ? *response : net::Response{};
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(3000);
    }
}

PrometheusTestStack::PrometheusTestStack() = default;

PrometheusTestStack::~PrometheusTestStack()
{
    stopProcess(m_prometheus);
    stopProcess(m_exporter);
}

QString PrometheusTestStack::findPrometheus(QString *why)
{
    if (const QString env = qEnvironmentVariable("SLIPWAY_PROMETHEUS"); !env.isEmpty()) {
        if (QFileInfo(env).isExecutable())
            return env;
        *why = QStringLiteral("SLIPWAY_PROMETHEUS=%1 is not an executable").arg(env);
        return {};
    }
    QString found = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(QStringLiteral("prometheus"), {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin"),
                                                                              QStringLiteral("/usr/local/bin")});
    if (found.isEmpty())
        *why = QStringLiteral("prometheus is not installed (apt-get install prometheus, or set SLIPWAY_PROMETHEUS)");
    return found;
}

bool PrometheusTestStack::startExporter(QString *error)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        *error = QStringLiteral("node is not on PATH");
        return false;
    }
    m_exporter.start(node, {QString::fromLatin1(kSupport) + QStringLiteral("/dcgm_test_exporter.mjs")});
    QByteArray seen;
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && m_exporter.state() != QProcess::NotRunning) {
        m_exporter.waitForReadyRead(100);
        seen += m_exporter.readAllStandardOutput();
        const int at = seen.indexOf("LISTENING ");
        if (at >= 0 && seen.indexOf('\n', at) > at) {
            m_exporterPort = seen.mid(at + 10, seen.indexOf('\n', at) - at - 10).trimmed().toInt();
            return m_exporterPort > 0;
        }
    }
    *error = QStringLiteral("the DCGM test exporter did not start: ") + QString::fromUtf8(seen) +
             QString::fromUtf8(m_exporter.readAllStandardError());
    return false;
}

bool PrometheusTestStack::startPrometheus(const QString &program, QString *error)
{
    QByteArray config = readFile(QString::fromLatin1(kSupport) + QStringLiteral("/prometheus.yml.in"));
    if (!m_engineUrl.empty())
        config += readFile(QString::fromLatin1(kSupport) + QStringLiteral("/engine-job.yml.in"));
    if (config.isEmpty()) {
        *error = QStringLiteral("cannot read the configuration templates in ") + QString::fromLatin1(kSupport);
        return false;
    }
    config.replace("@EXPORTER@", QByteArrayLiteral("127.0.0.1:") + QByteArray::number(m_exporterPort));
    config.replace("@ENGINE@", QByteArray::fromStdString(m_engineUrl).mid(int(std::strlen("http://"))));
    const QString configPath = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile out(configPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(config) != config.size()) {
        *error = QStringLiteral("cannot write ") + configPath;
        return false;
    }
    out.close();
    // A port that was free a moment ago may be taken by the time Prometheus binds it: retry.
    QByteArray output;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = freePort();
        m_prometheusUrl = "http://127.0.0.1:" + std::to_string(port);
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.start(program, {QStringLiteral("--config.file=") + configPath,
                                     QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
                                     QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                                     QStringLiteral("--log.level=warn")});
        const QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() && m_prometheus.state() != QProcess::NotRunning) {
            if (httpGet(m_prometheusUrl + "/-/ready").status == 200)
                return true;
            m_prometheus.waitForReadyRead(100);
            output += m_prometheus.readAll();
        }
        output += m_prometheus.readAll();
        stopProcess(m_prometheus);
        if (!output.contains("address already in use"))
            break;
    }
    *error = QStringLiteral("Prometheus did not become ready: ") + QString::fromUtf8(output.right(2000));
    return false;
}

bool PrometheusTestStack::start(QString *error, const std::string &engineUrl)
{
    m_engineUrl = engineUrl;
    QString why;
    const QString program = findPrometheus(&why);
    if (program.isEmpty()) {
        *error = why;
        return false;
    }
    if (!m_dir.isValid() || !startExporter(error) || !startPrometheus(program, error))
        return false;
    // Both DCGM jobs scraped: one series per GPU of both nodes (4).
    const QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        const net::Response r = httpGet(m_prometheusUrl + "/api/v1/query?query=count(DCGM_FI_DEV_GPU_TEMP)");
        if (r.status == 200 && r.body.find("\"4\"") != std::string::npos)
            return true;
        QThread::msleep(200);
    }
    *error = QStringLiteral("Prometheus did not scrape both DCGM pages within 20 s");
    return false;
}

} // namespace slipway::testing
