#pragma once
// REST paths of Kubernetes resources. A built-in table covers every kind core/deploy renders and
// the kinds the console reads; Client::resolve() asks discovery for anything else.
#include "kube/types.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {

const std::vector<ResourceType> &builtinResources();

// The built-in entry for apiVersion ("apps/v1") and kind ("Deployment"), if there is one.
std::optional<ResourceType> builtinResource(std::string_view apiVersion, std::string_view kind);

// "/api/v1/namespaces/<ns>/pods/<name>/<subresource>", "/apis/apps/v1/deployments", ...
// An empty namespace on a namespaced type lists across all namespaces; name and subresource may be empty.
std::string resourcePath(const ResourceType &type, std::string_view namespaceName, std::string_view name = {},
                         std::string_view subresource = {});

// "group/version" split: "apps/v1" -> {"apps", "v1"}, "v1" -> {"", "v1"}.
std::pair<std::string, std::string> splitApiVersion(std::string_view apiVersion);

} // namespace slipway::kube
