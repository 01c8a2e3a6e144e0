#pragma once
// The Kubernetes API client over slipway_net: discovery, get/list, server-side apply, delete,
// scale, access reviews, events and the pod/service proxy. Watches and log streams are in
// watch.h and logs.h. Every call runs on the calling thread and may block on the network; pass a
// CancelToken to stop it from another thread. A Client may be shared between threads: calls only
// read the connection, and replaceToken() is synchronised.
//
// Failures are messages (api_error.h): a 401 starts with kUnauthorizedMessage (the UI offers to
// log in again, then calls replaceToken() and retries or resumes), other API errors start with a
// phrase errorKind() recognises. Token files and exec plugins are re-read once on a 401 before it
// is reported.
#include "common/result.h"
#include "kube/connection.h"
#include "kube/types.h"
#include "net/cancel_token.h"
#include "net/http_types.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {

struct ServerInfo {
    std::string gitVersion;                  // "v1.30.4"
    std::string major;
    std::string minor;
    std::string platform;                    // "linux/amd64"
    std::vector<std::string> groupVersions;  // preferred "group/version" of every API group, "v1" first
    bool openShift = false;                  // route.openshift.io is served
    bool leaderWorkerSet = false;            // leaderworkerset.x-k8s.io (the LWS CRD) is served
    bool kserve = false;                     // serving.kserve.io (KServe's CRDs) is served

    bool hasGroup(std::string_view group) const;
};

struct ListOptions {
    std::string labelSelector;   // "app.kubernetes.io/instance=deepseek"
    std::string fieldSelector;   // "involvedObject.name=x"
    int limit = 0;               // 0: no limit
};

struct ApplyOptions {
    std::string fieldManager = "slipway";
    bool force = false;          // take over fields other managers own
    bool dryRun = false;         // dryRun=All: validate, store nothing
    std::string namespaceName;   // for namespaced objects without metadata.namespace; empty: the connection's
};

struct ApplyResult {
    Object object;               // as the server returned it (after defaulting)
    bool created = false;        // 201: the object did not exist before
};

enum class Propagation { Background, Foreground, Orphan };

// One SelfSubjectAccessReview question: may I <verb> <group>/<resource>[/<subresource>] in <namespace>?
struct AccessCheck {
    std::string verb;            // get, list, watch, create, patch, delete, use, ...
    std::string group;           // "" core, "apps", "security.openshift.io", ...
    std::string resource;        // "pods", "securitycontextconstraints", ...
    std::string subresource;     // "log", "proxy", "scale", ...
    std::string namespaceName;   // empty: cluster-wide
    std::string name;            // a specific object, e.g. the "privileged" SCC
};

struct AccessResult {
    bool allowed = false;
    std::string reason;          // the authorizer's explanation, when it gave one
};

struct EventInfo {
    std::string type;            // Normal, Warning
    std::string reason;          // FailedScheduling, BackOff, Pulled, ...
    std::string message;
    int count = 1;
    std::string lastTimestamp;   // RFC 3339
    std::string involvedKind;
    std::string involvedName;
};

// Through the API server to a pod's or service's port: .../pods/<name>:<port>/proxy/<path>.
struct ProxyTarget {
    enum class Kind { Pod, Service };
    Kind kind = Kind::Service;
    std::string namespaceName;
    std::string name;
    std::string port;            // number or port name; empty: the default
    std::string scheme;          // "https" when the backend speaks TLS; empty: http
};

class Client final {
public:
    explicit Client(Connection connection);

    // A copy: the credentials object inside is shared.
    Connection connection() const;
    const std::string &server() const { return m_server; }
    // The namespace of the context (or login form).
    const std::string &defaultNamespace() const { return m_namespace; }

    // After a re-login: later requests (and the reconnects of running watches and log streams) use it.
    void replaceToken(std::string token);

    Result<ServerInfo> discover(const net::CancelToken *cancel = nullptr);

    // The REST resource for a kind: the built-in table, else the server's discovery document of
    // that group/version (cached).
    Result<ResourceType> resolve(std::string_view apiVersion, std::string_view kind,
                                 const net::CancelToken *cancel = nullptr);

    Result<Object> get(const ObjectRef &ref, const net::CancelToken *cancel = nullptr);
    Result<ObjectList> list(std::string_view apiVersion, std::string_view kind, std::string_view namespaceName,
                            const ListOptions &options = {}, const net::CancelToken *cancel = nullptr);

    // Server-side apply of one YAML (or JSON) document: PATCH application/apply-patch+yaml with
    // fieldManager, force and dryRun=All as asked. The document needs apiVersion, kind and metadata.name.
    Result<ApplyResult> apply(std::string_view yamlDocument, const ApplyOptions &options = {},
                              const net::CancelToken *cancel = nullptr);

    Result<void> remove(const ObjectRef &ref, Propagation propagation = Propagation::Background,
                        const net::CancelToken *cancel = nullptr);

    // Sets spec.replicas through the scale subresource (Deployment, StatefulSet, LeaderWorkerSet,
    // ...); kinds without one (InferenceService) get a merge patch of spec.predictor.minReplicas
    // and maxReplicas. Returns the replicas the server now wants.
    Result<int> scale(const ObjectRef &ref, int replicas, const net::CancelToken *cancel = nullptr);

    Result<AccessResult> checkAccess(const AccessCheck &check, const net::CancelToken *cancel = nullptr);

    // Events whose involvedObject is this object, oldest first.
    Result<std::vector<EventInfo>> events(const ObjectRef &ref, const net::CancelToken *cancel = nullptr);

    // "/api/v1/namespaces/<ns>/services/https:<name>:<port>/proxy/<path>"; path may hold a query.
    std::string proxyPath(const ProxyTarget &target, std::string_view path) const;
    std::string proxyUrl(const ProxyTarget &target, std::string_view path) const { return m_server + proxyPath(target, path); }
    // A request through the proxy with this client's credentials. A non-2xx answer of the backend
    // is a Response, not an Error; API-server refusals (401, 403, 404 of the pod) are Errors.
    Result<net::Response> proxy(const ProxyTarget &target, std::string_view method, std::string_view path,
                                std::string body = {}, std::vector<net::Header> headers = {},
                                const net::CancelToken *cancel = nullptr);

    // --- building blocks for watch.cpp, logs.cpp and callers with special needs ---
    // A request to server + pathAndQuery with TLS, proxy and timeouts from the connection.
    // streaming: no total timeout (watches, logs); stall applies instead.
    net::Request request(std::string_view method, std::string_view pathAndQuery, bool streaming = false) const;
    // Adds credentials and performs the request; on 401 with refreshable credentials, refreshes them
    // once and retries. HTTP errors are a Response (check status); transport failures an Error.
    Result<net::Response> send(net::Request request, const net::Transfer &transfer = {});
    // send(), then an Error built with apiErrorMessage(what, response) for any non-2xx status.
    Result<net::Response> call(net::Request request, std::string_view what, const net::Transfer &transfer = {});

private:
    Result<void> authorize(net::Request &request, bool refresh);
    std::string describe(const ObjectRef &ref, std::string_view verb) const;

    Connection m_connection;
    std::string m_server;
    std::string m_namespace;
    mutable std::mutex m_mutex; // guards m_connection.credentials and m_discovered
    std::map<std::string, std::vector<ResourceType>> m_discovered; // "group/version" -> resources
};

} // namespace slipway::kube
