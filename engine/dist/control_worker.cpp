// WorkerChannel: a worker node's side of the control channel (control_channel.h).
#include <cstdio>
#include <deque>

#include "dist/channel_core.h"
#include "dist/control_channel.h"
#include "dist/step_plan_codec.h"

namespace slipway::engine::dist {
namespace {

Clock::rep now_ticks() { return Clock::now().time_since_epoch().count(); }
Clock::time_point from_ticks(Clock::rep t) { return Clock::time_point(Clock::duration(t)); }

} // namespace

struct WorkerChannel::State {
    ParallelLayout layout;
    std::string self_label;    // "node 1 (ranks 2-3)"
    StepPlanDecoder decoder;   // reader thread only

    std::mutex mutex;
    std::condition_variable cv;
    std::deque<StepPlan> queue;  // received, not yet run

    std::atomic<bool> shutdown_received{false};
    std::atomic<bool> serving{false};
    std::atomic<uint64_t> last_step{0};
    std::atomic<Clock::rep> last_step_ticks{0};
    std::atomic<uint64_t> executing_step{0};
    std::atomic<Clock::rep> executing_since{0};
};

std::unique_ptr<WorkerChannel> WorkerChannel::start(const ParallelLayout &layout, WorkerJoin join, ChannelOptions options) {
    std::unique_ptr<WorkerChannel> channel(new WorkerChannel());
    channel->state_ = std::make_unique<State>();
    State *st = channel->state_.get();
    WorkerChannel *self = channel.get();
    st->layout = layout;
    st->self_label = node_label(layout, layout.node_rank);

    std::vector<std::unique_ptr<PeerConnection>> peers;
    peers.push_back(std::make_unique<PeerConnection>(0, node_label(layout, 0), join.leader_address, std::move(join.socket)));

    ChannelCore::Hooks hooks;
    hooks.on_frame = [st, self](PeerConnection &peer, Frame &frame) {
        if (frame.type != FrameType::Plan) {
            self->core_->fail(peer.label + " sent a " + frame_type_name(frame.type) + " frame where a plan was expected");
            return;
        }
        auto plan = st->decoder.decode(frame.payload);
        if (!plan.ok()) {
            self->core_->fail(peer.label + " sent a step plan " + st->self_label + " cannot read: " + plan.message());
            return;
        }
        if (plan->kind == StepKind::Shutdown) st->shutdown_received.store(true);
        {
            std::lock_guard lock(st->mutex);
            st->queue.push_back(std::move(plan).value());
        }
        st->cv.notify_all();
    };
    hooks.closure_expected = [st](PeerConnection &) { return st->shutdown_received.load(); };
    const auto step_timeout = options.step_timeout;
    hooks.check_stall = [st, step_timeout](Clock::time_point now) -> std::string {
        const uint64_t step = st->executing_step.load();
        if (step == 0) return "";
        const auto since = from_ticks(st->executing_since.load());
        if (now - since <= step_timeout) return "";
        char took[32];
        std::snprintf(took, sizeof took, "%.1f s", std::chrono::duration<double>(now - since).count());
        return "this node, " + st->self_label + ", has been running step " + std::to_string(step) + " for " + took +
               " (--dist-step-timeout " + seconds_text(step_timeout) + "): a collective is hung or a rank is stuck";
    };
    hooks.heartbeat_step = [st] { return st->last_step.load(); };
    hooks.on_failed = [st] {
        { std::lock_guard lock(st->mutex); }
        st->cv.notify_all();
    };
    channel->core_ = std::make_unique<ChannelCore>(layout, std::move(options), std::move(peers), std::move(hooks));
    channel->core_->start();
    return channel;
}

WorkerChannel::~WorkerChannel() {
    if (core_) core_->stop();
}

Status WorkerChannel::run(const std::function<Status(const StepPlan &)> &executor) {
    State &st = *state_;
    PeerConnection &leader = *core_->peers().front();
    st.serving.store(true);
    core_->mark_ready();
    for (;;) {
        StepPlan plan;
        {
            std::unique_lock lock(st.mutex);
            st.cv.wait(lock, [&] { return core_->failed() || !st.queue.empty(); });
            if (core_->failed()) {
                st.serving.store(false);
                return Status::error(core_->failure());
            }
            plan = std::move(st.queue.front());
            st.queue.pop_front();
        }
        st.executing_since.store(now_ticks());
        st.executing_step.store(plan.step);
        const Status status = executor(plan);
        st.executing_step.store(0);
        st.last_step.store(plan.step);
        st.last_step_ticks.store(now_ticks());
        // A failed step is this node's failure, claimed before its ack goes out: the leader
        // answers the ack with an Abort, which must not become the reason given here.
        const bool claimed = !status.ok() && core_->claim_failure(st.self_label + " failed step " +
                                                                  std::to_string(plan.step) + " (" +
                                                                  step_kind_name(plan.kind) + "): " + status.message());
        if (Status s = leader.send(FrameType::Ack, encode_ack(plan.step, status),
                                   Clock::now() + core_->options().heartbeat_timeout);
            !s.ok() && !(plan.kind == StepKind::Shutdown && status.ok())) {
            if (claimed) core_->act_on_failure();
            else core_->fail(leader.label + " stopped answering: " + s.message());
            st.serving.store(false);
            return Status::error(core_->failure());
        }
        if (!status.ok()) {
            if (claimed) core_->act_on_failure();
            st.serving.store(false);
            return Status::error(core_->failure());
        }
        if (plan.kind == StepKind::Shutdown) {
            st.serving.store(false);
            core_->log("tensor-parallel group: the leader shut the group down (step " + std::to_string(plan.step) + ")");
            return {};
        }
    }
}

void WorkerChannel::fail(const std::string &message) { core_->fail(message); }

WorkerHealth WorkerChannel::health() const {
    const State &st = *state_;
    WorkerHealth h;
    h.node_rank = st.layout.node_rank;
    const int first = st.layout.first_rank();
    h.ranks = st.layout.gpus_per_node == 1 ? std::to_string(first)
                                           : std::to_string(first) + "-" + std::to_string(first + st.layout.gpus_per_node - 1);
    h.failure = core_->failure();
    h.leader_connected = !core_->failed() && core_->peers().front()->connected.load() && !st.shutdown_received.load();
    h.serving = st.serving.load() && h.leader_connected;
    h.last_step = st.last_step.load();
    if (h.last_step > 0) {
        h.seconds_since_last_step = std::chrono::duration<double>(Clock::now() - from_ticks(st.last_step_ticks.load())).count();
    }
    h.executing_step = st.executing_step.load();
    return h;
}

} // namespace slipway::engine::dist
