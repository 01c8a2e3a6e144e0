#include "metrics/prometheus_client.h"

#include "net/http_client.h"
#include "net/http_error.h"
#include "net/redact.h"
#include "net/url.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace slipway::metrics {

using nlohmann::json;

namespace {

std::string formatNumber(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", value);
    std::string s = text;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

// [ <unix seconds>, "<value>" ]
std::optional<Point> pointOf(const json &pair)
{
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string())
        return std::nullopt;
    const auto value = parseSampleValue(pair[1].get<std::string>());
    if (!value)
        return std::nullopt;
    return Point{pair[0].get<double>(), *value};
}

Labels labelsOf(const json &metric)
{
    Labels labels;
    if (metric.is_object()) {
        for (const auto &[name, value] : metric.items()) {
            if (value.is_string())
                labels.push_back(Label{name, value.get<std::string>()});
        }
    }
    sortLabels(labels);
    return labels;
}

} // namespace

std::string QuerySeries::metricName() const
{
    const auto name = labelValue(labels, "__name__");
    return name ? std::string(*name) : std::string();
}

Result<QueryResult> parseQueryResponse(std::string_view text)
{
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (root.is_discarded() || !root.is_object())
        return fail("the reply is not Prometheus API JSON: " + std::string(text.substr(0, 200)));
    const std::string status = root.value("status", "");
    if (status == "error") {
        return fail("Prometheus rejected the query: " + root.value("errorType", std::string("error")) + ": " +
                    root.value("error", std::string("(no detail)")));
    }
    if (status != "success")
        return fail("the reply has no \"status\": \"success\"; is this a Prometheus API endpoint?");
    const auto data = root.find("data");
    if (data == root.end() || !data->is_object())
        return fail("the Prometheus reply has no \"data\" object");
    QueryResult out;
    out.resultType = data->value("resultType", "");
    if (const auto warnings = root.find("warnings"); warnings != root.end() && warnings->is_array()) {
        for (const json &w : *warnings) {
            if (w.is_string())
                out.warnings.push_back(w.get<std::string>());
        }
    }
    const auto result = data->find("result");
    if (result == data->end())
        return fail("the Prometheus reply has no \"data.result\"");
    if (out.resultType == "scalar") {
        const auto point = pointOf(*result);
        if (!point)
            return fail("the scalar in the Prometheus reply is malformed");
        out.series.push_back(QuerySeries{{}, {*point}});
        return out;
    }
    if (out.resultType != "vector" && out.resultType != "matrix")
        return fail("the query returned a " + out.resultType + ", not numbers; query a metric or an expression");
    if (!result->is_array())
        return fail("\"data.result\" of the Prometheus reply is not an array");
    for (const json &entry : *result) {
        QuerySeries series;
        series.labels = labelsOf(entry.value("metric", json::object()));
        if (out.resultType == "vector") {
            if (const auto p = pointOf(entry.value("value", json())))
                series.points.push_back(*p);
            else
                return fail("a sample in the Prometheus reply is malformed: " + entry.dump().substr(0, 200));
        } else {
            for (const json &pair : entry.value("values", json::array())) {
                if (const auto p = pointOf(pair))
                    series.points.push_back(*p);
                else
                    return fail("a point in the Prometheus reply is malformed: " + pair.dump());
            }
        }
        out.series.push_back(std::move(series));
    }
    return out;
}

std::vector<Sample> toSamples(const QueryResult &result)
{
    std::vector<Sample> out;
    for (const QuerySeries &series : result.series) {
        if (series.points.empty())
            continue;
        Sample sample;
        sample.name = series.metricName();
        sample.labels = withoutLabel(series.labels, "__name__");
        sample.value = series.points.back().value;
        sample.timestampMs = static_cast<std::int64_t>(std::llround(series.points.back().time * 1000.0));
        out.push_back(std::move(sample));
    }
    return out;
}

PrometheusClient::PrometheusClient(PrometheusEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

Result<QueryResult> PrometheusClient::query(std::string_view promql, std::optional<double> time,
                                            const net::CancelToken *cancel) const
{
    std::vector<std::pair<std::string, std::string>> parameters;
    if (time)
        parameters.emplace_back("time", formatNumber(*time));
    return get("api/v1/query", promql, std::move(parameters), cancel);
}

Result<QueryResult> PrometheusClient::queryRange(std::string_view promql, double start, double end,
                                                 double stepSeconds, const net::CancelToken *cancel) const
{
    if (!(stepSeconds > 0))
        return fail("the step of a range query must be a positive number of seconds");
    if (end < start)
        return fail("the range query ends before it starts");
    if ((end - start) / stepSeconds > 11000)
        return fail("the range query asks for more than 11,000 points per series (Prometheus' limit): "
                    "use a larger step or a shorter window");
    return get("api/v1/query_range", promql,
               {{"start", formatNumber(start)}, {"end", formatNumber(end)}, {"step", formatNumber(stepSeconds)}},
               cancel);
}

Result<QueryResult> PrometheusClient::get(std::string_view path, std::string_view promql,
                                          std::vector<std::pair<std::string, std::string>> parameters,
                                          const net::CancelToken *cancel) const
{
    if (m_endpoint.baseUrl.empty())
        return fail("no Prometheus address set: enter the URL of Prometheus or thanos-querier");
    if (promql.empty())
        return fail("the query is empty");
    parameters.insert(parameters.begin(), {"query", std::string(promql)});
    if (!m_endpoint.namespaceName.empty())
        parameters.emplace_back("namespace", m_endpoint.namespaceName);
    net::Request request;
    request.url = net::joinUrl(m_endpoint.baseUrl, path) + "?" + net::queryString(parameters);
    request.tls = m_endpoint.tls;
    request.timeouts.total = m_endpoint.timeout;
    request.headers.push_back({"Accept", "application/json"});
    if (!m_endpoint.bearerToken.empty())
        request.headers.push_back(net::bearerAuth(m_endpoint.bearerToken));
    net::Transfer transfer;
    transfer.cancel = cancel;
    const auto response = net::perform(request, transfer);
    if (!response)
        return fail("cannot query Prometheus: " + response.message());
    if (response->status == 401 || response->status == 403) {
        return fail("Prometheus at " + m_endpoint.baseUrl + " refused the request (HTTP " +
                    std::to_string(response->status) + ") — " +
                    (m_endpoint.bearerToken.empty()
                         ? std::string("it needs a bearer token: log in to the cluster")
                         : std::string("the token expired or may not read metrics: log in again, or use an account "
                                       "with the cluster-monitoring-view role (or namespace view on port 9092)")));
    }
    if (!response->isSuccess()) {
        // Prometheus explains bad queries in its JSON error body.
        const auto parsed = parseQueryResponse(response->body);
        if (!parsed && parsed.message().starts_with("Prometheus rejected"))
            return fail(net::redactSecrets(parsed.message() + " (query: " + std::string(promql) + ")"));
        return fail(net::httpErrorMessage("Prometheus query", *response));
    }
    return parseQueryResponse(response->body);
}

} // namespace slipway::metrics
