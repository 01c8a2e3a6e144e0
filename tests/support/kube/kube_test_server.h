#pragma once
// Starts tests/support/kube/kube_api_server.mjs (the Kubernetes API test server) for a test and
// drives its control API. The server makes its own CA and certificates in a temporary folder.
#include "kube/connection.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <string>

namespace slipway::testing {

class KubeTestServer final {
public:
    static constexpr const char *kAdminToken = "admin-token";

    // `arguments`: --no-openshift, --no-kserve, --no-lws, --bookmark-ms N, --history N.
    explicit KubeTestServer(QStringList arguments = {});
    ~KubeTestServer();
    KubeTestServer(const KubeTestServer &) = delete;
    KubeTestServer &operator=(const KubeTestServer &) = delete;

    // Starts the server and waits until it listens; false with `error` set when it cannot.
    bool start(QString *error);
    void kill();

    std::string server() const { return "https://127.0.0.1:" + std::to_string(m_port); }
    std::string caPem() const;                    // the CA that signed the server certificate
    QString caFile() const { return m_dir.filePath(QStringLiteral("ca.pem")); }
    QString clientCertFile() const { return m_dir.filePath(QStringLiteral("client.pem")); }
    QString clientKeyFile() const { return m_dir.filePath(QStringLiteral("client.key")); }

    // A connection with this token and the server's CA.
    kube::Connection connection(const std::string &token = kAdminToken, const std::string &ns = "default") const;

    // POST (or GET when json is empty and get is true) to /_test/<path>; the reply body, or
    // "ERROR: ..." when the call failed.
    std::string control(const std::string &path, const std::string &json = "{}") const;
    std::string controlGet(const std::string &path) const;

    // Polls `condition` every 20 ms until it holds or timeoutMs passes.
    static bool waitFor(const std::function<bool()> &condition, int timeoutMs = 5000);

private:
    QStringList m_arguments;
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
};

} // namespace slipway::testing
