#include "deploy/test_commands.h"

#include "deploy/deployment_plan.h"
#include "deploy/names.h"

#include <nlohmann/json.hpp>

namespace slipway::deploy {

std::string shellQuote(const std::string &text)
{
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

std::string inClusterUrl(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    std::string url = "http://" + names.service + "." + plan.namespaceName + ".svc.cluster.local";
    // KServe's RawDeployment Service listens on 80 and forwards to the container port.
    if (plan.mode != Mode::KServe)
        url += ":" + std::to_string(plan.port);
    return url;
}

std::string externalUrl(const DeploymentPlan &plan)
{
    if (plan.platform == Platform::OpenShift)
        return plan.routeHost.empty() ? std::string() : "https://" + plan.routeHost;
    return plan.ingressHost.empty() ? std::string() : "http://" + plan.ingressHost;
}

TestCommands testCommands(const DeploymentPlan &plan, const std::string &baseUrl, const std::string &prompt,
                          bool insecureTls)
{
    TestCommands commands;
    commands.baseUrl = baseUrl.empty() ? inClusterUrl(plan) : baseUrl;
    while (!commands.baseUrl.empty() && commands.baseUrl.back() == '/')
        commands.baseUrl.pop_back();
    const std::string curl = std::string("curl -sS") + (insecureTls ? " -k" : "");
    const std::string model = clientModelName(plan);

    const nlohmann::json completion{{"model", model}, {"prompt", prompt}, {"max_tokens", 128}};
    const nlohmann::json chat{{"model", model},
                              {"messages", nlohmann::json::array({{{"role", "user"}, {"content", prompt}}})},
                              {"max_tokens", 512}};
    const auto post = [&](const std::string &path, const nlohmann::json &body) {
        return curl + " " + shellQuote(commands.baseUrl + path) + " \\\n  -H 'Content-Type: application/json' \\\n  -d " +
               shellQuote(body.dump());
    };
    commands.models = curl + " " + shellQuote(commands.baseUrl + "/v1/models");
    commands.completions = post("/v1/completions", completion);
    commands.chatCompletions = post("/v1/chat/completions", chat);
    return commands;
}

} // namespace slipway::deploy
