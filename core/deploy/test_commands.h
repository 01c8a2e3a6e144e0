#pragma once
// Ready-to-paste curl commands that check a deployed model, for the CLI and the UI.
// Unlike the guide's, the /v1/completions body carries only fields of that endpoint (no "role").
#include <string>

namespace slipway::deploy {

struct DeploymentPlan;

struct TestCommands {
    std::string baseUrl;         // what the commands call, without a trailing slash
    std::string models;          // GET /v1/models
    std::string completions;     // POST /v1/completions {"model", "prompt", "max_tokens"}
    std::string chatCompletions; // POST /v1/chat/completions {"model", "messages", "max_tokens"}
};

// The Service's address inside the cluster, e.g. http://deepseek.llm.svc.cluster.local:40000
// (KServe: http://<name>-predictor.<ns>.svc.cluster.local, port 80).
std::string inClusterUrl(const DeploymentPlan &plan);
// The Route's or Ingress's URL when its host is known (routeHost / ingressHost), else empty.
std::string externalUrl(const DeploymentPlan &plan);

// baseUrl empty: inClusterUrl(plan). insecureTls adds -k (self-signed router certificates).
TestCommands testCommands(const DeploymentPlan &plan, const std::string &baseUrl = {},
                          const std::string &prompt = "What is the meaning of life?", bool insecureTls = false);

// POSIX shell single-quoting: abc -> 'abc', it's -> 'it'\''s'.
std::string shellQuote(const std::string &text);

} // namespace slipway::deploy
