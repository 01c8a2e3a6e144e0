#include "kube/resources.h"

namespace slipway::kube {

const std::vector<ResourceType> &builtinResources()
{
    static const std::vector<ResourceType> table = {
        {"", "v1", "namespaces", "Namespace", false},
        {"", "v1", "serviceaccounts", "ServiceAccount", true},
        {"", "v1", "secrets", "Secret", true},
        {"", "v1", "configmaps", "ConfigMap", true},
        {"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true},
        {"", "v1", "persistentvolumes", "PersistentVolume", false},
        {"", "v1", "pods", "Pod", true},
        {"", "v1", "services", "Service", true},
        {"", "v1", "events", "Event", true},
        {"", "v1", "nodes", "Node", false},
        {"apps", "v1", "deployments", "Deployment", true},
        {"apps", "v1", "replicasets", "ReplicaSet", true},
        {"apps", "v1", "statefulsets", "StatefulSet", true},
        {"batch", "v1", "jobs", "Job", true},
        {"rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true},
        {"rbac.authorization.k8s.io", "v1", "roles", "Role", true},
        {"networking.k8s.io", "v1", "ingresses", "Ingress", true},
        {"storage.k8s.io", "v1", "storageclasses", "StorageClass", false},
        {"route.openshift.io", "v1", "routes", "Route", true},
        {"serving.kserve.io", "v1alpha1", "servingruntimes", "ServingRuntime", true},
        {"serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", true},
        {"leaderworkerset.x-k8s.io", "v1", "leaderworkersets", "LeaderWorkerSet", true},
        {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
    };
    return table;
}

std::optional<ResourceType> builtinResource(std::string_view apiVersion, std::string_view kind)
{
    for (const ResourceType &type : builtinResources()) {
        if (type.kind == kind && type.apiVersion() == apiVersion)
            return type;
    }
    return std::nullopt;
}

std::string resourcePath(const ResourceType &type, std::string_view namespaceName, std::string_view name,
                         std::string_view subresource)
{
    std::string path = type.group.empty() ? "/api/" + type.version : "/apis/" + type.group + "/" + type.version;
    if (type.namespaced && !namespaceName.empty())
        path += "/namespaces/" + std::string(namespaceName);
    path += "/" + type.resource;
    if (!name.empty())
        path += "/" + std::string(name);
    if (!subresource.empty())
        path += "/" + std::string(subresource);
    return path;
}

std::pair<std::string, std::string> splitApiVersion(std::string_view apiVersion)
{
    const auto slash = apiVersion.find('/');
    if (slash == std::string_view::npos)
        return {std::string(), std::string(apiVersion)};
    return {std::string(apiVersion.substr(0, slash)), std::string(apiVersion.substr(slash + 1))};
}

} // namespace slipway::kube
