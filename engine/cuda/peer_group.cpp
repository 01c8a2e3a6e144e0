// PeerGroup: the peer-memory buffers, flags and shared state word of one node's TP ranks.
#include "cuda/peer_group.h"

#include <cstdlib>
#include <cstring>

namespace slipway::engine::cuda {

namespace {

size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

Status cuda_error(const std::string &what, cudaError_t e) {
    return Status::error("peer all-reduce: " + what + ": " + cudaGetErrorString(e));
}

} // namespace

bool PeerGroup::enabled_by_environment() {
    const char *env = std::getenv("SLIPWAY_PEER_ALL_REDUCE");
    return env == nullptr || std::strcmp(env, "0") != 0;
}

bool PeerGroup::push_by_environment() {
    const char *env = std::getenv("SLIPWAY_PEER_ALL_REDUCE");
    return env == nullptr || std::strcmp(env, "pull") != 0;
}

StatusOr<std::unique_ptr<PeerGroup>> PeerGroup::create(int world, int device_base, int64_t max_rows, int hidden,
                                                       int64_t timeout_ms) {
    if (world < 2 || world > kPeerMaxRanks)
        return Status::error("peer all-reduce: " + std::to_string(world) + " ranks (2 to " +
                             std::to_string(kPeerMaxRanks) + " are supported)");
    if (max_rows < 1 || max_rows > kPeerMaxBlocks || hidden < 1)
        return Status::error("peer all-reduce: rows per call must lie in 1.." + std::to_string(kPeerMaxBlocks));
    for (int a = 0; a < world; ++a)
        for (int b = 0; b < world; ++b) {
            if (a == b) continue;
            int can = 0;
            if (cudaError_t e = cudaDeviceCanAccessPeer(&can, device_base + a, device_base + b); e != cudaSuccess)
                return cuda_error("cudaDeviceCanAccessPeer", e);
            if (!can)
                return Status::error("peer all-reduce: GPU " + std::to_string(device_base + a) + " cannot access GPU " +
                                     std::to_string(device_base + b) + "'s memory (no NVLink or PCIe peer path)");
        }
    std::unique_ptr<PeerGroup> g(new PeerGroup());
    g->device_base_ = device_base;
    g->timeout_ms_ = timeout_ms;
    if (cudaError_t e = cudaHostAlloc(reinterpret_cast<void **>(&g->state_host_), sizeof(int),
                                      cudaHostAllocMapped | cudaHostAllocPortable);
        e != cudaSuccess)
        return cuda_error("the shared state word", e);
    *g->state_host_ = kPeerHealthy;
    int *state_dev = nullptr;
    if (cudaError_t e = cudaHostGetDevicePointer(reinterpret_cast<void **>(&state_dev), g->state_host_, 0);
        e != cudaSuccess)
        return cuda_error("the shared state word's device address", e);

    const size_t buf_bytes = round_up(static_cast<size_t>(max_rows) * static_cast<size_t>(hidden) * 2, 256);
    const size_t flag_bytes = round_up(sizeof(uint32_t) * kPeerMaxBlocks * kPeerMaxRanks, 256);
    const size_t epoch_bytes = round_up(sizeof(uint32_t) * kPeerMaxBlocks, 256);
    const size_t inbox_bytes = 2 * static_cast<size_t>(world) * buf_bytes;
    const size_t total = 2 * buf_bytes + flag_bytes + epoch_bytes + inbox_bytes;
    g->views_.resize(static_cast<size_t>(world));
    g->allocations_.assign(static_cast<size_t>(world), nullptr);
    for (int k = 0; k < world; ++k) {
        const int dev = device_base + k;
        if (cudaError_t e = cudaSetDevice(dev); e != cudaSuccess) return cuda_error("GPU " + std::to_string(dev), e);
        for (int p = 0; p < world; ++p) {
            if (p == k) continue;
            cudaError_t e = cudaDeviceEnablePeerAccess(device_base + p, 0);
            if (e == cudaErrorPeerAccessAlreadyEnabled) (void)cudaGetLastError();
            else if (e != cudaSuccess)
                return cuda_error("enabling GPU " + std::to_string(dev) + "'s access to GPU " +
                                      std::to_string(device_base + p),
                                  e);
        }
        void *mem = nullptr;
        if (cudaError_t e = cudaMalloc(&mem, total); e != cudaSuccess)
            return cuda_error(std::to_string(total >> 10) + " KiB on GPU " + std::to_string(dev), e);
        g->allocations_[static_cast<size_t>(k)] = mem;
        if (cudaError_t e = cudaMemset(mem, 0, total - inbox_bytes); e != cudaSuccess) return cuda_error("clearing", e);
        if (cudaError_t e = cudaMemset(static_cast<char *>(mem) + (total - inbox_bytes), 0xFF, inbox_bytes);
            e != cudaSuccess)
            return cuda_error("emptying the inboxes", e);
        if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) return cuda_error("clearing", e);
    }
    for (int k = 0; k < world; ++k) {
        PeerView &v = g->views_[static_cast<size_t>(k)];
        v.rank = k;
        v.world = world;
        v.max_rows = max_rows;
        v.timeout_ns = timeout_ms * 1000000;
        v.state = state_dev;
        for (int p = 0; p < world; ++p) {
            char *base = static_cast<char *>(g->allocations_[static_cast<size_t>(p)]);
            v.buf[0][p] = base;
            v.buf[1][p] = base + buf_bytes;
            v.flags[p] = reinterpret_cast<uint32_t *>(base + 2 * buf_bytes);
            v.inbox[p] = base + (total - inbox_bytes);
        }
        v.push = push_by_environment();
        v.epochs = reinterpret_cast<uint32_t *>(static_cast<char *>(g->allocations_[static_cast<size_t>(k)]) +
                                                2 * buf_bytes + flag_bytes);
    }
    return g;
}

PeerGroup::~PeerGroup() {
    for (size_t k = 0; k < allocations_.size(); ++k) {
        if (allocations_[k] == nullptr) continue;
        if (cudaSetDevice(device_base_ + static_cast<int>(k)) == cudaSuccess) (void)cudaFree(allocations_[k]);
    }
    if (state_host_ != nullptr) (void)cudaFreeHost(state_host_);
}

void PeerGroup::abort(const std::string &reason) {
    std::lock_guard lock(mu_);
    if (!abort_reason_.empty()) return;
    abort_reason_ = reason.empty() ? std::string("aborted") : reason;
    int healthy = kPeerHealthy;  // a timeout already recorded stays the reason
    if (state_host_ != nullptr)
        (void)__atomic_compare_exchange_n(state_host_, &healthy, kPeerAborted, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST);
}

Status PeerGroup::health() const {
    const int state = state_host_ != nullptr ? __atomic_load_n(state_host_, __ATOMIC_SEQ_CST) : kPeerHealthy;
    if (state == kPeerHealthy) return {};
    std::lock_guard lock(mu_);
    if (state == kPeerTimedOut)
        return Status::error("peer all-reduce: a rank did not arrive within " + std::to_string(timeout_ms_) +
                             " ms (its GPU or thread stopped); the group cannot continue");
    return Status::error("peer all-reduce: stopped: " + abort_reason_);
}

} // namespace slipway::engine::cuda
