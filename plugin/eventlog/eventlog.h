#pragma once

#include "eventlogsettings.h"
#include "logdatabase.h"

#include "bus/event.h"
#include "interface/pyriteplugin.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace Pyrite {
class EventBus;
}

namespace Pyrite::Internal {

class EventQueue;
class LogParticipant;
class LogWorker;

// The event log room, as the bus thread sees it. append() only queues (a mutex and a deque):
// the log thread group-commits, so the publish path never waits on disk, unless durability is
// "sync", where append() returns once the event is committed (or the wait times out).
// Sequences and the epoch arrive with eventsStored(); events that other processes or instances
// wrote to a shared log arrive with remoteEventsReceived(), marked remote, in sequence order with
// the stored ones (PostgreSQL from the start, through LISTEN; SQLite once follow() is called).
class EventLog : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(EventLog)

public:
    struct Stats
    {
        quint64 appended = 0;
        quint64 stored = 0;
        quint64 dropped = 0;
        quint64 remote = 0;
        int waiting = 0;
        bool failing = false;
    };

    explicit EventLog(const EventLogSettings &settings, QObject *parent = nullptr);
    ~EventLog() override;

    // Work of another room done in each append's transaction and at retention (before open()).
    void addParticipant(std::shared_ptr<LogParticipant> participant);
    // Records the bus: every event published on it is appended (events of other instances, which
    // they logged, excepted), and those other instances' events are published on it.
    void record(EventBus *bus);

    // Starts the log thread and opens the database there. Blocks until it is open or has failed:
    // it runs at start-up, where a clear error beats a silent retry. readOnly: no writes, no
    // retention, no LISTEN (for pyrite-host commands that only look).
    bool open(bool readOnly, QString *errorString);
    void close();
    bool isOpen() const { return m_worker != nullptr; }

    // Reads what other processes sharing the log append, as remoteEventsReceived() (PostgreSQL
    // does from the start; a SQLite log from this call on).
    void follow();

    // The publish path. Returns false only with durability "sync" when the event was not
    // committed in time (it stays queued) or was dropped.
    bool append(const Event &event);

    QString epoch() const { return m_epoch; }
    qint64 lastSequence() const { return m_lastSequence.load(); }
    qint64 oldestSequence() const { return m_oldestSequence.load(); }
    Stats stats() const;
    // The same figures for /metrics and the bridge's "metrics" op.
    QList<MetricsService::Metric> serviceMetrics() const;
    const EventLogSettings &settings() const { return m_settings; }

    // Replay, run on the log thread. The blocking form is for commands and tests; the stream
    // server uses the asynchronous one. *oldest is where the log starts now.
    bool read(const LogQuery &query, QList<LoggedEvent> *events, qint64 *oldest,
              QString *errorString);
    using ReadCallback = std::function<void(const QList<LoggedEvent> &events, qint64 oldest,
                                            const QString &error)>;
    void readAsync(const LogQuery &query, QObject *context, ReadCallback callback);

    // Runs work on the log thread with its database connection (null while the log is closed or
    // the database unreachable). The asynchronous form calls done(result) on the receiver's thread
    // (the webhook dispatcher has one of its own). A receiver must outlive the jobs it posted: a
    // postBlocking() before it is destroyed is the barrier (jobs run in order), after which the
    // answers still queued for it go with it. The blocking form is for commands and that barrier.
    using Job = std::function<void(LogDatabase *database)>;
    void post(Job job);
    void postBlocking(Job job);
    // postBlocking() for work that needs the database: false with a message when it is not
    // available now (closed, or unreachable), else what work returns.
    bool withDatabase(const std::function<bool(LogDatabase &database)> &work, QString *errorString);
    template<typename Result>
    void runAsync(QObject *receiver, std::function<Result(LogDatabase *)> work,
                  std::function<void(const Result &)> done)
    {
        post([receiver, work = std::move(work), done = std::move(done)](LogDatabase *database) {
            Result result = work(database);
            QMetaObject::invokeMethod(
                    receiver, [done, result] { done(result); }, Qt::QueuedConnection);
        });
    }

Q_SIGNALS:
    void eventsStored(const QList<Pyrite::Event> &events);
    void remoteEventsReceived(const QList<Pyrite::Event> &events);
    void errorOccurred(const QString &message);
    void recovered();
    void eventsDropped(quint64 count);

private:
    EventLogSettings m_settings;
    QList<std::shared_ptr<LogParticipant>> m_participants;
    std::unique_ptr<EventQueue> m_queue;
    QThread *m_thread = nullptr;
    LogWorker *m_worker = nullptr;
    QString m_epoch;
    std::atomic<qint64> m_lastSequence{0};
    std::atomic<qint64> m_oldestSequence{1};
    quint64 m_appended = 0;
    quint64 m_stored = 0;
    quint64 m_remote = 0;
    bool m_failing = false;
};

} // namespace Pyrite::Internal
