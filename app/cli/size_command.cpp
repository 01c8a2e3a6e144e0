#include "commands.h"
#include "sizing_options.h"

#include "sizing/sizing_report.h"

namespace slipway::cli {

static std::vector<OptionSpec> sizeSpecs()
{
    auto specs = sizingOptionSpecs("H100");
    specs.push_back({"--json", false, "", "print one JSON object instead of the table"});
    return specs;
}

std::string sizeUsage()
{
    return usageText("slipway-cli size --model ID|DIR|config.json [options]", sizeSpecs());
}

Result<void> runSize(const std::vector<std::string> &argv, std::ostream &out)
{
    auto args = parseArgs(argv, sizeSpecs());
    if (!args)
        return args.error();
    auto input = sizingInputFrom(*args, "H100");
    if (!input)
        return input.error();
    auto result = sizing::computeSizing(*input);
    if (!result)
        return result.error();
    // A load that does not fit, or a forced TP that cannot work, is still reported in full (the
    // figures explain it; JSON has fits: false and errors), and the command then fails with the
    // first error so that scripts notice.
    out << (args->has("--json") ? sizing::sizingToJson(*result) : sizing::sizingToText(*result));
    if (!result->deployable())
        return fail(result->errors.front());
    return {};
}

} // namespace slipway::cli
