#include "tools/bench_serving.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <thread>

namespace slipway::engine {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

struct Options {
    std::string host = "127.0.0.1", port = "30000";
    int num_requests = 1000;
    int in_lo = 64, in_hi = 512, out_lo = 64, out_hi = 512;
    int concurrency = 0;  // > 0: closed loop with this many requests in flight
    double rate = 0;      // > 0: Poisson arrivals at this many requests/s (open loop)
    uint64_t seed = 1;
    double temperature = 0;  // 0: greedy
    double top_p = 1;
    std::string json_path;
};

struct Result {
    bool ok = false;
    std::string error;
    int input_len = 0, output_tokens = 0;
    double ttft = 0, latency = 0;
    std::vector<double> itl;  // gaps between streamed chunks after the first
};

bool parse_range(const std::string &v, int &lo, int &hi) {
    const auto colon = v.find(':');
    try {
        lo = std::stoi(v.substr(0, colon));
        hi = colon == std::string::npos ? lo : std::stoi(v.substr(colon + 1));
    } catch (...) {
        return false;
    }
    return lo >= 1 && hi >= lo;
}

// One streamed POST /generate; times each SSE event as it arrives.
Result run_request(const Options &o, const std::vector<int32_t> &prompt, int max_new) {
    Result r;
    r.input_len = static_cast<int>(prompt.size());
    try {
        asio::io_context io;
        tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.connect(resolver.resolve(o.host, o.port));
        const json body = {{"input_ids", prompt},
                           {"stream", true},
                           {"sampling_params",
                            {{"max_new_tokens", max_new},
                             {"ignore_eos", true},
                             {"temperature", o.temperature},
                             {"top_p", o.top_p}}}};
        http::request<http::string_body> req{http::verb::post, "/generate", 11};
        req.set(http::field::host, o.host);
        req.set(http::field::content_type, "application/json");
        req.body() = body.dump();
        req.prepare_payload();
        const auto t0 = Clock::now();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        parser.body_limit(boost::none);
        http::read_header(stream, buffer, parser);
        if (parser.get().result() != http::status::ok) {
            r.error = "HTTP " + std::to_string(parser.get().result_int());
            return r;
        }
        std::string pending;
        char chunk[16384];
        auto last = t0;
        bool first = true;
        while (!parser.is_done()) {
            parser.get().body().data = chunk;
            parser.get().body().size = sizeof chunk;
            beast::error_code ec;
            http::read_some(stream, buffer, parser, ec);
            if (ec == http::error::need_buffer) ec = {};
            if (ec) throw beast::system_error(ec);
            pending.append(chunk, sizeof chunk - parser.get().body().size);
            size_t end;
            while ((end = pending.find("\n\n")) != std::string::npos) {
                const std::string event = pending.substr(0, end);
                pending.erase(0, end + 2);
                if (event.rfind("data: ", 0) != 0) continue;
                const std::string data = event.substr(6);
                if (data == "[DONE]") continue;
                const json j = json::parse(data, nullptr, false);
                if (j.is_discarded() || !j.contains("meta_info")) continue;
                const int tokens = j["meta_info"].value("completion_tokens", 0);
                if (tokens <= r.output_tokens) continue;
                const auto now = Clock::now();
                if (first) r.ttft = std::chrono::duration<double>(now - t0).count();
                else r.itl.push_back(std::chrono::duration<double>(now - last).count() / (tokens - r.output_tokens));
                first = false;
                last = now;
                r.output_tokens = tokens;
            }
        }
        r.latency = std::chrono::duration<double>(Clock::now() - t0).count();
        r.ok = r.output_tokens > 0;
        if (!r.ok) r.error = "no tokens streamed";
    } catch (const std::exception &e) {
        r.error = e.what();
    }
    return r;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double idx = p / 100.0 * static_cast<double>(v.size() - 1);
    const size_t i = static_cast<size_t>(idx);
    const double f = idx - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

double mean(const std::vector<double> &v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

int fetch_vocab(const Options &o, std::ostream &err) {
    try {
        asio::io_context io;
        tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.connect(resolver.resolve(o.host, o.port));
        http::request<http::empty_body> req{http::verb::get, "/get_model_info", 11};
        req.set(http::field::host, o.host);
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        const json j = json::parse(res.body(), nullptr, false);
        if (res.result() == http::status::ok && !j.is_discarded() && j.contains("vocab_size")) return j["vocab_size"].get<int>();
        err << "bench-serving: GET /get_model_info answered " << res.result_int() << " without vocab_size\n";
    } catch (const std::exception &e) {
        err << "bench-serving: cannot reach http://" << o.host << ":" << o.port << ": " << e.what() << "\n";
    }
    return 0;
}

} // namespace

int run_bench_serving_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    Options o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            out << "Usage: slipway-engine bench-serving --url http://HOST:PORT [--num-requests N] "
                   "[--input-len-range LO:HI] [--output-len-range LO:HI] (--concurrency C | --rate R) [--seed N] "
                   "[--temperature T] [--top-p P] [--json FILE]\n"
                   "Greedy unless --temperature T > 0 (then sampled, with nucleus --top-p P in (0, 1]).\n";
            return 0;
        }
        if (i + 1 >= args.size()) {
            err << "bench-serving: " << a << " needs a value (see --help)\n";
            return 2;
        }
        const std::string v = args[++i];
        try {
            if (a == "--url") {
                std::string u = v;
                if (u.rfind("http://", 0) == 0) u = u.substr(7);
                if (const auto slash = u.find('/'); slash != std::string::npos) u = u.substr(0, slash);
                const auto colon = u.rfind(':');
                o.host = colon == std::string::npos ? u : u.substr(0, colon);
                o.port = colon == std::string::npos ? "80" : u.substr(colon + 1);
            } else if (a == "--num-requests") o.num_requests = std::stoi(v);
            else if (a == "--input-len-range") { if (!parse_range(v, o.in_lo, o.in_hi)) throw std::invalid_argument(v); }
            else if (a == "--output-len-range") { if (!parse_range(v, o.out_lo, o.out_hi)) throw std::invalid_argument(v); }
            else if (a == "--concurrency") o.concurrency = std::stoi(v);
            else if (a == "--rate") o.rate = std::stod(v);
            else if (a == "--seed") o.seed = std::stoull(v);
            else if (a == "--temperature") o.temperature = std::stod(v);
            else if (a == "--top-p") o.top_p = std::stod(v);
            else if (a == "--json") o.json_path = v;
            else {
                err << "bench-serving: unknown option " << a << " (see --help)\n";
                return 2;
            }
        } catch (const std::exception &) {
            err << "bench-serving: invalid value '" << v << "' for " << a
                << (a.find("-range") != std::string::npos ? " (ranges are LO:HI with 1 <= LO <= HI)" : " (a number)")
                << "\n";
            return 2;
        }
    }
    if (o.num_requests < 1 || (o.concurrency > 0) == (o.rate > 0)) {
        err << "bench-serving: give --num-requests >= 1 and exactly one of --concurrency C or --rate R\n";
        return 2;
    }
    if (!(o.temperature >= 0) || !(o.top_p > 0 && o.top_p <= 1)) {
        err << "bench-serving: --temperature must be >= 0 (0 is greedy) and --top-p in (0, 1]\n";
        return 2;
    }
    const int vocab = fetch_vocab(o, err);
    if (vocab <= 0) return 1;

    std::mt19937_64 rng(o.seed);
    std::vector<std::vector<int32_t>> prompts(static_cast<size_t>(o.num_requests));
    std::vector<int> outs(static_cast<size_t>(o.num_requests));
    std::uniform_int_distribution<int> in_len(o.in_lo, o.in_hi), out_len(o.out_lo, o.out_hi);
    // Ids away from the low (often special) ids of a vocabulary.
    std::uniform_int_distribution<int32_t> tok(std::min(1000, vocab / 2), vocab - 1);
    for (size_t i = 0; i < prompts.size(); ++i) {
        prompts[i].resize(static_cast<size_t>(in_len(rng)));
        for (int32_t &t : prompts[i]) t = tok(rng);
        outs[i] = out_len(rng);
    }
    std::vector<Result> results(prompts.size());
    const auto t0 = Clock::now();
    if (o.concurrency > 0) {
        std::atomic<size_t> next{0};
        std::vector<std::thread> workers;
        for (int w = 0; w < std::min(o.concurrency, o.num_requests); ++w)
            workers.emplace_back([&] {
                for (size_t i; (i = next.fetch_add(1)) < prompts.size();) results[i] = run_request(o, prompts[i], outs[i]);
            });
        for (std::thread &t : workers) t.join();
    } else {
        std::exponential_distribution<double> gap(o.rate);
        std::vector<std::thread> workers;
        auto at = Clock::now();
        for (size_t i = 0; i < prompts.size(); ++i) {
            std::this_thread::sleep_until(at);
            workers.emplace_back([&, i] { results[i] = run_request(o, prompts[i], outs[i]); });
            at += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(rng)));
        }
        for (std::thread &t : workers) t.join();
    }
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();

    int ok = 0;
    int64_t in_tokens = 0, out_tokens = 0;
    std::vector<double> ttft, itl, e2e;
    std::string first_error;
    for (const Result &r : results) {
        if (!r.ok) {
            if (first_error.empty()) first_error = r.error;
            continue;
        }
        ++ok;
        in_tokens += r.input_len;
        out_tokens += r.output_tokens;
        ttft.push_back(r.ttft * 1e3);
        e2e.push_back(r.latency * 1e3);
        for (double g : r.itl) itl.push_back(g * 1e3);
    }
    json j = {{"num_requests", o.num_requests}, {"completed", ok}, {"failed", o.num_requests - ok},
              {"concurrency", o.concurrency}, {"request_rate", o.rate}, {"temperature", o.temperature},
              {"top_p", o.top_p},
              {"input_len_range", {o.in_lo, o.in_hi}}, {"output_len_range", {o.out_lo, o.out_hi}},
              {"duration_s", wall}, {"total_input_tokens", in_tokens}, {"total_output_tokens", out_tokens},
              {"request_throughput", ok / wall}, {"input_throughput", in_tokens / wall},
              {"output_throughput", out_tokens / wall},
              {"ttft_ms", {{"mean", mean(ttft)}, {"p50", percentile(ttft, 50)}, {"p99", percentile(ttft, 99)}}},
              {"itl_ms", {{"mean", mean(itl)}, {"p50", percentile(itl, 50)}, {"p99", percentile(itl, 99)}}},
              {"e2e_latency_ms", {{"mean", mean(e2e)}, {"p50", percentile(e2e, 50)}, {"p99", percentile(e2e, 99)}}}};
    char line[160];
    out << "============ Serving Benchmark Result ============\n";
    auto row = [&](const char *k, double v, const char *fmt) {
        std::snprintf(line, sizeof line, fmt, k, v);
        out << line;
    };
    row("Successful requests:", ok, "%-40s %10.0f\n");
    row("Failed requests:", o.num_requests - ok, "%-40s %10.0f\n");
    row("Benchmark duration (s):", wall, "%-40s %10.2f\n");
    row("Total input tokens:", static_cast<double>(in_tokens), "%-40s %10.0f\n");
    row("Total generated tokens:", static_cast<double>(out_tokens), "%-40s %10.0f\n");
    row("Request throughput (req/s):", ok / wall, "%-40s %10.2f\n");
    row("Output token throughput (tok/s):", out_tokens / wall, "%-40s %10.2f\n");
    row("Mean TTFT (ms):", mean(ttft), "%-40s %10.2f\n");
    row("Median TTFT (ms):", percentile(ttft, 50), "%-40s %10.2f\n");
    row("P99 TTFT (ms):", percentile(ttft, 99), "%-40s %10.2f\n");
    row("Mean ITL (ms):", mean(itl), "%-40s %10.2f\n");
    row("Median ITL (ms):", percentile(itl, 50), "%-40s %10.2f\n");
    row("P99 ITL (ms):", percentile(itl, 99), "%-40s %10.2f\n");
    if (!first_error.empty()) out << "first error: " << first_error << "\n";
    if (!o.json_path.empty()) {
        std::ofstream f(o.json_path);
        f << j.dump(2) << "\n";
        if (!f) {
            err << "bench-serving: cannot write " << o.json_path << "\n";
            return 1;
        }
    }
    return ok == o.num_requests ? 0 : 1;
}

} // namespace slipway::engine
