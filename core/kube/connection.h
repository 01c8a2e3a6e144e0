#pragma once
// A resolved way to reach one cluster: server URL, TLS settings, proxy, default namespace and a
// source of credentials. Built from a kubeconfig context or from an `oc login`-style server and
// token. Value type; the credential source is shared and thread-safe.
#include "common/result.h"
#include "kube/kubeconfig.h"
#include "net/http_types.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::kube {

struct Credentials {
    std::string token;          // bearer token; empty when the client certificate authenticates
    std::string clientCertData; // PEM (from an exec plugin); empty when none
    std::string clientKeyData;
};

// Where the bearer token or client certificate comes from. Thread-safe.
class CredentialSource {
public:
    virtual ~CredentialSource() = default;
    // The credentials to send. refresh: the server just answered 401 with the last ones, so drop
    // any cache and fetch anew (re-read the token file, re-run the exec plugin).
    virtual Result<Credentials> credentials(bool refresh) = 0;
    // "token", "token file /path", "exec plugin oc": for messages; never the secret itself.
    virtual std::string describe() const = 0;
    // Whether refreshing may give different credentials (token files and plugins: yes).
    virtual bool canRefresh() const = 0;
};

// A fixed token (kubeconfig `token`, or the login form). replaceToken() after a re-login.
class StaticTokenSource final : public CredentialSource {
public:
    explicit StaticTokenSource(std::string token);
    Result<Credentials> credentials(bool refresh) override;
    std::string describe() const override;
    bool canRefresh() const override { return false; }
    void replaceToken(std::string token);

private:
    mutable std::mutex m_mutex;
    std::string m_token;
};

// kubeconfig `tokenFile`: read on every request (projected service-account tokens rotate).
class TokenFileSource final : public CredentialSource {
public:
    explicit TokenFileSource(std::string path);
    Result<Credentials> credentials(bool refresh) override;
    std::string describe() const override;
    bool canRefresh() const override { return true; }

private:
    std::string m_path;
};

// kubeconfig `exec`: runs the plugin and caches its ExecCredential until expirationTimestamp
// (a minute early) or until a 401 asks for a refresh.
class ExecPluginSource final : public CredentialSource {
public:
    // clusterServer/clusterCaData are passed to plugins that ask for cluster info.
    ExecPluginSource(ExecConfig config, std::string clusterServer, std::string clusterCaData);
    Result<Credentials> credentials(bool refresh) override;
    std::string describe() const override;
    bool canRefresh() const override { return true; }
    int runCount() const;       // how often the plugin ran (tests, diagnostics)

private:
    ExecConfig m_config;
    std::string m_server;
    std::string m_caData;
    mutable std::mutex m_mutex;
    std::optional<Credentials> m_cached;
    std::optional<std::chrono::system_clock::time_point> m_expiry;
    int m_runs = 0;
};

struct Connection {
    std::string contextName;          // kubeconfig context, or "server-url (token)" for the login form
    std::string server;               // https://api.cluster:6443 (no trailing slash)
    net::TlsOptions tls;              // CA, client certificate, insecure flag
    std::string tlsServerName;        // kubeconfig tls-server-name (also in tls.serverName, which applies it)
    std::optional<std::string> proxy; // kubeconfig proxy-url
    std::string namespaceName = "default";
    std::string userName;             // kubeconfig user entry name (no secret)
    std::shared_ptr<CredentialSource> credentials; // null: client certificate only, or anonymous
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds requestTimeout{60'000}; // for non-streaming calls

    // "TLS verification is off for https://...: anyone between you and the cluster can read your
    // token" when insecure, else "". The UI shows it.
    std::string securityWarning() const;
};

// The connection for a kubeconfig context (empty name: current-context). Errors name what is
// missing: an unknown context, a context without a cluster, a cluster without a server, a CA file
// that cannot be read, a CA together with insecure-skip-tls-verify (kubectl refuses that too).
Result<Connection> connectionForContext(const Kubeconfig &config, std::string_view contextName = {});

// The `oc login --server=... --token=...` form. caPem: the cluster CA (may be empty: the system
// trust store). An empty or malformed server URL, or an empty token, is an error.
Result<Connection> tokenConnection(std::string server, std::string token, std::string caPem = {},
                                   bool insecureSkipTlsVerify = false, std::string namespaceName = "default");

// The status part of an ExecCredential JSON document (what a plugin prints).
struct ExecCredentialStatus {
    Credentials credentials;
    std::optional<std::chrono::system_clock::time_point> expiration;
};
Result<ExecCredentialStatus> parseExecCredential(std::string_view json);

// RFC 3339 time ("2024-05-01T10:00:00Z", "...T10:00:00.123+02:00") to a time point.
std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text);

} // namespace slipway::kube
