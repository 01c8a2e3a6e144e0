// Tensor-parallel runner (leader node) and worker (other nodes) over one CudaModelRunner per
// local GPU (see tp_runner.h).
#include "cuda/tp_runner.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/cuda_model_runner.h"
#include "cuda/nccl_group.h"
#include "cuda/peer_group.h"
#include "model/batch_check.h"

namespace slipway::engine {

namespace {

using Clock = std::chrono::steady_clock;

// How long a peer all-reduce kernel waits for the other ranks before the group gives up. A rank
// of this process that fails aborts the group at once; this bounds what nothing else catches
// (a GPU that stops making progress).
constexpr int64_t kPeerTimeoutMs = 30000;

// Runs one job on every local rank at once: rank 0 on the calling thread, each other rank on
// its own long-lived thread. Waiting spins briefly before sleeping: decode steps arrive every
// few milliseconds and a sleeping thread's wake-up would add to each.
class RankThreads final {
public:
    explicit RankThreads(int ranks) : results_(static_cast<size_t>(ranks)) {
        for (int k = 1; k < ranks; ++k) threads_.emplace_back([this, k] { loop(k); });
    }
    ~RankThreads() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        start_cv_.notify_all();
        for (std::thread &t : threads_) t.join();
    }
    RankThreads(const RankThreads &) = delete;
    RankThreads &operator=(const RankThreads &) = delete;

    // job(k) for every local rank k, concurrently; each rank's status.
    std::vector<Status> run(const std::function<Status(int)> &job) {
        job_ = &job;
        pending_.store(static_cast<int>(threads_.size()), std::memory_order_release);
        {
            std::lock_guard lock(mu_);
            generation_.fetch_add(1, std::memory_order_acq_rel);
        }
        start_cv_.notify_all();
        results_[0] = job(0);
        spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; });
        {
            std::unique_lock lock(mu_);
            done_cv_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
        }
        job_ = nullptr;
        return results_;
    }

private:
    template <typename Pred>
    static void spin_until(Pred pred) {
        const auto until = Clock::now() + std::chrono::microseconds(200);
        while (!pred() && Clock::now() < until) std::this_thread::yield();
    }

    void loop(int k) {
        uint64_t seen = 0;
        for (;;) {
            auto ready = [&] { return stop_ || generation_.load(std::memory_order_acquire) != seen; };
            spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
            {
                std::unique_lock lock(mu_);
                start_cv_.wait(lock, ready);
                if (stop_) return;
                seen = generation_.load(std::memory_order_acquire);
            }
            results_[static_cast<size_t>(k)] = (*job_)(k);
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                std::lock_guard lock(mu_);  // the caller checks `pending_` under this lock
                done_cv_.notify_all();
            }
        }
    }

    std::mutex mu_;
    std::condition_variable start_cv_, done_cv_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    bool stop_ = false;
    const std::function<Status(int)> *job_ = nullptr;
    std::vector<Status> results_;
    std::vector<std::thread> threads_;
};

// This node's part of the group: communicators, one runner per local GPU, the threads.
class TpNode final {
public:
    static StatusOr<std::unique_ptr<TpNode>> create(std::shared_ptr<const LoadedModel> model,
                                                    const ModelConfig &config, const CudaTpOptions &options,
                                                    uint64_t seed);
    ~TpNode() {
        // Runners (and the NCCL work captured in their graphs) go first, each on its own GPU;
        // then the communicators; the threads last.
        if (threads_)
            (void)threads_->run([this](int k) -> Status {
                if (cudaSetDevice(device_base_ + k) == cudaSuccess) runners_[static_cast<size_t>(k)].reset();
                return {};
            });
        runners_.clear();
        peer_.reset();
        nccl_.reset();
    }

    const dist::ParallelLayout &layout() const { return layout_; }
    int device_base() const { return device_base_; }
    CudaRunner &rank0() { return *runners_[0]; }
    const CudaRunner &rank0() const { return *runners_[0]; }
    const Status &failure() const { return failed_; }
    // Any thread: every failure aborts the communicators (and the peer group), so their state
    // tells it.
    Status health() const {
        if (peer_) SLIPWAY_STATUS_TRY(peer_->health());
        return nccl_ ? nccl_->health() : Status();
    }
    // For the start-up log: NCCL's version and the transports it chose (when its log could be read),
    // and which all-reduce the node's steps use.
    std::string nccl_summary() const {
        std::string out = "NCCL " + cuda::nccl_version_string();
        if (nccl_ && !nccl_->transports().empty()) out += " over " + nccl_->transports();
        return out;
    }
    std::string all_reduce_summary() const {
        if (layout_.world_size == 1) return "no all-reduce";
        if (peer_)
            return std::string("all-reduce through peer memory (") + (peer_->view(0).push ? "push" : "pull") +
                   ") up to " + std::to_string(peer_->view(0).max_rows) + " tokens a step, NCCL above";
        if (layout_.nnodes > 1) return "all-reduce over NCCL (several nodes)";
        if (!peer_note_.empty()) return "all-reduce over NCCL (" + peer_note_ + ")";
        return "all-reduce over NCCL (SLIPWAY_PEER_ALL_REDUCE=0)";
    }

    // job(k, runner of local rank k) on every local rank; the first failure aborts the node's
    // communicators and sticks: later calls return it without running anything.
    Status run(const std::function<Status(int, CudaRunner &)> &job) {
        if (!failed_.ok()) return failed_;
        std::mutex first_mu;
        Status first;
        (void)threads_->run([&](int k) -> Status {
            Status s = job(k, *runners_[static_cast<size_t>(k)]);
            if (!s.ok()) fail(k, s, first_mu, first);
            return s;
        });
        // A peer kernel that stopped waiting (timeout or abort) computed garbage: the step fails.
        if (first.ok() && peer_) {
            if (Status p = peer_->health(); !p.ok()) {
                first = Status::error("tensor parallel: " + p.message());
                if (nccl_) nccl_->abort(first.message());
            }
        }
        failed_ = first;  // OK unless a rank failed
        return failed_;
    }

    // Marks the node failed for a reason outside the ranks (e.g. a plan that could not be shipped).
    Status fail_all(const Status &why) {
        failed_ = why;
        if (nccl_) nccl_->abort(why.message());
        if (peer_) peer_->abort(why.message());
        return failed_;
    }

private:
    TpNode() = default;
    void fail(int k, const Status &s, std::mutex &mu, Status &first) {
        std::lock_guard lock(mu);
        if (!first.ok()) return;  // a later failure is usually the abort of the first
        first = Status::error("tensor-parallel rank " + std::to_string(layout_.global_rank(k)) + " (GPU " +
                              std::to_string(device_base_ + k) + "): " + s.message());
        if (nccl_) nccl_->abort(first.message());
        if (peer_) peer_->abort(first.message());  // ranks waiting in a peer kernel stop waiting
    }

    dist::ParallelLayout layout_;
    int device_base_ = 0;
    std::unique_ptr<cuda::NcclGroup> nccl_;
    std::unique_ptr<cuda::PeerGroup> peer_;
    std::string peer_note_;  // why there is no peer group, when one was wanted
    std::vector<std::unique_ptr<CudaRunner>> runners_;
    std::unique_ptr<RankThreads> threads_;
    Status failed_;
};

Status check_layout(const dist::ParallelLayout &l) {
    if (l.world_size < 1 || l.nnodes < 1 || l.gpus_per_node < 1 || l.gpus_per_node * l.nnodes != l.world_size ||
        l.node_rank < 0 || l.node_rank >= l.nnodes)
        return Status::error("tensor parallel: inconsistent layout (tp " + std::to_string(l.world_size) + ", " +
                             std::to_string(l.nnodes) + " nodes of " + std::to_string(l.gpus_per_node) +
                             " GPUs, node rank " + std::to_string(l.node_rank) +
                             "); build it with dist::ParallelLayout::from_flags");
    return {};
}

StatusOr<std::unique_ptr<TpNode>> TpNode::create(std::shared_ptr<const LoadedModel> model, const ModelConfig &config,
                                                 const CudaTpOptions &options, uint64_t seed) {
    const dist::ParallelLayout &l = options.layout;
    SLIPWAY_STATUS_TRY(check_layout(l));
    const int world = l.world_size, local = l.gpus_per_node, base = options.runner.device;
    // The shape check first: every node fails the same way, before anyone waits on NCCL.
    if (world > 1) {
        auto shard = cuda::make_tp_shard(config, 0, world);
        if (!shard.ok()) return shard.status();
    }
    int count = 0;
    if (cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess)
        return Status::error(std::string("CUDA backend: no GPU usable: ") + cudaGetErrorString(e));
    if (base < 0 || base + local > count)
        return Status::error("tensor parallel: this node runs " + std::to_string(local) + " ranks on GPUs " +
                             std::to_string(base) + ".." + std::to_string(base + local - 1) + ", but " +
                             std::to_string(count) + " GPUs are visible; lower --tp or raise --nnodes");
    std::unique_ptr<TpNode> node(new TpNode());
    node->layout_ = l;
    node->device_base_ = base;
    if (world > 1) {
        auto nccl = cuda::NcclGroup::create(options.nccl_id, world, l.first_rank(), local, base);
        if (!nccl.ok()) return nccl.status();
        node->nccl_ = std::move(nccl).value();
    }
    // All ranks in this process: small all-reduces through peer memory when every pair of GPUs
    // has peer access (else NCCL alone, which then also carries them).
    if (world > 1 && l.nnodes == 1 && cuda::PeerGroup::enabled_by_environment()) {
        const int64_t graph_bs = options.runner.cuda_graph_max_bs > 0 ? options.runner.cuda_graph_max_bs : 256;
        const int64_t rows = std::min<int64_t>(cuda::kPeerMaxBlocks, std::max<int64_t>(512, graph_bs));
        auto peer = cuda::PeerGroup::create(world, base, rows, static_cast<int>(config.hidden_size),
                                            kPeerTimeoutMs);
        if (peer.ok()) node->peer_ = std::move(peer).value();
        else node->peer_note_ = peer.message();
    }
    node->runners_.resize(static_cast<size_t>(local));
    node->threads_ = std::make_unique<RankThreads>(local);
    std::mutex first_mu;
    Status first;
    (void)node->threads_->run([&](int k) -> Status {
        CudaRunnerOptions ro = options.runner;
        ro.device = base + k;
        StatusOr<std::unique_ptr<CudaRunner>> r = Status::error("unreachable");
        if (world == 1) {
            r = cuda::CudaModelRunner::create(model, config, ro, seed);
        } else {
            auto shard = cuda::make_tp_shard(config, l.global_rank(k), world);
            if (!shard.ok()) {
                r = shard.status();
            } else {
                shard->comm = node->nccl_->collectives(k);
                if (node->peer_) shard->peer = node->peer_->view(k);
                r = cuda::CudaModelRunner::create(model, cuda::local_config(shard.value()), ro, seed, shard.value());
            }
        }
        if (!r.ok()) {
            node->fail(k, r.status(), first_mu, first);
            return r.status();
        }
        node->runners_[static_cast<size_t>(k)] = std::move(r).value();
        return {};
    });
    if (!first.ok()) return first;
    for (const auto &r : node->runners_)
        if (r->info().num_pages != node->runners_[0]->info().num_pages)
            return Status::error("tensor parallel: the ranks' KV pools differ in size after agreeing on one");
    return node;
}

// The leader node's CudaRunner.
class CudaTpRunner final : public CudaRunner {
public:
    CudaTpRunner(std::unique_ptr<TpNode> node, std::function<Status(const dist::StepPlan &)> sink)
        : node_(std::move(node)), sink_(std::move(sink)) {
        const dist::ParallelLayout &l = node_->layout();
        info_ = node_->rank0().info();
        info_.kv_bytes_per_token *= l.world_size;  // what the whole group stores per token
        info_.kv_devices = l.world_size;
        report_ = node_->rank0().report();
        report_.device_name += " (tp " + std::to_string(l.world_size) +
                               (l.nnodes > 1 ? " over " + std::to_string(l.nnodes) + " nodes" : "") +
                               ", " + node_->nccl_summary() + ", " + node_->all_reduce_summary() +
                               "; figures per GPU)";
    }
    ~CudaTpRunner() override {
        if (sink_) {
            dist::StepPlan bye;
            bye.step = ++step_;
            bye.kind = dist::StepKind::Shutdown;
            (void)sink_(bye);
        }
        node_.reset();
    }

    RunnerInfo info() const override { return info_; }
    const CudaRunnerReport &report() const override { return report_; }

    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override {
        logits.clear();
        SLIPWAY_STATUS_TRY(check(batch));
        SLIPWAY_STATUS_TRY(ship(dist::StepKind::Forward, batch, nullptr));
        return node_->run([&](int k, CudaRunner &r) -> Status {
            if (k == 0) return r.forward(batch, logits);
            std::vector<float> unused;
            return r.forward(batch, unused);
        });
    }

    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override {
        tokens.clear();
        SLIPWAY_STATUS_TRY(check(batch));
        size_t wanted = 0;
        for (const SequenceSlice &s : batch.seqs) wanted += s.need_logits ? 1 : 0;
        if (sampling.size() != wanted)
            return Status::error("forward_sample: " + std::to_string(sampling.size()) +
                                 " sampling rows for " + std::to_string(wanted) + " sequences that want a token");
        SLIPWAY_STATUS_TRY(ship(dist::StepKind::ForwardSample, batch, &sampling));
        return node_->run([&](int k, CudaRunner &r) -> Status {
            if (k == 0) return r.forward_sample(batch, sampling, tokens);
            std::vector<int32_t> unused;
            return r.forward_sample(batch, sampling, unused);
        });
    }

    Status forward_greedy(const ForwardBatch &batch, std::vector<int32_t> &tokens) override {
        tokens.clear();
        SLIPWAY_STATUS_TRY(check(batch));
        SLIPWAY_STATUS_TRY(ship(dist::StepKind::ForwardGreedy, batch, nullptr));
        return node_->run([&](int k, CudaRunner &r) -> Status {
            if (k == 0) return r.forward_greedy(batch, tokens);
            std::vector<int32_t> unused;
            return r.forward_greedy(batch, unused);
        });
    }

    StatusOr<std::vector<OpProfile>> profile_decode_step(const ForwardBatch &batch) override {
        if (node_->layout().multi_node())
            return Status::error("profile_decode_step: with tensor parallelism it runs on one node only (--nnodes 1)");
        SLIPWAY_STATUS_TRY(check(batch));
        std::vector<OpProfile> ops;
        SLIPWAY_STATUS_TRY(node_->run([&](int k, CudaRunner &r) -> Status {
            auto p = r.profile_decode_step(batch);
            if (!p.ok()) return p.status();
            if (k == 0) ops = std::move(p).value();
            return {};
        }));
        return ops;
    }

private:
    Status check(const ForwardBatch &batch) const {
        SLIPWAY_STATUS_TRY(node_->failure());
        // Checked here, before the plan leaves this node, so a bad batch never reaches a rank.
        return check_forward_batch(batch, node_->rank0().info(), nullptr);
    }

    Status ship(dist::StepKind kind, const ForwardBatch &batch, const std::vector<DeviceSampling> *sampling) {
        if (!sink_) return {};
        dist::StepPlan plan;
        plan.step = ++step_;
        plan.kind = kind;
        plan.batch = batch;
        if (sampling != nullptr) plan.sampling = *sampling;
        Status s = sink_(plan);
        if (!s.ok())
            return node_->fail_all(Status::error("tensor parallel: step " + std::to_string(plan.step) +
                                                 " could not be sent to the other nodes: " + s.message()));
        return {};
    }

    std::unique_ptr<TpNode> node_;
    std::function<Status(const dist::StepPlan &)> sink_;
    uint64_t step_ = 0;
    RunnerInfo info_;
    CudaRunnerReport report_;
};

class TpWorker final : public CudaTpWorker {
public:
    explicit TpWorker(std::unique_ptr<TpNode> node) : node_(std::move(node)) {}
    ~TpWorker() override { node_.reset(); }
    Status health() const override { return node_->health(); }
    std::string summary() const override {
        const dist::ParallelLayout &l = node_->layout();
        return "ranks " + std::to_string(l.first_rank()) + ".." + std::to_string(l.first_rank() + l.gpus_per_node - 1) +
               " of " + std::to_string(l.world_size) + " on GPUs " + std::to_string(node_->device_base()) + ".." +
               std::to_string(node_->device_base() + l.gpus_per_node - 1) + ", " + node_->nccl_summary();
    }

    Status execute(const dist::StepPlan &plan) override {
        SLIPWAY_STATUS_TRY(node_->failure());
        if (plan.step != last_step_ + 1)
            return node_->fail_all(Status::error("tensor parallel: step " + std::to_string(plan.step) +
                                                 " arrived after step " + std::to_string(last_step_) +
                                                 " (plans lost or reordered); this node is out of step"));
        last_step_ = plan.step;
        switch (plan.kind) {
        case dist::StepKind::Forward:
            return node_->run([&](int, CudaRunner &r) -> Status {
                std::vector<float> unused;
                return r.forward(plan.batch, unused);
            });
        case dist::StepKind::ForwardSample:
            return node_->run([&](int, CudaRunner &r) -> Status {
                std::vector<int32_t> unused;
                return r.forward_sample(plan.batch, plan.sampling, unused);
            });
        case dist::StepKind::ForwardGreedy:
            return node_->run([&](int, CudaRunner &r) -> Status {
                std::vector<int32_t> unused;
                return r.forward_greedy(plan.batch, unused);
            });
        case dist::StepKind::Shutdown:
            return {};
        }
        return node_->fail_all(Status::error("tensor parallel: step " + std::to_string(plan.step) +
                                             " has an unknown kind " + std::to_string(static_cast<int>(plan.kind))));
    }

private:
    std::unique_ptr<TpNode> node_;
    uint64_t last_step_ = 0;
};

StatusOr<std::unique_ptr<CudaRunner>> make_runner(std::shared_ptr<const LoadedModel> model, const ModelConfig &config,
                                                  const CudaTpOptions &options, uint64_t seed,
                                                  std::function<Status(const dist::StepPlan &)> sink) {
    if (!options.layout.is_leader())
        return Status::error("tensor parallel: node rank " + std::to_string(options.layout.node_rank) +
                             " is a worker; only node rank 0 runs the scheduler (use create_cuda_tp_worker)");
    auto node = TpNode::create(std::move(model), config, options, seed);
    if (!node.ok()) return node.status();
    return std::unique_ptr<CudaRunner>(new CudaTpRunner(std::move(node).value(), std::move(sink)));
}

StatusOr<std::unique_ptr<CudaTpWorker>> make_worker(std::shared_ptr<const LoadedModel> model,
                                                    const ModelConfig &config, const CudaTpOptions &options,
                                                    uint64_t seed) {
    if (options.layout.is_leader())
        return Status::error("tensor parallel: node rank 0 is the leader (use create_cuda_tp_runner)");
    auto node = TpNode::create(std::move(model), config, options, seed);
    if (!node.ok()) return node.status();
    return std::unique_ptr<CudaTpWorker>(new TpWorker(std::move(node).value()));
}

} // namespace

StatusOr<std::string> cuda_nccl_unique_id() { return cuda::nccl_unique_id_bytes(); }

std::string cuda_nccl_version() { return cuda::nccl_version_string(); }

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_tp_runner(std::shared_ptr<const LoadedModel> model,
                                                            const CudaTpOptions &options,
                                                            std::function<Status(const dist::StepPlan &)> remote_sink) {
    if (!model) return Status::error("CUDA backend: no model given");
    const ModelConfig config = model->config;
    return make_runner(std::move(model), config, options, 0, std::move(remote_sink));
}

StatusOr<std::unique_ptr<CudaTpWorker>> create_cuda_tp_worker(std::shared_ptr<const LoadedModel> model,
                                                              const CudaTpOptions &options) {
    if (!model) return Status::error("CUDA backend: no model given");
    const ModelConfig config = model->config;
    return make_worker(std::move(model), config, options, 0);
}

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_tp_runner_random(
    const ModelConfig &config, const CudaTpOptions &options, uint64_t seed,
    std::function<Status(const dist::StepPlan &)> remote_sink) {
    return make_runner(nullptr, config, options, seed, std::move(remote_sink));
}

StatusOr<std::unique_ptr<CudaTpWorker>> create_cuda_tp_worker_random(const ModelConfig &config,
                                                                     const CudaTpOptions &options, uint64_t seed) {
    return make_worker(nullptr, config, options, seed);
}

} // namespace slipway::engine
