#pragma once
// A fixed pool of worker threads for data-parallel loops. parallel_for splits [0, n) into
// contiguous chunks, one a thread (the caller runs one too), and returns when all are done.
// Work is partitioned by index only, so results never depend on timing. Not re-entrant: one
// parallel_for at a time (the runner is driven by one scheduler thread).
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace slipway::engine {

class ThreadPool final {
public:
    // num_threads <= 0: std::thread::hardware_concurrency().
    explicit ThreadPool(int num_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return static_cast<int>(workers_.size()) + 1; }
    // fn(begin, end) over disjoint ranges covering [0, n). Ranges smaller than `min_chunk`
    // are merged so tiny loops stay on the calling thread.
    void parallel_for(int64_t n, const std::function<void(int64_t, int64_t)> &fn, int64_t min_chunk = 1);

private:
    void worker_loop(int index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_cv_;
    std::condition_variable done_cv_;
    const std::function<void(int64_t, int64_t)> *task_ = nullptr;
    std::vector<std::pair<int64_t, int64_t>> ranges_;  // one per thread; index 0 is the caller's
    uint64_t generation_ = 0;
    int pending_ = 0;
    bool stop_ = false;
};

} // namespace slipway::engine
