#include "kube/deployment_actions.h"

#include "kube/api_error.h"

#include <nlohmann/json.hpp>

namespace slipway::kube {

using nlohmann::json;

namespace {

// Every kind a plan can render (core/deploy/render.h), in apply order: undeploy() lists each by
// the instance label and removes them last-applied first.
std::vector<deploy::RenderedObject> renderableKinds()
{
    static const std::pair<const char *, const char *> kinds[] = {
        {"v1", "Namespace"},
        {"v1", "ServiceAccount"},
        {"rbac.authorization.k8s.io/v1", "RoleBinding"},
        {"v1", "Secret"},
        {"v1", "PersistentVolumeClaim"},
        {"v1", "Pod"},
        {"batch/v1", "Job"},
        {"apps/v1", "Deployment"},
        {"serving.kserve.io/v1alpha1", "ServingRuntime"},
        {"serving.kserve.io/v1beta1", "InferenceService"},
        {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet"},
        {"v1", "Service"},
        {"route.openshift.io/v1", "Route"},
        {"networking.k8s.io/v1", "Ingress"},
    };
    std::vector<deploy::RenderedObject> out;
    for (const auto &[apiVersion, kind] : kinds)
        out.push_back({kind, {}, {}, std::string("apiVersion: ") + apiVersion + "\nkind: " + kind + "\n"});
    return out;
}

} // namespace

std::string serverPodSelector(const DeploymentInfo &d)
{
    if (d.mode == "kserve")
        return "serving.kserve.io/inferenceservice=" + d.name;
    if (d.mode == "lws")
        return "leaderworkerset.sigs.k8s.io/name=" + d.server.name;
    return "app.kubernetes.io/instance=" + d.name + ",app.kubernetes.io/component=inference-server";
}

std::string serverServiceName(const DeploymentInfo &d)
{
    if (d.mode == "kserve")
        return d.server.name + "-predictor";
    if (d.mode == "lws")
        return d.server.name + "-leader";
    return d.server.name;
}

Result<ServiceEndpoint> findServiceEndpoint(Client &client, const DeploymentInfo &d, const net::CancelToken *cancel)
{
    if (d.mode == "servingruntime")
        return fail("the serving runtime " + d.name + " has no model deployed: nothing answers yet");
    const std::string serviceName = serverServiceName(d);
    auto service = client.get({"v1", "Service", d.namespaceName, serviceName}, cancel);
    if (!service)
        return fail("the Service " + serviceName + " of " + d.name + " in " + d.namespaceName + " is not there (" +
                    service.message() + "); wait until the deployment is applied");
    const json s = json::parse(service->json, nullptr, false);
    ServiceEndpoint endpoint;
    endpoint.proxy.kind = ProxyTarget::Kind::Service;
    endpoint.proxy.namespaceName = d.namespaceName;
    endpoint.proxy.name = serviceName;
    const json ports = s.value("/spec/ports"_json_pointer, json::array());
    if (!ports.empty() && ports[0].is_object()) {
        const json &port = ports[0];
        if (port.contains("name") && port["name"].is_string() && !port["name"].get<std::string>().empty())
            endpoint.proxy.port = port["name"].get<std::string>();
        else if (port.contains("port") && port["port"].is_number_integer())
            endpoint.proxy.port = std::to_string(port["port"].get<int>());
    }

    // A Route that leads to the Service wins: it is what users of the deployment call.
    auto routes = client.list("route.openshift.io/v1", "Route", d.namespaceName, {}, cancel);
    if (routes) {
        for (const Object &route : routes->items) {
            const json r = json::parse(route.json, nullptr, false);
            if (r.value("/spec/to/name"_json_pointer, std::string()) != serviceName)
                continue;
            const std::string host = r.value("/spec/host"_json_pointer, std::string());
            if (host.empty())
                continue;
            endpoint.routeHost = host;
            endpoint.url = (r.contains("spec") && r["spec"].contains("tls") ? "https://" : "http://") + host;
            return endpoint;
        }
    } else if (isUnauthorized(routes.error())) {
        return routes.error();
    }
    endpoint.viaProxy = true;
    endpoint.url = client.proxyUrl(endpoint.proxy, "");
    while (!endpoint.url.empty() && endpoint.url.back() == '/')
        endpoint.url.pop_back();
    return endpoint;
}

Result<UndeployResult> undeployDeployment(Client &client, const DeploymentInfo &d, bool keepVolumes,
                                          const ApplyProgressCallback &progress, const net::CancelToken *cancel)
{
    if (d.origin == DeploymentOrigin::Slipway) {
        UndeployOptions options;
        options.namespaceName = d.namespaceName;
        options.keepVolumes = keepVolumes;
        options.keepNamespace = true;
        return undeploy(client, d.name, renderableKinds(), options, progress, cancel);
    }
    // The dashboard's objects carry no instance label: remove the one object that serves.
    auto removed = client.remove(d.server, Propagation::Background, cancel);
    if (!removed && errorKind(removed.error()) != ErrorKind::NotFound)
        return fail("undeploy " + d.name + ": " + removed.message());
    if (progress)
        progress({ApplyStage::Removed, 0, 1, d.server.kind, d.server.name, false, {}});
    UndeployResult result;
    result.removed.push_back(d.server);
    return result;
}

} // namespace slipway::kube
