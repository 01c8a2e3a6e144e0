#include "commands.h"
#include "sizing_options.h"

#include "deploy/deployment_plan.h"
#include "deploy/plan_builder.h"
#include "deploy/render.h"
#include "deploy/test_commands.h"
#include "deploy/validate.h"

#include <cstdlib>
#include <optional>

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
        {"--loader-image", true, "IMAGE",
         "image of the loader pod (--storage pvc; needs tar for oc cp; mirror it when air-gapped; "
         "default registry.access.redhat.com/ubi9/ubi:latest)"},
        {"--image", true, "IMAGE", "server image (default: lmsysorg/sglang or the slipway-engine image)"},
        {"--image-pull-secret", true, "NAME", "Secret for pulling the image from a private registry"},
        {"--model-path", true, "PATH", "the model's path inside the image (--storage image)"},
        {"--served-model-name", true, "NAME", "name clients use in requests"},
        {"--port", true, "N", "server port (default 40000, as in the guide)"},
        {"--max-running-requests", true, "N", "requests decoded at once (default 20, as in the guide)"},
        {"--cuda-graph-max-bs", true, "N", "largest batch captured in a CUDA graph (default: SGLang's)"},
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

static Result<void> parseOptionalInt(const ParsedArgs &args, const char *option, long long min, long long max,
                                     std::optional<int> &into)
{
    if (auto v = args.value(option)) {
        auto n = toInteger(option, *v, min, max);
        if (!n)
            return n.error();
        into = int(*n);
    }
    return {};
}

Result<void> runRender(const std::vector<std::string> &argv, std::ostream &out, std::ostream &log)
{
    auto parsed = parseArgs(argv, renderSpecs());
    if (!parsed)
        return parsed.error();
    const ParsedArgs &args = *parsed;

    // The options become a PlanRequest; deploy::buildPlan applies the rules (layout, sizing,
    // nodes, volume size) that the console's Deploy wizard shares.
    deploy::PlanRequest request;
    if (!args.has("--mode"))
        return fail("--mode is required: deployment (one pod per replica), kserve (OpenShift AI) or lws (several nodes)");
    if (!args.has("--runtime"))
        return fail("--runtime is required: sglang or slipway");
    if (auto r = parseEnum(args, "--mode", deploy::parseMode, request.mode); !r)
        return r;
    if (auto r = parseEnum(args, "--runtime", deploy::parseRuntime, request.runtime); !r)
        return r;
    if (auto r = parseEnum(args, "--storage", deploy::parseStorage, request.storage); !r)
        return r;
    if (auto r = parseEnum(args, "--security", deploy::parseSecurity, request.security); !r)
        return r;
    if (auto r = parseEnum(args, "--platform", deploy::parsePlatform, request.platform); !r)
        return r;
    if (auto r = parseOptionalInt(args, "--nodes", 1, 1024, request.nodes); !r)
        return r;
    if (auto r = parseOptionalInt(args, "--tp", 1, 1024, request.tp); !r)
        return r;
    if (auto r = parseOptionalInt(args, "--gpus-per-node", 1, 64, request.gpusPerNode); !r)
        return r;

    auto input = sizingInputFrom(args, "H100");
    if (!input)
        return input.error();
    request.model = std::move(input->model);
    request.weightDtype = input->weightDtype;
    request.kvDtype = input->kvDtype;
    request.gpu = input->gpu;
    if (args.has("--context"))
        request.contextLength = input->contextLength;
    request.concurrency = input->concurrency;
    request.memFraction = input->memFraction;

    if (auto v = args.value("--name"))
        request.name = *v;
    if (auto v = args.value("--namespace"))
        request.namespaceName = *v;
    request.createNamespace = args.has("--create-namespace");
    if (auto v = args.value("--replicas")) {
        auto n = toInteger("--replicas", *v, 1, 1000);
        if (!n)
            return n.error();
        request.replicas = int(*n);
    }
    request.pvcSize = args.valueOr("--pvc-size", "");
    request.storageClass = args.valueOr("--storage-class", "");
    request.rwx = args.has("--rwx");
    request.s3.endpoint = args.valueOr("--s3-endpoint", "");
    request.s3.bucket = args.valueOr("--s3-bucket", "");
    request.s3.path = args.valueOr("--s3-path", "");
    request.s3.region = args.valueOr("--s3-region", "");
    request.s3.existingSecret = args.valueOr("--s3-secret", "");
    // Keys are never taken on the command line (they would land in shell history): from the
    // environment, as the AWS tools read them.
    if (request.s3.existingSecret.empty() && request.storage == deploy::Storage::S3) {
        if (const char *id = std::getenv("AWS_ACCESS_KEY_ID"))
            request.s3.accessKeyId = id;
        if (const char *key = std::getenv("AWS_SECRET_ACCESS_KEY"))
            request.s3.secretAccessKey = key;
    }
    if (auto v = args.value("--hf-endpoint"))
        request.hfEndpoint = *v;
    request.loaderImage = args.valueOr("--loader-image", "");
    request.image = args.valueOr("--image", "");
    request.imagePullSecret = args.valueOr("--image-pull-secret", "");
    request.imageModelPath = args.valueOr("--model-path", "");
    request.servedModelName = args.valueOr("--served-model-name", "");
    if (auto v = args.value("--port")) {
        auto n = toInteger("--port", *v, 1, 65535);
        if (!n)
            return n.error();
        request.port = int(*n);
    }
    if (auto r = parseOptionalInt(args, "--max-running-requests", 1, 100000, request.maxRunningRequests); !r)
        return r;
    if (auto r = parseOptionalInt(args, "--cuda-graph-max-bs", 1, 4096, request.cudaGraphMaxBs); !r)
        return r;
    request.rdma = args.has("--rdma");

    auto built = deploy::buildPlan(request);
    if (!built)
        return built.error();
    const deploy::DeploymentPlan &plan = built->plan;

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
            log << "  - " << n.english << "\n";
    }
    const auto check = deploy::testCommands(plan);
    log << "\ncheck the deployment from inside the cluster (" << check.baseUrl << "):\n  " << check.completions << "\n";
    return {};
}

} // namespace slipway::cli
