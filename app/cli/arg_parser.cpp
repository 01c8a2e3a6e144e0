#include "arg_parser.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace slipway::cli {

std::optional<std::string> ParsedArgs::value(const std::string &name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::string ParsedArgs::valueOr(const std::string &name, const std::string &fallback) const
{
    auto v = value(name);
    return v ? *v : fallback;
}

static const OptionSpec *findSpec(const std::vector<OptionSpec> &specs, const std::string &name)
{
    for (const auto &s : specs) {
        if (s.name == name)
            return &s;
        for (const auto &a : s.aliases)
            if (a == name)
                return &s;
    }
    return nullptr;
}

Result<ParsedArgs> parseArgs(const std::vector<std::string> &args, const std::vector<OptionSpec> &specs)
{
    ParsedArgs parsed;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inlineValue;
        if (arg.rfind("--", 0) == 0) {
            auto eq = arg.find('=');
            if (eq != std::string::npos) {
                inlineValue = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
        } else if (arg.empty() || arg[0] != '-') {
            return fail("unexpected argument '" + arg + "': options start with -- (see --help)");
        }
        const OptionSpec *spec = findSpec(specs, arg);
        if (!spec)
            return fail("unknown option " + arg + " (see --help for the options of this command)");
        if (!spec->takesValue) {
            if (inlineValue)
                return fail("option " + spec->name + " takes no value");
            parsed.set(spec->name, "true");
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size() || (args[i + 1].rfind("--", 0) == 0 && args[i + 1].size() > 2))
                return fail("option " + spec->name + " needs a value (" + spec->valueName + ")");
            inlineValue = args[++i];
        }
        if (parsed.has(spec->name))
            return fail("option " + spec->name + " is given twice; give it once");
        parsed.set(spec->name, *inlineValue);
    }
    return parsed;
}

std::string usageText(const std::string &synopsis, const std::vector<OptionSpec> &specs)
{
    std::ostringstream out;
    out << "usage: " << synopsis << "\n\noptions:\n";
    for (const auto &s : specs) {
        std::string left = s.name;
        for (const auto &a : s.aliases)
            left = a + ", " + left;
        if (s.takesValue)
            left += " " + s.valueName;
        out << "  " << left;
        if (left.size() < 34)
            out << std::string(34 - left.size(), ' ');
        else
            out << "\n" << std::string(36, ' ');
        out << s.help << "\n";
    }
    return out.str();
}

Result<long long> toInteger(const std::string &option, const std::string &text, long long min, long long max)
{
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE)
        return fail(option + " must be a whole number, not '" + text + "'");
    if (v < min || v > max)
        return fail(option + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", not " + text);
    return v;
}

Result<double> toNumber(const std::string &option, const std::string &text, double min, double max)
{
    errno = 0;
    char *end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno == ERANGE)
        return fail(option + " must be a number, not '" + text + "'");
    if (v < min || v > max) {
        std::ostringstream msg;
        msg << option << " must be between " << min << " and " << max << ", not " << text;
        return fail(msg.str());
    }
    return v;
}

} // namespace slipway::cli
