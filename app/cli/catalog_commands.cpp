// slipway-cli models | gpus | guide: what the built-in catalogs hold, and the guide's sizing
// table beside Slipway's figures.
#include "commands.h"
#include "arg_parser.h"

#include "model/catalog.h"
#include "sizing/format.h"
#include "sizing/gpu_catalog.h"
#include "sizing/guide_comparison.h"

#include <iomanip>

namespace slipway::cli {

static Result<void> noOptions(const std::vector<std::string> &args, const char *command)
{
    if (!args.empty())
        return fail(std::string(command) + " takes no options (got " + args.front() + ")");
    return {};
}

Result<void> runModels(const std::vector<std::string> &args, std::ostream &out)
{
    if (auto r = noOptions(args, "models"); !r)
        return r;
    auto catalog = model::ModelCatalog::builtIn();
    if (!catalog)
        return catalog.error();
    for (const auto &e : catalog->entries()) {
        out << std::left << std::setw(46) << e.id << " " << std::setw(8)
            << (sizing::formatNumber(e.publishedParamsBillion) + " B") << " " << e.checkpointDtype << "\n";
    }
    return {};
}

Result<void> runGpus(const std::vector<std::string> &args, std::ostream &out)
{
    if (auto r = noOptions(args, "gpus"); !r)
        return r;
    for (const auto &g : sizing::gpuCatalog()) {
        out << std::left << std::setw(11) << g.name << " " << std::setw(9) << sizing::formatBytes(double(g.memoryBytes))
            << " " << std::setw(11) << (sizing::formatNumber(g.bandwidthBytesPerS / 1e12) + " TB/s") << " "
            << g.product << "\n";
    }
    return {};
}

Result<void> runGuide(const std::vector<std::string> &args, std::ostream &out)
{
    if (auto r = noOptions(args, "guide"); !r)
        return r;
    auto rows = sizing::compareWithGuide();
    if (!rows)
        return rows.error();
    out << sizing::guideComparisonToText(*rows);
    return {};
}

} // namespace slipway::cli
