#include "kube/client.h"

#include "kube/api_error.h"
#include "kube/json_util.h"
#include "kube/resources.h"
#include "net/http_client.h"
#include "net/redact.h"
#include "net/url.h"

#include <algorithm>

namespace slipway::kube {

namespace {

using json = nlohmann::json;

std::string stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string withQuery(std::string path, const std::vector<std::pair<std::string, std::string>> &query)
{
    if (query.empty())
        return path;
    return path + (path.find('?') == std::string::npos ? "?" : "&") + net::queryString(query);
}

// Kinds whose controllers serve the scale subresource.
bool hasScaleSubresource(std::string_view kind)
{
    return kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet" || kind == "LeaderWorkerSet";
}

bool isStatusBody(const std::string &body)
{
    const json parsed = json::parse(body, nullptr, false);
    return parsed.is_object() && parsed.value("kind", "") == "Status";
}

} // namespace

bool ServerInfo::hasGroup(std::string_view group) const
{
    return std::any_of(groupVersions.begin(), groupVersions.end(), [&](const std::string &gv) {
        const auto slash = gv.find('/');
        return slash != std::string::npos && std::string_view(gv).substr(0, slash) == group;
    });
}

Client::Client(Connection connection)
    : m_connection(std::move(connection)), m_server(m_connection.server), m_namespace(m_connection.namespaceName)
{
}

Connection Client::connection() const
{
    std::lock_guard lock(m_mutex);
    return m_connection;
}

void Client::replaceToken(std::string token)
{
    std::lock_guard lock(m_mutex);
    if (auto *source = dynamic_cast<StaticTokenSource *>(m_connection.credentials.get()))
        source->replaceToken(std::move(token));
    else
        m_connection.credentials = std::make_shared<StaticTokenSource>(std::move(token));
}

net::Request Client::request(std::string_view method, std::string_view pathAndQuery, bool streaming) const
{
    std::lock_guard lock(m_mutex);
    net::Request request;
    request.method = std::string(method);
    request.url = m_server + std::string(pathAndQuery);
    request.tls = m_connection.tls;
    request.proxy = m_connection.proxy;
    request.timeouts.connect = m_connection.connectTimeout;
    request.timeouts.total = streaming ? std::chrono::milliseconds(0) : m_connection.requestTimeout;
    request.headers.push_back({"Accept", "application/json"});
    request.headers.push_back({"User-Agent", "slipway"});
    return request;
}

Result<void> Client::authorize(net::Request &request, bool refresh)
{
    std::shared_ptr<CredentialSource> source;
    {
        std::lock_guard lock(m_mutex);
        source = m_connection.credentials;
    }
    request.headers.erase(std::remove_if(request.headers.begin(), request.headers.end(),
                                         [](const net::Header &h) { return net::isSecretHeader(h.name); }),
                          request.headers.end());
    if (!source)
        return {};
    auto credentials = source->credentials(refresh);
    if (!credentials)
        return credentials.error();
    if (!credentials->token.empty())
        request.headers.push_back(net::bearerAuth(credentials->token));
    if (!credentials->clientCertData.empty()) {
        request.tls.clientCertData = credentials->clientCertData;
        request.tls.clientKeyData = credentials->clientKeyData;
    }
    return {};
}

Result<net::Response> Client::send(net::Request request, const net::Transfer &transfer)
{
    if (auto ok = authorize(request, false); !ok)
        return ok.error();
    auto response = net::perform(request, transfer);
    if (!response || response->status != 401)
        return response;
    std::shared_ptr<CredentialSource> source;
    {
        std::lock_guard lock(m_mutex);
        source = m_connection.credentials;
    }
    if (!source || !source->canRefresh())
        return response;
    if (auto ok = authorize(request, true); !ok)
        return ok.error();
    return net::perform(request, transfer);
}

Result<net::Response> Client::call(net::Request request, std::string_view what, const net::Transfer &transfer)
{
    auto response = send(std::move(request), transfer);
    if (!response)
        return fail(std::string(what) + ": " + response.message());
    if (!response->isSuccess())
        return fail(apiErrorMessage(what, *response));
    return response;
}

std::string Client::describe(const ObjectRef &ref, std::string_view verb) const
{
    std::string text = std::string(verb) + " " + ref.kind + " ";
    if (!ref.namespaceName.empty())
        text += ref.namespaceName + "/";
    return text + ref.name;
}

Result<ServerInfo> Client::discover(const net::CancelToken *cancel)
{
    net::Transfer transfer;
    transfer.cancel = cancel;
    ServerInfo info;
    auto version = call(request("GET", "/version"), "read the API server's version at " + m_server, transfer);
    if (!version)
        return version.error();
    auto versionJson = detail::parseJsonObject(version->body, "/version");
    if (!versionJson)
        return versionJson.error();
    info.gitVersion = stringAt(*versionJson, "gitVersion");
    info.major = stringAt(*versionJson, "major");
    info.minor = stringAt(*versionJson, "minor");
    info.platform = stringAt(*versionJson, "platform");

    auto core = call(request("GET", "/api"), "list the core API versions", transfer);
    if (!core)
        return core.error();
    if (auto coreJson = detail::parseJsonObject(core->body, "/api"); coreJson && (*coreJson)["versions"].is_array()) {
        for (const json &v : (*coreJson)["versions"]) {
            if (v.is_string())
                info.groupVersions.push_back(v.get<std::string>());
        }
    }
    auto groups = call(request("GET", "/apis"), "list the API groups", transfer);
    if (!groups)
        return groups.error();
    auto groupsJson = detail::parseJsonObject(groups->body, "/apis");
    if (!groupsJson)
        return groupsJson.error();
    if (const auto list = groupsJson->find("groups"); list != groupsJson->end() && list->is_array()) {
        for (const json &group : *list) {
            const auto preferred = group.find("preferredVersion");
            std::string gv = preferred != group.end() && preferred->is_object() ? stringAt(*preferred, "groupVersion") : "";
            if (gv.empty() && group.contains("versions") && group["versions"].is_array() && !group["versions"].empty())
                gv = stringAt(group["versions"][0], "groupVersion");
            if (!gv.empty())
                info.groupVersions.push_back(gv);
        }
    }
    info.openShift = info.hasGroup("route.openshift.io");
    info.leaderWorkerSet = info.hasGroup("leaderworkerset.x-k8s.io");
    info.kserve = info.hasGroup("serving.kserve.io");
    return info;
}

Result<ResourceType> Client::resolve(std::string_view apiVersion, std::string_view kind, const net::CancelToken *cancel)
{
    if (apiVersion.empty() || kind.empty())
        return fail("an object needs both apiVersion and kind");
    if (auto builtin = builtinResource(apiVersion, kind))
        return *builtin;
    const std::string key(apiVersion);
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_discovered.find(key); it != m_discovered.end()) {
            for (const ResourceType &type : it->second) {
                if (type.kind == kind)
                    return type;
            }
            return fail("the cluster serves no kind " + std::string(kind) + " in " + key +
                        "; is the operator that provides it installed?");
        }
    }
    const auto [group, version] = splitApiVersion(apiVersion);
    const std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = send(request("GET", path), transfer);
    if (!response)
        return fail("discover " + key + ": " + response.message());
    if (response->status == 404)
        return fail(std::string(kind) + " (" + key + ") is not served by this cluster; install the operator or "
                    "CRD that provides it");
    if (!response->isSuccess())
        return fail(apiErrorMessage("discover " + key, *response));
    auto document = detail::parseJsonObject(response->body, path);
    if (!document)
        return document.error();
    std::vector<ResourceType> types;
    if (const auto resources = document->find("resources"); resources != document->end() && resources->is_array()) {
        for (const json &r : *resources) {
            const std::string name = stringAt(r, "name");
            if (name.empty() || name.find('/') != std::string::npos)
                continue; // subresources such as deployments/scale
            types.push_back({group, version, name, stringAt(r, "kind"), r.value("namespaced", true)});
        }
    }
    std::lock_guard lock(m_mutex);
    m_discovered[key] = types;
    for (const ResourceType &type : types) {
        if (type.kind == kind)
            return type;
    }
    return fail("the cluster serves no kind " + std::string(kind) + " in " + key +
                "; is the operator that provides it installed?");
}

Result<Object> Client::get(const ObjectRef &ref, const net::CancelToken *cancel)
{
    auto type = resolve(ref.apiVersion, ref.kind, cancel);
    if (!type)
        return type.error();
    const std::string ns = type->namespaced ? (ref.namespaceName.empty() ? m_namespace : ref.namespaceName) : "";
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = call(request("GET", resourcePath(*type, ns, ref.name)), describe({ref.apiVersion, ref.kind, ns, ref.name}, "get"), transfer);
    if (!response)
        return response.error();
    auto object = detail::parseJsonObject(response->body, describe(ref, "get"));
    if (!object)
        return object.error();
    return detail::objectFromJson(*object);
}

Result<ObjectList> Client::list(std::string_view apiVersion, std::string_view kind, std::string_view namespaceName,
                                const ListOptions &options, const net::CancelToken *cancel)
{
    auto type = resolve(apiVersion, kind, cancel);
    if (!type)
        return type.error();
    std::vector<std::pair<std::string, std::string>> query;
    if (!options.labelSelector.empty())
        query.emplace_back("labelSelector", options.labelSelector);
    if (!options.fieldSelector.empty())
        query.emplace_back("fieldSelector", options.fieldSelector);
    if (options.limit > 0)
        query.emplace_back("limit", std::to_string(options.limit));
    const std::string what = "list " + type->resource + (namespaceName.empty() ? std::string() : " in " + std::string(namespaceName));
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = call(request("GET", withQuery(resourcePath(*type, namespaceName), query)), what, transfer);
    if (!response)
        return response.error();
    auto document = detail::parseJsonObject(response->body, what);
    if (!document)
        return document.error();
    ObjectList result;
    if (const auto meta = document->find("metadata"); meta != document->end() && meta->is_object())
        result.resourceVersion = stringAt(*meta, "resourceVersion");
    if (const auto items = document->find("items"); items != document->end() && items->is_array()) {
        for (json item : *items) {
            // Items of a list carry no apiVersion/kind on the wire; give them their type's.
            if (!item.contains("apiVersion"))
                item["apiVersion"] = type->apiVersion();
            if (!item.contains("kind"))
                item["kind"] = type->kind;
            result.items.push_back(detail::objectFromJson(item));
        }
    }
    return result;
}

Result<ApplyResult> Client::apply(std::string_view yamlDocument, const ApplyOptions &options, const net::CancelToken *cancel)
{
    auto parsed = detail::yamlToJson(yamlDocument);
    if (!parsed)
        return fail("cannot apply the document: " + parsed.message());
    json document = std::move(parsed.value());
    if (!document.is_object())
        return fail("cannot apply the document: it is not a YAML map with apiVersion, kind and metadata");
    const std::string apiVersion = stringAt(document, "apiVersion");
    const std::string kind = stringAt(document, "kind");
    if (apiVersion.empty() || kind.empty())
        return fail("cannot apply the document: it lacks apiVersion or kind");
    json &metadata = document["metadata"];
    if (!metadata.is_object() || stringAt(metadata, "name").empty())
        return fail("cannot apply the " + kind + ": it has no metadata.name");
    if (options.fieldManager.empty())
        return fail("cannot apply the " + kind + ": server-side apply needs a field manager name");
    auto type = resolve(apiVersion, kind, cancel);
    if (!type)
        return fail("cannot apply " + kind + " " + stringAt(metadata, "name") + ": " + type.message());
    std::string ns;
    if (type->namespaced) {
        ns = stringAt(metadata, "namespace");
        if (ns.empty()) {
            ns = options.namespaceName.empty() ? m_namespace : options.namespaceName;
            metadata["namespace"] = ns;
        }
    }
    const ObjectRef ref{apiVersion, kind, ns, stringAt(metadata, "name")};
    std::vector<std::pair<std::string, std::string>> query{{"fieldManager", options.fieldManager}};
    if (options.force)
        query.emplace_back("force", "true");
    if (options.dryRun)
        query.emplace_back("dryRun", "All");
    net::Request req = request("PATCH", withQuery(resourcePath(*type, ns, ref.name), query));
    // JSON is YAML: the API server's apply decoder reads it, and no YAML ambiguity survives.
    req.headers.push_back({"Content-Type", "application/apply-patch+yaml"});
    req.body = document.dump();
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = call(std::move(req), describe(ref, options.dryRun ? "apply (dry run)" : "apply"), transfer);
    if (!response)
        return response.error();
    auto object = detail::parseJsonObject(response->body, describe(ref, "apply"));
    if (!object)
        return object.error();
    return ApplyResult{detail::objectFromJson(*object), response->status == 201};
}

Result<void> Client::remove(const ObjectRef &ref, Propagation propagation, const net::CancelToken *cancel)
{
    auto type = resolve(ref.apiVersion, ref.kind, cancel);
    if (!type)
        return type.error();
    const std::string ns = type->namespaced ? (ref.namespaceName.empty() ? m_namespace : ref.namespaceName) : "";
    const char *policy = propagation == Propagation::Foreground ? "Foreground"
                         : propagation == Propagation::Orphan   ? "Orphan"
                                                                : "Background";
    net::Request req = request("DELETE", resourcePath(*type, ns, ref.name));
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = json{{"kind", "DeleteOptions"}, {"apiVersion", "v1"}, {"propagationPolicy", policy}}.dump();
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = call(std::move(req), describe({ref.apiVersion, ref.kind, ns, ref.name}, "delete"), transfer);
    if (!response)
        return response.error();
    return {};
}

Result<int> Client::scale(const ObjectRef &ref, int replicas, const net::CancelToken *cancel)
{
    if (replicas < 0)
        return fail("cannot scale " + ref.kind + " " + ref.name + " to " + std::to_string(replicas) + " replicas");
    auto type = resolve(ref.apiVersion, ref.kind, cancel);
    if (!type)
        return type.error();
    const std::string ns = type->namespaced ? (ref.namespaceName.empty() ? m_namespace : ref.namespaceName) : "";
    const ObjectRef target{ref.apiVersion, ref.kind, ns, ref.name};
    const std::string what = describe(target, "scale") + " to " + std::to_string(replicas);
    net::Transfer transfer;
    transfer.cancel = cancel;
    const std::vector<std::pair<std::string, std::string>> query{{"fieldManager", "slipway"}};
    json patch;
    std::string path;
    if (hasScaleSubresource(ref.kind)) {
        path = resourcePath(*type, ns, ref.name, "scale");
        patch = {{"spec", {{"replicas", replicas}}}};
    } else if (ref.kind == "InferenceService") {
        path = resourcePath(*type, ns, ref.name);
        patch = {{"spec", {{"predictor", {{"minReplicas", replicas}, {"maxReplicas", std::max(replicas, 1)}}}}}};
    } else {
        return fail("cannot scale a " + ref.kind + ": only Deployments, StatefulSets, LeaderWorkerSets and "
                    "InferenceServices have replicas");
    }
    net::Request req = request("PATCH", withQuery(path, query));
    req.headers.push_back({"Content-Type", "application/merge-patch+json"});
    req.body = patch.dump();
    auto response = call(std::move(req), what, transfer);
    if (!response)
        return response.error();
    auto object = detail::parseJsonObject(response->body, what);
    if (!object)
        return object.error();
    const json &spec = (*object)["spec"];
    if (spec.is_object() && spec.contains("replicas") && spec["replicas"].is_number_integer())
        return spec["replicas"].get<int>();
    if (spec.is_object() && spec.contains("predictor") && spec["predictor"].is_object() &&
        spec["predictor"].contains("minReplicas") && spec["predictor"]["minReplicas"].is_number_integer())
        return spec["predictor"]["minReplicas"].get<int>();
    return fail(what + ": the answer carries no spec.replicas");
}

Result<AccessResult> Client::checkAccess(const AccessCheck &check, const net::CancelToken *cancel)
{
    if (check.verb.empty() || check.resource.empty())
        return fail("an access check needs a verb and a resource");
    json attributes = {{"verb", check.verb}, {"group", check.group}, {"resource", check.resource}};
    if (!check.subresource.empty())
        attributes["subresource"] = check.subresource;
    if (!check.namespaceName.empty())
        attributes["namespace"] = check.namespaceName;
    if (!check.name.empty())
        attributes["name"] = check.name;
    const json review = {{"apiVersion", "authorization.k8s.io/v1"},
                         {"kind", "SelfSubjectAccessReview"},
                         {"spec", {{"resourceAttributes", attributes}}}};
    net::Request req = request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = review.dump();
    net::Transfer transfer;
    transfer.cancel = cancel;
    const std::string what = "check whether you may " + check.verb + " " +
                             (check.group.empty() ? "" : check.group + "/") + check.resource +
                             (check.subresource.empty() ? "" : "/" + check.subresource);
    auto response = call(std::move(req), what, transfer);
    if (!response)
        return response.error();
    auto document = detail::parseJsonObject(response->body, what);
    if (!document)
        return document.error();
    AccessResult result;
    const json &status = (*document)["status"];
    if (status.is_object()) {
        result.allowed = status.value("allowed", false);
        result.reason = status.value("reason", "");
    }
    return result;
}

Result<std::vector<EventInfo>> Client::events(const ObjectRef &ref, const net::CancelToken *cancel)
{
    const std::string ns = ref.namespaceName.empty() ? m_namespace : ref.namespaceName;
    ListOptions options;
    options.fieldSelector = "involvedObject.name=" + ref.name + ",involvedObject.kind=" + ref.kind;
    auto list = this->list("v1", "Event", ns, options, cancel);
    if (!list)
        return list.error();
    std::vector<EventInfo> events;
    for (const Object &item : list->items) {
        const json event = json::parse(item.json, nullptr, false);
        EventInfo info;
        info.type = stringAt(event, "type");
        info.reason = stringAt(event, "reason");
        info.message = stringAt(event, "message");
        info.count = event.contains("count") && event["count"].is_number_integer() ? event["count"].get<int>() : 1;
        info.lastTimestamp = stringAt(event, "lastTimestamp");
        if (info.lastTimestamp.empty())
            info.lastTimestamp = stringAt(event, "eventTime");
        if (info.lastTimestamp.empty() && event.contains("metadata"))
            info.lastTimestamp = stringAt(event["metadata"], "creationTimestamp");
        if (event.contains("involvedObject") && event["involvedObject"].is_object()) {
            info.involvedKind = stringAt(event["involvedObject"], "kind");
            info.involvedName = stringAt(event["involvedObject"], "name");
        }
        events.push_back(std::move(info));
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const EventInfo &a, const EventInfo &b) { return a.lastTimestamp < b.lastTimestamp; });
    return events;
}

std::string Client::proxyPath(const ProxyTarget &target, std::string_view path) const
{
    const std::string ns = target.namespaceName.empty() ? m_namespace : target.namespaceName;
    std::string out = "/api/v1/namespaces/" + ns + (target.kind == ProxyTarget::Kind::Pod ? "/pods/" : "/services/");
    if (!target.scheme.empty())
        out += target.scheme + ":";
    out += target.name;
    if (!target.port.empty())
        out += ":" + target.port;
    else if (!target.scheme.empty())
        out += ":";
    out += "/proxy";
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    return out + "/" + std::string(path);
}

Result<net::Response> Client::proxy(const ProxyTarget &target, std::string_view method, std::string_view path,
                                    std::string body, std::vector<net::Header> headers, const net::CancelToken *cancel)
{
    net::Request req = request(method, proxyPath(target, path));
    req.body = std::move(body);
    for (net::Header &h : headers) {
        if (!net::isSecretHeader(h.name)) // the API server's credential goes in Authorization
            req.headers.push_back(std::move(h));
    }
    net::Transfer transfer;
    transfer.cancel = cancel;
    const std::string what = std::string(method) + " " + std::string(path) + " through the proxy of " +
                             (target.kind == ProxyTarget::Kind::Pod ? "pod " : "service ") + target.name;
    auto response = send(std::move(req), transfer);
    if (!response)
        return fail(what + ": " + response.message());
    if (response->status == 401 || response->status == 403 || (!response->isSuccess() && isStatusBody(response->body)))
        return fail(apiErrorMessage(what, *response));
    return response;
}

} // namespace slipway::kube
