#include "kube/connection.h"

#include "kube/base64.h"
#include "kube/exec_plugin.h"
#include "net/redact.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace slipway::kube {

namespace {

using json = nlohmann::json;

Result<std::string> readTextFile(const std::string &path, const std::string &what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot read " + what + " " + path + ": check that it exists and is readable");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string trimmed(std::string text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string stripTrailingSlash(std::string server)
{
    while (server.size() > 1 && server.back() == '/')
        server.pop_back();
    return server;
}

Result<void> checkServerUrl(const std::string &server, const std::string &where)
{
    if (server.empty())
        return fail(where + " has no server URL; give the API server's address, e.g. https://api.cluster.example.com:6443");
    if (!server.starts_with("https://") && !server.starts_with("http://"))
        return fail(where + ": server \"" + server + "\" must start with https:// (e.g. https://api.cluster.example.com:6443)");
    return {};
}

} // namespace

// ---- credential sources -----------------------------------------------------------------------

StaticTokenSource::StaticTokenSource(std::string token) : m_token(std::move(token)) {}

Result<Credentials> StaticTokenSource::credentials(bool)
{
    std::lock_guard lock(m_mutex);
    return Credentials{m_token, {}, {}};
}

std::string StaticTokenSource::describe() const { return "token"; }

void StaticTokenSource::replaceToken(std::string token)
{
    std::lock_guard lock(m_mutex);
    m_token = std::move(token);
}

TokenFileSource::TokenFileSource(std::string path) : m_path(std::move(path)) {}

Result<Credentials> TokenFileSource::credentials(bool)
{
    auto text = readTextFile(m_path, "the token file");
    if (!text)
        return text.error();
    std::string token = trimmed(std::move(text.value()));
    if (token.empty())
        return fail("the token file " + m_path + " is empty; log in again or fix users[].user.tokenFile");
    return Credentials{std::move(token), {}, {}};
}

std::string TokenFileSource::describe() const { return "token file " + m_path; }

ExecPluginSource::ExecPluginSource(ExecConfig config, std::string clusterServer, std::string clusterCaData)
    : m_config(std::move(config)), m_server(std::move(clusterServer)), m_caData(std::move(clusterCaData))
{
}

std::string ExecPluginSource::describe() const { return "exec plugin " + m_config.command; }

int ExecPluginSource::runCount() const
{
    std::lock_guard lock(m_mutex);
    return m_runs;
}

Result<Credentials> ExecPluginSource::credentials(bool refresh)
{
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::system_clock::now();
    if (!refresh && m_cached && (!m_expiry || now + std::chrono::seconds(60) < *m_expiry))
        return *m_cached;

    const std::string apiVersion =
        m_config.apiVersion.empty() ? std::string("client.authentication.k8s.io/v1") : m_config.apiVersion;
    json info = {{"apiVersion", apiVersion}, {"kind", "ExecCredential"}, {"spec", {{"interactive", false}}}};
    if (m_config.provideClusterInfo) {
        json cluster = {{"server", m_server}};
        if (!m_caData.empty()) {
            // The plugin gets the CA as kubeconfig carries it: base64 of the PEM.
            cluster["certificate-authority-data"] = detail::base64Encode(m_caData);
        }
        info["spec"]["cluster"] = cluster;
    }
    ++m_runs;
    auto output = detail::runPlugin(m_config, {{"KUBERNETES_EXEC_INFO", info.dump()}}, std::chrono::seconds(60));
    if (!output)
        return output.error();
    const std::string what = "the credential plugin \"" + m_config.command + "\"";
    if (output->exitCode != 0) {
        std::string detail = trimmed(output->standardError);
        if (detail.size() > 400)
            detail = detail.substr(0, 400) + "…";
        return fail(net::redactSecrets(what + " failed with exit code " + std::to_string(output->exitCode) +
                                       (detail.empty() ? std::string() : ": " + detail)));
    }
    auto status = parseExecCredential(output->standardOutput);
    if (!status)
        return fail(what + " printed " + status.message());
    m_cached = status->credentials;
    m_expiry = status->expiration;
    return *m_cached;
}

Result<ExecCredentialStatus> parseExecCredential(std::string_view text)
{
    const json document = json::parse(text.begin(), text.end(), nullptr, false);
    if (!document.is_object())
        return fail("no ExecCredential JSON on its standard output");
    if (document.value("kind", "") != "ExecCredential")
        return fail("JSON whose kind is not ExecCredential");
    const auto status = document.find("status");
    if (status == document.end() || !status->is_object())
        return fail("an ExecCredential without a status");
    ExecCredentialStatus result;
    result.credentials.token = status->value("token", "");
    result.credentials.clientCertData = status->value("clientCertificateData", "");
    result.credentials.clientKeyData = status->value("clientKeyData", "");
    if (result.credentials.token.empty() && result.credentials.clientCertData.empty())
        return fail("an ExecCredential with neither status.token nor status.clientCertificateData");
    if (result.credentials.clientCertData.empty() != result.credentials.clientKeyData.empty())
        return fail("an ExecCredential with only one of clientCertificateData and clientKeyData");
    if (const std::string expiry = status->value("expirationTimestamp", ""); !expiry.empty()) {
        result.expiration = parseRfc3339(expiry);
        if (!result.expiration)
            return fail("an ExecCredential whose expirationTimestamp \"" + expiry + "\" is not an RFC 3339 time");
    }
    return result;
}

std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year,
                                        &month, &day, &hour, &minute, &second) != 6)
        return std::nullopt;
    std::size_t at = 19;
    long long nanos = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int digits = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (digits < 9) {
                nanos = nanos * 10 + (text[at] - '0');
                ++digits;
            }
            ++at;
        }
        for (; digits < 9; ++digits)
            nanos *= 10;
    }
    long offsetSeconds = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at + 6 <= text.size() && (text[at] == '+' || text[at] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(std::string(text.substr(at + 1, 5)).c_str(), "%2d:%2d", &oh, &om) != 2)
            return std::nullopt;
        offsetSeconds = (oh * 3600 + om * 60) * (text[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size())
        return std::nullopt;
    // Days from civil (Howard Hinnant's algorithm): no dependence on the local time zone.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long long days = static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
    const long long seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    // system_clock counts nanoseconds on most platforms: years past 2262 do not fit; saturate.
    using std::chrono::system_clock;
    const long long limit = std::chrono::duration_cast<std::chrono::seconds>(system_clock::duration::max()).count() - 1;
    if (seconds >= limit)
        return system_clock::time_point::max();
    if (seconds <= -limit)
        return system_clock::time_point::min();
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(seconds) +
                                                                        std::chrono::nanoseconds(nanos)));
}

// ---- connections ------------------------------------------------------------------------------

std::string Connection::securityWarning() const
{
    if (tls.insecureSkipVerify)
        return "TLS verification is off for " + server +
               ": anyone between you and the cluster can read your token; add the cluster's CA instead";
    if (server.starts_with("http://"))
        return "the connection to " + server + " is not encrypted: your token travels in clear text";
    return {};
}

Result<Connection> connectionForContext(const Kubeconfig &config, std::string_view contextName)
{
    const std::string name = contextName.empty() ? config.currentContext : std::string(contextName);
    if (name.empty())
        return fail("the kubeconfig sets no current-context; choose a context (" +
                    std::to_string(config.contexts.size()) + " available)");
    const ContextEntry *context = config.findContext(name);
    if (!context)
        return fail("the kubeconfig has no context \"" + name + "\"");
    const std::string where = "context \"" + name + "\"";
    const ClusterEntry *cluster = config.findCluster(context->cluster);
    if (!cluster)
        return fail(where + " names cluster \"" + context->cluster + "\", which no kubeconfig file defines");
    if (auto ok = checkServerUrl(cluster->server, "cluster \"" + cluster->name + "\""); !ok)
        return ok.error();

    Connection connection;
    connection.contextName = name;
    connection.server = stripTrailingSlash(cluster->server);
    connection.namespaceName = context->namespaceName.empty() ? "default" : context->namespaceName;
    connection.tlsServerName = cluster->tlsServerName;
    connection.tls.serverName = cluster->tlsServerName; // every request checks the certificate against it
    if (!cluster->proxyUrl.empty())
        connection.proxy = cluster->proxyUrl;
    const bool hasCa = !cluster->certificateAuthority.empty() || !cluster->certificateAuthorityData.empty();
    if (cluster->insecureSkipTlsVerify && hasCa)
        return fail("cluster \"" + cluster->name + "\" sets both a certificate authority and insecure-skip-tls-verify; "
                    "remove one (kubectl refuses this too)");
    connection.tls.insecureSkipVerify = cluster->insecureSkipTlsVerify;
    if (!cluster->certificateAuthorityData.empty()) {
        connection.tls.caData = cluster->certificateAuthorityData;
    } else if (!cluster->certificateAuthority.empty()) {
        auto ca = readTextFile(cluster->certificateAuthority, "the certificate-authority file of cluster \"" + cluster->name + "\",");
        if (!ca)
            return ca.error();
        connection.tls.caData = std::move(ca.value());
    }

    if (context->user.empty())
        return connection; // anonymous
    const UserEntry *user = config.findUser(context->user);
    if (!user)
        return fail(where + " names user \"" + context->user + "\", which no kubeconfig file defines");
    connection.userName = user->name;
    const std::string userWhere = "user \"" + user->name + "\"";
    if (!user->clientCertificateData.empty())
        connection.tls.clientCertData = user->clientCertificateData;
    else if (!user->clientCertificate.empty()) {
        auto cert = readTextFile(user->clientCertificate, "the client-certificate file of " + userWhere + ",");
        if (!cert)
            return cert.error();
        connection.tls.clientCertData = std::move(cert.value());
    }
    if (!user->clientKeyData.empty())
        connection.tls.clientKeyData = user->clientKeyData;
    else if (!user->clientKey.empty()) {
        auto key = readTextFile(user->clientKey, "the client-key file of " + userWhere + ",");
        if (!key)
            return key.error();
        connection.tls.clientKeyData = std::move(key.value());
    }
    if (connection.tls.clientCertData.empty() != connection.tls.clientKeyData.empty())
        return fail(userWhere + " has a client certificate without its key (or a key without its certificate); set both");

    if (!user->token.empty())
        connection.credentials = std::make_shared<StaticTokenSource>(user->token);
    else if (!user->tokenFile.empty())
        connection.credentials = std::make_shared<TokenFileSource>(user->tokenFile);
    else if (user->exec)
        connection.credentials =
            std::make_shared<ExecPluginSource>(*user->exec, connection.server, connection.tls.caData);
    return connection;
}

Result<Connection> tokenConnection(std::string server, std::string token, std::string caPem, bool insecureSkipTlsVerify,
                                   std::string namespaceName)
{
    server = trimmed(std::move(server));
    if (auto ok = checkServerUrl(server, "the login form"); !ok)
        return ok.error();
    token = trimmed(std::move(token));
    if (token.empty())
        return fail("no token given; copy one from the OpenShift console (your name → Copy login command) "
                    "or run `oc whoami -t`");
    if (insecureSkipTlsVerify && !caPem.empty())
        return fail("give either the cluster's CA or 'skip TLS verification', not both");
    if (!caPem.empty() && caPem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        return fail("the CA given is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----)");
    Connection connection;
    connection.server = stripTrailingSlash(server);
    connection.contextName = connection.server + " (token)";
    connection.tls.caData = std::move(caPem);
    connection.tls.insecureSkipVerify = insecureSkipTlsVerify;
    connection.namespaceName = namespaceName.empty() ? "default" : std::move(namespaceName);
    connection.credentials = std::make_shared<StaticTokenSource>(std::move(token));
    return connection;
}

} // namespace slipway::kube
