#pragma once

#include "bus/event.h"
#include "eventlogsettings.h"
#include "eventqueue.h"
#include "logdatabase.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Pyrite::Internal {

class LogParticipant;

// Lives on the log thread and owns its database connection: writes queued events in batches
// (group commit: at most batchMaxEvents, at most batchMaxDelayMs after the first), retries with
// backoff while the database is unreachable, prunes on a timer, and (PostgreSQL) listens for
// other instances' commits.
class LogWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(LogWorker)

public:
    LogWorker(const EventLogSettings &settings,
              const QList<std::shared_ptr<LogParticipant>> &participants, EventQueue *queue,
              const QString &origin, bool readOnly);
    ~LogWorker() override;

    // Called on the log thread (blocking-queued from EventLog).
    bool open(QString *errorString);
    void wake();
    // Reads what other processes append to the shared log and emits it as remoteEvents()
    // (PostgreSQL does from the start, through LISTEN; SQLite only when asked to).
    void follow();
    void shutdown();
    bool read(const LogQuery &query, QList<LoggedEvent> *events, qint64 *oldest,
              QString *errorString);

    // The connection for jobs the log thread runs for others (the webhook operations); null while
    // it is not usable.
    LogDatabase *database() { return m_db.isOpen() && !m_failing ? &m_db : nullptr; }

    QString epoch() const { return m_db.epoch(); }
    qint64 lastSequence() const { return m_db.lastSequence(); }

Q_SIGNALS:
    void stored(const QList<Pyrite::Event> &events, qint64 lastSequence);
    void remoteEvents(const QList<Pyrite::Event> &events);
    void failed(const QString &message);
    void recovered();
    void dropped(quint64 count);
    void pruned(int count, qint64 oldestSequence);

private:
    void flush();
    void reportDropped();
    QList<Event> writeOneByOne(const QList<EventQueue::Item> &items, const QString &batchError,
                               QList<EventQueue::Item> *unwritten);
    void retry();
    // Foreign events after the last seen, up to upTo (-1: all there are).
    void fetchForeign(qint64 upTo = -1);
    void pollDataVersion();
    void startPruning();
    void pruneChunk();
    // Retention of participant `index`'s rows, a chunk at a time.
    void pruneParticipantChunk(int index);
    void enterFailure(const QString &message);
    bool listen();
    void heartbeat();

    EventLogSettings m_settings;
    QList<std::shared_ptr<LogParticipant>> m_participants;
    EventQueue *m_queue;
    QString m_origin;
    bool m_readOnly;
    LogDatabase m_db;
    QTimer *m_batchTimer;
    QTimer *m_retryTimer;
    QTimer *m_retentionTimer;
    QTimer *m_heartbeatTimer;
    QTimer *m_followTimer;
    int m_retryDelayMs = 0;
    bool m_failing = false;
    qint64 m_foreignSeen = 0;
    bool m_following = false;
    qint64 m_dataVersion = -1;
    int m_prunedInRun = 0;
    QList<int> m_participantPrunedInRun;
};

} // namespace Pyrite::Internal
