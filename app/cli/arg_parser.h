#pragma once
// A small, strict command-line parser for slipway-cli: declared options only; `--name value`
// and `--name=value`; an unknown option or a missing value is an error that names it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace slipway::cli {

struct OptionSpec {
    std::string name;       // "--model"
    bool takesValue = true; // false for switches such as --json
    std::string valueName;  // "ID|DIR|config.json" (for --help)
    std::string help;
    std::vector<std::string> aliases; // "-o"
};

class ParsedArgs {
public:
    bool has(const std::string &name) const { return m_values.count(name) > 0; }
    std::optional<std::string> value(const std::string &name) const;
    std::string valueOr(const std::string &name, const std::string &fallback) const;
    void set(const std::string &name, std::string value) { m_values[name] = std::move(value); }

private:
    std::map<std::string, std::string> m_values;
};

Result<ParsedArgs> parseArgs(const std::vector<std::string> &args, const std::vector<OptionSpec> &specs);
std::string usageText(const std::string &synopsis, const std::vector<OptionSpec> &specs);

// Typed conversions with messages that name the option.
Result<long long> toInteger(const std::string &option, const std::string &text, long long min, long long max);
Result<double> toNumber(const std::string &option, const std::string &text, double min, double max);

} // namespace slipway::cli
