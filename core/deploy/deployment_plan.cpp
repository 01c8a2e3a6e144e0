#include "deploy/deployment_plan.h"

#include <array>
#include <utility>

#ifndef SLIPWAY_VERSION
#define SLIPWAY_VERSION "0.0.0"
#endif

namespace slipway::deploy {

namespace {

template <typename Enum, std::size_t N>
Result<Enum> parseEnum(std::string_view text, const std::array<std::pair<std::string_view, Enum>, N> &table,
                       std::string_view what)
{
    std::string choices;
    for (const auto &[name, value] : table) {
        if (name == text)
            return value;
        choices += choices.empty() ? "" : ", ";
        choices += name;
    }
    return fail("unknown " + std::string(what) + " '" + std::string(text) + "': choose one of " + choices);
}

constexpr std::array<std::pair<std::string_view, Mode>, 3> kModes{
    {{"deployment", Mode::Deployment}, {"kserve", Mode::KServe}, {"lws", Mode::Lws}}};
constexpr std::array<std::pair<std::string_view, Runtime>, 2> kRuntimes{
    {{"sglang", Runtime::SGLang}, {"slipway", Runtime::Slipway}}};
constexpr std::array<std::pair<std::string_view, Platform>, 2> kPlatforms{
    {{"openshift", Platform::OpenShift}, {"kubernetes", Platform::Kubernetes}}};
constexpr std::array<std::pair<std::string_view, Security>, 2> kSecurities{
    {{"privileged", Security::Privileged}, {"restricted", Security::Restricted}}};
constexpr std::array<std::pair<std::string_view, Storage>, 4> kStorages{
    {{"pvc", Storage::Pvc}, {"s3", Storage::S3}, {"download", Storage::Download}, {"image", Storage::Image}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(Enum value, const std::array<std::pair<std::string_view, Enum>, N> &table)
{
    for (const auto &[name, candidate] : table) {
        if (candidate == value)
            return name;
    }
    return "?";
}

std::string lastPathPart(std::string_view path)
{
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    const std::size_t slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

} // namespace

std::string_view modeName(Mode mode) { return nameOf(mode, kModes); }
std::string_view runtimeName(Runtime runtime) { return nameOf(runtime, kRuntimes); }
std::string_view platformName(Platform platform) { return nameOf(platform, kPlatforms); }
std::string_view securityName(Security security) { return nameOf(security, kSecurities); }
std::string_view storageName(Storage storage) { return nameOf(storage, kStorages); }

std::string s3KeyPrefix(const DeploymentPlan &plan)
{
    const std::string &path = plan.s3.path;
    const size_t begin = path.find_first_not_of('/');
    if (begin == std::string::npos)
        return {};
    return path.substr(begin, path.find_last_not_of('/') - begin + 1);
}

std::string s3Uri(const DeploymentPlan &plan)
{
    const std::string prefix = s3KeyPrefix(plan);
    return "s3://" + plan.s3.bucket + (prefix.empty() ? "" : "/" + prefix);
}

Result<Mode> parseMode(std::string_view text) { return parseEnum(text, kModes, "mode"); }
Result<Runtime> parseRuntime(std::string_view text) { return parseEnum(text, kRuntimes, "runtime"); }
Result<Platform> parsePlatform(std::string_view text) { return parseEnum(text, kPlatforms, "platform"); }
Result<Security> parseSecurity(std::string_view text) { return parseEnum(text, kSecurities, "security"); }
Result<Storage> parseStorage(std::string_view text) { return parseEnum(text, kStorages, "storage"); }

std::string defaultImage(Runtime runtime)
{
    switch (runtime) {
    case Runtime::SGLang: return "lmsysorg/sglang:latest";
    case Runtime::Slipway: return std::string("quay.io/slipway/slipway-engine:") + SLIPWAY_VERSION;
    }
    return {};
}

std::string effectiveImage(const DeploymentPlan &plan)
{
    return plan.image.empty() ? defaultImage(plan.runtime) : plan.image;
}

std::string effectiveModelDir(const DeploymentPlan &plan)
{
    if (!plan.modelDir.empty())
        return plan.modelDir;
    if (!plan.modelId.empty())
        return lastPathPart(plan.modelId);
    if (plan.storage == Storage::S3 && !lastPathPart(plan.s3.path).empty())
        return lastPathPart(plan.s3.path);
    return "model";
}

std::string serverModelPath(const DeploymentPlan &plan)
{
    if (plan.storage == Storage::Image)
        return plan.imageModelPath;
    if (plan.mode == Mode::KServe)
        return "/mnt/models";
    std::string mount = plan.modelMountPath;
    while (mount.size() > 1 && mount.back() == '/')
        mount.pop_back();
    return mount + "/" + effectiveModelDir(plan);
}

std::string clientModelName(const DeploymentPlan &plan)
{
    return plan.servedModelName.empty() ? serverModelPath(plan) : plan.servedModelName;
}

std::string cpuQuantity(int millis)
{
    if (millis % 1000 == 0)
        return std::to_string(millis / 1000);
    return std::to_string(millis) + "m";
}

std::string memoryQuantity(uint64_t bytes)
{
    constexpr uint64_t kKi = 1024, kMi = kKi * 1024, kGi = kMi * 1024, kTi = kGi * 1024;
    if (bytes != 0 && bytes % kTi == 0)
        return std::to_string(bytes / kTi) + "Ti";
    if (bytes != 0 && bytes % kGi == 0)
        return std::to_string(bytes / kGi) + "Gi";
    if (bytes != 0 && bytes % kMi == 0)
        return std::to_string(bytes / kMi) + "Mi";
    if (bytes != 0 && bytes % kKi == 0)
        return std::to_string(bytes / kKi) + "Ki";
    return std::to_string(bytes);
}

} // namespace slipway::deploy
