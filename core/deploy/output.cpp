// writeToDirectory: all-or-nothing output of rendered objects, one file each.
#include "deploy/render.h"

#include <fstream>
#include <filesystem>
#include <set>
#include <system_error>

#include <cstdlib>
#include <unistd.h>

namespace slipway::deploy {

namespace fs = std::filesystem;

namespace {

bool isPlainFileName(const std::string &name)
{
    return !name.empty() && name.front() != '.' && name.find('/') == std::string::npos &&
           name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

// Removes the temporary folder when the write fails halfway.
class TempDirGuard final {
public:
    explicit TempDirGuard(fs::path path) : m_path(std::move(path)) {}
    ~TempDirGuard()
    {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove_all(m_path, ignored);
        }
    }
    TempDirGuard(const TempDirGuard &) = delete;
    TempDirGuard &operator=(const TempDirGuard &) = delete;

private:
    fs::path m_path;
};

} // namespace

Result<void> writeToDirectory(const std::vector<RenderedObject> &objects, const std::string &dir)
{
    if (objects.empty())
        return fail("nothing to write: the plan rendered no objects");
    if (dir.empty())
        return fail("no output folder given: name the folder to write the manifests into");
    std::set<std::string> names;
    for (const RenderedObject &object : objects) {
        if (!isPlainFileName(object.fileName))
            return fail("cannot write " + object.kind + " " + object.name + ": file name '" + object.fileName + "' is not a plain file name");
        if (!names.insert(object.fileName).second)
            return fail("two objects would be written to the same file '" + object.fileName + "': give them different names");
    }

    std::error_code error;
    fs::path target = fs::path(dir).lexically_normal();
    if (target.has_filename() == false && target.has_parent_path())
        target = target.parent_path(); // "out/" -> "out"
    const fs::path absoluteTarget = fs::absolute(target, error);
    if (error)
        return fail("cannot resolve output folder '" + dir + "': " + error.message());
    const bool targetExists = fs::exists(absoluteTarget, error);
    if (targetExists) {
        if (!fs::is_directory(absoluteTarget, error))
            return fail("output path '" + dir + "' exists and is not a folder: choose another path");
        for (const std::string &name : names) {
            const fs::path file = absoluteTarget / name;
            if (fs::exists(file, error) && !fs::is_regular_file(file, error))
                return fail("cannot write '" + file.string() + "': something other than a file is in the way; remove it");
        }
        if (::access(absoluteTarget.c_str(), W_OK) != 0)
            return fail("output folder '" + dir + "' is not writable: choose another folder or fix its permissions");
    }
    const fs::path parent = absoluteTarget.parent_path();
    if (!fs::is_directory(parent, error))
        return fail("cannot create output folder '" + dir + "': its parent folder '" + parent.string() + "' does not exist");

    // Stage everything beside the target (same filesystem, so the final renames cannot copy).
    std::string pattern = (parent / ("." + absoluteTarget.filename().string() + ".slipway-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return fail("cannot write into '" + parent.string() + "': no permission to create a temporary folder there");
    const fs::path staging = pattern;
    TempDirGuard guard(staging);
    for (const RenderedObject &object : objects) {
        const fs::path file = staging / object.fileName;
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << object.yaml;
        out.close();
        if (!out)
            return fail("cannot write '" + file.string() + "' (disk full?): nothing was written to '" + dir + "'");
        if (object.kind == "Secret") {
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, error);
            if (error)
                return fail("cannot restrict permissions of '" + file.string() + "': " + error.message());
        }
    }

    if (!targetExists) {
        fs::rename(staging, absoluteTarget, error);
        if (error)
            return fail("cannot create output folder '" + dir + "': " + error.message());
        fs::permissions(absoluteTarget, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                            fs::perms::others_read | fs::perms::others_exec,
                        fs::perm_options::replace, error);
        return {};
    }
    for (const RenderedObject &object : objects) {
        fs::rename(staging / object.fileName, absoluteTarget / object.fileName, error);
        if (error)
            return fail("cannot move '" + object.fileName + "' into '" + dir + "': " + error.message());
    }
    return {};
}

} // namespace slipway::deploy
