// slipway-cli mirror-script: the commands that copy a server image into the cluster's registry, as
// the guide does by hand for lmsysorg/sglang -> quay.io, with skopeo or podman, straight from
// registry to registry or through an archive carried into an air-gapped network.
#include "arg_parser.h"
#include "commands.h"

#include "slipway_version.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>

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

// An image reference as the distribution spec writes it: [domain/]path[:tag][@digest].
struct ImageReference {
    std::string domain; // docker.io when the reference names none
    std::string path;   // library/ubuntu, lmsysorg/sglang
    std::string tag;    // empty when only a digest is given
    std::string digest; // sha256:<64 hex>, or empty

    std::string name() const { return domain + "/" + path; }
    std::string full() const
    {
        std::string s = name();
        if (!tag.empty())
            s += ":" + tag;
        if (!digest.empty())
            s += "@" + digest;
        return s;
    }
};

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// A path component: [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)*
bool isPathComponent(std::string_view s)
{
    if (s.empty() || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back()))
        return false;
    for (size_t i = 0; i < s.size();) {
        if (isLowerAlnum(s[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < s.size() && !isLowerAlnum(s[j]))
            ++j;
        const std::string_view sep = s.substr(i, j - i);
        const bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
        if (!(sep == "." || sep == "_" || sep == "__" || dashes))
            return false;
        i = j;
    }
    return true;
}

// host[:port]: DNS labels of letters, digits and inner '-', or localhost; port 1-65535.
bool isDomain(std::string_view s)
{
    std::string_view host = s;
    if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        const std::string_view port = s.substr(colon + 1);
        if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
            return false;
        const long value = std::stol(std::string(port));
        if (value < 1 || value > 65535)
            return false;
    }
    if (host.empty())
        return false;
    size_t start = 0;
    while (start <= host.size()) {
        size_t dot = host.find('.', start);
        if (dot == std::string_view::npos)
            dot = host.size();
        const std::string_view label = host.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || !isAlnum(label.front()) || !isAlnum(label.back()))
            return false;
        for (char c : label) {
            if (!isAlnum(c) && c != '-')
                return false;
        }
        start = dot + 1;
    }
    return true;
}

bool looksLikeDomain(std::string_view first)
{
    return first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
           first == "localhost";
}

std::vector<std::string_view> splitSlash(std::string_view s)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        const size_t slash = s.find('/', start);
        parts.push_back(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos)
            return parts;
        start = slash + 1;
    }
}

const char *kImageExample = "use e.g. 'lmsysorg/sglang:latest' or 'quay.io/slipway/slipway-engine:" SLIPWAY_VERSION "'";

Result<ImageReference> parseImage(const std::string &text)
{
    const auto bad = [&](const std::string &why) {
        return fail("--image '" + text + "' is not an image reference: " + why + "; " + kImageExample);
    };
    if (text.empty())
        return bad("it is empty");
    if (text.find("://") != std::string::npos)
        return bad("give it without a scheme such as docker://");
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) || !std::isprint(static_cast<unsigned char>(c)))
            return bad("it contains a blank or a control character");
    }
    ImageReference ref;
    std::string rest = text;
    if (const size_t at = rest.find('@'); at != std::string::npos) {
        ref.digest = rest.substr(at + 1);
        rest.erase(at);
        const size_t colon = ref.digest.find(':');
        const std::string algorithm = ref.digest.substr(0, colon);
        const std::string hex = colon == std::string::npos ? "" : ref.digest.substr(colon + 1);
        const size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
        if (want == 0 || hex.size() != want || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
            return bad("the digest after '@' must be sha256: and 64 lower-case hex digits");
    }
    const size_t lastSlash = rest.rfind('/');
    const size_t colon = rest.rfind(':');
    if (colon != std::string::npos && (lastSlash == std::string::npos || colon > lastSlash)) {
        ref.tag = rest.substr(colon + 1);
        rest.erase(colon);
        const bool tagOk = !ref.tag.empty() && ref.tag.size() <= 128 &&
                           (isAlnum(ref.tag.front()) || ref.tag.front() == '_') &&
                           std::all_of(ref.tag.begin(), ref.tag.end(),
                                       [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
        if (!tagOk)
            return bad("the tag after ':' may hold only letters, digits, '_', '.' and '-' (at most 128)");
    }
    auto parts = splitSlash(rest);
    if (parts.size() > 1 && looksLikeDomain(parts.front())) {
        if (!isDomain(parts.front()))
            return bad("'" + std::string(parts.front()) + "' is not a registry host[:port]");
        ref.domain = std::string(parts.front());
        parts.erase(parts.begin());
    } else {
        ref.domain = "docker.io";
    }
    if (ref.domain == "index.docker.io" || ref.domain == "registry-1.docker.io")
        ref.domain = "docker.io";
    for (std::string_view part : parts) {
        if (part.empty())
            return bad("it has an empty path component ('//' or a '/' at an end)");
        if (std::any_of(part.begin(), part.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); }))
            return bad("repository names are lower case ('" + std::string(part) + "')");
        if (!isPathComponent(part))
            return bad("'" + std::string(part) + "' may hold only a-z, 0-9 and single '.', '_', '__' or '-' runs between them");
        if (!ref.path.empty())
            ref.path += "/";
        ref.path += part;
    }
    if (ref.domain == "docker.io" && parts.size() == 1)
        ref.path = "library/" + ref.path;
    if (ref.name().size() > 255)
        return bad("the name is longer than 255 characters");
    if (ref.tag.empty() && ref.digest.empty())
        ref.tag = "latest";
    return ref;
}

// REGISTRY: host[:port][/namespace...], where the mirrored repository goes.
Result<std::string> parseRegistry(std::string text)
{
    const std::string example = "use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'";
    if (text.empty())
        return fail("--registry is empty: " + example);
    if (text.find("://") != std::string::npos)
        return fail("--registry '" + text + "' has a scheme: give the registry without https:// or docker://; " + example);
    while (!text.empty() && text.back() == '/')
        text.pop_back();
    auto parts = splitSlash(text);
    if (!looksLikeDomain(parts.front()) || !isDomain(parts.front())) {
        return fail("--registry '" + text + "' does not start with a registry host (a name with a '.', a ':port' or "
                    "localhost): " + example);
    }
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].find_first_of(":@") != std::string_view::npos)
            return fail("--registry '" + text + "' names a tag or digest: give only the registry and namespace; " + example);
        if (!isPathComponent(parts[i]))
            return fail("--registry '" + text + "': namespace '" + std::string(parts[i]) +
                        "' may hold only a-z, 0-9 and single '.', '_' or '-' between them; " + example);
    }
    return text;
}

// Single-quoted for the shell (the one character that needs care is ' itself).
std::string shellQuote(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string registryHost(const std::string &registry) { return registry.substr(0, registry.find('/')); }

struct MirrorPlan {
    ImageReference source;
    std::string target; // registry/name:tag
    std::string registry;
    std::string tool;
    std::string authfile; // empty: the tool's default
    std::string arch;
    std::string archive;
    bool insecure = false;
};

void writeHeader(std::ostream &out, const MirrorPlan &p)
{
    out << "#!/usr/bin/env bash\n"
        << "# Mirrors " << p.source.full() << " (linux/" << p.arch << ") to " << p.target << " with " << p.tool
        << ".\n# Written by slipway-cli " << SLIPWAY_VERSION_FULL << " mirror-script.\n#\n"
        << "#   bash THIS-SCRIPT          copy it from registry to registry (needs both reachable)\n"
        << "#   bash THIS-SCRIPT save     air-gapped, step 1, where " << p.source.domain
        << " is reachable: write " << p.archive << "\n"
        << "#   bash THIS-SCRIPT load     air-gapped, step 2, inside the disconnected network, with " << p.archive
        << "\n#                             carried next to this script: push it to " << p.registry << "\n"
        << "#   SLIPWAY_MIRROR_ARCHIVE=FILE chooses another archive path for both steps.\n#\n"
        << "# Then deploy with the mirrored image, and a pull secret if the registry is private:\n"
        << "#   oc create secret generic mirror-pull --type=kubernetes.io/dockerconfigjson \\\n"
        << "#       --from-file=.dockerconfigjson=" << (p.authfile.empty() ? "AUTHFILE" : shellQuote(p.authfile)) << "\n"
        << "#   slipway-cli render ... --image " << p.target << " --image-pull-secret mirror-pull\n"
        << "set -euo pipefail\n\n"
        << "archive=\"${SLIPWAY_MIRROR_ARCHIVE:-" << p.archive << "}\"\n";
}

void writeSkopeo(std::ostream &out, const MirrorPlan &p)
{
    const std::string auth = p.authfile.empty() ? "" : " --authfile " + shellQuote(p.authfile);
    const std::string tls = p.insecure ? " --tls-verify=false" : "";
    const std::string srcTls = p.insecure ? " --src-tls-verify=false" : "";
    const std::string dstTls = p.insecure ? " --dest-tls-verify=false" : "";
    const std::string platform = "skopeo --override-os linux --override-arch " + p.arch;
    const std::string login = "skopeo login" + auth + tls + " " + registryHost(p.registry);
    const std::string src = "docker://" + p.source.full();
    const std::string dst = "docker://" + p.target;
    const std::string report = "    echo \"mirrored: " + p.target + "@$(skopeo inspect" + auth + tls +
                               " --format '{{.Digest}}' " + dst + ")\"\n";
    out << "case \"${1:-direct}\" in\n"
        << "  direct)\n"
        << "    " << login << "\n"
        << "    " << platform << " copy" << auth << srcTls << dstTls << " " << src << " " << dst << "\n"
        << report
        << "    ;;\n"
        << "  save)\n"
        << "    " << platform << " copy" << auth << srcTls << " " << src << " oci-archive:\"$archive\"\n"
        << "    echo \"wrote $archive: carry it with this script into the disconnected network, then run: bash $0 load\"\n"
        << "    ;;\n"
        << "  load)\n"
        << "    " << login << "\n"
        << "    skopeo copy" << auth << dstTls << " oci-archive:\"$archive\" " << dst << "\n"
        << report
        << "    ;;\n";
}

void writePodman(std::ostream &out, const MirrorPlan &p)
{
    const std::string auth = p.authfile.empty() ? "" : " --authfile " + shellQuote(p.authfile);
    const std::string tls = p.insecure ? " --tls-verify=false" : "";
    const std::string login = "podman login" + auth + tls + " " + registryHost(p.registry);
    const std::string pull = "podman pull" + auth + tls + " --platform linux/" + p.arch + " " + p.source.full();
    const std::string tag = "podman tag " + p.source.full() + " " + p.target;
    const std::string push = "podman push" + auth + tls + " " + p.target;
    out << "case \"${1:-direct}\" in\n"
        << "  direct)\n"
        << "    " << pull << "\n"
        << "    " << tag << "\n"
        << "    " << login << "\n"
        << "    " << push << "\n"
        << "    ;;\n"
        << "  save)\n"
        << "    " << pull << "\n"
        << "    podman save -o \"$archive\" " << p.source.full() << "\n"
        << "    echo \"wrote $archive: carry it with this script into the disconnected network, then run: bash $0 load\"\n"
        << "    ;;\n"
        << "  load)\n"
        << "    podman load -i \"$archive\"\n"
        << "    " << tag << "\n"
        << "    " << login << "\n"
        << "    " << push << "\n"
        << "    ;;\n";
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
        return fail(std::string("--image is required: the image to mirror; ") + kImageExample);
    if (!a.has("--registry"))
        return fail("--registry is required: the registry (and namespace) to mirror into, e.g. quay.io/myorg");

    MirrorPlan p;
    auto source = parseImage(*a.value("--image"));
    if (!source)
        return source.error();
    p.source = source.value();
    auto registry = parseRegistry(*a.value("--registry"));
    if (!registry)
        return registry.error();
    p.registry = registry.value();

    p.tool = a.valueOr("--tool", "skopeo");
    if (p.tool != "skopeo" && p.tool != "podman")
        return fail("--tool must be skopeo or podman, not '" + p.tool + "'");
    p.arch = a.valueOr("--arch", "amd64");
    if (p.arch != "amd64" && p.arch != "arm64" && p.arch != "ppc64le" && p.arch != "s390x")
        return fail("--arch must be amd64, arm64, ppc64le or s390x (the nodes' architecture), not '" + p.arch + "'");
    p.insecure = a.has("--insecure");
    p.authfile = a.valueOr("--authfile", "");
    if (a.has("--authfile") && p.authfile.empty())
        return fail("--authfile is empty: give the credentials file, e.g. ${XDG_RUNTIME_DIR}/containers/auth.json");

    const std::string repository = p.source.path.substr(p.source.path.rfind('/') + 1);
    // Without a tag (only a digest) the copy still needs one in the target registry.
    const std::string tag = p.source.tag.empty() ? "sha256-" + p.source.digest.substr(7, 16) : p.source.tag;
    p.target = p.registry + "/" + repository + ":" + tag;
    if (p.source.name() == p.registry + "/" + repository)
        return fail("--image " + p.source.full() + " is already in " + p.registry + ": name another registry or namespace");

    p.archive = a.valueOr("--archive", repository + "-" + tag + (p.tool == "skopeo" ? ".oci.tar" : ".tar"));
    if (p.archive.empty() || p.archive.find_first_of("\"$`\\\n") != std::string::npos)
        return fail("--archive '" + p.archive + "' must be a file name without quotes, '$', '`' or '\\'");

    std::ostringstream script;
    writeHeader(script, p);
    if (p.tool == "skopeo")
        writeSkopeo(script, p);
    else
        writePodman(script, p);
    script << "  *)\n"
           << "    echo \"usage: bash $0 [direct|save|load]\" >&2\n"
           << "    exit 2\n"
           << "    ;;\n"
           << "esac\n";
    out << script.str();
    return {};
}

} // namespace slipway::cli
