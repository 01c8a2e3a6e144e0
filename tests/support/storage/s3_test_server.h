#pragma once
// Starts tests/support/storage/s3_test_server.mjs (s3rver behind a counting, fault-injecting
// proxy) for a test. s3rver is found in $SLIPWAY_NODE_DIR/node_modules/s3rver, or where
// $SLIPWAY_S3RVER_MODULE points.
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <string>

namespace slipway::testing {

class S3TestServer final {
public:
    static constexpr const char *kAccessKey = "S3RVER"; // s3rver's built-in credentials
    static constexpr const char *kSecretKey = "S3RVER";

    explicit S3TestServer(QString bucket = QStringLiteral("models"));
    ~S3TestServer();
    S3TestServer(const S3TestServer &) = delete;
    S3TestServer &operator=(const S3TestServer &) = delete;

    // Where s3rver's package is, or an empty string (with the reason in *why).
    static QString findModule(QString *why);
    bool start(QString *error);

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    std::string bucket() const { return m_bucket.toStdString(); }
    // POST /_fault/<path> with a JSON body; GET /_fault/stats. The reply body, or "ERROR: ...".
    std::string control(const std::string &path, const std::string &json = "{}") const;
    std::string stats() const;

private:
    QString m_bucket;
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
};

} // namespace slipway::testing
