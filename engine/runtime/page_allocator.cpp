#include "runtime/page_allocator.h"

#include <cstdio>
#include <cstdlib>

namespace slipway::engine {

PageAllocator::PageAllocator(int64_t num_pages)
    : ref_counts_(static_cast<size_t>(num_pages), 0) {
    free_.reserve(static_cast<size_t>(num_pages));
    // Highest id at the bottom of the stack so pages come out as 0, 1, 2, ...
    for (int64_t p = num_pages - 1; p >= 0; --p) {
        free_.push_back(static_cast<int32_t>(p));
    }
}

bool PageAllocator::allocate(int64_t n, std::vector<int32_t> &out) {
    if (n < 0 || n > num_free()) {
        return false;
    }
    for (int64_t i = 0; i < n; ++i) {
        const int32_t page = free_.back();
        free_.pop_back();
        ref_counts_[static_cast<size_t>(page)] = 1;
        out.push_back(page);
    }
    return true;
}

void PageAllocator::retain(int32_t page) {
    int32_t &count = ref_counts_.at(static_cast<size_t>(page));
    if (count <= 0) {
        std::fprintf(stderr, "slipway-engine: internal error: retain of free KV page %d\n", page);
        std::abort();
    }
    ++count;
}

void PageAllocator::release(int32_t page) {
    int32_t &count = ref_counts_.at(static_cast<size_t>(page));
    if (count <= 0) {
        std::fprintf(stderr, "slipway-engine: internal error: release of free KV page %d\n", page);
        std::abort();
    }
    if (--count == 0) {
        free_.push_back(page);
    }
}

void PageAllocator::release(const std::vector<int32_t> &pages) {
    for (int32_t page : pages) {
        release(page);
    }
}

} // namespace slipway::engine
