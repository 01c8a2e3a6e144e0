// Watches and log streams against the Kubernetes API test server, with faults: a watch cut
// mid-stream resumes from its resourceVersion without missing or repeating events; 410 Gone lists
// again; a stalled stream is detected and replaced; log follow streams reconnect with sinceTime
// and lose or repeat no line (even lines that share a timestamp); 401 stops the stream with the
// distinct message and the same cursor resumes after a re-login.
#include "kube_test_server.h"

#include "kube/api_error.h"
#include "kube/client.h"
#include "kube/logs.h"
#include "kube/watch.h"

#include <QTest>

#include <memory>
#include <mutex>
#include <set>
#include <thread>

using namespace slipway;
using namespace slipway::kube;
using slipway::testing::KubeTestServer;

namespace {

#define VERIFY_OK(expr)                                                                                    \
    do {                                                                                                   \
        const auto &result_ = (expr);                                                                      \
        QVERIFY2(result_.ok(), result_.ok() ? "" : result_.message().c_str());                             \
    } while (false)

// (JSON for the control API is built with plain literals: moc 6.4 misreads raw strings that
// end in a quote.)

// What a watch delivered, shared between the watching thread and the test.
struct WatchLog {
    std::mutex mutex;
    std::vector<std::vector<std::string>> lists; // names per onList
    std::vector<std::pair<WatchEventType, std::string>> events; // (type, name) without bookmarks
    std::vector<std::string> resourceVersions;
    std::vector<std::string> notices;

    WatchCallbacks callbacks()
    {
        WatchCallbacks c;
        c.onList = [this](const ObjectList &list) {
            std::lock_guard lock(mutex);
            std::vector<std::string> names;
            for (const Object &o : list.items)
                names.push_back(o.name);
            lists.push_back(names);
        };
        c.onEvent = [this](const WatchEvent &e) {
            std::lock_guard lock(mutex);
            if (e.type != WatchEventType::Bookmark) {
                events.emplace_back(e.type, e.object.name);
                resourceVersions.push_back(e.object.resourceVersion);
            }
            return true;
        };
        c.onNotice = [this](const std::string &text) {
            std::lock_guard lock(mutex);
            notices.push_back(text);
        };
        return c;
    }
    bool hasEvent(WatchEventType type, const std::string &name)
    {
        std::lock_guard lock(mutex);
        return std::count(events.begin(), events.end(), std::make_pair(type, name)) > 0;
    }
    int count(WatchEventType type, const std::string &name)
    {
        std::lock_guard lock(mutex);
        return int(std::count(events.begin(), events.end(), std::make_pair(type, name)));
    }
    size_t listCount()
    {
        std::lock_guard lock(mutex);
        return lists.size();
    }
};

struct LineLog {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::vector<std::string> notices;
    size_t size()
    {
        std::lock_guard lock(mutex);
        return lines.size();
    }
    std::vector<std::string> snapshot()
    {
        std::lock_guard lock(mutex);
        return lines;
    }
};

std::string jsonList(const std::vector<std::string> &lines)
{
    std::string out = "[";
    for (size_t i = 0; i < lines.size(); ++i)
        out += (i ? ",\"" : "\"") + lines[i] + "\"";
    return out + "]";
}

} // namespace

class TestKubeStreams : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<KubeTestServer> m_server;
    std::unique_ptr<Client> m_admin;

    void configMap(const std::string &name, const std::string &value = "1")
    {
        VERIFY_OK(m_admin->apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: w\n"
                                 "data:\n  v: \"" + value + "\"\n"));
    }
    int openStreams(const char *kind) const
    {
        const std::string body = m_server->controlGet("streams");
        const auto at = body.find(std::string("\"") + kind + "\":");
        return at == std::string::npos ? -1 : std::atoi(body.c_str() + at + std::strlen(kind) + 3);
    }
    void addPod(const std::string &name, const std::string &state = "Running")
    {
        const std::string body = "{\"namespace\":\"w\",\"name\":\"" + name + "\",\"state\":\"" + state + "\"}";
        QVERIFY(m_server->control("pods", body).find("ok") != std::string::npos);
    }
    void appendLines(const std::string &pod, const std::vector<std::string> &lines, bool sameTimestamp = false)
    {
        const std::string tail = sameTimestamp ? ",\"sameTimestamp\":true}" : "}";
        m_server->control("logs", "{\"namespace\":\"w\",\"pod\":\"" + pod + "\",\"container\":\"server\",\"lines\":" +
                                      jsonList(lines) + tail);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>(QStringList{QStringLiteral("--bookmark-ms"), QStringLiteral("150")});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_admin = std::make_unique<Client>(m_server->connection(KubeTestServer::kAdminToken, "w"));
        VERIFY_OK(m_admin->apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: w\n"));
    }

    void listThenWatchWithBookmarks()
    {
        configMap("a");
        configMap("b");
        WatchLog log;
        WatchState state;
        net::CancelToken cancel;
        Result<void> result;
        std::thread watcher([&] {
            result = listAndWatch(*m_admin, "v1", "ConfigMap", "w", {}, log.callbacks(), state, &cancel);
        });
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("watch") == 1; }));
        QCOMPARE(log.lists.at(0), (std::vector<std::string>{"a", "b"}));
        configMap("c");
        configMap("a", "2");
        VERIFY_OK(m_admin->remove({"v1", "ConfigMap", "w", "b"}));
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Deleted, "b"); }));
        QVERIFY(KubeTestServer::waitFor([&] { return state.bookmarks >= 2; }));
        cancel.cancel();
        watcher.join();
        VERIFY_OK(result);
        std::lock_guard lock(log.mutex);
        QCOMPARE(log.events.size(), size_t(3));
        QCOMPARE(log.events[0], std::make_pair(WatchEventType::Added, std::string("c")));
        QCOMPARE(log.events[1], std::make_pair(WatchEventType::Modified, std::string("a")));
        QCOMPARE(log.events[2], std::make_pair(WatchEventType::Deleted, std::string("b")));
        QCOMPARE(state.lists, 1);
    }

    void droppedWatchResumesFromResourceVersion()
    {
        WatchLog log;
        WatchState state;
        net::CancelToken cancel;
        WatchOptions options;
        options.retryDelay = std::chrono::milliseconds(400);
        Result<void> result;
        std::thread watcher([&] { result = listAndWatch(*m_admin, "v1", "ConfigMap", "w", options, log.callbacks(), state, &cancel); });
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("watch") == 1; }));
        configMap("before-drop");
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Added, "before-drop"); }));
        m_server->control("drop");
        // While the client waits to reconnect, the world changes.
        configMap("while-away");
        configMap("before-drop", "changed");
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Modified, "before-drop"); }));
        configMap("after-return");
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Added, "after-return"); }));
        cancel.cancel();
        watcher.join();
        VERIFY_OK(result);
        QCOMPARE(state.lists, 1);               // resumed, not relisted
        QVERIFY(state.reconnects >= 1);
        QCOMPARE(log.count(WatchEventType::Added, "while-away"), 1);
        QCOMPARE(log.count(WatchEventType::Added, "before-drop"), 1);
        std::lock_guard lock(log.mutex);
        const std::set<std::string> unique(log.resourceVersions.begin(), log.resourceVersions.end());
        QCOMPARE(unique.size(), log.resourceVersions.size()); // nothing delivered twice
        QVERIFY(!log.notices.empty());
    }

    void goneResourceVersionRelists()
    {
        WatchLog log;
        WatchState state;
        net::CancelToken cancel;
        WatchOptions options;
        options.retryDelay = std::chrono::milliseconds(1000); // time to compact before the client returns
        Result<void> result;
        std::thread watcher([&] { result = listAndWatch(*m_admin, "v1", "ConfigMap", "w", options, log.callbacks(), state, &cancel); });
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("watch") == 1; }));
        m_server->control("drop");
        configMap("during-compaction");
        m_server->control("compact"); // the resourceVersion the client holds is now too old
        QVERIFY(KubeTestServer::waitFor([&] { return log.listCount() == 2; }));
        cancel.cancel();
        watcher.join();
        VERIFY_OK(result);
        QCOMPARE(state.lists, 2);
        std::lock_guard lock(log.mutex);
        const auto &relist = log.lists.at(1);
        QVERIFY(std::find(relist.begin(), relist.end(), "during-compaction") != relist.end());
        bool toldGone = false;
        for (const std::string &n : log.notices)
            toldGone |= n.find("410 Gone") != std::string::npos;
        QVERIFY(toldGone);
    }

    void stalledWatchIsDetected()
    {
        WatchLog log;
        WatchState state;
        net::CancelToken cancel;
        WatchOptions options;
        options.stallTimeout = std::chrono::milliseconds(1000); // bookmarks come every 150 ms
        options.retryDelay = std::chrono::milliseconds(100);
        Result<void> result;
        std::thread watcher([&] { result = listAndWatch(*m_admin, "v1", "ConfigMap", "w", options, log.callbacks(), state, &cancel); });
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("watch") == 1; }));
        m_server->control("stall");
        configMap("sent-into-the-stall");
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Added, "sent-into-the-stall"); }));
        cancel.cancel();
        watcher.join();
        VERIFY_OK(result);
        QCOMPARE(state.lists, 1);
        QVERIFY(state.reconnects >= 1);
        std::lock_guard lock(log.mutex);
        bool toldStall = false;
        for (const std::string &n : log.notices)
            toldStall |= n.find("stalled") != std::string::npos;
        QVERIFY2(toldStall, log.notices.empty() ? "no notice" : log.notices.front().c_str());
    }

    void unauthorizedWatchResumesAfterLogin()
    {
        m_server->control("tokens", R"({"token":"watch-token","user":"ops"})");
        Client ops(m_server->connection("watch-token", "w"));
        WatchLog log;
        WatchState state;
        WatchOptions options;
        options.retryDelay = std::chrono::milliseconds(100);
        Result<void> result;
        std::thread watcher([&] { result = listAndWatch(ops, "v1", "ConfigMap", "w", options, log.callbacks(), state); });
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("watch") == 1; }));
        m_server->control("expire", R"({"token":"watch-token"})");
        m_server->control("drop");
        watcher.join();
        QVERIFY(!result.ok());
        QVERIFY(isUnauthorized(result.error()));
        const std::string kept = state.resourceVersion;
        QVERIFY(!kept.empty());
        configMap("while-logged-out");
        // Log in again and resume with the same state: no relist, nothing missed.
        m_server->control("tokens", R"({"token":"watch-token-2","user":"ops"})");
        ops.replaceToken("watch-token-2");
        net::CancelToken cancel;
        std::thread resumed([&] { result = listAndWatch(ops, "v1", "ConfigMap", "w", options, log.callbacks(), state, &cancel); });
        QVERIFY(KubeTestServer::waitFor([&] { return log.hasEvent(WatchEventType::Added, "while-logged-out"); }));
        cancel.cancel();
        resumed.join();
        VERIFY_OK(result);
        QCOMPARE(state.lists, 1);
    }

    void followReconnectsWithoutLossOrRepeat()
    {
        addPod("llm-0");
        appendLines("llm-0", {"loading weights", "weights loaded"});
        appendLines("llm-0", {"same-ts-1", "same-ts-2", "same-ts-3"}, true); // one timestamp for three lines
        LineLog log;
        LogCursor cursor;
        LogOptions options;
        options.namespaceName = "w";
        options.pod = "llm-0";
        options.retryDelay = std::chrono::milliseconds(300);
        Result<void> result;
        std::thread follower([&] {
            result = followLogs(*m_admin, options, [&](const LogLine &line) {
                std::lock_guard lock(log.mutex);
                log.lines.push_back(line.text);
                return true;
            }, cursor, nullptr, [&](const std::string &n) { std::lock_guard lock(log.mutex); log.notices.push_back(n); });
        });
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 5; }));
        m_server->control("drop");
        appendLines("llm-0", {"written while disconnected"});
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 6; }));
        QVERIFY(KubeTestServer::waitFor([&] { return openStreams("log") == 1; }));
        appendLines("llm-0", {"server ready on port 40000"});
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 7; }));
        // The container ends: the stream closes and followLogs returns.
        m_server->control("pod-state", R"({"namespace":"w","name":"llm-0","state":"Succeeded"})");
        follower.join();
        VERIFY_OK(result);
        QCOMPARE(log.snapshot(), (std::vector<std::string>{"loading weights", "weights loaded", "same-ts-1", "same-ts-2",
                                                           "same-ts-3", "written while disconnected",
                                                           "server ready on port 40000"}));
        QVERIFY(cursor.reconnects >= 1);
        QCOMPARE(cursor.lines, 7);
    }

    void stalledLogStreamIsReplaced()
    {
        addPod("llm-1");
        appendLines("llm-1", {"one"});
        LineLog log;
        LogCursor cursor;
        LogOptions options;
        options.namespaceName = "w";
        options.pod = "llm-1";
        options.container = "server";
        options.timestamps = true;
        options.stallTimeout = std::chrono::milliseconds(600);
        options.retryDelay = std::chrono::milliseconds(100);
        net::CancelToken cancel;
        Result<void> result;
        std::thread follower([&] {
            result = followLogs(*m_admin, options, [&](const LogLine &line) {
                std::lock_guard lock(log.mutex);
                log.lines.push_back(line.text);
                return true;
            }, cursor, &cancel, [&](const std::string &n) { std::lock_guard lock(log.mutex); log.notices.push_back(n); });
        });
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 1; }));
        m_server->control("stall");
        appendLines("llm-1", {"two", "three"});
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 3; }));
        cancel.cancel();
        follower.join();
        VERIFY_OK(result);
        const auto lines = log.snapshot();
        // timestamps=true keeps the RFC 3339 prefix.
        QVERIFY(lines[0].ends_with(" one") && lines[0].size() > 30 && lines[0][10] == 'T');
        QVERIFY(lines[1].ends_with(" two"));
        QVERIFY(lines[2].ends_with(" three"));
        std::lock_guard lock(log.mutex);
        bool toldStall = false;
        for (const std::string &n : log.notices)
            toldStall |= n.find("stalled") != std::string::npos;
        QVERIFY(toldStall);
    }

    void previousTailAndWaiting()
    {
        addPod("llm-2");
        appendLines("llm-2", {"l1", "l2", "l3", "CUDA out of memory"});
        m_server->control("pod-state", R"({"namespace":"w","name":"llm-2","state":"OOMKilled"})");
        appendLines("llm-2", {"restarted"});
        auto collect = [&](LogOptions options) {
            std::vector<std::string> lines;
            LogCursor cursor;
            auto r = followLogs(*m_admin, options, [&](const LogLine &l) { lines.push_back(l.text); return true; }, cursor);
            return std::make_pair(r.ok() ? std::string() : r.message(), lines);
        };
        LogOptions previous;
        previous.namespaceName = "w";
        previous.pod = "llm-2";
        previous.previous = true;
        auto [previousError, previousLines] = collect(previous);
        QVERIFY2(previousError.empty(), previousError.c_str());
        QCOMPARE(previousLines, (std::vector<std::string>{"l1", "l2", "l3", "CUDA out of memory"}));

        LogOptions tail;
        tail.namespaceName = "w";
        tail.pod = "llm-1";
        tail.follow = false;
        tail.tailLines = 2;
        auto [tailError, tailLines] = collect(tail);
        QVERIFY2(tailError.empty(), tailError.c_str());
        QCOMPARE(tailLines, (std::vector<std::string>{"two", "three"}));

        addPod("llm-3", "ContainerCreating");
        LogOptions waiting;
        waiting.namespaceName = "w";
        waiting.pod = "llm-3";
        waiting.follow = false;
        auto [waitingError, none] = collect(waiting);
        QVERIFY(none.empty());
        QVERIFY2(waitingError.find("waiting to start: ContainerCreating") != std::string::npos, waitingError.c_str());

        LogOptions missing;
        missing.namespaceName = "w";
        missing.pod = "nope";
        auto [missingError, nothing] = collect(missing);
        QVERIFY(missingError.starts_with("not found: "));
    }

    void unauthorizedLogResumesAfterLogin()
    {
        addPod("llm-4");
        appendLines("llm-4", {"a", "b"});
        m_server->control("tokens", R"({"token":"log-token","user":"ops"})");
        Client ops(m_server->connection("log-token", "w"));
        LineLog log;
        LogCursor cursor;
        LogOptions options;
        options.namespaceName = "w";
        options.pod = "llm-4";
        options.retryDelay = std::chrono::milliseconds(100);
        auto onLine = [&](const LogLine &line) {
            std::lock_guard lock(log.mutex);
            log.lines.push_back(line.text);
            return true;
        };
        Result<void> result;
        std::thread follower([&] { result = followLogs(ops, options, onLine, cursor); });
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 2; }));
        m_server->control("expire", R"({"token":"log-token"})");
        m_server->control("drop");
        follower.join();
        QVERIFY(!result.ok());
        QVERIFY(isUnauthorized(result.error()));
        appendLines("llm-4", {"c"});
        m_server->control("tokens", R"({"token":"log-token-2","user":"ops"})");
        ops.replaceToken("log-token-2");
        net::CancelToken cancel;
        std::thread resumed([&] { result = followLogs(ops, options, onLine, cursor, &cancel); });
        QVERIFY(KubeTestServer::waitFor([&] { return log.size() == 3; }));
        cancel.cancel();
        resumed.join();
        VERIFY_OK(result);
        QCOMPARE(log.snapshot(), (std::vector<std::string>{"a", "b", "c"}));
    }

    void splitsTimestamps()
    {
        const LogLine line = splitTimestamp("2024-05-01T10:00:00.123456789Z hello world");
        QCOMPARE(line.timestamp, std::string("2024-05-01T10:00:00.123456789Z"));
        QCOMPARE(line.text, std::string("hello world"));
        const LogLine plain = splitTimestamp("no timestamp here");
        QVERIFY(plain.timestamp.empty());
        QCOMPARE(plain.text, std::string("no timestamp here"));
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(TestKubeStreams)
#include "test_kube_streams.moc"
