// summarize_nccl_transports (nccl_log.h).
#include "dist/nccl_log.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

namespace slipway::engine::dist {

namespace {

std::string trim(std::string s) {
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

void add_once(std::vector<std::string> &list, const std::string &item) {
    if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

} // namespace

std::string summarize_nccl_transports(const std::string &log) {
    std::vector<std::string> transports, networks;
    std::istringstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        const size_t info = line.find("NCCL INFO ");
        if (info == std::string::npos) continue;
        const std::string msg = line.substr(info + 10);
        if (msg.rfind("Channel ", 0) == 0) {
            const size_t via = msg.find(" via ");
            if (via != std::string::npos) add_once(transports, trim(msg.substr(via + 5)));
            continue;
        }
        // "NET/Socket : Using [0]eth0:10.0.0.5<0>" (IB without a device logs "Using [RO]; OOB ...").
        const size_t using_at = msg.find(" : Using [");
        if (msg.rfind("NET/", 0) == 0 && using_at != std::string::npos && msg.find("[RO]") == std::string::npos)
            add_once(networks, trim(msg.substr(0, using_at)) + " using " + trim(msg.substr(using_at + 9)));
    }
    std::string out;
    bool over_network = false;
    for (const std::string &t : transports) {
        out += (out.empty() ? "" : ", ") + t;
        over_network = over_network || t.rfind("NET/", 0) == 0 || t.find("CollNet") != std::string::npos;
    }
    if (over_network && !networks.empty()) {
        std::string nets;
        for (const std::string &n : networks) nets += (nets.empty() ? "" : "; ") + n;
        out += " (" + nets + ")";
    }
    return out;
}

} // namespace slipway::engine::dist
