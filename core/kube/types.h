#pragma once
// Value types the Kubernetes client hands out. Objects travel as JSON text plus the few metadata
// fields every caller needs; callers that look deeper (pod status, events) parse the JSON with
// their own parser (nlohmann_json stays private to each core module).
#include <map>
#include <string>
#include <vector>

namespace slipway::kube {

// Which object: apiVersion ("v1", "apps/v1") and kind ("Deployment"); namespaceName empty for
// cluster-scoped kinds (or to use the connection's default namespace where one applies).
struct ObjectRef {
    std::string apiVersion;
    std::string kind;
    std::string namespaceName;
    std::string name;
};

struct Object {
    std::string apiVersion;
    std::string kind;
    std::string namespaceName;
    std::string name;
    std::string uid;
    std::string resourceVersion;
    std::map<std::string, std::string> labels;
    std::string json; // the whole object as the server returned it
};

struct ObjectList {
    std::string resourceVersion; // of the list: where a watch starts
    std::vector<Object> items;
};

// A REST resource: what discovery calls a resource (plural, lower case).
struct ResourceType {
    std::string group;     // "" for the core group
    std::string version;   // "v1"
    std::string resource;  // "deployments"
    std::string kind;      // "Deployment"
    bool namespaced = true;

    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
};

} // namespace slipway::kube
