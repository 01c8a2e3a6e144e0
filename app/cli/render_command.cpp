#include "commands.h"
#include "sizing_options.h"

#include "deploy/deployment_plan.h"
#include "deploy/render.h"
#include "deploy/test_commands.h"
#include "deploy/validate.h"
#include "sizing/format.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace slipway::cli {

static std::vector<OptionSpec> renderSpecs()
{
    auto specs = sizingOptionSpecs("H100");
    std::vector<OptionSpec> more = {
        {"--mode", true, "deployment|kserve|lws", "how the server pods are created (required)"},
        {"--runtime", true, "sglang|slipway", "SGLang or slipway-engine, same flags (required)"},
        {"--name", true, "NAME", "name of the deployment and its objects (default deepseek)"},
        {"--namespace", true, "NS", "namespace (default deepseek)"},
        {"--create-namespace", false, "", "also render the Namespace"},
        {"--nodes", true, "N", "nodes (pods) per group; lws needs 2 or more"},
        {"--replicas", true, "N", "replicas (Deployment, InferenceService) or groups (lws); default 1"},
        {"--storage", true, "pvc|s3|download|image", "where the model files come from (default pvc)"},
        {"--pvc-size", true, "SIZE", "model volume size, e.g. 500Gi (default: from sizing)"},
        {"--storage-class", true, "NAME", "storage class of the model volume"},
        {"--rwx", false, "", "the storage class offers ReadWriteMany"},
        {"--s3-endpoint", true, "URL", "S3 endpoint, e.g. http://minio.minio.svc:9000"},
        {"--s3-bucket", true, "B", "S3 bucket holding the model"},
        {"--s3-path", true, "P", "key prefix of the model folder in the bucket"},
        {"--s3-region", true, "R", "S3 region"},
        {"--s3-secret", true, "NAME", "existing Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
        {"--hf-endpoint", true, "URL", "Hugging Face-compatible endpoint for --storage download"},
        {"--image", true, "IMAGE", "server image (default: lmsysorg/sglang or the slipway-engine image)"},
        {"--image-pull-secret", true, "NAME", "Secret for pulling the image from a private registry"},
        {"--model-path", true, "PATH", "the model's path inside the image (--storage image)"},
        {"--served-model-name", true, "NAME", "name clients use in requests"},
        {"--port", true, "N", "server port (default 40000, as in the guide)"},
        {"--security", true, "privileged|restricted", "privileged as in the guide, or restricted (default privileged)"},
        {"--platform", true, "openshift|kubernetes", "Route on OpenShift, Ingress on Kubernetes (default openshift)"},
        {"--rdma", false, "", "add IPC_LOCK and the RDMA device (InfiniBand/RoCE between nodes)"},
        {"--output-dir", true, "DIR", "write one file per object into DIR instead of stdout", {"-o"}},
    };
    specs.insert(specs.end(), more.begin(), more.end());
    return specs;
}

std::string renderUsage()
{
    return usageText("slipway-cli render --model ID|DIR --mode deployment|kserve|lws --runtime sglang|slipway [options]",
                     renderSpecs());
}

// Kubernetes binary and decimal quantities for sizes: 500Gi, 1Ti, 200G, 750Mi.
static Result<uint64_t> parseSize(const std::string &option, const std::string &text)
{
    size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    std::string number = text.substr(0, i), suffix = text.substr(i);
    static const std::pair<const char *, double> units[] = {
        {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
        {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"", 1.0}};
    for (const auto &[name, factor] : units) {
        if (suffix != name)
            continue;
        auto value = toNumber(option, number, 0, 1e18);
        if (!value || *value <= 0)
            break;
        return uint64_t(*value * factor);
    }
    return fail(option + " must be a size such as 500Gi or 200G, not '" + text + "'");
}

template <typename T>
static Result<void> parseEnum(const ParsedArgs &args, const char *option, Result<T> (*parse)(std::string_view), T &into)
{
    if (auto v = args.value(option)) {
        auto parsed = parse(*v);
        if (!parsed)
            return fail(std::string(option) + ": " + parsed.message());
        into = *parsed;
    }
    return {};
}

// The layout the user asked for: --tp, --nodes and --gpus-per-node, any two of which fix the third.
static Result<void> resolveLayout(ParsedArgs &args, deploy::Mode mode)
{
    auto tp = args.value("--tp"), nodes = args.value("--nodes"), perNode = args.value("--gpus-per-node");
    auto num = [](const std::string &option, const std::optional<std::string> &v) -> Result<long long> {
        return toInteger(option, *v, 1, 1024);
    };
    if (nodes) {
        auto n = num("--nodes", nodes);
        if (!n)
            return n.error();
        if (mode != deploy::Mode::Lws && *n != 1)
            return fail("--nodes " + *nodes + " needs --mode lws: a Deployment or InferenceService runs each "
                        "replica in one pod on one node");
        if (tp && perNode) {
            auto t = num("--tp", tp), g = num("--gpus-per-node", perNode);
            if (!t)
                return t.error();
            if (!g)
                return g.error();
            if (*n * *g != *t)
                return fail("--nodes " + *nodes + " × --gpus-per-node " + *perNode + " = " + std::to_string(*n * *g) +
                            " GPUs, but --tp is " + *tp + ": each GPU holds one tensor-parallel rank, so make them equal");
        } else if (tp) {
            auto t = num("--tp", tp);
            if (!t)
                return t.error();
            if (*t % *n != 0)
                return fail("--tp " + *tp + " cannot be split evenly over --nodes " + *nodes +
                            ": choose a TP that is a multiple of the node count");
            args.set("--gpus-per-node", std::to_string(*t / *n));
        } else if (perNode) {
            auto g = num("--gpus-per-node", perNode);
            if (!g)
                return g.error();
            args.set("--tp", std::to_string(*n * *g));
        }
    }
    return {};
}

Result<void> runRender(const std::vector<std::string> &argv, std::ostream &out, std::ostream &log)
{
    auto parsed = parseArgs(argv, renderSpecs());
    if (!parsed)
        return parsed.error();
    ParsedArgs args = *parsed;

    deploy::DeploymentPlan plan;
    if (!args.has("--mode"))
        return fail("--mode is required: deployment (one pod per replica), kserve (OpenShift AI) or lws (several nodes)");
    if (!args.has("--runtime"))
        return fail("--runtime is required: sglang or slipway");
    if (auto r = parseEnum(args, "--mode", deploy::parseMode, plan.mode); !r)
        return r;
    if (auto r = parseEnum(args, "--runtime", deploy::parseRuntime, plan.runtime); !r)
        return r;
    if (auto r = parseEnum(args, "--storage", deploy::parseStorage, plan.storage); !r)
        return r;
    if (auto r = parseEnum(args, "--security", deploy::parseSecurity, plan.security); !r)
        return r;
    if (auto r = parseEnum(args, "--platform", deploy::parsePlatform, plan.platform); !r)
        return r;
    if (auto r = resolveLayout(args, plan.mode); !r)
        return r;

    // Size first: TP, nodes and pod resources come from the calculator. The guide's
    // --mem-fraction-static 0.93 is the default here, so the sizing matches the rendered flag.
    if (!args.has("--mem-fraction"))
        args.set("--mem-fraction", "0.93");
    auto input = sizingInputFrom(args, "H100");
    if (!input)
        return input.error();
    auto sized = sizing::computeSizing(*input);
    if (!sized)
        return sized.error();
    const sizing::SizingResult &s = *sized;
    if (!s.deployable())
        return fail(s.errors.front());
    if (plan.mode != deploy::Mode::Lws && s.nodes > 1)
        return fail(s.modelName + " needs " + std::to_string(s.tp) + " GPUs over " + std::to_string(s.nodes) +
                    " nodes of " + std::to_string(s.gpusPerNode) + ": use --mode lws, or more GPUs per node");

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

    if (auto v = args.value("--name"))
        plan.name = *v;
    if (auto v = args.value("--namespace"))
        plan.namespaceName = *v;
    plan.createNamespace = args.has("--create-namespace");
    if (auto v = args.value("--replicas")) {
        auto n = toInteger("--replicas", *v, 1, 1000);
        if (!n)
            return n.error();
        plan.replicas = int(*n);
    }
    if (auto v = args.value("--pvc-size")) {
        auto bytes = parseSize("--pvc-size", *v);
        if (!bytes)
            return bytes.error();
        if (int64_t(*bytes) < s.checkpointBytes)
            return fail("--pvc-size " + *v + " is smaller than the model's files (" + sizing::formatBytes(double(s.checkpointBytes)) +
                        "): give at least " + sizing::formatGiB(double(s.checkpointBytes)));
        plan.volumeBytes = *bytes;
    }
    plan.storageClass = args.valueOr("--storage-class", "");
    plan.rwx = args.has("--rwx");
    plan.s3.endpoint = args.valueOr("--s3-endpoint", "");
    plan.s3.bucket = args.valueOr("--s3-bucket", "");
    plan.s3.path = args.valueOr("--s3-path", "");
    plan.s3.region = args.valueOr("--s3-region", "");
    plan.s3.existingSecret = args.valueOr("--s3-secret", "");
    // Keys are never taken on the command line (they would land in shell history): from the
    // environment, as the AWS tools read them.
    if (plan.s3.existingSecret.empty() && plan.storage == deploy::Storage::S3) {
        if (const char *id = std::getenv("AWS_ACCESS_KEY_ID"))
            plan.s3.accessKeyId = id;
        if (const char *key = std::getenv("AWS_SECRET_ACCESS_KEY"))
            plan.s3.secretAccessKey = key;
    }
    if (auto v = args.value("--hf-endpoint"))
        plan.download.endpoint = *v;
    plan.image = args.valueOr("--image", "");
    plan.imagePullSecret = args.valueOr("--image-pull-secret", "");
    plan.imageModelPath = args.valueOr("--model-path", "");
    plan.servedModelName = args.valueOr("--served-model-name", "");
    if (auto v = args.value("--port")) {
        auto n = toInteger("--port", *v, 1, 65535);
        if (!n)
            return n.error();
        plan.port = int(*n);
    }
    plan.rdma = args.has("--rdma");
    if (args.has("--context"))
        plan.contextLength = int(s.contextLength);

    auto objects = deploy::render(plan);
    if (!objects)
        return objects.error();

    if (auto dir = args.value("--output-dir")) {
        if (auto written = deploy::writeToDirectory(*objects, *dir); !written)
            return written;
        log << "wrote " << objects->size() << " files to " << *dir << "\n";
        for (const auto &o : *objects)
            log << "  " << o.fileName << "\n";
    } else {
        out << deploy::toYamlStream(*objects);
    }
    // What the operator does besides applying, and how to check the result: on stderr, so the
    // YAML stream on stdout stays clean for `| oc apply -f -`.
    const auto notes = deploy::planNotes(plan);
    if (!notes.empty()) {
        log << "\nbefore or after applying:\n";
        for (const auto &n : notes)
            log << "  - " << n << "\n";
    }
    const auto check = deploy::testCommands(plan);
    log << "\ncheck the deployment from inside the cluster (" << check.baseUrl << "):\n  " << check.completions << "\n";
    return {};
}

} // namespace slipway::cli
