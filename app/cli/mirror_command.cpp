// slipway-cli mirror-script: the commands that copy a server image into the cluster's registry, as
// the guide does by hand for lmsysorg/sglang -> quay.io, with skopeo or podman, straight from
// registry to registry or through an archive carried into an air-gapped network. The logic is
// core/deploy/image_mirror's, shared with the Deploy wizard's Runtime page.
#include "arg_parser.h"
#include "commands.h"

#include "deploy/deploy_messages.h"
#include "deploy/image_mirror.h"
#include "slipway_version.h"

namespace slipway::cli {

namespace {

std::vector<OptionSpec> mirrorSpecs()
{
    return {
        {"--image", true, "IMAGE", "the image to mirror, e.g. lmsysorg/sglang:latest (required)"},
        {"--registry", true, "HOST[/NAMESPACE]", "where to mirror it, e.g. quay.io/myorg (required)"},
        {"--tool", true, "skopeo|podman", "the tool the script uses (default skopeo)"},
        {"--authfile", true, "FILE", "registry credentials file for login, pull and push"},
        {"--arch", true, "amd64|arm64|ppc64le|s390x", "CPU architecture of the cluster's nodes (default amd64)"},
        {"--archive", true, "FILE", "the archive the air-gapped steps write and read (default: from the image)"},
        {"--insecure", false, "", "reach the registries over plain HTTP or without verifying TLS (lab registries only)"},
    };
}

} // namespace

std::string mirrorUsage()
{
    return usageText("slipway-cli mirror-script --image IMAGE --registry HOST[/NAMESPACE] [options]", mirrorSpecs()) +
           "\nPrints a bash script that copies IMAGE to REGISTRY/<its last path component>:<its tag>\n"
           "(docker.io/lmsysorg/sglang:latest -> quay.io/myorg/sglang:latest). Run it as it is to copy\n"
           "from registry to registry, or with `save` where the source is reachable and `load` inside an\n"
           "air-gapped network, carrying the archive in between.\n";
}

Result<void> runMirrorScript(const std::vector<std::string> &args, std::ostream &out)
{
    auto parsed = parseArgs(args, mirrorSpecs());
    if (!parsed)
        return parsed.error();
    const ParsedArgs &a = parsed.value();
    if (!a.has("--image"))
        return fail(deploy::msg::kMirrorImageRequired, {SLIPWAY_VERSION});
    if (!a.has("--registry"))
        return fail(deploy::msg::kMirrorRegistryRequired);
    deploy::MirrorRequest request;
    request.image = a.valueOr("--image", "");
    request.registry = a.valueOr("--registry", "");
    request.tool = a.valueOr("--tool", "skopeo");
    request.arch = a.valueOr("--arch", "amd64");
    request.insecure = a.has("--insecure");
    if (a.has("--authfile"))
        request.authfile = a.valueOr("--authfile", "");
    if (a.has("--archive"))
        request.archive = a.valueOr("--archive", "");

    auto mirror = deploy::planImageMirror(request);
    if (!mirror)
        return mirror.error();
    out << deploy::mirrorScript(*mirror, "slipway-cli " SLIPWAY_VERSION_FULL " mirror-script");
    return {};
}

} // namespace slipway::cli
