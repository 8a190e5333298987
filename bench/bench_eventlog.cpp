// Event log figures (event log issue): SQLite sustained insert (target >= 50,000 events/s),
// replay read (>= 200,000 events/s), bytes per stored event; the publish path with the log on
// against off (median no more than 1 us above); PostgreSQL insert (>= 10,000 events/s) and
// NOTIFY-to-remote-emit latency p50/p99, when PostgreSQL's server binaries are installed.

#include "bus/eventbus.h"
#include "bus/eventidgenerator.h"
#include "eventlog/eventlog.h"
#include "eventloopwait.h"
#include "bus/hookadapter.h"
#include "latencystats.h"
#include "postgresserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <chrono>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
Event makeEvent(EventIdGenerator *ids, int n)
{
    Event event;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    event.setId(ids->next(now));
    event.setTimeMsecs(now);
    event.setType(QStringLiteral("entry.updated"));
    event.setKb(QStringLiteral("research"));
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(QStringLiteral("note-%1").arg(n));
    event.setActor(QStringLiteral("alice"));
    event.setTitle(QStringLiteral("A note about event logs, number %1").arg(n));
    event.setLinks({QVariantMap{{QStringLiteral("target"), QStringLiteral("note-%1").arg(n + 1)},
                                {QStringLiteral("relation"), QStringLiteral("related")}}});
    event.setChanges({QStringLiteral("title")});
    event.setSource(QStringLiteral("pyrite://bench/kb/research"));
    return event;
}

// Appends `count` events as fast as they come and returns events/s until all are committed.
double insertRate(EventLog *log, int count)
{
    EventIdGenerator ids;
    QList<Event> events;
    events.reserve(count);
    for (int i = 0; i < count; ++i)
        events.append(makeEvent(&ids, i));
    const quint64 before = log->stats().stored;
    QElapsedTimer timer;
    timer.start();
    for (const Event &event : std::as_const(events))
        log->append(event);
    if (!waitFor([&] { return log->stats().stored >= before + quint64(count); }, 120000))
        std::printf("error: not all events were stored\n");
    return count / (double(timer.nsecsElapsed()) / 1e9);
}

double replayRate(EventLog *log, qint64 *read)
{
    LogQuery query;
    query.limit = 5000;
    *read = 0;
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        QList<LoggedEvent> page;
        qint64 oldest = 0;
        QString error;
        if (!log->read(query, &page, &oldest, &error)) {
            std::printf("error: %s\n", qPrintable(error));
            break;
        }
        *read += page.size();
        if (page.size() < query.limit)
            break;
        query.afterSequence = page.constLast().sequence;
    }
    return *read / (double(timer.nsecsElapsed()) / 1e9);
}

double publishMedian(EventLog *log, int iterations)
{
    EventBus bus;
    HookAdapter adapter(&bus);
    if (log)
        log->record(&bus);
    HookContext context;
    context.kbName = QStringLiteral("research");
    context.user = QStringLiteral("alice");
    context.operation = QStringLiteral("create");
    const QVariantMap entry{{QStringLiteral("id"), QStringLiteral("note-1")},
                            {QStringLiteral("title"), QStringLiteral("A note")},
                            {QStringLiteral("type"), QStringLiteral("note")}};
    LatencyStats stats;
    stats.reserve(size_t(iterations));
    for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        adapter.handleHook(Hook::AfterSave, entry, context);
        stats.add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count());
        if (log && i % 1000 == 999)
            QCoreApplication::processEvents(); // let the writer's results in, as the host's loop
                                               // would
    }
    if (log)
        waitFor([log] { return log->stats().waiting == 0; }, 60000);
    return stats.percentileMicros(50);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pyrite.*.info=false"));
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    QTemporaryDir dir;

    EventLogSettings sqlite;
    sqlite.path = dir.filePath(QStringLiteral("bench.sqlite"));
    sqlite.queueLimit = count + 1;
    {
        EventLog log(sqlite);
        QString error;
        if (!log.open(false, &error)) {
            std::printf("error: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("# SQLite (WAL, synchronous=NORMAL), batches of %d, %d events\n",
                    sqlite.batchMaxEvents, count);
        LatencyStats::print(QStringLiteral("sqlite_insert_rate"), insertRate(&log, count),
                            "events/s");
        qint64 read = 0;
        LatencyStats::print(QStringLiteral("sqlite_replay_rate"), replayRate(&log, &read),
                            "events/s");
        if (read != count)
            std::printf("error: replay read %lld of %d events\n", read, count);
    }
    // Closing the last connection checkpoints the WAL into the file.
    LatencyStats::print(QStringLiteral("sqlite_bytes_per_event"),
                        double(QFileInfo(sqlite.path).size()) / count, "bytes");

    {
        EventLogSettings s = sqlite;
        s.path = dir.filePath(QStringLiteral("publish.sqlite"));
        EventLog log(s);
        log.open(false, nullptr);
        const int iterations = 100000;
        const double off = publishMedian(nullptr, iterations);
        const double on = publishMedian(&log, iterations);
        LatencyStats::print(QStringLiteral("publish_median_log_off"), off, "us");
        LatencyStats::print(QStringLiteral("publish_median_log_on"), on, "us");
        LatencyStats::print(QStringLiteral("publish_median_log_cost"), on - off, "us");
    }

    PostgresServer postgres;
    QString error;
    if (PostgresServer::binDir().isEmpty() || !postgres.start(&error) ||
        !postgres.createDatabase(QStringLiteral("bench"), &error)) {
        std::printf("# PostgreSQL figures skipped: %s\n",
                    qPrintable(error.isEmpty() ? QStringLiteral("no server binaries") : error));
        return 0;
    }
    EventLogSettings pg;
    pg.driver = EventLogSettings::Driver::Postgresql;
    pg.host = postgres.socketDir();
    pg.port = postgres.port();
    pg.database = QStringLiteral("bench");
    pg.user = QStringLiteral("postgres");
    pg.queueLimit = count + 1;
    pg.batchMaxDelayMs = 1;
    EventLog a(pg);
    EventLog b(pg);
    if (!a.open(false, &error) || !b.open(false, &error)) {
        std::printf("error: %s\n", qPrintable(error));
        return 1;
    }
    const int pgCount = count / 2;
    std::printf("# PostgreSQL %s (Unix socket, fsync off), batches of %d, %d events\n",
                qPrintable(QFileInfo(PostgresServer::binDir()).dir().dirName()), pg.batchMaxEvents,
                pgCount);
    LatencyStats::print(QStringLiteral("postgresql_insert_rate"), insertRate(&a, pgCount),
                        "events/s");
    waitFor([&] { return b.lastSequence() >= a.lastSequence(); }, 60000);

    // One event at a time: from append() on A to remoteEventsReceived on B.
    LatencyStats latency;
    EventIdGenerator ids;
    qint64 sentAt = 0;
    bool received = false;
    QObject::connect(&b, &EventLog::remoteEventsReceived, &b, [&](const QList<Event> &) {
        latency.add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count() -
                    sentAt);
        received = true;
    });
    for (int i = 0; i < 300; ++i) {
        received = false;
        sentAt = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
        a.append(makeEvent(&ids, i));
        if (!waitFor([&] { return received; }, 5000))
            std::printf("error: event %d did not reach the other instance\n", i);
    }
    LatencyStats::print(QStringLiteral("postgresql_notify_to_remote_p50"),
                        latency.percentileMicros(50) / 1000.0, "ms");
    LatencyStats::print(QStringLiteral("postgresql_notify_to_remote_p99"),
                        latency.percentileMicros(99) / 1000.0, "ms");
    return 0;
}
