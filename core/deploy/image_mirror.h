#pragma once
// Getting a server image into the cluster's own registry, as the guide does by hand for
// lmsysorg/sglang -> quay.io: the mirrored name, and the skopeo or podman commands that copy it
// straight from registry to registry or through an archive carried into an air-gapped network.
// `slipway-cli mirror-script` prints mirrorScript(); the Deploy wizard's Runtime page shows
// mirrorCommands() and renders its manifests with ImageMirror::target.
//
// Pure functions over strings: no I/O, thread-safe.
#include "common/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::deploy {

// An image reference as the distribution spec writes it: [domain/]path[:tag][@digest].
struct ImageReference {
    std::string domain; // docker.io when the reference names none
    std::string path;   // library/ubuntu, lmsysorg/sglang
    std::string tag;    // empty when only a digest is given
    std::string digest; // sha256:<64 hex>, or empty

    std::string name() const { return domain + "/" + path; }
    std::string full() const;
};

// Parses and normalises an image reference as registries read it ("ubuntu" is
// docker.io/library/ubuntu:latest). Messages name --image.
Result<ImageReference> parseImageReference(const std::string &text);

// REGISTRY: host[:port][/namespace...] with trailing '/' removed. Messages name --registry.
Result<std::string> parseMirrorRegistry(std::string text);

struct MirrorRequest {
    std::string image;                   // the image to mirror, e.g. lmsysorg/sglang:latest
    std::string registry;                // host[:port][/namespace]
    std::string tool = "skopeo";         // skopeo | podman
    std::optional<std::string> authfile; // registry credentials; absent: the tool's default
    std::string arch = "amd64";          // the nodes' CPU architecture
    std::optional<std::string> archive;  // absent: <repository>-<tag>.oci.tar (skopeo) or .tar (podman)
    bool insecure = false;               // plain HTTP or unverified TLS (lab registries only)
};

struct ImageMirror {
    ImageReference source;
    std::string registry; // as parsed
    std::string target;   // registry/<last path component>:<tag>, the name manifests use
    std::string tool;
    std::string authfile; // empty: the tool's default
    std::string arch;
    std::string archive;
    bool insecure = false;
};

// Checks the request; the target is REGISTRY/<the image's last path component>:<its tag>
// (docker.io/lmsysorg/sglang:latest -> quay.io/myorg/sglang:latest).
Result<ImageMirror> planImageMirror(const MirrorRequest &request);

// The shell commands of each way to mirror, one a line, exactly as mirrorScript() runs them.
// `archive` is the shell word for the archive file: mirrorScript() passes "$archive" (quoted), a
// person copying the commands gets the file name.
struct MirrorCommands {
    std::vector<std::string> direct; // registry to registry (both reachable)
    std::vector<std::string> save;   // air-gapped, step 1, where the source is reachable
    std::vector<std::string> load;   // air-gapped, step 2, inside the disconnected network
};
MirrorCommands mirrorCommands(const ImageMirror &mirror, const std::string &archive);
MirrorCommands mirrorCommands(const ImageMirror &mirror); // with the archive's file name

// A bash script running the commands: `bash SCRIPT` copies directly, `save` and `load` are the
// two air-gapped steps. `writtenBy` names the program in its header ("slipway-cli 0.1.0
// mirror-script").
std::string mirrorScript(const ImageMirror &mirror, std::string_view writtenBy);

// `text` single-quoted for the shell when it holds anything but letters, digits and -_./:=@%+,
std::string shellWord(const std::string &text);

} // namespace slipway::deploy
