// The image mirror: reference parsing as the distribution spec defines it, the mirrored name, and
// the skopeo/podman commands (moved here from slipway-cli so the Deploy wizard shares them).
#include "deploy/image_mirror.h"

#include "deploy/deploy_messages.h"
#include "deploy/test_commands.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace slipway::deploy {

namespace {

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

Error badImage(const std::string &text, Message why)
{
    return fail(makeNestedMessage(msg::kMirrorImageInvalid,
                                  {literalMessage(text), std::move(why), literalMessage(SLIPWAY_VERSION)}));
}

std::string registryHost(const std::string &registry) { return registry.substr(0, registry.find('/')); }

} // namespace

std::string ImageReference::full() const
{
    std::string s = name();
    if (!tag.empty())
        s += ":" + tag;
    if (!digest.empty())
        s += "@" + digest;
    return s;
}

Result<ImageReference> parseImageReference(const std::string &text)
{
    const auto bad = [&](const MessageTemplate &why, std::vector<std::string> args = {}) {
        return badImage(text, makeMessage(why, std::move(args)));
    };
    if (text.empty())
        return bad(msg::kMirrorWhyEmpty);
    if (text.find("://") != std::string::npos)
        return bad(msg::kMirrorWhyScheme);
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) || !std::isprint(static_cast<unsigned char>(c)))
            return bad(msg::kMirrorWhyBlank);
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
            return bad(msg::kMirrorWhyDigest);
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
            return bad(msg::kMirrorWhyTag);
    }
    auto parts = splitSlash(rest);
    if (parts.size() > 1 && looksLikeDomain(parts.front())) {
        if (!isDomain(parts.front()))
            return bad(msg::kMirrorWhyHost, {std::string(parts.front())});
        ref.domain = std::string(parts.front());
        parts.erase(parts.begin());
    } else {
        ref.domain = "docker.io";
    }
    if (ref.domain == "index.docker.io" || ref.domain == "registry-1.docker.io")
        ref.domain = "docker.io";
    for (std::string_view part : parts) {
        if (part.empty())
            return bad(msg::kMirrorWhyEmptyComponent);
        if (std::any_of(part.begin(), part.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); }))
            return bad(msg::kMirrorWhyUpperCase, {std::string(part)});
        if (!isPathComponent(part))
            return bad(msg::kMirrorWhyComponent, {std::string(part)});
        if (!ref.path.empty())
            ref.path += "/";
        ref.path += part;
    }
    if (ref.domain == "docker.io" && parts.size() == 1)
        ref.path = "library/" + ref.path;
    if (ref.name().size() > 255)
        return bad(msg::kMirrorWhyTooLong);
    if (ref.tag.empty() && ref.digest.empty())
        ref.tag = "latest";
    return ref;
}

Result<std::string> parseMirrorRegistry(std::string text)
{
    if (text.empty())
        return fail(msg::kMirrorRegistryEmpty);
    if (text.find("://") != std::string::npos)
        return fail(msg::kMirrorRegistryScheme, {text});
    while (!text.empty() && text.back() == '/')
        text.pop_back();
    auto parts = splitSlash(text);
    if (!looksLikeDomain(parts.front()) || !isDomain(parts.front()))
        return fail(msg::kMirrorRegistryHost, {text});
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].find_first_of(":@") != std::string_view::npos)
            return fail(msg::kMirrorRegistryTag, {text});
        if (!isPathComponent(parts[i]))
            return fail(msg::kMirrorRegistryNamespace, {text, std::string(parts[i])});
    }
    return text;
}

Result<ImageMirror> planImageMirror(const MirrorRequest &request)
{
    ImageMirror m;
    auto source = parseImageReference(request.image);
    if (!source)
        return source.error();
    m.source = source.value();
    auto registry = parseMirrorRegistry(request.registry);
    if (!registry)
        return registry.error();
    m.registry = registry.value();

    m.tool = request.tool;
    if (m.tool != "skopeo" && m.tool != "podman")
        return fail(msg::kMirrorTool, {m.tool});
    m.arch = request.arch;
    if (m.arch != "amd64" && m.arch != "arm64" && m.arch != "ppc64le" && m.arch != "s390x")
        return fail(msg::kMirrorArch, {m.arch});
    m.insecure = request.insecure;
    m.authfile = request.authfile.value_or("");
    if (request.authfile && m.authfile.empty())
        return fail(msg::kMirrorAuthfileEmpty);

    const std::string repository = m.source.path.substr(m.source.path.rfind('/') + 1);
    // Without a tag (only a digest) the copy still needs one in the target registry.
    const std::string tag = m.source.tag.empty() ? "sha256-" + m.source.digest.substr(7, 16) : m.source.tag;
    m.target = m.registry + "/" + repository + ":" + tag;
    if (m.source.name() == m.registry + "/" + repository)
        return fail(msg::kMirrorAlreadyThere, {m.source.full(), m.registry});

    m.archive = request.archive.value_or(repository + "-" + tag + (m.tool == "skopeo" ? ".oci.tar" : ".tar"));
    if (m.archive.empty() || m.archive.find_first_of("\"$`\\\n") != std::string::npos)
        return fail(msg::kMirrorArchive, {m.archive});
    return m;
}

MirrorCommands mirrorCommands(const ImageMirror &p, const std::string &archive)
{
    MirrorCommands c;
    const std::string auth = p.authfile.empty() ? "" : " --authfile " + shellQuote(p.authfile);
    const std::string tls = p.insecure ? " --tls-verify=false" : "";
    if (p.tool == "skopeo") {
        const std::string srcTls = p.insecure ? " --src-tls-verify=false" : "";
        const std::string dstTls = p.insecure ? " --dest-tls-verify=false" : "";
        const std::string platform = "skopeo --override-os linux --override-arch " + p.arch;
        const std::string login = "skopeo login" + auth + tls + " " + registryHost(p.registry);
        const std::string src = "docker://" + p.source.full();
        const std::string dst = "docker://" + p.target;
        c.direct = {login, platform + " copy" + auth + srcTls + dstTls + " " + src + " " + dst};
        c.save = {platform + " copy" + auth + srcTls + " " + src + " oci-archive:" + archive};
        c.load = {login, "skopeo copy" + auth + dstTls + " oci-archive:" + archive + " " + dst};
    } else {
        const std::string login = "podman login" + auth + tls + " " + registryHost(p.registry);
        const std::string pull = "podman pull" + auth + tls + " --platform linux/" + p.arch + " " + p.source.full();
        const std::string tag = "podman tag " + p.source.full() + " " + p.target;
        const std::string push = "podman push" + auth + tls + " " + p.target;
        c.direct = {pull, tag, login, push};
        c.save = {pull, "podman save -o " + archive + " " + p.source.full()};
        c.load = {"podman load -i " + archive, tag, login, push};
    }
    return c;
}

MirrorCommands mirrorCommands(const ImageMirror &mirror)
{
    return mirrorCommands(mirror, shellWord(mirror.archive));
}

std::string mirrorScript(const ImageMirror &p, std::string_view writtenBy)
{
    std::ostringstream out;
    out << "#!/usr/bin/env bash\n"
        << "# Mirrors " << p.source.full() << " (linux/" << p.arch << ") to " << p.target << " with " << p.tool
        << ".\n# Written by " << writtenBy << ".\n#\n"
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

    const MirrorCommands c = mirrorCommands(p, "\"$archive\"");
    std::string report;
    if (p.tool == "skopeo") {
        const std::string auth = p.authfile.empty() ? "" : " --authfile " + shellQuote(p.authfile);
        const std::string tls = p.insecure ? " --tls-verify=false" : "";
        report = "    echo \"mirrored: " + p.target + "@$(skopeo inspect" + auth + tls + " --format '{{.Digest}}' docker://" +
                 p.target + ")\"\n";
    }
    const std::string wrote =
        "    echo \"wrote $archive: carry it with this script into the disconnected network, then run: bash $0 load\"\n";
    const auto mode = [&](const char *name, const std::vector<std::string> &commands, const std::string &after) {
        out << "  " << name << ")\n";
        for (const std::string &command : commands)
            out << "    " << command << "\n";
        out << after << "    ;;\n";
    };
    out << "case \"${1:-direct}\" in\n";
    mode("direct", c.direct, report);
    mode("save", c.save, wrote);
    mode("load", c.load, report);
    out << "  *)\n"
        << "    echo \"usage: bash $0 [direct|save|load]\" >&2\n"
        << "    exit 2\n"
        << "    ;;\n"
        << "esac\n";
    return out.str();
}

std::string shellWord(const std::string &text)
{
    const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./:=@%+,").find(c) != std::string_view::npos;
    });
    return plain ? text : shellQuote(text);
}

} // namespace slipway::deploy
