#pragma once
// kubeconfig files as kubectl reads them: clusters, users, contexts and current-context, with
// KUBECONFIG's list of files merged in order (the first file that names a cluster, user or
// context wins; current-context comes from the first file that sets it). Relative file paths
// inside a file are resolved against that file's folder; *-data fields are base64-decoded here.
// Secrets (tokens, keys) are kept in memory but never appear in an error message.
#include "common/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::kube {

// users[].user.exec: a credential plugin (client.authentication.k8s.io ExecCredential).
struct ExecConfig {
    std::string apiVersion;  // client.authentication.k8s.io/v1 or v1beta1
    std::string command;     // resolved against the kubeconfig's folder when it holds a '/'
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    bool provideClusterInfo = false;
    std::string installHint;
};

struct ClusterEntry {
    std::string name;
    std::string server;
    std::string certificateAuthority;     // path (absolute)
    std::string certificateAuthorityData; // PEM, decoded
    bool insecureSkipTlsVerify = false;
    std::string tlsServerName;
    std::string proxyUrl;
    std::string sourceFile;
};

struct UserEntry {
    std::string name;
    std::string token;
    std::string tokenFile;               // path (absolute); read on every use (tokens rotate)
    std::string clientCertificate;       // path (absolute)
    std::string clientCertificateData;   // PEM, decoded
    std::string clientKey;               // path (absolute)
    std::string clientKeyData;           // PEM, decoded
    std::optional<ExecConfig> exec;
    std::string sourceFile;
};

struct ContextEntry {
    std::string name;
    std::string cluster;
    std::string user;
    std::string namespaceName;           // empty: "default"
    std::string sourceFile;
};

struct Kubeconfig {
    std::vector<ClusterEntry> clusters;
    std::vector<UserEntry> users;
    std::vector<ContextEntry> contexts;
    std::string currentContext;
    std::vector<std::string> files;      // the files read, in merge order

    const ClusterEntry *findCluster(std::string_view name) const;
    const UserEntry *findUser(std::string_view name) const;
    const ContextEntry *findContext(std::string_view name) const;
    std::vector<std::string> contextNames() const;
};

// One file's text. sourcePath names the file in messages and anchors relative paths.
Result<Kubeconfig> parseKubeconfig(std::string_view yamlText, const std::string &sourcePath);

// Merges in order, kubectl's rules: first definition of each name wins, first current-context wins.
Kubeconfig mergeKubeconfigs(const std::vector<Kubeconfig> &configs);

// Reads and merges the files. Files that do not exist are skipped (as kubectl does for KUBECONFIG
// lists); a file that exists but cannot be parsed is an error naming it. No file at all is an error.
Result<Kubeconfig> loadKubeconfigFiles(const std::vector<std::string> &paths);

// KUBECONFIG split on ':' (';' on Windows), or ~/.kube/config when KUBECONFIG is unset or empty.
std::vector<std::string> defaultKubeconfigPaths();

} // namespace slipway::kube
