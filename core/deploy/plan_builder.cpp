#include "deploy/plan_builder.h"

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
        return fail("--nodes " + nodes + " needs --mode lws: a Deployment or InferenceService runs each "
                    "replica in one pod on one node");
    if (r.tp && r.gpusPerNode) {
        if (n * *r.gpusPerNode != *r.tp)
            return fail("--nodes " + nodes + " × --gpus-per-node " + std::to_string(*r.gpusPerNode) + " = " +
                        std::to_string(n * *r.gpusPerNode) + " GPUs, but --tp is " + std::to_string(*r.tp) +
                        ": each GPU holds one tensor-parallel rank, so make them equal");
    } else if (r.tp) {
        if (*r.tp % n != 0)
            return fail("--tp " + std::to_string(*r.tp) + " cannot be split evenly over --nodes " + nodes +
                        ": choose a TP that is a multiple of the node count");
        r.gpusPerNode = *r.tp / n;
    } else if (r.gpusPerNode) {
        r.tp = n * *r.gpusPerNode;
    }
    return {};
}

Result<void> checkRange(const char *option, std::optional<int> value, int min, int max)
{
    if (value && (*value < min || *value > max))
        return fail(std::string(option) + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", not " + std::to_string(*value));
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
    return fail(std::string(option) + " must be a size such as 500Gi or 200G, not '" + std::string(text) + "'");
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
            return fail("--model is required: a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, "
                        "a model folder, or a config.json (slipway-cli models lists the catalog)");
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
            return fail("--gpu: " + gpu.message());
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
        return fail(s.modelName + " needs " + std::to_string(s.tp) + " GPUs over " + std::to_string(s.nodes) +
                    " nodes of " + std::to_string(s.gpusPerNode) + ": use --mode lws, or more GPUs per node");

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
        return fail("--replicas must be between 1 and 1000, not " + std::to_string(r.replicas));
    plan.replicas = r.replicas;
    if (!r.pvcSize.empty()) {
        auto bytes = parseQuantity("--pvc-size", r.pvcSize);
        if (!bytes)
            return bytes.error();
        if (int64_t(*bytes) < s.checkpointBytes)
            return fail("--pvc-size " + r.pvcSize + " is smaller than the model's files (" +
                        sizing::formatBytes(double(s.checkpointBytes)) + "): give at least " +
                        sizing::formatGiB(double(s.checkpointBytes)));
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
    plan.imagePullSecret = r.imagePullSecret;
    plan.imageModelPath = r.imageModelPath;
    plan.servedModelName = r.servedModelName;
    if (r.port < 1 || r.port > 65535)
        return fail("--port must be between 1 and 65535, not " + std::to_string(r.port));
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
