#pragma once
// The two network needs of the Local target, over plain POSIX sockets: probing the engine's
// health endpoint on this machine, and picking a free port for it. (Clients of remote servers use
// core/net; a probe of a child on loopback needs no TLS, proxies or auth.)
//
// Thread-safety: pure blocking functions, each bounded by its timeout.
#include <atomic>
#include <chrono>
#include <string>

#include "common/result.h"

namespace slipway::local {

// GET http://host:port/path with "Connection: close" and returns the response's status code.
// Fails (connection refused, timeout, cancelled, not HTTP) with a message naming the URL. `host`
// is a numeric IPv4 or IPv6 address. `cancel` (optional) is checked every 50 ms while waiting.
Result<int> httpGetStatus(const std::string &host, int port, const std::string &path,
                          std::chrono::milliseconds timeout, const std::atomic<bool> *cancel = nullptr);

// A TCP port on `host` that was free a moment ago (the kernel's choice for port 0).
Result<int> pickFreePort(const std::string &host);

} // namespace slipway::local
