#pragma once
// The Prometheus HTTP API (/api/v1/query, /api/v1/query_range) over core/net: any Prometheus,
// or OpenShift's thanos-querier with the user's bearer token (port 9091 cluster-wide; 9092 with
// a namespace, tenancy-scoped). Results come back as labelled series of points.
// Thread-safety: const methods, no shared mutable state.
#include "common/result.h"
#include "metrics/exposition.h"
#include "metrics/series_store.h"
#include "net/cancel_token.h"
#include "net/http_types.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::metrics {

struct PrometheusEndpoint {
    std::string baseUrl;          // e.g. https://thanos-querier-openshift-monitoring.apps.example
    std::string bearerToken;      // sent as "Authorization: Bearer"; never logged
    net::TlsOptions tls;
    std::string namespaceName;    // set for thanos-querier's tenancy port (9092): ?namespace=
    std::chrono::milliseconds timeout{30'000};
};

struct QuerySeries {
    Labels labels;                // sorted, including __name__ when the result has one
    std::vector<Point> points;    // one for an instant query, several for a range
    std::string metricName() const;
};

struct QueryResult {
    std::string resultType;       // "vector", "matrix" or "scalar"
    std::vector<QuerySeries> series;
    std::vector<std::string> warnings;
};

// The JSON body of a query reply (success or error) as Prometheus documents it.
Result<QueryResult> parseQueryResponse(std::string_view json);

// An instant vector as samples (name from __name__, without that label), so exposition helpers
// such as gpuReadings() work on query results too.
std::vector<Sample> toSamples(const QueryResult &result);

class PrometheusClient final {
public:
    explicit PrometheusClient(PrometheusEndpoint endpoint);

    const PrometheusEndpoint &endpoint() const { return m_endpoint; }

    // Evaluates `promql` at `time` (seconds since the epoch; now when unset).
    Result<QueryResult> query(std::string_view promql, std::optional<double> time = std::nullopt,
                              const net::CancelToken *cancel = nullptr) const;
    // Evaluates `promql` from start to end every stepSeconds.
    Result<QueryResult> queryRange(std::string_view promql, double start, double end, double stepSeconds,
                                   const net::CancelToken *cancel = nullptr) const;

private:
    Result<QueryResult> get(std::string_view path, std::string_view promql,
                            std::vector<std::pair<std::string, std::string>> parameters,
                            const net::CancelToken *cancel) const;

    PrometheusEndpoint m_endpoint;
};

} // namespace slipway::metrics
