#include "dist/channel_core.h"

#include <cstdio>
#include <cstdlib>

namespace slipway::engine::dist {
namespace {

std::string one_string(const std::string &s) {
    ByteWriter w;
    w.str(s);
    return w.take();
}

std::string read_one_string(const std::string &payload) {
    ByteReader r(payload);
    std::string s = r.str("the message");
    return r.ok() ? s : "(unreadable: " + r.error() + ")";
}

std::string seconds_since(Clock::time_point then, Clock::time_point now) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(now - then).count());
    return buf;
}

} // namespace

std::string node_label(const ParallelLayout &layout, int node) {
    const int first = node * layout.gpus_per_node;
    std::string ranks = layout.gpus_per_node == 1 ? "rank " + std::to_string(first)
                                                  : "ranks " + std::to_string(first) + "-" +
                                                        std::to_string(first + layout.gpus_per_node - 1);
    return "node " + std::to_string(node) + " (" + ranks + (node == 0 ? ", the leader" : "") + ")";
}

std::string encode_ack(uint64_t step, const Status &status) {
    ByteWriter w;
    w.u64(step);
    w.u8(status.ok() ? 1 : 0);
    w.str(status.message());
    return w.take();
}

StatusOr<Ack> decode_ack(std::string_view payload) {
    ByteReader r(payload);
    Ack a;
    a.step = r.u64("the acked step");
    const uint8_t ok = r.u8("the ack status");
    a.message = r.str("the ack message");
    if (r.ok() && ok > 1) r.fail("ack status byte " + std::to_string(ok));
    if (r.ok() && !r.at_end()) r.fail(std::to_string(r.remaining()) + " bytes left over");
    if (!r.ok()) return Status::error("Ack: " + r.error());
    a.ok = ok == 1;
    return a;
}

PeerConnection::PeerConnection(int node_rank_, std::string label_, std::string address_, Socket socket_)
    : node_rank(node_rank_), label(std::move(label_)), address(std::move(address_)), socket(std::move(socket_)) {
    touch();
}

Status PeerConnection::send(FrameType type, std::string_view payload, Clock::time_point deadline) {
    return send_encoded(encode_frame(type, payload), deadline);
}

Status PeerConnection::send_encoded(std::string_view frame, Clock::time_point deadline) {
    std::lock_guard lock(write_mutex_);
    return send_all(socket, frame, deadline);
}

void PeerConnection::try_send(FrameType type, std::string_view payload, std::chrono::milliseconds bound) {
    const std::string frame = encode_frame(type, payload);
    std::unique_lock lock(write_mutex_, std::defer_lock);
    if (!lock.try_lock_for(bound)) return;
    (void)send_all(socket, frame, Clock::now() + bound);
}

ChannelCore::ChannelCore(ParallelLayout layout, ChannelOptions options, std::vector<std::unique_ptr<PeerConnection>> peers,
                         Hooks hooks)
    : layout_(layout), options_(std::move(options)), peers_(std::move(peers)), hooks_(std::move(hooks)) {}

ChannelCore::~ChannelCore() { stop(); }

void ChannelCore::log(const std::string &line) const {
    if (options_.log) options_.log(line);
}

std::string ChannelCore::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

void ChannelCore::start() {
    for (auto &peer : peers_) threads_.emplace_back([this, p = peer.get()] { reader_loop(*p); });
    threads_.emplace_back([this] { heartbeat_loop(); });
    threads_.emplace_back([this] { watchdog_loop(); });
}

void ChannelCore::stop() {
    std::call_once(stop_once_, [this] {
        {
            std::lock_guard lock(mutex_);
            stopping_.store(true);
        }
        wake_.notify_all();
        for (auto &peer : peers_) peer->socket.shutdown_both();
        for (auto &t : threads_) {
            if (t.joinable()) t.join();
        }
        for (auto &peer : peers_) peer->socket.close();
    });
}

void ChannelCore::mark_ready() {
    if (ready_.load()) return;
    ready_ns_.store(Clock::now().time_since_epoch().count());
    {
        std::lock_guard lock(mutex_);
        ready_.store(true);
        heartbeat_now_.store(true);
    }
    wake_.notify_all();
}

void ChannelCore::fail(const std::string &message) {
    if (claim_failure(message)) act_on_failure();
}

bool ChannelCore::claim_failure(const std::string &message) {
    if (stopping_.load() || failed_.exchange(true)) return false;
    std::lock_guard lock(mutex_);
    failure_message_ = message;
    failure_ = message + "; exiting so LeaderWorkerSet restarts the group";
    return true;
}

void ChannelCore::act_on_failure() {
    std::string message, line;
    {
        std::lock_guard lock(mutex_);
        message = failure_message_;
        line = failure_;
    }
    log(line);
    const std::string abort = one_string(message);
    for (auto &peer : peers_) {
        if (peer->connected.load()) peer->try_send(FrameType::Abort, abort, std::chrono::milliseconds(300));
        peer->socket.shutdown_both();
    }
    wake_.notify_all();
    if (hooks_.on_failed) hooks_.on_failed();
    if (options_.on_failure) {
        options_.on_failure(line);
        return;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(1);
}

void ChannelCore::reader_loop(PeerConnection &peer) {
    for (;;) {
        ReadResult rr = read_frame(peer.socket, Clock::time_point::max());
        if (stopping_.load() || failed_.load()) break;
        if (rr.kind == ReadResult::Kind::Frame) {
            peer.touch();
            switch (rr.frame.type) {
            case FrameType::Heartbeat: {
                ByteReader r(rr.frame.payload);
                r.u64("the heartbeat step");
                if (r.u8("the heartbeat ready flag") == 1 && r.ok()) peer.mark_ready();
                break;
            }
            case FrameType::Abort:
                peer.connected.store(false);
                fail(peer.label + " reported a failure: " + read_one_string(rr.frame.payload));
                return;
            case FrameType::Plan:
            case FrameType::Ack: hooks_.on_frame(peer, rr.frame); break;
            default:
                fail(peer.label + " sent an unexpected " + frame_type_name(rr.frame.type) + " frame");
                return;
            }
            continue;
        }
        peer.connected.store(false);
        if (rr.kind == ReadResult::Kind::Closed) {
            if (!hooks_.closure_expected(peer)) fail(peer.label + " stopped answering: connection closed");
        } else {
            fail(peer.label + " stopped answering: " + rr.error);
        }
        return;
    }
    peer.connected.store(false);
}

void ChannelCore::heartbeat_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_.load() && !failed_.load()) {
        wake_.wait_for(lock, options_.heartbeat_interval,
                       [this] { return stopping_.load() || failed_.load() || heartbeat_now_.load(); });
        if (stopping_.load() || failed_.load()) break;
        heartbeat_now_.store(false);
        lock.unlock();
        ByteWriter w;
        w.u64(hooks_.heartbeat_step ? hooks_.heartbeat_step() : 0);
        w.u8(ready_.load() ? 1 : 0);
        const std::string payload = w.take();
        for (auto &peer : peers_) {
            if (!peer->connected.load()) continue;
            const auto deadline = Clock::now() + options_.heartbeat_timeout;
            if (Status s = peer->send(FrameType::Heartbeat, payload, deadline); !s.ok()) {
                if (!stopping_.load() && !hooks_.closure_expected(*peer))
                    fail(peer->label + " stopped answering: " + s.message());
                break;
            }
        }
        lock.lock();
    }
}

void ChannelCore::watchdog_loop() {
    const auto period = std::min(std::chrono::milliseconds(250), options_.heartbeat_timeout / 4);
    std::unique_lock lock(mutex_);
    while (!stopping_.load() && !failed_.load()) {
        wake_.wait_for(lock, period, [this] { return stopping_.load() || failed_.load(); });
        if (stopping_.load() || failed_.load()) break;
        lock.unlock();
        const auto now = Clock::now();
        std::string message;
        for (auto &peer : peers_) {
            if (!peer->connected.load() || hooks_.closure_expected(*peer)) continue;
            const auto heard = peer->last_heard();
            if (now - heard > options_.heartbeat_timeout) {
                message = peer->label + " stopped answering: nothing heard for " + seconds_since(heard, now) +
                          " (--dist-heartbeat-timeout " + seconds_text(options_.heartbeat_timeout) + ")";
                break;
            }
        }
        if (message.empty() && ready_.load()) {
            // SGLang's --dist-timeout bounds how long ranks wait for each other at start-up;
            // here: how long a ready node waits for the others to finish loading.
            const auto self_ready = Clock::time_point(Clock::duration(ready_ns_.load()));
            for (auto &peer : peers_) {
                if (peer->ready() || !peer->connected.load() || now - self_ready <= options_.ready_timeout) continue;
                message = peer->label + " has not finished loading the model and joining the group " +
                          seconds_since(self_ready, now) + " after this node did (--dist-timeout " +
                          seconds_text(options_.ready_timeout) + ")";
                break;
            }
        }
        if (message.empty() && hooks_.check_stall) message = hooks_.check_stall(now);
        if (!message.empty()) {
            fail(message);
            return;
        }
        lock.lock();
    }
}

} // namespace slipway::engine::dist
