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
    // A load that does not fit is still a valid answer to "how would this size?": it is reported
    // (fits: false, errors) rather than refused, and the exit status stays 0.
    out << (args->has("--json") ? sizing::sizingToJson(*result) : sizing::sizingToText(*result));
    return {};
}

} // namespace slipway::cli
