#include "net/http_client.h"

#include "net/curl_tls.h"

#include "net/cancel_token.h"
#include "net/curl_failure.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>

namespace slipway::net {

namespace {

using Clock = std::chrono::steady_clock;

// curl_global_init is not thread-safe on older libcurl; do it exactly once, first.
void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
    void operator()(CURL *h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter {
    void operator()(CURLM *h) const { curl_multi_cleanup(h); }
};
struct ListDeleter {
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Everything the curl callbacks share for one exchange.
struct Exchange {
    const Request *request = nullptr;
    const Transfer *transfer = nullptr;
    Response response;
    bool headersDelivered = false;
    bool stoppedByReceiver = false;
    bool cancelled = false;
    Clock::time_point lastActivity = Clock::now();
    curl_off_t lastDown = 0;
    curl_off_t lastUp = 0;

    void deliverHeaders()
    {
        if (headersDelivered)
            return;
        headersDelivered = true;
        if (transfer->onHeaders)
            transfer->onHeaders(response);
    }
};

size_t onHeaderLine(char *data, size_t size, size_t count, void *user)
{
    auto *ex = static_cast<Exchange *>(user);
    const size_t bytes = size * count;
    ex->lastActivity = Clock::now();
    const std::string_view line = trim(std::string_view(data, bytes));
    if (line.starts_with("HTTP/")) {
        // A new status line: an interim (100) or redirect response came before; start over.
        ex->response.headers.clear();
        ex->response.reason.clear();
        const auto firstSpace = line.find(' ');
        if (firstSpace != std::string_view::npos) {
            std::string_view rest = line.substr(firstSpace + 1);
            const auto secondSpace = rest.find(' ');
            ex->response.status = std::strtol(std::string(rest.substr(0, secondSpace)).c_str(), nullptr, 10);
            if (secondSpace != std::string_view::npos)
                ex->response.reason = std::string(trim(rest.substr(secondSpace + 1)));
        }
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        ex->response.headers.push_back(
            Header{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    }
    return bytes;
}

size_t onBodyData(char *data, size_t size, size_t count, void *user)
{
    auto *ex = static_cast<Exchange *>(user);
    const size_t bytes = size * count;
    ex->lastActivity = Clock::now();
    ex->deliverHeaders();
    if (ex->transfer->onChunk && ex->response.isSuccess()) {
        if (!ex->transfer->onChunk(std::string_view(data, bytes))) {
            ex->stoppedByReceiver = true;
            return bytes == 0 ? 1 : 0; // anything but `bytes` makes libcurl stop with CURLE_WRITE_ERROR
        }
    } else {
        ex->response.body.append(data, bytes);
    }
    return bytes;
}

size_t onUploadData(char *buffer, size_t size, size_t count, void *user)
{
    auto *ex = static_cast<Exchange *>(user);
    ex->lastActivity = Clock::now();
    return ex->transfer->bodySource(buffer, size * count);
}

int onTransferInfo(void *user, curl_off_t dlTotal, curl_off_t dlNow, curl_off_t ulTotal, curl_off_t ulNow)
{
    auto *ex = static_cast<Exchange *>(user);
    if (dlNow != ex->lastDown || ulNow != ex->lastUp) {
        ex->lastDown = dlNow;
        ex->lastUp = ulNow;
        ex->lastActivity = Clock::now();
        if (ex->transfer->onProgress)
            ex->transfer->onProgress(Progress{dlNow, dlTotal, ulNow, ulTotal});
    }
    if (ex->transfer->cancel && ex->transfer->cancel->isCancelled()) {
        ex->cancelled = true;
        return 1; // aborts the transfer with CURLE_ABORTED_BY_CALLBACK
    }
    return 0;
}

// Applies the method and the request body (in memory or streamed).
void setMethodAndBody(CURL *h, const Request &request, const Transfer &transfer)
{
    const std::string &method = request.method;
    if (transfer.bodySource) {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, &onUploadData);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(transfer.uploadSize));
        if (method != "PUT")
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
        return;
    }
    if (method == "GET" && request.body.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        if (method != "POST")
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

} // namespace

std::optional<std::string> Response::header(std::string_view name) const
{
    for (const Header &h : headers) {
        if (iequals(h.name, name))
            return h.value;
    }
    return std::nullopt;
}

std::string curlVersion()
{
    return curl_version();
}

Result<Response> perform(const Request &request, const Transfer &transfer)
{
    globalInit();
    if (request.url.empty())
        return fail("no URL given for the " + request.method + " request");
    if (transfer.cancel && transfer.cancel->isCancelled())
        return fail(cancelledMessage(request));

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!easy || !multi)
        return fail("cannot start an HTTP transfer: libcurl could not allocate a handle (out of memory?)");
    CURL *h = easy.get();

    Exchange ex;
    ex.request = &request;
    ex.transfer = &transfer;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    const CurlTls tls(h, request.url, request.tls); // sets the URL too (see tls.serverName)
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // worker threads: never use signals for DNS timeouts
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &onHeaderLine);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &onBodyData);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(h, CURLOPT_READDATA, &ex);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &onTransferInfo);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeouts.connect.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeouts.total.count()));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    if (request.proxy)
        curl_easy_setopt(h, CURLOPT_PROXY, request.proxy->c_str());
    setMethodAndBody(h, request, transfer);

    curl_slist *rawHeaders = nullptr;
    if (!tls.originalHost().empty()) // the name only replaced the host for TLS: the request stays as asked
        rawHeaders = curl_slist_append(rawHeaders, ("Host: " + tls.originalHost()).c_str());
    for (const Header &header : request.headers) {
        // "Name;" is libcurl's way to send a header with an empty value.
        const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
        rawHeaders = curl_slist_append(rawHeaders, line.c_str());
    }
    rawHeaders = curl_slist_append(rawHeaders, "Expect:"); // no 100-continue round trip
    std::unique_ptr<curl_slist, ListDeleter> headerList(rawHeaders);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headerList.get());

    curl_multi_add_handle(multi.get(), h);
    const auto stall = request.timeouts.stall;
    bool stalled = false;
    int running = 1;
    ex.lastActivity = Clock::now();
    // Drive the transfer in short polls so cancellation and stall detection act within ~50 ms
    // even while no byte moves (libcurl's own loop may sleep up to a second).
    while (true) {
        const CURLMcode mc = curl_multi_perform(multi.get(), &running);
        if (mc != CURLM_OK) {
            curl_multi_remove_handle(multi.get(), h);
            return fail(request.method + " " + request.url + " failed inside libcurl: " + curl_multi_strerror(mc));
        }
        if (running == 0)
            break;
        if (transfer.cancel && transfer.cancel->isCancelled()) {
            ex.cancelled = true;
            break;
        }
        if (stall.count() > 0 && Clock::now() - ex.lastActivity > stall) {
            stalled = true;
            break;
        }
        curl_multi_poll(multi.get(), nullptr, 0, 50, nullptr);
    }

    CURLcode code = CURLE_OK;
    if (running == 0) {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi.get(), &left)) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == h)
                code = msg->data.result;
        }
    }
    curl_off_t connectTime = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connectTime);
    const bool connected = connectTime > 0;
    long osErrno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &osErrno);
    char *effective = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
        ex.response.effectiveUrl = effective;
    curl_multi_remove_handle(multi.get(), h);

    if (ex.cancelled)
        return fail(cancelledMessage(request));
    if (stalled)
        return fail(stalledMessage(request, stall));
    if (code != CURLE_OK) {
        FailureContext context{code, errorBuffer, ex.stoppedByReceiver, connected,
                               ex.headersDelivered || ex.response.status != 0, osErrno};
        return fail(transportFailureMessage(request, context));
    }
    ex.deliverHeaders();
    return std::move(ex.response);
}

} // namespace slipway::net
