#include "deploy/plan_builder.h"

#include "deploy/deploy_messages.h"
#include "deploy/image_mirror.h"
#include "model/model_loader.h"
#include "sizing/format.h"

#include <cctype>
#include <cstdlib>
#include <utility>

namespace slipway::deploy {

namespace {

// The layout asked for: any two of tp, nodes and gpus-per-node fix the third.
Result<void> resolveLayout(PlanRequest &r)
{
    if (!r.nodes)
        return {};
    const int n = *r.nodes;
    const std::string nodes = std::to_string(n);
    if (r.mode != Mode::Lws && n != 1)
        return fail(msg::kPlanNodesNeedLws, {nodes});
    if (r.tp && r.gpusPerNode) {
        if (n * *r.gpusPerNode != *r.tp)
            return fail(msg::kPlanLayoutMismatch, {nodes, std::to_string(*r.gpusPerNode),
                                                   std::to_string(n * *r.gpusPerNode), std::to_string(*r.tp)});
    } else if (r.tp) {
        if (*r.tp % n != 0)
            return fail(msg::kPlanTpSplit, {std::to_string(*r.tp), nodes});
        r.gpusPerNode = *r.tp / n;
    } else if (r.gpusPerNode) {
        r.tp = n * *r.gpusPerNode;
    }
    return {};
}

Result<void> checkRange(const char *option, std::optional<int> value, int min, int max)
{
    if (value && (*value < min || *value > max))
        return fail(msg::kPlanRange, {option, std::to_string(min), std::to_string(max), std::to_string(*value)});
    return {};
}

} // namespace

Result<uint64_t> parseQuantity(std::string_view option, std::string_view text)
{
    size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    const std::string number(text.substr(0, i)), suffix(text.substr(i));
    static const std::pair<const char *, double> units[] = {
        {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
        {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"", 1.0}};
    for (const auto &[name, factor] : units) {
        if (suffix != name)
            continue;
        char *end = nullptr;
        const double value = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
        if (number.empty() || *end != '\0' || !(value > 0) || value > 1e18)
            break;
        return uint64_t(value * factor);
    }
    return fail(msg::kPlanQuantity, {std::string(option), std::string(text)});
}

Result<PlanBuild> buildPlan(const PlanRequest &request)
{
    PlanRequest r = request;
    if (auto v = checkRange("--tp", r.tp, 1, 1024); !v)
        return v.error();
    if (auto v = checkRange("--nodes", r.nodes, 1, 1024); !v)
        return v.error();
    if (auto v = checkRange("--gpus-per-node", r.gpusPerNode, 1, 64); !v)
        return v.error();
    if (auto v = resolveLayout(r); !v)
        return v.error();
    // A derived GPUs-per-node count is held to the same bounds as a given one.
    if (auto v = checkRange("--gpus-per-node", r.gpusPerNode, 1, 64); !v)
        return v.error();

    // Size first: TP, nodes and pod resources come from the calculator. The guide's
    // --mem-fraction-static 0.93 is the default, so the sizing matches the rendered flag.
    sizing::SizingInput input;
    if (r.model) {
        input.model = *r.model;
    } else {
        if (r.modelRef.empty())
            return fail(msg::kPlanModelRequired);
        auto spec = model::loadModel(r.modelRef);
        if (!spec)
            return spec.error();
        input.model = std::move(spec).value();
    }
    input.weightDtype = r.weightDtype;
    input.kvDtype = r.kvDtype;
    if (r.gpu) {
        input.gpu = *r.gpu;
    } else {
        auto gpu = sizing::findGpu("H100");
        if (!gpu)
            return fail(makeNestedMessage(msg::kPlanGpu, {gpu.error().asMessage()}));
        input.gpu = *gpu;
    }
    if (r.gpusPerNode)
        input.gpusPerNode = *r.gpusPerNode;
    if (r.contextLength)
        input.contextLength = *r.contextLength;
    input.concurrency = r.concurrency;
    input.memFraction = r.memFraction.value_or(0.93);
    input.tensorParallel = r.tp;

    auto sized = sizing::computeSizing(input);
    if (!sized)
        return sized.error();
    const sizing::SizingResult &s = *sized;
    if (!s.deployable())
        return fail(s.errors.front());
    if (r.mode != Mode::Lws && s.nodes > 1)
        return fail(msg::kPlanNeedsLws, {s.modelName, std::to_string(s.tp), std::to_string(s.nodes),
                                         std::to_string(s.gpusPerNode)});

    PlanBuild build{s, DeploymentPlan{}};
    DeploymentPlan &plan = build.plan;
    plan.mode = r.mode;
    plan.runtime = r.runtime;
    plan.platform = r.platform;
    plan.security = r.security;
    plan.storage = r.storage;
    plan.modelId = s.modelId;
    plan.tp = s.tp;
    plan.nodes = s.nodes;
    plan.gpusPerNode = s.gpusPerNode;
    plan.memFractionStatic = s.memFraction;
    plan.cpuRequestMillis = s.cpuCores * 1000;
    plan.cpuLimitMillis = s.cpuCores * 1000;
    plan.memoryRequestBytes = uint64_t(s.hostMemoryBytes);
    plan.memoryLimitBytes = uint64_t(s.hostMemoryBytes + s.shmBytes); // /dev/shm counts against the limit
    plan.shmBytes = uint64_t(s.shmBytes);
    plan.volumeBytes = uint64_t(s.volumeBytes);

    plan.name = r.name;
    plan.namespaceName = r.namespaceName;
    plan.createNamespace = r.createNamespace;
    if (r.replicas < 1 || r.replicas > 1000)
        return fail(msg::kPlanRange, {"--replicas", "1", "1000", std::to_string(r.replicas)});
    plan.replicas = r.replicas;
    if (!r.pvcSize.empty()) {
        auto bytes = parseQuantity("--pvc-size", r.pvcSize);
        if (!bytes)
            return bytes.error();
        if (int64_t(*bytes) < s.checkpointBytes)
            return fail(msg::kPlanPvcTooSmall, {r.pvcSize, sizing::formatBytes(double(s.checkpointBytes)),
                                                sizing::formatGiB(double(s.checkpointBytes))});
        plan.volumeBytes = *bytes;
    }
    plan.storageClass = r.storageClass;
    plan.rwx = r.rwx;
    plan.s3 = r.s3;
    if (r.hfEndpoint)
        plan.download.endpoint = *r.hfEndpoint;
    if (!r.loaderImage.empty())
        plan.loaderImage = r.loaderImage;
    plan.image = r.image;
    if (!r.mirrorRegistry.empty()) {
        MirrorRequest mirror;
        mirror.image = r.image.empty() ? defaultImage(r.runtime) : r.image;
        mirror.registry = r.mirrorRegistry;
        auto mirrored = planImageMirror(mirror);
        if (!mirrored)
            return mirrored.error();
        plan.image = mirrored->target;
    }
    plan.imagePullSecret = r.imagePullSecret;
    plan.imageModelPath = r.imageModelPath;
    plan.servedModelName = r.servedModelName;
    if (r.port < 1 || r.port > 65535)
        return fail(msg::kPlanRange, {"--port", "1", "65535", std::to_string(r.port)});
    plan.port = r.port;
    plan.rdma = r.rdma;
    if (r.contextLength)
        plan.contextLength = int(s.contextLength);
    if (r.maxRunningRequests)
        plan.maxRunningRequests = *r.maxRunningRequests;
    if (r.cudaGraphMaxBs)
        plan.cudaGraphMaxBs = *r.cudaGraphMaxBs;
    return build;
}

} // namespace slipway::deploy
