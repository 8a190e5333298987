#include "logworker.h"

#include "eventlogtr.h"

#include "eventqueue.h"
#include "logparticipant.h"

#include "logging.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QThread>

namespace Pyrite::Internal {

namespace {
constexpr int FirstRetryMs = 250;
constexpr int MaxRetryMs = 10000;
constexpr int PruneChunk = 5000;
constexpr int ForeignPage = 1000;
// An idle listener learns that its connection died only by using it.
constexpr int HeartbeatMs = 1000;
// How often a SQLite log that follows other processes' appends looks for them.
constexpr int FollowIntervalMs = 5;
} // namespace

LogWorker::LogWorker(const EventLogSettings &settings,
                     const QList<std::shared_ptr<LogParticipant>> &participants, EventQueue *queue,
                     const QString &origin, bool readOnly)
    : m_settings(settings),
      m_participants(participants),
      m_queue(queue),
      m_origin(origin),
      m_readOnly(readOnly),
      m_db(settings, QStringLiteral("pyrite-eventlog-") + origin),
      m_batchTimer(new QTimer(this)),
      m_retryTimer(new QTimer(this)),
      m_retentionTimer(new QTimer(this)),
      m_heartbeatTimer(new QTimer(this)),
      m_followTimer(new QTimer(this)),
      m_participantPrunedInRun(participants.size(), 0)
{
    m_db.setParticipants(participants);
    connect(m_followTimer, &QTimer::timeout, this, &LogWorker::pollDataVersion);
    m_heartbeatTimer->setInterval(HeartbeatMs);
    connect(m_heartbeatTimer, &QTimer::timeout, this, &LogWorker::heartbeat);
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setInterval(settings.batchMaxDelayMs);
    connect(m_batchTimer, &QTimer::timeout, this, &LogWorker::flush);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &LogWorker::retry);
    m_retentionTimer->setInterval(settings.retentionIntervalSeconds * 1000);
    connect(m_retentionTimer, &QTimer::timeout, this, &LogWorker::startPruning);
}

LogWorker::~LogWorker() = default;

bool LogWorker::open(QString *errorString)
{
    if (!m_db.open(errorString))
        return false;
    m_foreignSeen = m_db.lastSequence();
    if (!m_readOnly) {
        if (m_settings.driver == EventLogSettings::Driver::Postgresql) {
            if (!listen()) {
                if (errorString)
                    *errorString = EventLogTr::tr("event log %1: cannot LISTEN on channel \"%2\"")
                                           .arg(m_settings.describe(), m_settings.channel);
                return false;
            }
            m_heartbeatTimer->start();
            m_following = true;
        }
        if (m_settings.retentionMaxAgeSeconds > 0 || m_settings.retentionMaxEvents > 0 ||
            !m_participants.isEmpty()) {
            m_retentionTimer->start();
            QTimer::singleShot(0, this, &LogWorker::startPruning);
        }
    }
    return true;
}

bool LogWorker::listen()
{
    QSqlDriver *driver = m_db.database().driver();
    if (!driver->subscribeToNotification(m_settings.channel))
        return false;
    connect(driver, &QSqlDriver::notification, this,
            [this](const QString &, QSqlDriver::NotificationSource source, const QVariant &) {
                // Our own commits are already on our bus.
                if (source != QSqlDriver::SelfSource)
                    fetchForeign();
            });
    return true;
}

void LogWorker::heartbeat()
{
    if (m_failing)
        return; // the retry timer is on it
    // QPSQL closes the connection by itself when the server ends it under a LISTEN.
    QString error;
    if (!m_db.isOpen())
        enterFailure(EventLogTr::tr("event log %1: the server closed the connection")
                             .arg(m_settings.describe()));
    else if (!m_db.ping(&error))
        enterFailure(error);
}

void LogWorker::wake()
{
    m_queue->writerWoken();
    if (m_failing)
        return; // the retry timer flushes once the database is back
    if (m_queue->size() >= m_settings.batchMaxEvents || m_queue->hasWaiter()) {
        m_batchTimer->stop();
        flush();
    } else if (!m_batchTimer->isActive()) {
        m_batchTimer->start();
    }
}

void LogWorker::enterFailure(const QString &message)
{
    m_db.close(); // reconnect from scratch on the next try
    m_retryDelayMs = m_retryDelayMs == 0 ? FirstRetryMs : std::min(MaxRetryMs, m_retryDelayMs * 2);
    if (!m_failing) {
        m_failing = true;
        qCWarning(lcLog).noquote()
                << message << "- events wait in memory (up to" << m_queue->limit()
                << ") and are written when the database is back";
        Q_EMIT failed(message);
    }
    m_retryTimer->start(m_retryDelayMs);
}

void LogWorker::retry()
{
    reportDropped(); // during an outage too, not only once it is over
    if (!m_db.isOpen()) {
        QString error;
        if (!m_db.open(&error) ||
            (m_settings.driver == EventLogSettings::Driver::Postgresql && !m_readOnly &&
             !listen())) {
            qCDebug(lcLog).noquote() << "still failing:" << error;
            enterFailure(error);
            return;
        }
    }
    m_failing = false;
    m_retryDelayMs = 0;
    qCInfo(lcLog).noquote() << "event log" << m_settings.describe() << "is writable again;"
                            << m_queue->size() << "waiting events follow";
    Q_EMIT recovered();
    if (m_following)
        fetchForeign(); // what other instances wrote while we were away
    flush();
}

void LogWorker::reportDropped()
{
    if (const quint64 newlyDropped = m_queue->takeNewlyDropped()) {
        qCWarning(lcLog).noquote()
                << "event log queue was full:" << newlyDropped
                << "oldest waiting events were dropped (queue_limit" << m_queue->limit() << ")";
        Q_EMIT dropped(newlyDropped);
    }
}

void LogWorker::flush()
{
    reportDropped();
    if (m_failing)
        return;
    QList<EventQueue::Item> items = m_queue->take(m_settings.batchMaxEvents);
    if (items.isEmpty())
        return;
    QList<Event> events;
    events.reserve(items.size());
    for (const EventQueue::Item &item : std::as_const(items))
        events.append(item.event);
    QString error;
    bool dataError = false;
    const bool wholeBatch = m_db.isOpen() && m_db.append(&events, m_origin, &error, &dataError);
    if (!wholeBatch) {
        if (!dataError) {
            m_queue->requeue(items);
            enterFailure(
                    error.isEmpty()
                            ? EventLogTr::tr("event log %1 is not open").arg(m_settings.describe())
                            : error);
            return;
        }
        // The database refused the data of the batch: one bad event must not hold up the log.
        QList<EventQueue::Item> unwritten;
        events = writeOneByOne(items, error, &unwritten);
        if (!unwritten.isEmpty()) {
            m_queue->requeue(unwritten);
            enterFailure(error);
        }
        if (events.isEmpty())
            return;
    }
    // Events other processes committed before this batch go out first, so that the stored events
    // come out in sequence order.
    if (m_following && m_foreignSeen < events.constFirst().sequence() - 1)
        fetchForeign(events.constFirst().sequence() - 1);
    if (m_foreignSeen == events.constFirst().sequence() - 1)
        m_foreignSeen = events.constLast().sequence();
    if (wholeBatch)
        m_queue->markCommitted(items); // (one by one, each was marked as it was written)
    Q_EMIT stored(events, m_db.lastSequence());
    if (m_queue->size() > 0) {
        // More is waiting: write it after letting queued calls (reads, shutdown) in.
        QTimer::singleShot(0, this, &LogWorker::flush);
    }
}

QList<Event> LogWorker::writeOneByOne(const QList<EventQueue::Item> &items,
                                      const QString &batchError, QList<EventQueue::Item> *unwritten)
{
    QList<Event> written;
    int refused = 0;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const EventQueue::Item &item = items.at(i);
        QList<Event> one{item.event};
        QString error;
        bool dataError = false;
        if (m_db.append(&one, m_origin, &error, &dataError)) {
            written.append(one);
            m_queue->markCommitted({item});
        } else if (dataError) {
            ++refused;
            qCWarning(lcLog).noquote()
                    << "event" << item.event.id() << "of type" << item.event.type()
                    << "was refused by the log and is dropped:" << error;
        } else {
            // An outage after all: the rest waits for the database.
            *unwritten = items.mid(i);
            break;
        }
    }
    if (refused > 0) {
        qCWarning(lcLog).noquote() << refused << "of" << items.size()
                                   << "events were refused; the batch failed with:" << batchError;
        Q_EMIT dropped(quint64(refused));
    }
    return written;
}

void LogWorker::fetchForeign(qint64 upTo)
{
    if (m_failing || !m_db.isOpen())
        return;
    for (;;) {
        QList<Event> events;
        qint64 lastSeen = m_foreignSeen;
        QString error;
        if (!m_db.readForeign(m_foreignSeen, upTo, m_origin, ForeignPage, &events, &lastSeen,
                              &error)) {
            qCWarning(lcLog).noquote() << error;
            return;
        }
        const bool full = lastSeen - m_foreignSeen >= ForeignPage;
        m_foreignSeen = lastSeen;
        if (!events.isEmpty())
            Q_EMIT remoteEvents(events);
        if (!full)
            return;
    }
}

void LogWorker::follow()
{
    if (m_following || m_readOnly || !m_db.isOpen())
        return;
    m_following = true;
    // SQLite has no NOTIFY: data_version changes when another connection commits, and reading it
    // costs next to nothing, so it is looked at often.
    m_followTimer->start(FollowIntervalMs);
    fetchForeign();
}

void LogWorker::pollDataVersion()
{
    if (m_failing || !m_db.isOpen())
        return;
    qint64 version = 0;
    QString error;
    if (!m_db.dataVersion(&version, &error)) {
        qCWarning(lcLog).noquote() << error;
        return;
    }
    if (version == m_dataVersion)
        return;
    m_dataVersion = version;
    fetchForeign();
}

void LogWorker::startPruning()
{
    m_prunedInRun = 0;
    if (m_settings.retentionMaxAgeSeconds > 0 || m_settings.retentionMaxEvents > 0)
        pruneChunk();
    for (int i = 0; i < m_participants.size(); ++i) {
        m_participantPrunedInRun[i] = 0;
        pruneParticipantChunk(i);
    }
}

void LogWorker::pruneParticipantChunk(int index)
{
    if (m_failing || !m_db.isOpen())
        return;
    int deleted = 0;
    QString error;
    if (!m_participants.at(index)->prune(m_db, PruneChunk, &deleted, &error)) {
        qCWarning(lcLog).noquote() << error;
        return;
    }
    m_participantPrunedInRun[index] += deleted;
    if (deleted == PruneChunk) {
        QTimer::singleShot(0, this, [this, index] { pruneParticipantChunk(index); });
        return;
    }
    m_participants.at(index)->pruned(m_participantPrunedInRun.at(index));
}

void LogWorker::pruneChunk()
{
    if (m_failing || !m_db.isOpen())
        return;
    int deleted = 0;
    QString error;
    if (!m_db.prune(m_settings.retentionMaxAgeSeconds, m_settings.retentionMaxEvents, PruneChunk,
                    &deleted, &error)) {
        qCWarning(lcLog).noquote() << error;
        return;
    }
    m_prunedInRun += deleted;
    if (deleted >= PruneChunk) { // a chunk, and the events before its last one
        // Give queued writes their turn between chunks: pruning never holds publishing up.
        QTimer::singleShot(0, this, &LogWorker::pruneChunk);
        return;
    }
    qint64 oldest = 0;
    if (!m_db.oldestSequence(&oldest, &error)) {
        qCWarning(lcLog).noquote() << error;
        return;
    }
    if (m_prunedInRun > 0)
        qCInfo(lcLog).noquote() << "retention removed" << m_prunedInRun
                                << "events; the log now starts at" << oldest;
    Q_EMIT pruned(m_prunedInRun, oldest);
}

bool LogWorker::read(const LogQuery &query, QList<LoggedEvent> *events, qint64 *oldest,
                     QString *errorString)
{
    if (!m_db.isOpen()) {
        if (errorString)
            *errorString = EventLogTr::tr("event log %1 is not available right now")
                                   .arg(m_settings.describe());
        return false;
    }
    return m_db.read(query, events, errorString) && m_db.oldestSequence(oldest, errorString);
}

void LogWorker::shutdown()
{
    m_batchTimer->stop();
    m_retentionTimer->stop();
    m_retryTimer->stop();
    m_heartbeatTimer->stop();
    m_followTimer->stop();
    // Write what is still waiting, as long as the database takes it.
    while (!m_failing && m_queue->size() > 0) {
        const int before = m_queue->size();
        flush();
        if (m_queue->size() >= before)
            break;
    }
    if (m_queue->size() > 0)
        qCWarning(lcLog).noquote() << m_queue->size() << "events could not be written to"
                                   << m_settings.describe() << "before shutdown";
    m_db.close();
}

} // namespace Pyrite::Internal
