#include "metrics/labels.h"

#include <algorithm>

namespace slipway::metrics {

namespace {

std::string exportedOr(const Labels &labels, std::string_view name)
{
    const std::string exported = "exported_" + std::string(name);
    if (const auto v = labelValue(labels, exported); v && !v->empty())
        return std::string(*v);
    if (const auto v = labelValue(labels, name))
        return std::string(*v);
    return {};
}

std::string escaped(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"')
            out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

} // namespace

void sortLabels(Labels &labels)
{
    std::sort(labels.begin(), labels.end(), [](const Label &a, const Label &b) { return a.name < b.name; });
}

std::optional<std::string_view> labelValue(const Labels &labels, std::string_view name)
{
    for (const Label &l : labels) {
        if (l.name == name)
            return std::string_view(l.value);
    }
    return std::nullopt;
}

bool matchesAll(const Labels &labels, const Labels &match)
{
    return std::all_of(match.begin(), match.end(), [&](const Label &m) {
        const auto v = labelValue(labels, m.name);
        return v ? *v == m.value : m.value.empty();
    });
}

Labels withoutLabel(Labels labels, std::string_view name)
{
    std::erase_if(labels, [&](const Label &l) { return l.name == name; });
    return labels;
}

std::string formatLabels(const Labels &labels)
{
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        out += labels[i].name + "=\"" + escaped(labels[i].value) + "\"";
    }
    return out + "}";
}

std::string podOf(const Labels &labels)
{
    return exportedOr(labels, "pod");
}

std::string namespaceOf(const Labels &labels)
{
    return exportedOr(labels, "namespace");
}

std::string containerOf(const Labels &labels)
{
    return exportedOr(labels, "container");
}

bool belongsTo(const Labels &labels, std::string_view namespaceName, std::string_view pod)
{
    return namespaceOf(labels) == namespaceName && (pod.empty() || podOf(labels) == pod);
}

std::string promqlQuote(std::string_view text)
{
    return "\"" + escaped(text) + "\"";
}

std::string workloadQuery(std::string_view metric, std::string_view namespaceName, std::string_view podRegex)
{
    const std::string ns = promqlQuote(namespaceName);
    const std::string pod = podRegex.empty() ? std::string() : ",_POD_=~" + promqlQuote(podRegex);
    const auto podFor = [&](const char *label) {
        std::string p = pod;
        if (!p.empty())
            p.replace(p.find("_POD_"), 5, label);
        return p;
    };
    const std::string m(metric);
    return m + "{exported_namespace=" + ns + podFor("exported_pod") + "} or " + m + "{namespace=" + ns +
           podFor("pod") + ",exported_namespace=\"\"}";
}

std::string workloadQuery(const std::vector<std::string> &metricNames, std::string_view namespaceName,
                          std::string_view podRegex)
{
    std::string names;
    for (const std::string &name : metricNames)
        names += (names.empty() ? "" : "|") + name;
    const std::string name = "__name__=~" + promqlQuote(names) + ",";
    const std::string ns = promqlQuote(namespaceName);
    const auto pod = [&](const char *label) {
        return podRegex.empty() ? std::string() : "," + std::string(label) + "=~" + promqlQuote(podRegex);
    };
    return "{" + name + "exported_namespace=" + ns + pod("exported_pod") + "} or {" + name + "namespace=" + ns + pod("pod") +
           ",exported_namespace=\"\"}";
}

} // namespace slipway::metrics
