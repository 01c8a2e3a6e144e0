#include "kube/deployments.h"

#include "kube/api_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace slipway::kube {

using nlohmann::json;

namespace {

constexpr const char *kManagedBySlipway = "app.kubernetes.io/managed-by=slipway";
constexpr const char *kDashboard = "opendatahub.io/dashboard=true";

std::string label(const Object &o, const std::string &key)
{
    auto it = o.labels.find(key);
    return it == o.labels.end() ? std::string() : it->second;
}

int intAt(const json &j, const char *pointer, int fallback = 0)
{
    const json value = j.value(json::json_pointer(pointer), json());
    return value.is_number_integer() ? value.get<int>() : fallback;
}

std::string stringAt(const json &j, const char *pointer)
{
    const json value = j.value(json::json_pointer(pointer), json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

// Lists a kind; an unserved kind is an empty list.
Result<ObjectList> listKind(Client &client, const char *apiVersion, const char *kind, const std::string &ns,
                            const char *selector, const net::CancelToken *cancel)
{
    ListOptions options;
    options.labelSelector = selector;
    auto items = client.list(apiVersion, kind, ns, options, cancel);
    if (!items && errorKind(items.error()) == ErrorKind::NotFound)
        return ObjectList{};
    return items;
}

DeploymentInfo fromServer(const Object &o, DeploymentOrigin origin, const char *mode)
{
    const json j = json::parse(o.json, nullptr, false);
    DeploymentInfo info;
    info.name = origin == DeploymentOrigin::Slipway && !label(o, "app.kubernetes.io/instance").empty()
                    ? label(o, "app.kubernetes.io/instance") : o.name;
    info.namespaceName = o.namespaceName;
    info.origin = origin;
    info.mode = mode;
    info.server = {o.apiVersion, o.kind, o.namespaceName, o.name};
    info.model = stringAt(j, "/metadata/annotations/slipway.io~1model");
    if (o.kind == "InferenceService") {
        info.runtime = stringAt(j, "/spec/predictor/model/runtime");
        if (info.model.empty())
            info.model = stringAt(j, "/spec/predictor/model/storageUri");
        info.replicas = intAt(j, "/spec/predictor/minReplicas", 1);
        const json conditions = j.value("/status/conditions"_json_pointer, json::array());
        for (const json &c : conditions)
            if (c.value("type", "") == "Ready" && c.value("status", "") == "True")
                info.readyReplicas = info.replicas;
    } else {
        info.replicas = intAt(j, "/spec/replicas", 1);
        info.readyReplicas = intAt(j, "/status/readyReplicas");
    }
    return info;
}

} // namespace

Result<std::vector<DeploymentInfo>> listDeployments(Client &client, const std::string &namespaceName,
                                                    const net::CancelToken *cancel)
{
    std::vector<DeploymentInfo> out;
    struct Kind { const char *apiVersion; const char *kind; const char *mode; };
    for (const Kind &k : {Kind{"apps/v1", "Deployment", "deployment"}, Kind{"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "lws"},
                          Kind{"serving.kserve.io/v1beta1", "InferenceService", "kserve"}}) {
        auto items = listKind(client, k.apiVersion, k.kind, namespaceName, kManagedBySlipway, cancel);
        if (!items)
            return fail("list Slipway deployments: " + items.message());
        for (const Object &o : items->items)
            out.push_back(fromServer(o, DeploymentOrigin::Slipway, k.mode));
    }

    auto services = listKind(client, "serving.kserve.io/v1beta1", "InferenceService", namespaceName, kDashboard, cancel);
    if (!services)
        return fail("list OpenShift AI deployments: " + services.message());
    std::set<std::string> usedRuntimes;
    for (const Object &o : services->items) {
        if (label(o, "app.kubernetes.io/managed-by") == "slipway")
            continue; // listed above
        DeploymentInfo info = fromServer(o, DeploymentOrigin::Dashboard, "kserve");
        usedRuntimes.insert(o.namespaceName + "/" + info.runtime);
        out.push_back(std::move(info));
    }
    auto runtimes = listKind(client, "serving.kserve.io/v1alpha1", "ServingRuntime", namespaceName, kDashboard, cancel);
    if (!runtimes)
        return fail("list OpenShift AI serving runtimes: " + runtimes.message());
    for (const Object &o : runtimes->items) {
        if (usedRuntimes.count(o.namespaceName + "/" + o.name) || label(o, "app.kubernetes.io/managed-by") == "slipway")
            continue;
        DeploymentInfo info;
        info.name = o.name;
        info.namespaceName = o.namespaceName;
        info.origin = DeploymentOrigin::Dashboard;
        info.mode = "servingruntime";
        info.runtime = o.name;
        info.server = {o.apiVersion, o.kind, o.namespaceName, o.name};
        out.push_back(std::move(info));
    }
    std::sort(out.begin(), out.end(), [](const DeploymentInfo &a, const DeploymentInfo &b) {
        return std::tie(a.namespaceName, a.name, a.mode) < std::tie(b.namespaceName, b.name, b.mode);
    });
    return out;
}

Result<int> scaleDeployment(Client &client, const DeploymentInfo &deployment, int replicas, const net::CancelToken *cancel)
{
    if (deployment.mode == "servingruntime")
        return fail("the serving runtime " + deployment.name + " has no model deployed; deploy an InferenceService that uses it");
    if (replicas < 0)
        return fail("replicas must be 0 or more, not " + std::to_string(replicas));
    return client.scale(deployment.server, replicas, cancel);
}

} // namespace slipway::kube
