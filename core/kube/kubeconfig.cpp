#include "kube/kubeconfig.h"

#include "kube/base64.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace slipway::kube {

namespace {

namespace fs = std::filesystem;

std::string scalar(const YAML::Node &node, const char *key)
{
    const YAML::Node value = node[key];
    if (!value || !value.IsScalar())
        return {};
    return value.Scalar();
}

bool boolean(const YAML::Node &node, const char *key)
{
    const std::string text = scalar(node, key);
    return text == "true" || text == "True" || text == "TRUE" || text == "yes";
}

// kubectl resolves relative paths against the folder of the file that holds them.
std::string resolvePath(const std::string &path, const std::string &sourcePath)
{
    if (path.empty())
        return path;
    fs::path p(path);
    if (path.starts_with("~/")) {
        if (const char *home = std::getenv("HOME"))
            return (fs::path(home) / path.substr(2)).lexically_normal().string();
    }
    if (p.is_absolute() || sourcePath.empty())
        return p.lexically_normal().string();
    return (fs::path(sourcePath).parent_path() / p).lexically_normal().string();
}

// Decodes a *-data field; the message names the field and the entry, never the content.
Result<std::string> decodeData(const YAML::Node &node, const char *key, const std::string &what,
                               const std::string &sourcePath)
{
    const std::string text = scalar(node, key);
    if (text.empty())
        return std::string();
    auto decoded = detail::base64Decode(text);
    if (!decoded)
        return fail(sourcePath + ": " + key + " of " + what + " is not valid base64; paste the PEM file's content "
                    "encoded with `base64 -w0`");
    return std::move(*decoded);
}

Result<ExecConfig> parseExec(const YAML::Node &node, const std::string &user, const std::string &sourcePath)
{
    ExecConfig exec;
    exec.apiVersion = scalar(node, "apiVersion");
    exec.command = scalar(node, "command");
    if (exec.command.empty())
        return fail(sourcePath + ": user \"" + user + "\" has an exec credential plugin without a command");
    if (exec.command.find('/') != std::string::npos)
        exec.command = resolvePath(exec.command, sourcePath);
    if (const YAML::Node args = node["args"]; args && args.IsSequence()) {
        for (const auto &arg : args)
            exec.args.push_back(arg.as<std::string>());
    }
    if (const YAML::Node env = node["env"]; env && env.IsSequence()) {
        for (const auto &item : env)
            exec.env.emplace_back(scalar(item, "name"), scalar(item, "value"));
    }
    exec.provideClusterInfo = boolean(node, "provideClusterInfo");
    exec.installHint = scalar(node, "installHint");
    return exec;
}

Result<void> parseClusters(const YAML::Node &root, const std::string &sourcePath, Kubeconfig &config)
{
    const YAML::Node list = root["clusters"];
    if (!list || list.IsNull())
        return {};
    if (!list.IsSequence())
        return fail(sourcePath + ": clusters must be a list");
    for (const auto &item : list) {
        ClusterEntry entry;
        entry.name = scalar(item, "name");
        entry.sourceFile = sourcePath;
        const YAML::Node cluster = item["cluster"];
        if (entry.name.empty() || !cluster || !cluster.IsMap())
            return fail(sourcePath + ": every clusters[] entry needs a name and a cluster map");
        entry.server = scalar(cluster, "server");
        entry.certificateAuthority = resolvePath(scalar(cluster, "certificate-authority"), sourcePath);
        auto ca = decodeData(cluster, "certificate-authority-data", "cluster \"" + entry.name + "\"", sourcePath);
        if (!ca)
            return ca.error();
        entry.certificateAuthorityData = std::move(ca.value());
        entry.insecureSkipTlsVerify = boolean(cluster, "insecure-skip-tls-verify");
        entry.tlsServerName = scalar(cluster, "tls-server-name");
        entry.proxyUrl = scalar(cluster, "proxy-url");
        config.clusters.push_back(std::move(entry));
    }
    return {};
}

Result<void> parseUsers(const YAML::Node &root, const std::string &sourcePath, Kubeconfig &config)
{
    const YAML::Node list = root["users"];
    if (!list || list.IsNull())
        return {};
    if (!list.IsSequence())
        return fail(sourcePath + ": users must be a list");
    for (const auto &item : list) {
        UserEntry entry;
        entry.name = scalar(item, "name");
        entry.sourceFile = sourcePath;
        const YAML::Node user = item["user"];
        if (entry.name.empty())
            return fail(sourcePath + ": every users[] entry needs a name");
        if (!user || user.IsNull()) {
            config.users.push_back(std::move(entry));
            continue;
        }
        if (!user.IsMap())
            return fail(sourcePath + ": user \"" + entry.name + "\" must be a map");
        const std::string what = "user \"" + entry.name + "\"";
        entry.token = scalar(user, "token");
        entry.tokenFile = resolvePath(scalar(user, "tokenFile"), sourcePath);
        entry.clientCertificate = resolvePath(scalar(user, "client-certificate"), sourcePath);
        entry.clientKey = resolvePath(scalar(user, "client-key"), sourcePath);
        auto cert = decodeData(user, "client-certificate-data", what, sourcePath);
        if (!cert)
            return cert.error();
        entry.clientCertificateData = std::move(cert.value());
        auto key = decodeData(user, "client-key-data", what, sourcePath);
        if (!key)
            return key.error();
        entry.clientKeyData = std::move(key.value());
        if (const YAML::Node exec = user["exec"]; exec && exec.IsMap()) {
            auto parsed = parseExec(exec, entry.name, sourcePath);
            if (!parsed)
                return parsed.error();
            entry.exec = std::move(parsed.value());
        }
        if (user["auth-provider"])
            return fail(sourcePath + ": " + what + " uses an auth-provider, which kubectl no longer supports; "
                        "use an exec credential plugin or a token (oc login / kubectl config set-credentials)");
        config.users.push_back(std::move(entry));
    }
    return {};
}

Result<void> parseContexts(const YAML::Node &root, const std::string &sourcePath, Kubeconfig &config)
{
    const YAML::Node list = root["contexts"];
    if (!list || list.IsNull())
        return {};
    if (!list.IsSequence())
        return fail(sourcePath + ": contexts must be a list");
    for (const auto &item : list) {
        ContextEntry entry;
        entry.name = scalar(item, "name");
        entry.sourceFile = sourcePath;
        const YAML::Node context = item["context"];
        if (entry.name.empty() || !context || !context.IsMap())
            return fail(sourcePath + ": every contexts[] entry needs a name and a context map");
        entry.cluster = scalar(context, "cluster");
        entry.user = scalar(context, "user");
        entry.namespaceName = scalar(context, "namespace");
        config.contexts.push_back(std::move(entry));
    }
    return {};
}

template <typename Entry>
const Entry *findByName(const std::vector<Entry> &entries, std::string_view name)
{
    for (const Entry &entry : entries) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

template <typename Entry>
void mergeEntries(std::vector<Entry> &into, const std::vector<Entry> &from)
{
    for (const Entry &entry : from) {
        if (!findByName(into, entry.name))
            into.push_back(entry);
    }
}

} // namespace

const ClusterEntry *Kubeconfig::findCluster(std::string_view name) const { return findByName(clusters, name); }
const UserEntry *Kubeconfig::findUser(std::string_view name) const { return findByName(users, name); }
const ContextEntry *Kubeconfig::findContext(std::string_view name) const { return findByName(contexts, name); }

std::vector<std::string> Kubeconfig::contextNames() const
{
    std::vector<std::string> names;
    for (const ContextEntry &context : contexts)
        names.push_back(context.name);
    return names;
}

Result<Kubeconfig> parseKubeconfig(std::string_view yamlText, const std::string &sourcePath)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yamlText));
    } catch (const YAML::Exception &e) {
        return fail(sourcePath + ": not valid YAML (line " + std::to_string(e.mark.line + 1) + "): " + e.msg);
    }
    Kubeconfig config;
    config.files.push_back(sourcePath);
    if (!root || root.IsNull())
        return config; // an empty file is allowed, as kubectl allows it
    if (!root.IsMap())
        return fail(sourcePath + ": a kubeconfig must be a YAML map with clusters, users and contexts");
    const std::string kind = scalar(root, "kind");
    if (!kind.empty() && kind != "Config")
        return fail(sourcePath + ": kind is \"" + kind + "\", expected Config");
    try {
        if (auto r = parseClusters(root, sourcePath, config); !r)
            return r.error();
        if (auto r = parseUsers(root, sourcePath, config); !r)
            return r.error();
        if (auto r = parseContexts(root, sourcePath, config); !r)
            return r.error();
    } catch (const YAML::Exception &e) {
        return fail(sourcePath + ": unexpected structure (line " + std::to_string(e.mark.line + 1) + "): " + e.msg);
    }
    config.currentContext = scalar(root, "current-context");
    return config;
}

Kubeconfig mergeKubeconfigs(const std::vector<Kubeconfig> &configs)
{
    Kubeconfig merged;
    for (const Kubeconfig &config : configs) {
        mergeEntries(merged.clusters, config.clusters);
        mergeEntries(merged.users, config.users);
        mergeEntries(merged.contexts, config.contexts);
        if (merged.currentContext.empty())
            merged.currentContext = config.currentContext;
        merged.files.insert(merged.files.end(), config.files.begin(), config.files.end());
    }
    return merged;
}

Result<Kubeconfig> loadKubeconfigFiles(const std::vector<std::string> &paths)
{
    std::vector<Kubeconfig> configs;
    std::set<std::string> seen;
    for (const std::string &path : paths) {
        if (path.empty() || !seen.insert(path).second)
            continue;
        std::error_code ec;
        if (!fs::exists(path, ec))
            continue;
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail("cannot read the kubeconfig " + path + ": check its permissions");
        std::ostringstream text;
        text << in.rdbuf();
        auto config = parseKubeconfig(text.str(), path);
        if (!config)
            return config.error();
        configs.push_back(std::move(config.value()));
    }
    if (configs.empty()) {
        std::string list;
        for (const std::string &path : paths)
            list += (list.empty() ? "" : ", ") + path;
        return fail("no kubeconfig found (looked for " + (list.empty() ? std::string("nothing") : list) +
                    "); log in with `oc login` or `kubectl`, or connect with a server URL and token");
    }
    return mergeKubeconfigs(configs);
}

std::vector<std::string> defaultKubeconfigPaths()
{
#ifdef _WIN32
    constexpr char kSeparator = ';';
#else
    constexpr char kSeparator = ':';
#endif
    std::vector<std::string> paths;
    const char *env = std::getenv("KUBECONFIG");
    if (env && *env) {
        std::string_view rest(env);
        while (!rest.empty()) {
            const auto at = rest.find(kSeparator);
            const std::string_view part = rest.substr(0, at);
            if (!part.empty())
                paths.emplace_back(part);
            if (at == std::string_view::npos)
                break;
            rest.remove_prefix(at + 1);
        }
        if (!paths.empty())
            return paths;
    }
    const char *home = std::getenv("HOME");
    if (!home)
        home = std::getenv("USERPROFILE");
    if (home)
        paths.push_back((fs::path(home) / ".kube" / "config").string());
    return paths;
}

} // namespace slipway::kube
