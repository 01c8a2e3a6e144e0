// LeaderChannel: node 0's side of the control channel (control_channel.h).
#include <algorithm>
#include <cstdio>
#include <deque>

#include "dist/channel_core.h"
#include "dist/control_channel.h"
#include "dist/step_plan_codec.h"

namespace slipway::engine::dist {

struct LeaderChannel::State {
    std::mutex send_mutex;  // plan order and the encoder
    StepPlanEncoder encoder;
    uint64_t last_step = 0;  // under send_mutex
    std::atomic<bool> shutdown_sent{false};
    std::atomic<uint64_t> shutdown_step{0};
    std::atomic<uint64_t> last_sent{0};

    std::mutex ack_mutex;
    std::condition_variable ack_cv;
    std::vector<uint64_t> acked;  // per worker node (index node_rank - 1)
    std::deque<std::pair<uint64_t, Clock::time_point>> inflight;  // broadcast, not yet acked by all

    uint64_t min_acked() const { return acked.empty() ? UINT64_MAX : *std::min_element(acked.begin(), acked.end()); }
    uint64_t &acked_by(const PeerConnection &peer) { return acked[static_cast<size_t>(peer.node_rank - 1)]; }
};

std::unique_ptr<LeaderChannel> LeaderChannel::start(const ParallelLayout &layout, std::vector<PeerLink> workers,
                                                    ChannelOptions options) {
    std::unique_ptr<LeaderChannel> channel(new LeaderChannel());
    channel->state_ = std::make_unique<State>();
    State *st = channel->state_.get();
    LeaderChannel *self = channel.get();  // stable: the hooks live inside it
    st->acked.assign(workers.size(), 0);

    std::vector<std::unique_ptr<PeerConnection>> peers;
    for (PeerLink &link : workers) {
        peers.push_back(std::make_unique<PeerConnection>(link.node_rank, node_label(layout, link.node_rank), link.address,
                                                         std::move(link.socket)));
    }
    ChannelCore::Hooks hooks;
    hooks.on_frame = [st, self](PeerConnection &peer, Frame &frame) {
        if (frame.type != FrameType::Ack) {
            self->core_->fail(peer.label + " sent a " + frame_type_name(frame.type) + " frame; only the leader sends plans");
            return;
        }
        auto ack = decode_ack(frame.payload);
        if (!ack.ok()) {
            self->core_->fail(peer.label + " sent a bad frame: " + ack.message());
            return;
        }
        if (!ack->ok) {
            self->core_->fail(peer.label + " failed step " + std::to_string(ack->step) + ": " + ack->message);
            return;
        }
        {
            std::lock_guard lock(st->ack_mutex);
            uint64_t &mine = st->acked_by(peer);
            mine = std::max(mine, ack->step);
            const uint64_t all = st->min_acked();
            while (!st->inflight.empty() && st->inflight.front().first <= all) st->inflight.pop_front();
        }
        st->ack_cv.notify_all();
    };
    hooks.closure_expected = [st](PeerConnection &peer) {
        if (!st->shutdown_sent.load()) return false;
        std::lock_guard lock(st->ack_mutex);
        return st->acked_by(peer) >= st->shutdown_step.load();
    };
    const auto step_timeout = options.step_timeout;
    hooks.check_stall = [st, self, step_timeout](Clock::time_point now) -> std::string {
        std::lock_guard lock(st->ack_mutex);
        if (st->inflight.empty() || now - st->inflight.front().second <= step_timeout) return "";
        const uint64_t step = st->inflight.front().first;
        // A worker's clock starts when it had both the step and its model (ready).
        std::string late;
        Clock::duration longest{0};
        for (const auto &peer : self->core_->peers()) {
            if (st->acked_by(*peer) >= step || !peer->ready()) continue;
            const auto waited = now - std::max(st->inflight.front().second, peer->ready_at());
            if (waited <= step_timeout) continue;
            late += (late.empty() ? "" : " and ") + peer->label;
            longest = std::max(longest, waited);
        }
        if (late.empty()) return "";
        char took[32];
        std::snprintf(took, sizeof took, "%.1f s", std::chrono::duration<double>(longest).count());
        return late + " has not finished step " + std::to_string(step) + " after " + took + " (--dist-step-timeout " +
               seconds_text(step_timeout) + "): a collective is hung or the node is stuck";
    };
    hooks.heartbeat_step = [st] { return st->last_sent.load(); };
    hooks.on_failed = [st] {
        { std::lock_guard lock(st->ack_mutex); }
        st->ack_cv.notify_all();
    };
    channel->core_ = std::make_unique<ChannelCore>(layout, std::move(options), std::move(peers), std::move(hooks));
    channel->core_->start();
    return channel;
}

LeaderChannel::~LeaderChannel() {
    if (core_) core_->stop();
}

void LeaderChannel::mark_ready() { core_->mark_ready(); }

Status LeaderChannel::broadcast(const StepPlan &plan) {
    if (core_->failed()) return Status::error(core_->failure());
    core_->mark_ready();
    std::lock_guard send_lock(state_->send_mutex);
    auto payload = state_->encoder.encode(plan);
    if (!payload.ok()) return payload.status();
    const std::string frame = encode_frame(FrameType::Plan, payload.value());
    if (plan.kind == StepKind::Shutdown) {
        state_->shutdown_step.store(plan.step);
        state_->shutdown_sent.store(true);
    }
    {
        std::lock_guard lock(state_->ack_mutex);
        state_->inflight.emplace_back(plan.step, Clock::now());
    }
    state_->last_step = plan.step;
    const auto deadline = Clock::now() + core_->options().heartbeat_timeout;
    for (auto &peer : core_->peers()) {
        if (Status s = peer->send_encoded(frame, deadline); !s.ok()) {
            core_->fail(peer->label + " stopped answering: " + s.message());
            return Status::error(core_->failure().empty() ? s.message() : core_->failure());
        }
    }
    state_->last_sent.store(plan.step);
    return {};
}

Status LeaderChannel::wait_acks(uint64_t step, std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_->ack_mutex);
    const bool done = state_->ack_cv.wait_for(lock, timeout, [&] {
        return core_->failed() || state_->min_acked() >= step;
    });
    if (core_->failed()) return Status::error(core_->failure());
    if (!done) {
        std::string late;
        for (const auto &peer : core_->peers()) {
            if (state_->acked_by(*peer) < step) late += (late.empty() ? "" : ", ") + peer->label;
        }
        return Status::error(late + " did not acknowledge step " + std::to_string(step) + " within " + seconds_text(timeout));
    }
    return {};
}

Status LeaderChannel::shutdown(std::chrono::milliseconds grace) {
    Status result;
    if (core_->failed()) {
        result = Status::error(core_->failure());
    } else {
        if (!state_->shutdown_sent.load()) {
            StepPlan plan;
            {
                std::lock_guard lock(state_->send_mutex);
                plan.step = state_->last_step + 1;
            }
            plan.kind = StepKind::Shutdown;
            result = broadcast(plan);
        }
        if (result.ok()) {
            result = wait_acks(state_->shutdown_step.load(), grace);
            if (result.ok()) core_->log("tensor-parallel group: every worker node acknowledged the shutdown");
            else core_->log("tensor-parallel group: shutdown: " + result.message());
        }
    }
    core_->stop();
    return result;
}

std::vector<PeerHealth> LeaderChannel::peers() const {
    std::vector<PeerHealth> out;
    const auto now = Clock::now();
    std::lock_guard lock(state_->ack_mutex);
    for (const auto &peer : core_->peers()) {
        PeerHealth h;
        h.node_rank = peer->node_rank;
        h.address = peer->address;
        h.connected = peer->connected.load() && !core_->failed();
        h.seconds_since_heard = std::chrono::duration<double>(now - peer->last_heard()).count();
        h.last_acked_step = state_->acked_by(*peer);
        out.push_back(h);
    }
    return out;
}

void LeaderChannel::fail(const std::string &message) { core_->fail(message); }

std::string LeaderChannel::failure() const { return core_->failure(); }

} // namespace slipway::engine::dist
