#include "logs/log_bridge.h"

#include <QDateTime>
#include <QList>
#include <QMetaObject>
#include <mutex>

#include "logs/log_model.h"

namespace slipway::ui {

// Shared by the bridge and every sink it handed out; outlives the bridge when producers do.
struct LogBridge::Inbox {
    std::mutex mutex;
    LogBridge *bridge = nullptr;  // null once the bridge is gone
    QList<LogLine> lines;
    qsizetype capacity = 0;
    qint64 dropped = 0;           // lines pushed out before a flush took them
    bool scheduled = false;

    void post(const QString &text) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        std::lock_guard lock(mutex);
        if (!bridge) return;
        lines.append(LogLine{text, now});
        if (lines.size() > capacity) {
            lines.removeFirst();
            ++dropped;
        }
        if (!scheduled) {
            scheduled = true;
            // Posted to the bridge's thread; the lock keeps the bridge alive until it is queued.
            QMetaObject::invokeMethod(bridge, "scheduleFlush", Qt::QueuedConnection);
        }
    }
};

LogBridge::LogBridge(LogModel *model, QObject *parent, int flushIntervalMs)
    : QObject(parent), m_model(model), m_inbox(std::make_shared<Inbox>()) {
    m_inbox->bridge = this;
    m_inbox->capacity = model->maxLines();
    m_timer.setSingleShot(true);
    m_timer.setInterval(flushIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LogBridge::flush);
}

LogBridge::~LogBridge() {
    std::lock_guard lock(m_inbox->mutex);
    m_inbox->bridge = nullptr;
    m_inbox->lines.clear();
}

void LogBridge::post(const QString &line) { m_inbox->post(line); }

std::function<void(const std::string &)> LogBridge::lineSink() const {
    return [inbox = m_inbox](const std::string &line) {
        inbox->post(QString::fromUtf8(line.data(), qsizetype(line.size())));
    };
}

void LogBridge::scheduleFlush() {
    if (!m_timer.isActive()) m_timer.start();
}

void LogBridge::flush() {
    QList<LogLine> batch;
    qint64 dropped = 0;
    {
        std::lock_guard lock(m_inbox->mutex);
        batch.swap(m_inbox->lines);
        std::swap(dropped, m_inbox->dropped);
        m_inbox->scheduled = false;
        m_inbox->capacity = m_model->maxLines();
    }
    m_timer.stop();
    m_model->noteDropped(dropped);
    m_model->appendLines(batch);
}

} // namespace slipway::ui
