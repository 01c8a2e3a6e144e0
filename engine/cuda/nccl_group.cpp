// NcclGroup and the NCCL implementation of TpCollectives (see nccl_group.h).
#include "cuda/nccl_group.h"

#include <cuda_runtime.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <shared_mutex>

#include "cuda/cuda_check.h"
#include "cuda/rank_timing.h"
#include "dist/nccl_log.h"

#if SLIPWAY_HAS_NCCL
#include <nccl.h>
#endif

namespace slipway::engine::cuda {

#if !SLIPWAY_HAS_NCCL

namespace {
Status no_nccl() {
    return Status::error("tensor parallelism needs NCCL, and this slipway-engine was built without NCCL "
                         "(no nccl.h / libnccl found at configure time); rebuild on a machine with NCCL or run --tp 1");
}
} // namespace

StatusOr<std::string> nccl_unique_id_bytes() { return no_nccl(); }
std::string nccl_version_string() { return "built without NCCL"; }
struct NcclGroup::Impl {};
NcclGroup::NcclGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NcclGroup::~NcclGroup() = default;
StatusOr<std::unique_ptr<NcclGroup>> NcclGroup::create(const std::string &, int, int, int, int) { return no_nccl(); }
TpCollectives *NcclGroup::collectives(int) const { return nullptr; }
void NcclGroup::abort(const std::string &) {}
bool NcclGroup::aborted() const { return true; }
Status NcclGroup::health() const { return no_nccl(); }
const std::string &NcclGroup::transports() const {
    static const std::string none;
    return none;
}
StatusOr<std::vector<AllReduceTiming>> time_nccl_all_reduce(int, const std::vector<size_t> &, int) { return no_nccl(); }

#else

namespace {

// NCCL names its transports only in its INFO log. Unless the operator set NCCL_DEBUG or
// NCCL_DEBUG_FILE (then NCCL logs where they asked), that log goes to a file of this process
// (INIT and NET lines only), read after each group's start and removed at exit. Never when the
// file cannot be created: NCCL would fall back to standard output. Must run before the first
// NCCL call that logs; SLIPWAY_NCCL_TRANSPORT_LOG=0 turns it off.
struct TransportLog {
    std::once_flag once;
    std::string path;
};

TransportLog &transport_log() {
    static TransportLog log;
    return log;
}

void prepare_transport_log() {
    std::call_once(transport_log().once, [] {
        const char *off = std::getenv("SLIPWAY_NCCL_TRANSPORT_LOG");
        if (std::getenv("NCCL_DEBUG") != nullptr || std::getenv("NCCL_DEBUG_FILE") != nullptr ||
            (off != nullptr && std::strcmp(off, "0") == 0))
            return;
        const char *tmp = std::getenv("TMPDIR");
        const std::string dir = tmp != nullptr && *tmp != '\0' && std::strchr(tmp, '%') == nullptr ? tmp : "/tmp";
        const std::string path = dir + "/slipway-nccl-" + std::to_string(::getpid()) + ".log";
        std::FILE *f = std::fopen(path.c_str(), "w");
        if (f == nullptr) return;
        std::fclose(f);
        setenv("NCCL_DEBUG", "INFO", 1);
        setenv("NCCL_DEBUG_SUBSYS", "INIT,NET", 0);
        setenv("NCCL_DEBUG_FILE", path.c_str(), 1);
        transport_log().path = path;
        std::atexit([] { std::remove(transport_log().path.c_str()); });
    });
}

std::string read_transports() {
    const std::string &path = transport_log().path;
    if (path.empty()) return {};
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return dist::summarize_nccl_transports(text.str());
}

Status nccl_status(ncclResult_t r, const char *what, ncclComm_t comm) {
    std::string detail = comm != nullptr ? ncclGetLastError(comm) : ncclGetLastError(nullptr);
    return Status::error(std::string("NCCL error ") + ncclGetErrorString(r) + " in " + what +
                         (detail.empty() ? "" : ": " + detail));
}

#define SLIPWAY_NCCL_TRY(expr, comm)                                                             \
    do {                                                                                         \
        const ncclResult_t r_ = (expr);                                                          \
        if (r_ != ncclSuccess) return nccl_status(r_, #expr, comm);                              \
    } while (0)

// Shared by a node's ranks: abort() takes the lock exclusively, so no NCCL call is inside the
// library while the communicators are aborted, and none starts after.
struct AbortState {
    mutable std::shared_mutex mu;
    std::atomic<bool> aborted{false};
    std::string reason;
    Status error() const { return Status::error("NCCL communicator aborted: " + reason); }
};

class NcclRank final : public TpCollectives {
public:
    NcclRank(ncclComm_t comm, AbortState *state, int device) : comm_(comm), state_(state), device_(device) {}

    Status all_reduce_sum_bf16(void *buf, size_t count, cudaStream_t stream) override {
        std::shared_lock lock(state_->mu);
        if (state_->aborted) return state_->error();
        SLIPWAY_NCCL_TRY(ncclAllReduce(buf, buf, count, ncclBfloat16, ncclSum, comm_, stream), comm_);
        return {};
    }
    Status all_gather_bytes(const void *send, void *recv, size_t bytes, cudaStream_t stream) override {
        std::shared_lock lock(state_->mu);
        if (state_->aborted) return state_->error();
        SLIPWAY_NCCL_TRY(ncclAllGather(send, recv, bytes, ncclUint8, comm_, stream), comm_);
        return {};
    }
    Status all_reduce_min_host(int64_t &value, cudaStream_t stream) override {
        SLIPWAY_CUDA_TRY(cudaSetDevice(device_));
        int64_t *d = nullptr;
        SLIPWAY_CUDA_TRY(cudaMalloc(&d, sizeof(int64_t)));
        Status st = [&]() -> Status {
            SLIPWAY_CUDA_TRY(cudaMemcpyAsync(d, &value, sizeof value, cudaMemcpyHostToDevice, stream));
            {
                std::shared_lock lock(state_->mu);
                if (state_->aborted) return state_->error();
                SLIPWAY_NCCL_TRY(ncclAllReduce(d, d, 1, ncclInt64, ncclMin, comm_, stream), comm_);
            }
            SLIPWAY_CUDA_TRY(cudaMemcpyAsync(&value, d, sizeof value, cudaMemcpyDeviceToHost, stream));
            SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream));
            if (state_->aborted) return state_->error();
            return {};
        }();
        cudaFree(d);
        return st;
    }

    ncclComm_t comm() const { return comm_; }

private:
    ncclComm_t comm_;
    AbortState *state_;
    int device_;
};

} // namespace

StatusOr<std::string> nccl_unique_id_bytes() {
    prepare_transport_log();
    ncclUniqueId id;
    SLIPWAY_NCCL_TRY(ncclGetUniqueId(&id), nullptr);
    return std::string(id.internal, sizeof id.internal);
}

std::string nccl_version_string() {
    prepare_transport_log();  // often the process's first NCCL call
    int v = 0;
    if (ncclGetVersion(&v) != ncclSuccess) return "unknown";
    // NCCL_VERSION(X, Y, Z) = X * 10000 + Y * 100 + Z since 2.9.
    return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

struct NcclGroup::Impl {
    AbortState state;
    std::vector<std::unique_ptr<NcclRank>> ranks;
    std::string transports;
};

NcclGroup::NcclGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NcclGroup::~NcclGroup() {
    // ncclCommDestroy may wait on peers (finalization); a node whose peer already exited must
    // not hang on its way out, so the communicators are aborted, which is purely local.
    abort("the runner was destroyed");
}

StatusOr<std::unique_ptr<NcclGroup>> NcclGroup::create(const std::string &unique_id, int world, int first_rank,
                                                       int local_ranks, int device_base) {
    if (unique_id.size() != NCCL_UNIQUE_ID_BYTES)
        return Status::error("NCCL unique id has " + std::to_string(unique_id.size()) + " bytes, not " +
                             std::to_string(NCCL_UNIQUE_ID_BYTES));
    if (local_ranks < 1 || first_rank < 0 || first_rank + local_ranks > world)
        return Status::error("NCCL group: local ranks " + std::to_string(first_rank) + ".." +
                             std::to_string(first_rank + local_ranks - 1) + " do not fit a group of " +
                             std::to_string(world));
    prepare_transport_log();  // a worker node's first NCCL call is here
    ncclUniqueId id;
    std::memcpy(id.internal, unique_id.data(), NCCL_UNIQUE_ID_BYTES);
    std::vector<ncclComm_t> comms(static_cast<size_t>(local_ranks), nullptr);
    // Several communicators from one thread: initialised together inside a group.
    SLIPWAY_NCCL_TRY(ncclGroupStart(), nullptr);
    for (int k = 0; k < local_ranks; ++k) {
        if (cudaError_t e = cudaSetDevice(device_base + k); e != cudaSuccess) {
            ncclGroupEnd();
            return cuda_status(e, "cudaSetDevice", __FILE__, __LINE__);
        }
        if (ncclResult_t r = ncclCommInitRank(&comms[static_cast<size_t>(k)], world, id, first_rank + k);
            r != ncclSuccess) {
            ncclGroupEnd();
            return nccl_status(r, "ncclCommInitRank", nullptr);
        }
    }
    SLIPWAY_NCCL_TRY(ncclGroupEnd(), nullptr);

    auto impl = std::make_unique<Impl>();
    for (int k = 0; k < local_ranks; ++k)
        impl->ranks.push_back(std::make_unique<NcclRank>(comms[static_cast<size_t>(k)], &impl->state, device_base + k));
    std::unique_ptr<NcclGroup> group(new NcclGroup(std::move(impl)));

    // Warm-up: NCCL connects peers lazily on first use; do that now, while every rank is alive.
    struct Scratch {
        cudaStream_t stream = nullptr;
        void *buf = nullptr;
    };
    std::vector<Scratch> scratch(static_cast<size_t>(local_ranks));
    Status st = [&]() -> Status {
        for (int k = 0; k < local_ranks; ++k) {
            Scratch &s = scratch[static_cast<size_t>(k)];
            SLIPWAY_CUDA_TRY(cudaSetDevice(device_base + k));
            SLIPWAY_CUDA_TRY(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking));
            SLIPWAY_CUDA_TRY(cudaMalloc(&s.buf, 64 * static_cast<size_t>(world + 1)));
            SLIPWAY_CUDA_TRY(cudaMemsetAsync(s.buf, 0, 64 * static_cast<size_t>(world + 1), s.stream));
        }
        SLIPWAY_NCCL_TRY(ncclGroupStart(), nullptr);
        for (int k = 0; k < local_ranks; ++k) {
            const Scratch &s = scratch[static_cast<size_t>(k)];
            ncclComm_t c = comms[static_cast<size_t>(k)];
            SLIPWAY_NCCL_TRY(ncclAllReduce(s.buf, s.buf, 32, ncclBfloat16, ncclSum, c, s.stream), c);
            SLIPWAY_NCCL_TRY(ncclAllGather(s.buf, static_cast<char *>(s.buf) + 64, 64, ncclUint8, c, s.stream), c);
        }
        SLIPWAY_NCCL_TRY(ncclGroupEnd(), nullptr);
        for (int k = 0; k < local_ranks; ++k) {
            SLIPWAY_CUDA_TRY(cudaSetDevice(device_base + k));
            SLIPWAY_CUDA_TRY(cudaStreamSynchronize(scratch[static_cast<size_t>(k)].stream));
        }
        return {};
    }();
    for (int k = 0; k < local_ranks; ++k) {
        Scratch &s = scratch[static_cast<size_t>(k)];
        cudaSetDevice(device_base + k);
        if (s.buf != nullptr) cudaFree(s.buf);
        if (s.stream != nullptr) cudaStreamDestroy(s.stream);
    }
    if (!st.ok()) return st;
    group->impl_->transports = read_transports();  // the warm-up connected the channels
    SLIPWAY_CUDA_TRY(cudaSetDevice(device_base));  // the caller's device as it expects it: local rank 0's
    return group;
}

TpCollectives *NcclGroup::collectives(int local_rank) const {
    return impl_->ranks.at(static_cast<size_t>(local_rank)).get();
}

const std::string &NcclGroup::transports() const { return impl_->transports; }

void NcclGroup::abort(const std::string &reason) {
    std::unique_lock lock(impl_->state.mu);
    if (impl_->state.aborted) return;
    impl_->state.reason = reason;
    impl_->state.aborted = true;
    for (auto &r : impl_->ranks) ncclCommAbort(r->comm());
}

bool NcclGroup::aborted() const { return impl_->state.aborted; }

Status NcclGroup::health() const {
    std::shared_lock lock(impl_->state.mu);
    if (impl_->state.aborted) return impl_->state.error();
    for (const auto &r : impl_->ranks) {
        ncclResult_t async = ncclSuccess;
        SLIPWAY_NCCL_TRY(ncclCommGetAsyncError(r->comm(), &async), r->comm());
        if (async != ncclSuccess && async != ncclInProgress) return nccl_status(async, "a collective", r->comm());
    }
    return {};
}

StatusOr<std::vector<AllReduceTiming>> time_nccl_all_reduce(int world, const std::vector<size_t> &elements,
                                                            int iterations) {
    if (world < 2) return Status::error("timing an all-reduce needs at least 2 GPUs");
    int count = 0;
    SLIPWAY_CUDA_TRY(cudaGetDeviceCount(&count));
    if (count < world)
        return Status::error("timing an all-reduce over " + std::to_string(world) + " GPUs, but " +
                             std::to_string(count) + " are visible");
    auto id = nccl_unique_id_bytes();
    if (!id.ok()) return id.status();
    auto group_or = NcclGroup::create(id.value(), world, 0, world, 0);
    if (!group_or.ok()) return group_or.status();
    NcclGroup &group = *group_or.value();
    const size_t max_elems = elements.empty() ? 1 : *std::max_element(elements.begin(), elements.end());
    auto body = [&](int k) -> StatusOr<std::vector<AllReduceTiming>> {
        SLIPWAY_CUDA_TRY(cudaSetDevice(k));
        cudaStream_t stream = nullptr;
        void *buf = nullptr;
        cudaEvent_t e0 = nullptr, e1 = nullptr;
        TpCollectives *comm = group.collectives(k);
        std::vector<AllReduceTiming> rows;
        Status st = [&]() -> Status {
            SLIPWAY_CUDA_TRY(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
            SLIPWAY_CUDA_TRY(cudaMalloc(&buf, std::max<size_t>(max_elems, 1) * 2));
            SLIPWAY_CUDA_TRY(cudaMemset(buf, 0, std::max<size_t>(max_elems, 1) * 2));
            SLIPWAY_CUDA_TRY(cudaEventCreate(&e0));
            SLIPWAY_CUDA_TRY(cudaEventCreate(&e1));
            for (size_t n : elements) {
                AllReduceTiming t;
                t.elements = n;
                for (int i = 0; i < 5; ++i) SLIPWAY_STATUS_TRY(comm->all_reduce_sum_bf16(buf, n, stream));
                SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream));
                SLIPWAY_CUDA_TRY(cudaEventRecord(e0, stream));
                for (int i = 0; i < iterations; ++i) SLIPWAY_STATUS_TRY(comm->all_reduce_sum_bf16(buf, n, stream));
                SLIPWAY_CUDA_TRY(cudaEventRecord(e1, stream));
                SLIPWAY_CUDA_TRY(cudaEventSynchronize(e1));
                float ms = 0;
                SLIPWAY_CUDA_TRY(cudaEventElapsedTime(&ms, e0, e1));
                t.eager_us = 1e3 * ms / iterations;
                auto graph = graph_us_per_call(stream, iterations,
                                               [&](int) { return comm->all_reduce_sum_bf16(buf, n, stream); });
                if (!graph.ok()) return graph.status();
                t.graph_us = graph.value();
                rows.push_back(t);
            }
            return {};
        }();
        if (e0) cudaEventDestroy(e0);
        if (e1) cudaEventDestroy(e1);
        cudaFree(buf);
        if (stream) cudaStreamDestroy(stream);
        if (!st.ok()) {
            group.abort("rank " + std::to_string(k) + ": " + st.message());
            return st;
        }
        return rows;
    };
    return slowest_rank<AllReduceTiming>(world, body, {&AllReduceTiming::graph_us, &AllReduceTiming::eager_us});
}

#endif // SLIPWAY_HAS_NCCL

} // namespace slipway::engine::cuda
