#pragma once
// Label sets of Prometheus samples, and the workload labels that exporters and Prometheus name
// two ways: a scraped exporter's own `pod`/`namespace`/`container` labels are renamed
// `exported_pod`/`exported_namespace`/`exported_container` when Prometheus adds its own target
// labels (DCGM exporter under the GPU operator). Both are understood; the exported_* ones, when
// present, name the workload.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::metrics {

struct Label {
    std::string name;
    std::string value;
    bool operator==(const Label &) const = default;
    auto operator<=>(const Label &) const = default;
};

// Kept sorted by name (the parsers sort), so equal sets compare equal.
using Labels = std::vector<Label>;

void sortLabels(Labels &labels);
std::optional<std::string_view> labelValue(const Labels &labels, std::string_view name);
// True when every label of `match` has that value in `labels`; an empty value matches an
// absent label (as in PromQL).
bool matchesAll(const Labels &labels, const Labels &match);
Labels withoutLabel(Labels labels, std::string_view name);
// {a="x",b="y\"z"}: the text form, used as a display name and as a key.
std::string formatLabels(const Labels &labels);

// The workload a sample belongs to: exported_* when set, else the plain label ("" if neither).
std::string podOf(const Labels &labels);
std::string namespaceOf(const Labels &labels);
std::string containerOf(const Labels &labels);
bool belongsTo(const Labels &labels, std::string_view namespaceName, std::string_view pod = {});

// A PromQL string literal: "text" with \ " and newlines escaped.
std::string promqlQuote(std::string_view text);
// `metric` for the pods of a namespace (podRegex: a RE2 regex over pod names, empty for all),
// written to match both label spellings without double counting:
//   metric{exported_namespace="ns",exported_pod=~"re"} or
//   metric{namespace="ns",pod=~"re",exported_namespace=""}
std::string workloadQuery(std::string_view metric, std::string_view namespaceName, std::string_view podRegex = {});
// The same for several metrics in one query, keeping each series' name. (Joining workloadQuery()s
// with `or` would not: `or` matches label sets without the name, so a second metric's series on the
// same GPU would be dropped.) Names must be plain metric names:
//   {__name__=~"a|b",exported_namespace="ns",exported_pod=~"re"} or
//   {__name__=~"a|b",namespace="ns",pod=~"re",exported_namespace=""}
std::string workloadQuery(const std::vector<std::string> &metricNames, std::string_view namespaceName,
                          std::string_view podRegex = {});

} // namespace slipway::metrics
