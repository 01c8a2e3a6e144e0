#pragma once
// Internal to control_channel: what the leader's and the worker's channel share. One reader
// thread per peer connection, one heartbeat thread, one watchdog thread, and the failure latch
// (the first failure wins: log, Abort to peers, close, on_failure).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dist/control_channel.h"
#include "dist/socket_io.h"

namespace slipway::engine::dist {

class PeerConnection final {
public:
    PeerConnection(int node_rank, std::string label, std::string address, Socket socket);

    // Serialized with other writers; errors say why the bytes did not go.
    Status send(FrameType type, std::string_view payload, Clock::time_point deadline);
    // The same with a frame already encoded (encode_frame), so a broadcast encodes once.
    Status send_encoded(std::string_view frame, Clock::time_point deadline);
    // Best effort within `bound`: skipped when another writer holds the connection that long.
    void try_send(FrameType type, std::string_view payload, std::chrono::milliseconds bound);
    void touch() { last_heard_ns_.store(Clock::now().time_since_epoch().count()); }
    // The peer said it is ready (heartbeat flag): its model is loaded and it runs steps.
    void mark_ready() {
        if (!ready_.exchange(true)) ready_ns_.store(Clock::now().time_since_epoch().count());
    }
    bool ready() const { return ready_.load(); }
    Clock::time_point ready_at() const { return Clock::time_point(Clock::duration(ready_ns_.load())); }
    Clock::time_point last_heard() const { return Clock::time_point(Clock::duration(last_heard_ns_.load())); }

    const int node_rank;
    const std::string label;    // node_label(): "node 1 (ranks 2-3)"
    const std::string address;  // "10.0.0.5:43210"
    Socket socket;
    std::atomic<bool> connected{true};

private:
    std::timed_mutex write_mutex_;
    std::atomic<Clock::rep> last_heard_ns_{0};
    std::atomic<bool> ready_{false};
    std::atomic<Clock::rep> ready_ns_{0};
};

class ChannelCore final {
public:
    struct Hooks {
        // A Plan or Ack frame from `peer` (reader thread). Heartbeats and Aborts are handled here.
        std::function<void(PeerConnection &, Frame &)> on_frame;
        // Whether a closed connection is the normal end (after Shutdown).
        std::function<bool(PeerConnection &)> closure_expected;
        // Watchdog: a non-empty message fails the group.
        std::function<std::string(Clock::time_point now)> check_stall;
        // The step number heartbeats carry (informational).
        std::function<uint64_t()> heartbeat_step;
        // After the failure line is out and the sockets are closed: wake local waiters.
        std::function<void()> on_failed;
    };

    ChannelCore(ParallelLayout layout, ChannelOptions options, std::vector<std::unique_ptr<PeerConnection>> peers,
                Hooks hooks);
    ~ChannelCore();  // stop()

    void start();
    // Ends the threads and closes the connections; later closures are not failures. Idempotent;
    // never call it from a channel thread.
    void stop();
    // The latch. `message` names the node at fault; the suffix about LeaderWorkerSet is added.
    void fail(const std::string &message);
    // The latch in two halves, for a node that sends one last frame before it closes (a worker's
    // ack of the step that failed): claim_failure() makes `message` the failure unless another
    // came first (then false) and turns later fail() calls, such as the leader's answering Abort,
    // into no-ops; act_on_failure() then logs, aborts, closes and reports as fail() does.
    bool claim_failure(const std::string &message);
    void act_on_failure();
    bool failed() const { return failed_.load(); }
    std::string failure() const;
    void log(const std::string &line) const;
    // This node is ready (model loaded, group joined): heartbeats say so from now on, and one
    // goes out at once. From then on every peer must be ready within options().ready_timeout.
    void mark_ready();
    bool ready() const { return ready_.load(); }

    const ParallelLayout &layout() const { return layout_; }
    const ChannelOptions &options() const { return options_; }
    std::vector<std::unique_ptr<PeerConnection>> &peers() { return peers_; }
    const std::vector<std::unique_ptr<PeerConnection>> &peers() const { return peers_; }

private:
    void reader_loop(PeerConnection &peer);
    void heartbeat_loop();
    void watchdog_loop();

    const ParallelLayout layout_;
    const ChannelOptions options_;
    std::vector<std::unique_ptr<PeerConnection>> peers_;
    const Hooks hooks_;

    std::atomic<bool> ready_{false};
    std::atomic<Clock::rep> ready_ns_{0};
    std::atomic<bool> heartbeat_now_{false};
    std::atomic<bool> failed_{false};
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;  // failure_, and the sleeping threads' wake-up
    std::condition_variable wake_;
    std::string failure_, failure_message_;  // the line, and the message it was made from
    std::vector<std::thread> threads_;
    std::once_flag stop_once_;
};

// Heartbeat payload: u64 last step | u8 ready.
// Ack payload: u64 step | u8 ok | str message.
std::string encode_ack(uint64_t step, const Status &status);
struct Ack {
    uint64_t step = 0;
    bool ok = true;
    std::string message;
};
StatusOr<Ack> decode_ack(std::string_view payload);

} // namespace slipway::engine::dist
