#include "cpu/thread_pool.h"

#include <algorithm>

namespace slipway::engine {

ThreadPool::ThreadPool(int num_threads) {
    if (num_threads <= 0) num_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ranges_.resize(static_cast<size_t>(num_threads));
    for (int i = 1; i < num_threads; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    start_cv_.notify_all();
    for (auto &t : workers_) t.join();
}

void ThreadPool::worker_loop(int index) {
    uint64_t seen = 0;
    for (;;) {
        const std::function<void(int64_t, int64_t)> *task;
        std::pair<int64_t, int64_t> range;
        {
            std::unique_lock lock(mutex_);
            start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            task = task_;
            range = ranges_[static_cast<size_t>(index)];
        }
        if (range.first < range.second) (*task)(range.first, range.second);
        {
            std::lock_guard lock(mutex_);
            if (--pending_ == 0) done_cv_.notify_one();
        }
    }
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t)> &fn, int64_t min_chunk) {
    if (n <= 0) return;
    const int64_t threads = std::min<int64_t>(size(), std::max<int64_t>(1, n / std::max<int64_t>(1, min_chunk)));
    if (threads <= 1 || workers_.empty()) {
        fn(0, n);
        return;
    }
    const int64_t chunk = (n + threads - 1) / threads;
    {
        std::lock_guard lock(mutex_);
        for (size_t i = 0; i < ranges_.size(); ++i) {
            const int64_t b = std::min<int64_t>(n, static_cast<int64_t>(i) * chunk);
            const int64_t e = static_cast<int64_t>(i) < threads ? std::min<int64_t>(n, b + chunk) : b;
            ranges_[i] = {b, e};
        }
        task_ = &fn;
        pending_ = static_cast<int>(workers_.size());
        ++generation_;
    }
    start_cv_.notify_all();
    if (ranges_[0].first < ranges_[0].second) fn(ranges_[0].first, ranges_[0].second);
    std::unique_lock lock(mutex_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
}

} // namespace slipway::engine
