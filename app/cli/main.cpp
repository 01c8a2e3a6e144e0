// slipway-cli: the headless front end (GitOps, scripts, tests). Links core only: no Qt.
#include "commands.h"

#include "slipway_version.h"

#include <iostream>

namespace {

const char *kUsage =
    "usage: slipway-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  size     size GPUs for a model: weights, KV cache, TP, nodes, pod resources, decode ceiling\n"
    "  render   render the manifests of a deployment (deployment, kserve or lws)\n"
    "  models   list the built-in model catalog\n"
    "  gpus     list the built-in GPU catalog\n"
    "  guide    the customer guide's sizing table beside Slipway's figures\n"
    "  mirror-script  the commands that mirror a server image into your registry (skopeo or podman)\n"
    "\n"
    "slipway-cli COMMAND --help shows a command's options; slipway-cli --version its version.\n";

} // namespace

int main(int argc, char **argv)
{
    using namespace slipway::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--version" || command == "version") {
        std::cout << "slipway-cli " << SLIPWAY_VERSION_FULL << "\n";
        return 0;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    const bool wantsHelp = !args.empty() && (args.front() == "--help" || args.front() == "-h");
    slipway::Result<void> result;
    if (command == "size") {
        if (wantsHelp) {
            std::cout << sizeUsage();
            return 0;
        }
        result = runSize(args, std::cout);
    } else if (command == "render") {
        if (wantsHelp) {
            std::cout << renderUsage();
            return 0;
        }
        result = runRender(args, std::cout, std::cerr);
    } else if (command == "models") {
        result = runModels(args, std::cout);
    } else if (command == "gpus") {
        result = runGpus(args, std::cout);
    } else if (command == "guide") {
        result = runGuide(args, std::cout);
    } else if (command == "mirror-script") {
        if (wantsHelp) {
            std::cout << mirrorUsage();
            return 0;
        }
        result = runMirrorScript(args, std::cout);
    } else {
        std::cerr << "slipway-cli: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    }
    if (!result) {
        std::cerr << "slipway-cli " << command << ": " << result.message() << "\n";
        return 1;
    }
    return 0;
}
