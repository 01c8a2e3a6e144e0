#pragma once
// The prefix cache: a radix tree over token ids whose edges hold KV pages, after SGLang's
// RadixCache. Keys are cut at page boundaries, so a match is always a whole number of pages.
//
// Ownership: the tree holds one PageAllocator reference to every page in it. A request that uses
// a cached prefix takes its own references to those pages and lock()s the node it matched, so the
// path cannot be evicted under it. Only unlocked leaves are evicted, least recently used first.
//
// Thread-safety: none; owned by the scheduler loop thread.
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "runtime/page_allocator.h"

namespace slipway::engine {

class RadixCache final {
public:
    struct Node;

    struct Match {
        std::vector<int32_t> pages;  // pages of the matched prefix, in order
        int64_t matched_tokens = 0;  // pages.size() * page_size
        Node *node = nullptr;        // deepest matched node (root when nothing matched)
    };

    RadixCache(PageAllocator &allocator, int32_t page_size);
    ~RadixCache();
    RadixCache(const RadixCache &) = delete;
    RadixCache &operator=(const RadixCache &) = delete;

    // Longest cached prefix of tokens (whole pages only); refreshes LRU times along the path.
    Match match_prefix(const std::vector<int32_t> &tokens);

    // Caches tokens[0, n) with pages[0, n / page_size), n = tokens.size() rounded down to a page.
    // Pages already cached for that prefix are kept; for the new part the tree retains pages.
    // Returns the number of tokens that were already cached.
    int64_t insert(const std::vector<int32_t> &tokens, const std::vector<int32_t> &pages);

    // Pins / unpins the path from node to the root against eviction.
    void lock(Node *node);
    void unlock(Node *node);

    // Evicts unlocked leaves, least recently used first, until at least `pages` pages were
    // released by the tree or nothing is evictable. Returns the pages released.
    int64_t evict(int64_t pages);

    int64_t cached_pages() const { return cached_pages_; }
    int64_t evictable_pages() const { return evictable_pages_; }
    Node *root() const { return root_.get(); }
    int32_t page_size() const { return page_size_; }

    struct Node {
        std::vector<int32_t> key;    // tokens of this edge (a multiple of page_size)
        std::vector<int32_t> pages;  // key.size() / page_size pages
        Node *parent = nullptr;
        std::map<std::vector<int32_t>, std::unique_ptr<Node>> children;  // by first page of key
        int32_t lock_ref = 0;
        uint64_t last_access = 0;
    };

private:
    std::vector<int32_t> first_page(const std::vector<int32_t> &tokens, size_t offset) const;
    Node *split(Node *node, size_t key_len);
    void touch(Node *node);

    PageAllocator &allocator_;
    int32_t page_size_;
    std::unique_ptr<Node> root_;
    uint64_t clock_ = 0;
    int64_t cached_pages_ = 0;
    int64_t evictable_pages_ = 0;  // pages in nodes with lock_ref == 0
};

} // namespace slipway::engine
