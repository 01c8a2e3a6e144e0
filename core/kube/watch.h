#pragma once
// List, then watch: the informer pattern without a cache. The first call lists (onList gets the
// whole state and its resourceVersion), then watches from that resourceVersion with bookmarks;
// a dropped or stalled stream reconnects from the last resourceVersion seen (nothing is missed or
// delivered twice); a 410 Gone ("too old") lists again and calls onList with the fresh state.
#include "common/result.h"
#include "kube/client.h"

#include <chrono>
#include <functional>
#include <string>

namespace slipway::kube {

enum class WatchEventType { Added, Modified, Deleted, Bookmark };

struct WatchEvent {
    WatchEventType type = WatchEventType::Added;
    Object object;   // for a Bookmark only resourceVersion is set
};

struct WatchOptions {
    ListOptions list;                              // labelSelector / fieldSelector for both list and watch
    int timeoutSeconds = 0;                        // asks the server to end each watch after this long (0: its default)
    std::chrono::milliseconds stallTimeout{0};     // reconnect when nothing (not even a bookmark) came for this long
    int maxConsecutiveFailures = 5;                // then give up with the last failure's message
    std::chrono::milliseconds retryDelay{500};     // first pause before a reconnect; doubles up to 8 s
};

struct WatchCallbacks {
    std::function<void(const ObjectList &)> onList;       // the full state: replace whatever you had
    std::function<bool(const WatchEvent &)> onEvent;      // false stops the watch (listAndWatch returns OK)
    std::function<void(const std::string &)> onNotice;    // reconnects and relists, in words (no secrets)
};

// Where a watch is. Keep it to resume after a re-login: a non-empty resourceVersion skips the list.
struct WatchState {
    std::string resourceVersion;
    int lists = 0;
    int reconnects = 0;
    int events = 0;   // ADDED/MODIFIED/DELETED delivered
    int bookmarks = 0;
};

// Runs until cancelled, until onEvent returns false (both: OK), or until a failure that waiting
// does not fix: 401 (kUnauthorizedMessage; log in, replaceToken(), call again with the same
// state), 403, a kind the cluster does not serve, or maxConsecutiveFailures transport failures.
Result<void> listAndWatch(Client &client, std::string_view apiVersion, std::string_view kind,
                          std::string_view namespaceName, const WatchOptions &options, const WatchCallbacks &callbacks,
                          WatchState &state, const net::CancelToken *cancel = nullptr);

} // namespace slipway::kube
