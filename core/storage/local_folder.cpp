#include "storage/local_folder.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

namespace slipway::storage {

namespace fs = std::filesystem;

Result<std::vector<LocalFile>> scanFolder(const std::string &folder)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return fail("the model folder " + folder + " does not exist or is not a folder: choose the folder that holds config.json");
    std::vector<LocalFile> files;
    fs::recursive_directory_iterator it(folder, fs::directory_options::follow_directory_symlink, ec);
    if (ec)
        return fail("cannot list " + folder + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            return fail("cannot list " + folder + ": " + ec.message());
        const fs::path &path = it->path();
        const std::string name = path.filename().string();
        if (it->is_directory(ec) && (name == ".git" || name == ".cache")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec))
            continue;
        LocalFile file;
        file.absolutePath = path.string();
        file.relativePath = fs::relative(path, folder, ec).generic_string();
        file.size = static_cast<std::int64_t>(fs::file_size(path, ec));
        if (ec)
            return fail("cannot read the size of " + file.absolutePath + ": " + ec.message());
        const auto mtime = fs::last_write_time(path, ec);
        file.mtimeSeconds = std::chrono::duration_cast<std::chrono::seconds>(mtime.time_since_epoch()).count();
        files.push_back(std::move(file));
    }
    std::sort(files.begin(), files.end(), [](const LocalFile &a, const LocalFile &b) { return a.relativePath < b.relativePath; });
    if (files.empty())
        return fail("the model folder " + folder + " holds no files");
    return files;
}

} // namespace slipway::storage
