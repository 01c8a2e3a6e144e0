#pragma once
// Carries log lines from any thread into a LogModel on the GUI thread. Producers (a process's
// reader thread, a pod-log stream) call post() or the lineSink() function; lines are stamped with
// their arrival time and collected, and the GUI thread appends them as one batch per flush
// interval (50 ms by default), so 10k lines a second cost 20 model updates, not 10k.
//
// Thread-safety: post() and lineSink() may be called from any thread, also after this object is
// gone (lines are then dropped). Everything else: the GUI thread. Lines waiting for a flush are
// bounded by the model's maxLines (the oldest go first).
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <memory>
#include <string>

namespace slipway::ui {

class LogModel;

class LogBridge final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogBridge)

public:
    // `model` is not owned and must outlive this bridge (LogSourceModel parents both).
    explicit LogBridge(LogModel *model, QObject *parent = nullptr, int flushIntervalMs = 50);
    ~LogBridge() override;

    void post(const QString &line);
    // A function for Qt-free producers (core/local's line callback); UTF-8 in.
    std::function<void(const std::string &line)> lineSink() const;

    LogModel *model() const { return m_model; }

public slots:
    // Appends what has arrived now (the timer calls it; tests may too).
    void flush();

private slots:
    void scheduleFlush();

private:
    struct Inbox;
    LogModel *m_model;
    QTimer m_timer;
    std::shared_ptr<Inbox> m_inbox;
};

} // namespace slipway::ui
