#include "runtime/radix_cache.h"

#include <algorithm>
#include <queue>
#include <tuple>

namespace slipway::engine {

RadixCache::RadixCache(PageAllocator &allocator, int32_t page_size)
    : allocator_(allocator), page_size_(page_size), root_(std::make_unique<Node>()) {
    root_->lock_ref = 1;  // the root is never evicted
}

RadixCache::~RadixCache() {
    // Give the tree's page references back (the allocator may outlive us in tests).
    std::vector<Node *> stack{root_.get()};
    while (!stack.empty()) {
        Node *node = stack.back();
        stack.pop_back();
        allocator_.release(node->pages);
        for (auto &[key, child] : node->children) {
            stack.push_back(child.get());
        }
    }
}

std::vector<int32_t> RadixCache::first_page(const std::vector<int32_t> &tokens, size_t offset) const {
    return {tokens.begin() + static_cast<std::ptrdiff_t>(offset),
            tokens.begin() + static_cast<std::ptrdiff_t>(offset + static_cast<size_t>(page_size_))};
}

void RadixCache::touch(Node *node) {
    node->last_access = ++clock_;
}

RadixCache::Match RadixCache::match_prefix(const std::vector<int32_t> &tokens) {
    Match match;
    Node *node = root_.get();
    const size_t ps = static_cast<size_t>(page_size_);
    const size_t usable = tokens.size() / ps * ps;
    size_t offset = 0;
    touch(node);
    while (offset < usable) {
        auto it = node->children.find(first_page(tokens, offset));
        if (it == node->children.end()) {
            break;
        }
        Node *child = it->second.get();
        // Count whole pages of the edge that match.
        size_t common = 0;
        while (common < child->key.size() && offset + common < usable &&
               child->key[common] == tokens[offset + common]) {
            ++common;
        }
        common = common / ps * ps;
        if (common < child->key.size()) {
            child = split(child, common);
        }
        touch(child);
        match.pages.insert(match.pages.end(), child->pages.begin(), child->pages.end());
        offset += common;
        node = child;
        if (common < child->key.size()) {
            break;
        }
    }
    match.node = node;
    match.matched_tokens = static_cast<int64_t>(offset);
    return match;
}

RadixCache::Node *RadixCache::split(Node *node, size_t key_len) {
    // node (key = a+b) becomes parent (a) -> node (b). Lockers of node also pass through parent.
    Node *parent = node->parent;
    auto owned = std::move(parent->children.at(first_page(node->key, 0)));
    auto middle = std::make_unique<Node>();
    const size_t pages = key_len / static_cast<size_t>(page_size_);
    middle->key.assign(node->key.begin(), node->key.begin() + static_cast<std::ptrdiff_t>(key_len));
    middle->pages.assign(node->pages.begin(), node->pages.begin() + static_cast<std::ptrdiff_t>(pages));
    middle->parent = parent;
    middle->lock_ref = node->lock_ref;
    middle->last_access = node->last_access;
    node->key.erase(node->key.begin(), node->key.begin() + static_cast<std::ptrdiff_t>(key_len));
    node->pages.erase(node->pages.begin(), node->pages.begin() + static_cast<std::ptrdiff_t>(pages));
    node->parent = middle.get();
    Node *result = middle.get();
    middle->children.emplace(first_page(node->key, 0), std::move(owned));
    parent->children[first_page(result->key, 0)] = std::move(middle);
    return result;
}

int64_t RadixCache::insert(const std::vector<int32_t> &tokens, const std::vector<int32_t> &pages) {
    const size_t ps = static_cast<size_t>(page_size_);
    const size_t usable = std::min(tokens.size() / ps, pages.size()) * ps;
    Node *node = root_.get();
    size_t offset = 0;
    touch(node);
    while (offset < usable) {
        auto it = node->children.find(first_page(tokens, offset));
        if (it == node->children.end()) {
            auto leaf = std::make_unique<Node>();
            leaf->key.assign(tokens.begin() + static_cast<std::ptrdiff_t>(offset),
                             tokens.begin() + static_cast<std::ptrdiff_t>(usable));
            leaf->pages.assign(pages.begin() + static_cast<std::ptrdiff_t>(offset / ps),
                               pages.begin() + static_cast<std::ptrdiff_t>(usable / ps));
            for (int32_t page : leaf->pages) {
                allocator_.retain(page);
            }
            leaf->parent = node;
            touch(leaf.get());
            const auto added = static_cast<int64_t>(leaf->pages.size());
            cached_pages_ += added;
            evictable_pages_ += added;
            node->children.emplace(first_page(leaf->key, 0), std::move(leaf));
            return static_cast<int64_t>(offset);
        }
        Node *child = it->second.get();
        size_t common = 0;
        while (common < child->key.size() && offset + common < usable &&
               child->key[common] == tokens[offset + common]) {
            ++common;
        }
        common = common / ps * ps;
        if (common < child->key.size()) {
            child = split(child, common);
        }
        touch(child);
        offset += common;
        node = child;
    }
    return static_cast<int64_t>(offset);
}

void RadixCache::lock(Node *node) {
    for (; node != nullptr && node != root_.get(); node = node->parent) {
        if (node->lock_ref++ == 0) {
            evictable_pages_ -= static_cast<int64_t>(node->pages.size());
        }
    }
}

void RadixCache::unlock(Node *node) {
    for (; node != nullptr && node != root_.get(); node = node->parent) {
        if (--node->lock_ref == 0) {
            evictable_pages_ += static_cast<int64_t>(node->pages.size());
        }
    }
}

int64_t RadixCache::evict(int64_t pages) {
    using Entry = std::tuple<uint64_t, Node *>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> leaves;
    std::vector<Node *> stack{root_.get()};
    while (!stack.empty()) {
        Node *node = stack.back();
        stack.pop_back();
        if (node->children.empty() && node->lock_ref == 0) {
            leaves.emplace(node->last_access, node);
        }
        for (auto &[key, child] : node->children) {
            stack.push_back(child.get());
        }
    }
    int64_t released = 0;
    while (released < pages && !leaves.empty()) {
        Node *leaf = std::get<1>(leaves.top());
        leaves.pop();
        allocator_.release(leaf->pages);
        const auto n = static_cast<int64_t>(leaf->pages.size());
        released += n;
        cached_pages_ -= n;
        evictable_pages_ -= n;
        Node *parent = leaf->parent;
        parent->children.erase(first_page(leaf->key, 0));
        if (parent != root_.get() && parent->children.empty() && parent->lock_ref == 0) {
            leaves.emplace(parent->last_access, parent);
        }
    }
    return released;
}

} // namespace slipway::engine
