#include "app/process_lookup.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace slipway::ui {

namespace {

std::string readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The parent pid from /proc/PID/stat: the field after the parenthesised command name, which may
// itself hold spaces and parentheses.
pid_t parentOf(const std::filesystem::path &procDir)
{
    const std::string stat = readFile(procDir / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(close + 1));
    std::string state;
    long parent = 0;
    fields >> state >> parent;
    return static_cast<pid_t>(parent);
}

} // namespace

pid_t findChildProcess(const std::vector<std::string> &commandLine)
{
    if (commandLine.empty())
        return 0;
    std::string wanted;
    for (const std::string &part : commandLine) {
        wanted += part;
        wanted += '\0';
    }
    const pid_t self = getpid();
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        if (parentOf(entry.path()) != self)
            continue;
        if (readFile(entry.path() / "cmdline") == wanted)
            return static_cast<pid_t>(std::stol(name));
    }
    return 0;
}

} // namespace slipway::ui
