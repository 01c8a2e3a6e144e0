#include "metrics/exposition.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace slipway::metrics {

namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

void skipSpaces(std::string_view &s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
}

std::string_view takeName(std::string_view &s, bool allowColon = true)
{
    std::size_t n = 0;
    if (!s.empty() && isNameStart(s.front()) && (allowColon || s.front() != ':')) {
        n = 1;
        while (n < s.size() && isNameChar(s[n]) && (allowColon || s[n] != ':'))
            ++n;
    }
    const std::string_view name = s.substr(0, n);
    s.remove_prefix(n);
    return name;
}

std::string unescapeHelp(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
            out.push_back(text[i + 1] == 'n' ? '\n' : '\\');
            ++i;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::optional<MetricType> typeFromString(std::string_view s)
{
    if (s == "counter")
        return MetricType::Counter;
    if (s == "gauge")
        return MetricType::Gauge;
    if (s == "histogram" || s == "gaugehistogram")
        return MetricType::Histogram;
    if (s == "summary")
        return MetricType::Summary;
    if (s == "untyped" || s == "unknown")
        return MetricType::Untyped;
    return std::nullopt;
}

// Suffixes under which a family's samples appear, by type.
bool suffixBelongs(MetricType type, std::string_view suffix)
{
    switch (type) {
    case MetricType::Histogram:
        return suffix == "_bucket" || suffix == "_sum" || suffix == "_count" || suffix == "_created";
    case MetricType::Summary:
        return suffix == "_sum" || suffix == "_count" || suffix == "_created";
    case MetricType::Counter:
        return suffix == "_total" || suffix == "_created";
    default:
        return false;
    }
}

class Parser {
public:
    Result<Exposition> run(std::string_view text)
    {
        std::size_t lineNumber = 0;
        while (!text.empty()) {
            ++lineNumber;
            const auto end = text.find('\n');
            std::string_view line = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (auto r = parseLine(line); !r)
                return fail("line " + std::to_string(lineNumber) + ": " + r.message() + " in: " +
                            std::string(line.substr(0, 200)));
        }
        return std::move(m_out);
    }

private:
    Exposition m_out;
    std::unordered_map<std::string, std::size_t> m_index;

    MetricFamily &familyNamed(std::string_view name)
    {
        const auto it = m_index.find(std::string(name));
        if (it != m_index.end())
            return m_out.families[it->second];
        m_index.emplace(std::string(name), m_out.families.size());
        m_out.families.push_back(MetricFamily{std::string(name), MetricType::Untyped, {}, {}});
        return m_out.families.back();
    }

    MetricFamily &familyOfSample(std::string_view sampleName)
    {
        if (const auto it = m_index.find(std::string(sampleName)); it != m_index.end())
            return m_out.families[it->second];
        for (const std::string_view suffix : {"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (!sampleName.ends_with(suffix))
                continue;
            const std::string base(sampleName.substr(0, sampleName.size() - suffix.size()));
            const auto it = m_index.find(base);
            if (it != m_index.end() && suffixBelongs(m_out.families[it->second].type, suffix))
                return m_out.families[it->second];
        }
        return familyNamed(sampleName);
    }

    Result<void> parseLine(std::string_view line)
    {
        skipSpaces(line);
        if (line.empty())
            return {};
        if (line.front() == '#')
            return parseComment(line.substr(1));
        return parseSample(line);
    }

    Result<void> parseComment(std::string_view rest)
    {
        skipSpaces(rest);
        const bool help = rest.starts_with("HELP ") || rest.starts_with("HELP\t");
        const bool type = rest.starts_with("TYPE ") || rest.starts_with("TYPE\t");
        if (!help && !type)
            return {}; // a plain comment (or OpenMetrics' "# EOF")
        rest.remove_prefix(4);
        skipSpaces(rest);
        const std::string_view name = takeName(rest);
        if (name.empty())
            return fail(std::string("expected a metric name after # ") + (help ? "HELP" : "TYPE"));
        if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t')
            return fail("invalid character '" + std::string(1, rest.front()) + "' in metric name");
        skipSpaces(rest);
        MetricFamily &family = familyNamed(name);
        if (help) {
            family.help = unescapeHelp(rest);
            return {};
        }
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
            rest.remove_suffix(1);
        const auto parsed = typeFromString(rest);
        if (!parsed)
            return fail("unknown metric type '" + std::string(rest) +
                        "' (expected counter, gauge, histogram, summary or untyped)");
        family.type = *parsed;
        return {};
    }

    Result<void> parseLabels(std::string_view &s, Labels &labels)
    {
        s.remove_prefix(1); // '{'
        while (true) {
            skipSpaces(s);
            if (s.empty())
                return fail("the label set is not closed with '}'");
            if (s.front() == '}') {
                s.remove_prefix(1);
                return {};
            }
            const std::string_view name = takeName(s, false);
            if (name.empty())
                return fail("expected a label name");
            skipSpaces(s);
            if (s.empty() || s.front() != '=')
                return fail("expected '=' after label name '" + std::string(name) + "'");
            s.remove_prefix(1);
            skipSpaces(s);
            if (s.empty() || s.front() != '"')
                return fail("expected a quoted value for label '" + std::string(name) + "'");
            s.remove_prefix(1);
            std::string value;
            bool closed = false;
            while (!s.empty()) {
                const char c = s.front();
                s.remove_prefix(1);
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && !s.empty()) {
                    const char e = s.front();
                    s.remove_prefix(1);
                    if (e == 'n')
                        value.push_back('\n');
                    else if (e == '\\' || e == '"')
                        value.push_back(e);
                    else
                        return fail("invalid escape '\\" + std::string(1, e) + "' in the value of label '" +
                                    std::string(name) + "'");
                    continue;
                }
                value.push_back(c);
            }
            if (!closed)
                return fail("the value of label '" + std::string(name) + "' is not closed with '\"'");
            for (const Label &existing : labels) {
                if (existing.name == name)
                    return fail("label '" + std::string(name) + "' appears twice");
            }
            labels.push_back(Label{std::string(name), std::move(value)});
            skipSpaces(s);
            if (!s.empty() && s.front() == ',')
                s.remove_prefix(1);
            else if (s.empty() || s.front() != '}')
                return fail("expected ',' or '}' after the value of label '" + std::string(name) + "'");
        }
    }

    Result<void> parseSample(std::string_view s)
    {
        Sample sample;
        const std::string_view name = takeName(s);
        if (name.empty())
            return fail("expected a metric name");
        sample.name = std::string(name);
        const auto separated = [&] { return s.empty() || s.front() == ' ' || s.front() == '\t'; };
        const bool spaceAfterName = separated();
        skipSpaces(s);
        if (!s.empty() && s.front() == '{') {
            if (auto r = parseLabels(s, sample.labels); !r)
                return r;
            if (!separated())
                return fail("expected a space before the value, found '" + std::string(1, s.front()) + "'");
        } else if (!spaceAfterName) {
            return fail("invalid character '" + std::string(1, s.front()) + "' in the metric name");
        }
        skipSpaces(s);
        const auto valueEnd = s.find_first_of(" \t");
        const std::string_view valueText = s.substr(0, valueEnd);
        const auto value = parseSampleValue(valueText);
        if (!value)
            return fail("'" + std::string(valueText) + "' is not a number");
        sample.value = *value;
        s = valueEnd == std::string_view::npos ? std::string_view() : s.substr(valueEnd);
        skipSpaces(s);
        if (!s.empty()) {
            std::int64_t ts = 0;
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), ts);
            if (ec != std::errc())
                return fail("'" + std::string(s) + "' is not a timestamp in milliseconds");
            std::string_view tail(ptr, std::size_t(s.data() + s.size() - ptr));
            skipSpaces(tail);
            if (!tail.empty())
                return fail("unexpected text after the timestamp");
            sample.timestampMs = ts;
        }
        sortLabels(sample.labels);
        familyOfSample(sample.name).samples.push_back(std::move(sample));
        return {};
    }
};

} // namespace

std::string_view toString(MetricType type)
{
    switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
    case MetricType::Summary: return "summary";
    case MetricType::Untyped: break;
    }
    return "untyped";
}

std::optional<double> parseSampleValue(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    if (text == "NaN" || text == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "+Inf" || text == "Inf" || text == "+inf" || text == "inf")
        return std::numeric_limits<double>::infinity();
    if (text == "-Inf" || text == "-inf")
        return -std::numeric_limits<double>::infinity();
    if (text.front() == '+')
        text.remove_prefix(1);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

Result<Exposition> parseExposition(std::string_view text)
{
    return Parser().run(text);
}

const MetricFamily *Exposition::family(std::string_view name) const
{
    for (const MetricFamily &f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

std::vector<const Sample *> Exposition::samples(std::string_view sampleName, const Labels &match) const
{
    std::vector<const Sample *> out;
    for (const MetricFamily &f : families) {
        if (!sampleName.starts_with(f.name))
            continue;
        for (const Sample &s : f.samples) {
            if (s.name == sampleName && matchesAll(s.labels, match))
                out.push_back(&s);
        }
    }
    return out;
}

std::optional<double> Exposition::sum(std::string_view sampleName, const Labels &match) const
{
    const auto found = samples(sampleName, match);
    if (found.empty())
        return std::nullopt;
    double total = 0;
    for (const Sample *s : found)
        total += s->value;
    return total;
}

std::vector<Sample> Exposition::allSamples() const
{
    std::vector<Sample> out;
    for (const MetricFamily &f : families)
        out.insert(out.end(), f.samples.begin(), f.samples.end());
    return out;
}

} // namespace slipway::metrics
