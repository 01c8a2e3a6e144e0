#include "local/engine_locator.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace slipway::local {

namespace fs = std::filesystem;

namespace {

bool isExecutableFile(const fs::path &p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

} // namespace

std::string runningExecutableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

Result<std::string> findExecutable(const std::string &name, const std::string &overridePath,
                                   const std::string &exeDir, const std::string &pathList) {
    if (!overridePath.empty()) {
        if (isExecutableFile(overridePath)) return overridePath;
        return fail("SLIPWAY_ENGINE is set to " + overridePath +
                    ", which is not an executable file; correct it or unset it");
    }
    std::string looked;
    if (!exeDir.empty()) {
        const fs::path candidate = fs::path(exeDir) / name;
        if (isExecutableFile(candidate)) return candidate.string();
        looked = exeDir;
    }
    std::size_t begin = 0;
    while (begin <= pathList.size()) {
        std::size_t end = pathList.find(':', begin);
        if (end == std::string::npos) end = pathList.size();
        const std::string dir = pathList.substr(begin, end - begin);
        if (!dir.empty()) {
            const fs::path candidate = fs::path(dir) / name;
            if (isExecutableFile(candidate)) return candidate.string();
        }
        begin = end + 1;
    }
    return fail(name + " was not found " + (looked.empty() ? std::string() : "next to this program (in " + looked + ") nor ") +
                "on PATH; install it beside slipway, add its folder to PATH, or set SLIPWAY_ENGINE to its full path "
                "(in a build tree: cmake --build <build> --target slipway-engine)");
}

Result<std::string> findEngineExecutable() {
    return findExecutable(kEngineExecutableName, env("SLIPWAY_ENGINE"), runningExecutableDir(), env("PATH"));
}

} // namespace slipway::local
