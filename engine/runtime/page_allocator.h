#pragma once
// KV page ids: a free list over [0, num_pages) with a reference count per page. The runtime
// shares a page between the prefix cache and any number of requests; it returns to the free list
// when the last reference is released. Storage belongs to the ModelRunner.
//
// Thread-safety: none; owned by the scheduler loop thread.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace slipway::engine {

class PageAllocator final {
public:
    explicit PageAllocator(int64_t num_pages);

    int64_t num_pages() const { return static_cast<int64_t>(ref_counts_.size()); }
    int64_t num_free() const { return static_cast<int64_t>(free_.size()); }

    // Takes n pages (each with one reference) and appends them to out; false and no change
    // when fewer than n are free.
    bool allocate(int64_t n, std::vector<int32_t> &out);
    void retain(int32_t page);
    // Drops one reference; the page is free again at zero. Releasing a free page is a bug and
    // aborts (it would hand one page to two sequences).
    void release(int32_t page);
    void release(const std::vector<int32_t> &pages);
    int32_t ref_count(int32_t page) const { return ref_counts_.at(static_cast<size_t>(page)); }

private:
    std::vector<int32_t> free_;        // stack: the most recently freed page is reused first
    std::vector<int32_t> ref_counts_;
};

} // namespace slipway::engine
