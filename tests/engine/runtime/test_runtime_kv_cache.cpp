// PageAllocator and RadixCache: free list, reference counts, prefix match, split, LRU eviction.
#include <gtest/gtest.h>

#include "runtime/page_allocator.h"
#include "runtime/radix_cache.h"

namespace slipway::engine {
namespace {

std::vector<int32_t> range(int32_t from, int32_t to) {
    std::vector<int32_t> v;
    for (int32_t i = from; i < to; ++i) v.push_back(i);
    return v;
}

TEST(PageAllocator, AllocatesUntilEmptyAndRefusesWithoutChange) {
    PageAllocator a(4);
    std::vector<int32_t> pages;
    EXPECT_TRUE(a.allocate(3, pages));
    EXPECT_EQ(pages, (std::vector<int32_t>{0, 1, 2}));
    EXPECT_EQ(a.num_free(), 1);
    EXPECT_FALSE(a.allocate(2, pages));
    EXPECT_EQ(pages.size(), 3u);
    EXPECT_EQ(a.num_free(), 1);
}

TEST(PageAllocator, PageIsFreeOnlyAfterLastReference) {
    PageAllocator a(2);
    std::vector<int32_t> pages;
    ASSERT_TRUE(a.allocate(1, pages));
    a.retain(pages[0]);
    EXPECT_EQ(a.ref_count(pages[0]), 2);
    a.release(pages[0]);
    EXPECT_EQ(a.num_free(), 1);
    a.release(pages[0]);
    EXPECT_EQ(a.num_free(), 2);
    EXPECT_EQ(a.ref_count(pages[0]), 0);
}

TEST(PageAllocatorDeathTest, DoubleReleaseAborts) {
    PageAllocator a(1);
    std::vector<int32_t> pages;
    ASSERT_TRUE(a.allocate(1, pages));
    a.release(pages[0]);
    EXPECT_DEATH(a.release(pages[0]), "release of free KV page");
}

TEST(RadixCache, MatchesLongestInsertedPrefix) {
    PageAllocator a(16);
    RadixCache c(a, 1);
    std::vector<int32_t> pages;
    ASSERT_TRUE(a.allocate(5, pages));
    EXPECT_EQ(c.insert({1, 2, 3, 4, 5}, pages), 0);
    EXPECT_EQ(a.ref_count(pages[0]), 2);  // the request's and the tree's
    auto m = c.match_prefix({1, 2, 3, 9});
    EXPECT_EQ(m.matched_tokens, 3);
    EXPECT_EQ(m.pages, (std::vector<int32_t>{pages[0], pages[1], pages[2]}));
    EXPECT_EQ(c.match_prefix({7}).matched_tokens, 0);
    EXPECT_EQ(c.match_prefix({1, 2, 3, 4, 5, 6}).matched_tokens, 5);
}

TEST(RadixCache, SplitsEdgesAndKeepsBothBranches) {
    PageAllocator a(32);
    RadixCache c(a, 1);
    std::vector<int32_t> p1, p2;
    ASSERT_TRUE(a.allocate(4, p1));
    ASSERT_TRUE(a.allocate(4, p2));
    c.insert({1, 2, 3, 4}, p1);
    // Shares {1, 2}: only the new part {7, 8} is taken from p2.
    EXPECT_EQ(c.insert({1, 2, 7, 8}, p2), 2);
    EXPECT_EQ(c.cached_pages(), 6);
    auto m1 = c.match_prefix({1, 2, 3, 4});
    auto m2 = c.match_prefix({1, 2, 7, 8});
    EXPECT_EQ(m1.pages, p1);
    EXPECT_EQ(m2.pages, (std::vector<int32_t>{p1[0], p1[1], p2[2], p2[3]}));
    EXPECT_EQ(a.ref_count(p2[0]), 1);  // duplicate pages stay the request's alone
    EXPECT_EQ(a.ref_count(p2[2]), 2);
}

TEST(RadixCache, PageGranularMatchRoundsDown) {
    PageAllocator a(16);
    RadixCache c(a, 4);
    std::vector<int32_t> pages;
    ASSERT_TRUE(a.allocate(3, pages));
    c.insert(range(0, 11), pages);  // 11 tokens: two whole pages cached
    EXPECT_EQ(c.cached_pages(), 2);
    EXPECT_EQ(c.match_prefix(range(0, 11)).matched_tokens, 8);
    auto m = c.match_prefix({0, 1, 2, 3, 4, 5, 99, 7, 8});
    EXPECT_EQ(m.matched_tokens, 4);  // the second page differs inside
    EXPECT_EQ(m.pages, (std::vector<int32_t>{pages[0]}));
    // A mismatch inside the second page splits the edge at the page boundary.
    std::vector<int32_t> other;
    ASSERT_TRUE(a.allocate(2, other));
    EXPECT_EQ(c.insert({0, 1, 2, 3, 4, 5, 99, 7}, {pages[0], other[1]}), 4);
    EXPECT_EQ(c.match_prefix({0, 1, 2, 3, 4, 5, 99, 7}).pages, (std::vector<int32_t>{pages[0], other[1]}));
    EXPECT_EQ(c.match_prefix(range(0, 8)).pages, (std::vector<int32_t>{pages[0], pages[1]}));
}

TEST(RadixCache, EvictsLeastRecentlyUsedUnlockedLeavesFirst) {
    PageAllocator a(8);
    RadixCache c(a, 1);
    std::vector<int32_t> pa, pb, pc;
    ASSERT_TRUE(a.allocate(2, pa));
    ASSERT_TRUE(a.allocate(2, pb));
    ASSERT_TRUE(a.allocate(2, pc));
    c.insert({1, 1}, pa);
    c.insert({2, 2}, pb);
    c.insert({3, 3}, pc);
    a.release(pa);  // the requests are gone: only the tree holds the pages
    a.release(pb);
    a.release(pc);
    EXPECT_EQ(a.num_free(), 2);
    c.match_prefix({1, 1});  // {1,1} is now the most recent; {2,2} the least
    auto locked = c.match_prefix({3, 3});
    c.lock(locked.node);
    EXPECT_EQ(c.evictable_pages(), 4);
    EXPECT_EQ(c.evict(1), 2);  // whole leaf {2,2}
    EXPECT_EQ(c.match_prefix({2, 2}).matched_tokens, 0);
    EXPECT_EQ(c.match_prefix({1, 1}).matched_tokens, 2);
    EXPECT_EQ(a.num_free(), 4);
    EXPECT_EQ(c.evict(10), 2);  // {1,1}; {3,3} is locked
    EXPECT_EQ(c.match_prefix({3, 3}).matched_tokens, 2);
    EXPECT_EQ(c.evictable_pages(), 0);
    c.unlock(locked.node);
    EXPECT_EQ(c.evictable_pages(), 2);
    EXPECT_EQ(c.evict(10), 2);
    EXPECT_EQ(a.num_free(), 8);
    EXPECT_EQ(c.cached_pages(), 0);
}

TEST(RadixCache, LockSurvivesSplitAndParentsBecomeEvictable) {
    PageAllocator a(8);
    RadixCache c(a, 1);
    std::vector<int32_t> p;
    ASSERT_TRUE(a.allocate(4, p));
    c.insert({1, 2, 3, 4}, p);
    a.release(p);
    auto m = c.match_prefix({1, 2, 3, 4});
    c.lock(m.node);
    c.match_prefix({1, 2, 9});  // splits {1,2,3,4} into {1,2} -> {3,4}
    EXPECT_EQ(c.evict(4), 0);   // the whole path is locked
    c.unlock(m.node);
    EXPECT_EQ(c.evict(4), 4);   // leaf {3,4}, then its parent {1,2}
    EXPECT_EQ(a.num_free(), 8);
}

TEST(RadixCache, DestructorReturnsTreePages) {
    PageAllocator a(4);
    {
        RadixCache c(a, 1);
        std::vector<int32_t> p;
        ASSERT_TRUE(a.allocate(3, p));
        c.insert({5, 6, 7}, p);
        a.release(p);
        EXPECT_EQ(a.num_free(), 1);
    }
    EXPECT_EQ(a.num_free(), 4);
}

} // namespace
} // namespace slipway::engine
