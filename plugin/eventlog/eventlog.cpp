#include "eventlog.h"

#include "eventlogtr.h"

#include "eventqueue.h"
#include "logparticipant.h"
#include "logworker.h"

#include "bus/eventbus.h"
#include "logging.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QThread>

namespace Pyrite::Internal {

EventLog::EventLog(const EventLogSettings &settings, QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_queue(std::make_unique<EventQueue>(settings.queueLimit))
{
    qRegisterMetaType<QList<Pyrite::Event>>();
}

EventLog::~EventLog()
{
    close();
}

void EventLog::addParticipant(std::shared_ptr<LogParticipant> participant)
{
    Q_ASSERT(!m_worker);
    m_participants.append(std::move(participant));
}

void EventLog::record(EventBus *bus)
{
    connect(bus, &EventBus::eventPublished, this, [this](const Event &event) {
        if (!event.isRemote())
            append(event);
    });
    connect(this, &EventLog::remoteEventsReceived, bus, [bus](const QList<Event> &events) {
        for (const Event &event : events)
            bus->publish(event);
    });
}

bool EventLog::open(bool readOnly, QString *errorString)
{
    close();
    // Identifies this instance's rows in a shared log, so it does not take its own for remote.
    const QString origin = QString::number(QRandomGenerator::system()->generate64(), 36);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("pyrite-eventlog"));
    auto *worker = new LogWorker(m_settings, m_participants, m_queue.get(), origin, readOnly);
    worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_thread->start();

    bool opened = false;
    QString error;
    QMetaObject::invokeMethod(
            worker, [&] { opened = worker->open(&error); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        if (errorString)
            *errorString = error;
        return false;
    }
    m_worker = worker;
    QMetaObject::invokeMethod(
            worker,
            [&] {
                m_epoch = worker->epoch();
                m_lastSequence = worker->lastSequence();
                qint64 oldest = 0;
                QString ignored;
                QList<LoggedEvent> none;
                LogQuery nothing;
                nothing.limit = 0;
                if (worker->read(nothing, &none, &oldest, &ignored))
                    m_oldestSequence = oldest;
            },
            Qt::BlockingQueuedConnection);

    connect(worker, &LogWorker::stored, this, [this](const QList<Event> &events, qint64 last) {
        m_stored += quint64(events.size());
        m_lastSequence = std::max(m_lastSequence.load(), last);
        Q_EMIT eventsStored(events);
    });
    connect(worker, &LogWorker::remoteEvents, this, [this](const QList<Event> &events) {
        m_remote += quint64(events.size());
        m_lastSequence = std::max(m_lastSequence.load(), events.constLast().sequence());
        Q_EMIT remoteEventsReceived(events);
    });
    connect(worker, &LogWorker::failed, this, [this](const QString &message) {
        m_failing = true;
        Q_EMIT errorOccurred(message);
    });
    connect(worker, &LogWorker::recovered, this, [this] {
        m_failing = false;
        Q_EMIT recovered();
    });
    connect(worker, &LogWorker::dropped, this, &EventLog::eventsDropped);
    connect(worker, &LogWorker::pruned, this,
            [this](int, qint64 oldest) { m_oldestSequence = oldest; });
    qCInfo(lcLog).noquote() << "event log" << m_settings.describe() << "open; epoch" << m_epoch
                            << "at sequence" << m_lastSequence.load()
                            << (readOnly ? "(read-only)" : "");
    return true;
}

void EventLog::close()
{
    if (!m_thread)
        return;
    if (m_worker) {
        LogWorker *worker = m_worker;
        QMetaObject::invokeMethod(
                worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
        m_worker = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void EventLog::follow()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &LogWorker::follow, Qt::QueuedConnection);
}

bool EventLog::append(const Event &event)
{
    if (!m_worker)
        return false;
    ++m_appended;
    const bool sync = m_settings.durability == EventLogSettings::Durability::Sync;
    bool wake = false;
    const quint64 ticket = m_queue->push(event, sync, &wake);
    if (wake || sync)
        QMetaObject::invokeMethod(m_worker, &LogWorker::wake, Qt::QueuedConnection);
    if (!sync)
        return true;
    // The one place the bus thread waits, because the user asked for it (durability: sync).
    switch (m_queue->waitFor(ticket, m_settings.syncTimeoutMs)) {
    case EventQueue::Outcome::Committed:
        return true;
    case EventQueue::Outcome::Dropped:
        qCWarning(lcLog).noquote()
                << "event" << event.id() << "was dropped before it was written (queue full)";
        return false;
    case EventQueue::Outcome::Pending:
    case EventQueue::Outcome::TimedOut:
        qCWarning(lcLog).noquote()
                << "event" << event.id() << "is not committed after" << m_settings.syncTimeoutMs
                << "ms (durability: sync); it stays queued";
        return false;
    }
    return false;
}

EventLog::Stats EventLog::stats() const
{
    Stats stats;
    stats.appended = m_appended;
    stats.stored = m_stored;
    stats.dropped = m_queue->droppedTotal();
    stats.remote = m_remote;
    stats.waiting = m_queue->size();
    stats.failing = m_failing;
    return stats;
}

QList<MetricsService::Metric> EventLog::serviceMetrics() const
{
    const Stats s = stats();
    using Metric = MetricsService::Metric;
    return {Metric::counter("pyrite_log_events_appended_total", "Events handed to the event log.",
                            double(s.appended)),
            Metric::counter("pyrite_log_events_stored_total", "Events committed to the event log.",
                            double(s.stored)),
            Metric::counter("pyrite_log_events_dropped_total",
                            "Events dropped because the log's queue was full during an outage.",
                            double(s.dropped)),
            Metric::counter("pyrite_log_remote_events_total",
                            "Events other instances wrote to a shared log.", double(s.remote)),
            Metric::gauge("pyrite_log_queue_events", "Events waiting to be committed.", s.waiting),
            Metric::gauge("pyrite_log_failing", "1 while the database cannot be written.",
                          s.failing ? 1 : 0),
            Metric::gauge("pyrite_log_last_sequence", "Sequence of the newest event in the log.",
                          double(lastSequence()))};
}

bool EventLog::read(const LogQuery &query, QList<LoggedEvent> *events, qint64 *oldest,
                    QString *errorString)
{
    if (!m_worker) {
        if (errorString)
            *errorString = EventLogTr::tr("event log is not open");
        return false;
    }
    bool ok = false;
    LogWorker *worker = m_worker;
    QMetaObject::invokeMethod(
            worker, [&] { ok = worker->read(query, events, oldest, errorString); },
            Qt::BlockingQueuedConnection);
    return ok;
}

void EventLog::post(Job job)
{
    if (!m_worker) {
        job(nullptr);
        return;
    }
    LogWorker *worker = m_worker;
    QMetaObject::invokeMethod(
            worker, [worker, job = std::move(job)] { job(worker->database()); },
            Qt::QueuedConnection);
}

void EventLog::postBlocking(Job job)
{
    if (!m_worker) {
        job(nullptr);
        return;
    }
    LogWorker *worker = m_worker;
    QMetaObject::invokeMethod(
            worker, [worker, &job] { job(worker->database()); }, Qt::BlockingQueuedConnection);
}

bool EventLog::withDatabase(const std::function<bool(LogDatabase &database)> &work,
                            QString *errorString)
{
    bool ok = false;
    postBlocking([&](LogDatabase *database) {
        if (database)
            ok = work(*database);
        else if (errorString)
            *errorString = EventLogTr::tr("the event log is not available now");
    });
    return ok;
}

void EventLog::readAsync(const LogQuery &query, QObject *context, ReadCallback callback)
{
    if (!m_worker) {
        QMetaObject::invokeMethod(
                context, [callback] { callback({}, 0, EventLogTr::tr("event log is not open")); },
                Qt::QueuedConnection);
        return;
    }
    LogWorker *worker = m_worker;
    QPointer<QObject> receiver(context);
    QMetaObject::invokeMethod(
            worker,
            [worker, query, receiver, callback] {
                QList<LoggedEvent> events;
                qint64 oldest = 0;
                QString error;
                worker->read(query, &events, &oldest, &error);
                if (!receiver)
                    return; // whoever asked is gone
                QMetaObject::invokeMethod(
                        receiver.data(),
                        [receiver, callback, events, oldest, error] {
                            if (receiver)
                                callback(events, oldest, error);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
}

} // namespace Pyrite::Internal
