#include "dist/rendezvous.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

namespace slipway::engine::dist {
namespace {

void say(const RendezvousOptions &o, const std::string &line) {
    if (o.log) o.log(line);
}

std::string refuse_payload(const std::string &message) {
    ByteWriter w;
    w.str(message);
    return w.take();
}

std::string read_message(const std::string &payload) {
    ByteReader r(payload);
    std::string m = r.str("the message");
    return r.ok() ? m : "(unreadable message: " + r.error() + ")";
}

std::string rank_list(const std::vector<int> &ranks) {
    std::string s;
    for (size_t i = 0; i < ranks.size(); ++i) s += (i ? ", " : "") + std::to_string(ranks[i]);
    return s;
}

} // namespace

std::string seconds_text(std::chrono::milliseconds d) {
    char buf[32];
    if (d.count() % 1000 == 0) std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
    else std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
    return buf;
}

StatusOr<std::unique_ptr<RendezvousLeader>> RendezvousLeader::listen(RendezvousOptions options) {
    auto socket = listen_tcp(options.port);
    if (!socket.ok()) return socket.status();
    std::unique_ptr<RendezvousLeader> leader(new RendezvousLeader());
    leader->options_ = std::move(options);
    leader->listener_ = std::move(socket).value();
    return leader;
}

uint16_t RendezvousLeader::port() const { return local_port(listener_); }

StatusOr<std::vector<PeerLink>> RendezvousLeader::gather(const Hello &own, const ParallelLayout &layout,
                                                         const std::string &blob) {
    const int workers = layout.nnodes - 1;
    const auto start = Clock::now();
    const auto deadline = start + options_.timeout;
    auto next_log = start + options_.log_interval;
    std::map<int, PeerLink> joined;

    // Refuses every waiting worker (and `extra`, the one at fault) with `message`, then fails.
    auto refuse_all = [&](const std::string &message, const Socket *extra) -> Status {
        const std::string frame = refuse_payload(message);
        const auto bound = Clock::now() + std::chrono::seconds(2);
        if (extra != nullptr) (void)write_frame(*extra, FrameType::Refuse, frame, bound);
        for (auto &[rank, link] : joined) (void)write_frame(link.socket, FrameType::Refuse, frame, bound);
        return Status::error(message);
    };

    say(options_, "rendezvous: node 0 listening on port " + std::to_string(port()) + " for " + std::to_string(workers) +
                      " worker node(s), up to --dist-timeout " + seconds_text(options_.timeout));
    for (;;) {
        if (static_cast<int>(joined.size()) == workers) {
            // A worker may have died while the others were still coming: wait for it again.
            for (auto it = joined.begin(); it != joined.end();) {
                if (it->second.socket.peer_gone()) {
                    say(options_, "rendezvous: node " + std::to_string(it->first) + " (" + it->second.address +
                                      ") disconnected before the group formed; waiting for it again");
                    it = joined.erase(it);
                } else {
                    ++it;
                }
            }
            if (static_cast<int>(joined.size()) == workers) break;
        }
        const auto now = Clock::now();
        if (now >= deadline) {
            std::vector<int> missing;
            for (int r = 1; r <= workers; ++r)
                if (!joined.count(r)) missing.push_back(r);
            return refuse_all("rendezvous timed out: node 0 waited --dist-timeout " + seconds_text(options_.timeout) +
                                  " on port " + std::to_string(port()) + " but node(s) " + rank_list(missing) + " of --nnodes " +
                                  std::to_string(layout.nnodes) +
                                  " never joined; check that every worker runs with --dist-init-addr pointing at this "
                                  "node and its own --node-rank",
                              nullptr);
        }
        auto accepted = accept_until(listener_, std::min(deadline, next_log));
        if (!accepted.ok()) return refuse_all("rendezvous on port " + std::to_string(port()) + ": " + accepted.message(), nullptr);
        if (!accepted.value().has_value()) {
            if (Clock::now() >= next_log) {
                std::vector<int> missing;
                for (int r = 1; r <= workers; ++r)
                    if (!joined.count(r)) missing.push_back(r);
                const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
                say(options_, "rendezvous: waiting for node(s) " + rank_list(missing) + " (" +
                                  std::to_string(joined.size()) + " of " + std::to_string(workers) + " joined, " +
                                  std::to_string(left.count()) + " s left of --dist-timeout)");
                next_log = Clock::now() + options_.log_interval;
            }
            continue;
        }
        Socket socket = std::move(*accepted.value());
        const std::string address = socket.peer_address();
        ReadResult rr = read_frame(socket, std::min(deadline, Clock::now() + options_.hello_timeout));
        if (rr.kind != ReadResult::Kind::Frame || rr.frame.type != FrameType::Hello) {
            const std::string why = rr.kind == ReadResult::Kind::Frame
                                        ? std::string("it sent ") + frame_type_name(rr.frame.type) + " instead of Hello"
                                    : rr.kind == ReadResult::Kind::Closed  ? "it closed the connection"
                                    : rr.kind == ReadResult::Kind::Timeout ? "it sent nothing in time"
                                                                           : rr.error;
            say(options_, "rendezvous: ignoring a connection from " + address + ": " + why);
            continue;
        }
        auto hello = decode_hello(rr.frame.payload);
        if (!hello.ok()) {
            say(options_, "rendezvous: ignoring a connection from " + address + ": " + hello.message());
            continue;
        }
        Hello &h = hello.value();
        std::string mismatch = describe_hello_mismatch(h, own);
        if (mismatch.empty() && (h.node_rank < 1 || h.node_rank > workers)) {
            mismatch = "node rank " + std::to_string(h.node_rank) + " (from " + address + ") is out of range: with --nnodes " +
                       std::to_string(layout.nnodes) + " the worker nodes are --node-rank 1.." + std::to_string(workers) +
                       " (0 is the leader)";
        }
        if (mismatch.empty()) {
            if (auto it = joined.find(h.node_rank); it != joined.end()) {
                if (it->second.socket.peer_gone()) {
                    say(options_, "rendezvous: node " + std::to_string(h.node_rank) + " reconnected from " + address +
                                      " (its connection from " + it->second.address + " had closed)");
                    joined.erase(it);
                } else {
                    mismatch = "two nodes claim --node-rank " + std::to_string(h.node_rank) + ": " + it->second.address +
                               " and " + address + "; each node needs its own --node-rank (LeaderWorkerSet: "
                               "$(LWS_WORKER_INDEX))";
                }
            }
        }
        if (!mismatch.empty()) {
            say(options_, "rendezvous: refusing node " + std::to_string(h.node_rank) + " (" + address + "): " + mismatch);
            return refuse_all(mismatch, &socket);
        }
        say(options_, "rendezvous: node " + std::to_string(h.node_rank) + " joined from " + address + " (" +
                          std::to_string(joined.size() + 1) + " of " + std::to_string(workers) + ")");
        joined[h.node_rank] = PeerLink{h.node_rank, address, std::move(socket)};
    }

    ByteWriter w;
    w.str(blob);
    const std::string welcome = w.take();
    std::vector<PeerLink> links;
    for (auto &[rank, link] : joined) {
        if (Status s = write_frame(link.socket, FrameType::Welcome, welcome, Clock::now() + std::chrono::seconds(10));
            !s.ok()) {
            return refuse_all("rendezvous: node " + std::to_string(rank) + " (" + link.address +
                                  ") left as the group formed: " + s.message(),
                              nullptr);
        }
    }
    for (auto &[rank, link] : joined) links.push_back(std::move(link));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    say(options_, "rendezvous: group complete, " + std::to_string(layout.nnodes) + " nodes in " + seconds_text(took));
    return links;
}

StatusOr<WorkerJoin> rendezvous_worker(const RendezvousOptions &options, const Hello &own) {
    const std::string where = options.host + ":" + std::to_string(options.port);
    const auto start = Clock::now();
    const auto deadline = start + options.timeout;
    auto next_log = start;  // the first failure is logged at once
    std::string last_error = "no attempt made";
    std::string hello_payload = encode_hello(own);

    auto pause = [&] {
        const auto until = std::min(deadline, Clock::now() + options.retry_interval);
        std::this_thread::sleep_until(until);
    };
    auto note = [&](const std::string &error) {
        last_error = error;
        if (Clock::now() >= next_log) {
            const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
            say(options, "rendezvous: node " + std::to_string(own.node_rank) + " waiting for the leader at " + where +
                             ": " + error + "; retrying (" + std::to_string(left.count()) + " s left of --dist-timeout)");
            next_log = Clock::now() + options.log_interval;
        }
    };

    while (Clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        auto conn = connect_tcp(options.host, options.port, std::min(left, std::chrono::milliseconds(3000)));
        if (!conn.ok()) {
            note(conn.message());
            pause();
            continue;
        }
        Socket socket = std::move(conn).value();
        if (Status s = write_frame(socket, FrameType::Hello, hello_payload, deadline); !s.ok()) {
            note("sending Hello: " + s.message());
            pause();
            continue;
        }
        say(options, "rendezvous: node " + std::to_string(own.node_rank) + " connected to the leader at " + where +
                         "; waiting for the group to form");
        ReadResult rr = read_frame(socket, deadline);
        if (rr.kind == ReadResult::Kind::Frame && rr.frame.type == FrameType::Welcome) {
            WorkerJoin join;
            join.blob = read_message(rr.frame.payload);
            join.socket = std::move(socket);
            join.leader_address = where;
            const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
            say(options, "rendezvous: node " + std::to_string(own.node_rank) + " joined the group at " + where + " in " +
                             seconds_text(took));
            return join;
        }
        if (rr.kind == ReadResult::Kind::Frame && rr.frame.type == FrameType::Refuse) {
            return Status::error("the leader at " + where + " refused node " + std::to_string(own.node_rank) + ": " +
                                 read_message(rr.frame.payload));
        }
        if (rr.kind == ReadResult::Kind::Timeout) {
            last_error = "connected, but the leader was still waiting for other nodes";
            break;
        }
        if (rr.kind == ReadResult::Kind::Frame) {
            return Status::error("the leader at " + where + " answered " + frame_type_name(rr.frame.type) +
                                 " to Hello: it is not a slipway-engine leader of this version");
        }
        if (rr.kind == ReadResult::Kind::Error) return Status::error("rendezvous with the leader at " + where + ": " + rr.error);
        note("the leader closed the connection before the group formed");
        pause();
    }
    return Status::error("rendezvous timed out: node " + std::to_string(own.node_rank) + " could not join the leader at " +
                         where + " within --dist-timeout " + seconds_text(options.timeout) + " (last: " + last_error +
                         "); check that node 0 is running and that --dist-init-addr names it "
                         "(LeaderWorkerSet: $(LWS_LEADER_ADDRESS):20000)");
}

} // namespace slipway::engine::dist
