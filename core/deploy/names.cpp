#include "deploy/names.h"

#include "deploy/deployment_plan.h"

namespace slipway::deploy {

namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool labelShape(std::string_view text, bool mustStartWithLetter)
{
    if (text.empty() || text.size() > 63)
        return false;
    if (mustStartWithLetter ? !(text.front() >= 'a' && text.front() <= 'z') : !isLowerAlnum(text.front()))
        return false;
    if (!isLowerAlnum(text.back()))
        return false;
    for (char c : text) {
        if (!isLowerAlnum(c) && c != '-')
            return false;
    }
    return true;
}

} // namespace

bool isDns1123Label(std::string_view text) { return labelShape(text, false); }

bool isDns1035Label(std::string_view text) { return labelShape(text, true); }

bool isDns1123Subdomain(std::string_view text)
{
    if (text.empty() || text.size() > 253)
        return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        const std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (!isDns1123Label(part))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

ObjectNames objectNames(const DeploymentPlan &plan)
{
    const std::string &n = plan.name;
    ObjectNames names;
    names.server = n;
    names.serviceAccount = n;
    names.sccRoleBinding = n + "-scc-privileged";
    names.s3Secret = n + "-s3";
    names.modelsClaim = n + "-models";
    names.leaderClaim = n + "-models-leader";
    names.workerClaim = n + "-models-worker";
    names.loaderPod = n + "-loader";
    names.leaderLoaderPod = n + "-loader-leader";
    names.workerLoaderPod = n + "-loader-worker";
    names.downloadJob = n + "-download";
    switch (plan.mode) {
    case Mode::Deployment: names.service = n; break;
    // LWS creates a headless Service named after the LeaderWorkerSet itself; ours selects leaders.
    case Mode::Lws: names.service = n + "-leader"; break;
    case Mode::KServe: names.service = n + "-predictor"; break;
    }
    names.route = n;
    return names;
}

} // namespace slipway::deploy
