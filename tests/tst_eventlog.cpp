// The event log on real SQLite files in a QTemporaryDir: sequences and epoch, replay filters and
// paging, retention, durability sync, and the faults (bad path, corrupt file, locked database,
// full queue) with nothing accepted lost.

#include "bus/eventidgenerator.h"
#include "chainverify.h"
#include "eventlog/eventlog.h"
#include "eventlog/logdatabase.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
Internal::EventIdGenerator g_ids;

Event makeEvent(const QString &type, const QString &kb, const QString &entryType, int n,
                qint64 timeMsecs = -1)
{
    Event event;
    const qint64 time = timeMsecs >= 0 ? timeMsecs : QDateTime::currentMSecsSinceEpoch();
    event.setId(g_ids.next(time));
    event.setTimeMsecs(time);
    event.setType(type);
    event.setKb(kb);
    event.setEntryType(entryType);
    event.setEntryId(QStringLiteral("e%1").arg(n));
    event.setSource(QStringLiteral("pyrite://test/kb/") + kb);
    event.setTitle(QStringLiteral("Entry %1").arg(n));
    return event;
}

QList<qint64> sequencesOf(const QList<LoggedEvent> &events)
{
    QList<qint64> sequences;
    for (const LoggedEvent &event : events)
        sequences.append(event.sequence);
    return sequences;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> list;
    for (qint64 i = from; i <= to; ++i)
        list.append(i);
    return list;
}
} // namespace

Q_DECLARE_METATYPE(Pyrite::Internal::LogQuery)

class tst_EventLog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void sequencesAndEpoch();
    void recreatedLogHasNewEpoch();
    void replayFilters_data();
    void replayFilters();
    void pagingWhileWriting();
    void retentionByCount();
    void retentionByAge();
    void durabilitySync();
    void badPath();
    void filesArePrivate();
    void corruptFile();
    void lockedDatabaseQueuesAndRecovers();
    void fullQueueDropsOldestAndSaysSo();
    void readOnlyDoesNotPrune();
    void likePatterns();
    void asynchronousReplay();
    void sharedFileFollowedInSequenceOrder();
    void notFollowingSeesNoForeignEvents();
    void hashChainAcrossWriters();
    void tamperingIsFound_data();
    void tamperingIsFound();
    void retentionKeepsTheChainCheckable();
    void chainStartsAfterAnOlderLog();
    void refusedEventIsDroppedTheRestStored();

private:
    EventLogSettings settings() const;
    // Walks the chain of the log file with a connection of its own (as pyrite-host does).
    EventLogService::ChainReport verify();
    // Runs sql on the log file with a connection of its own: what someone with sqlite3 could do.
    void tamper(const QString &sql);
    std::unique_ptr<QTemporaryDir> m_dir;
};

EventLogService::ChainReport tst_EventLog::verify()
{
    return verifyChainOf(QStringLiteral("QSQLITE"),
                         [this](QSqlDatabase &db) { db.setDatabaseName(settings().path); });
}

void tst_EventLog::tamper(const QString &sql)
{
    {
        QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
        db.setDatabaseName(settings().path);
        QVERIFY(db.open());
        // Statements end with "; " (a trigger's own ";" is followed by no space).
        for (const QString &statement : sql.split(QStringLiteral("; "), Qt::SkipEmptyParts)) {
            QSqlQuery query(db);
            QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
}

void tst_EventLog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

EventLogSettings tst_EventLog::settings() const
{
    EventLogSettings s;
    s.driver = EventLogSettings::Driver::Sqlite;
    s.path = m_dir->filePath(QStringLiteral("log/events.sqlite"));
    s.batchMaxDelayMs = 2;
    return s;
}

void tst_EventLog::sequencesAndEpoch()
{
    QString epoch;
    {
        EventLog log(settings());
        QString error;
        QVERIFY2(log.open(false, &error), qPrintable(error));
        epoch = log.epoch();
        QVERIFY(!epoch.isEmpty());
        QCOMPARE(log.lastSequence(), 0);
        QCOMPARE(log.oldestSequence(), 1);
        QSignalSpy stored(&log, &EventLog::eventsStored);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(log.append(makeEvent(QStringLiteral("entry.created"),
                                         QStringLiteral("research"), QStringLiteral("note"), i)));
        QTRY_COMPARE(log.stats().stored, 1000u);
        // Stored events carry their position, in publish order.
        qint64 expected = 0;
        for (const QList<QVariant> &signal : std::as_const(stored)) {
            for (const Event &event : signal.at(0).value<QList<Event>>()) {
                QCOMPARE(event.sequence(), ++expected);
                QCOMPARE(event.epoch(), epoch);
                QCOMPARE(event.entryId(), QStringLiteral("e%1").arg(expected - 1));
            }
        }
        QVERIFY2(stored.size() < 1000, "events are written in batches");
        QCOMPARE(log.lastSequence(), 1000);
    }
    // Reopened: same epoch, sequences go on.
    EventLog log(settings());
    QString error;
    QVERIFY2(log.open(false, &error), qPrintable(error));
    QCOMPARE(log.epoch(), epoch);
    QCOMPARE(log.lastSequence(), 1000);
    log.append(makeEvent(QStringLiteral("kb.indexed"), QStringLiteral("research"), QString(), 0));
    QTRY_COMPARE(log.lastSequence(), 1001);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    query.limit = 5000;
    QVERIFY(log.read(query, &events, &oldest, &error));
    QCOMPARE(sequencesOf(events), range(1, 1001));
    const QJsonObject last = QJsonDocument::fromJson(events.constLast().json).object();
    QCOMPARE(last.value(QLatin1String("sequence")).toInteger(), 1001);
    QCOMPARE(last.value(QLatin1String("epoch")).toString(), epoch);
    QCOMPARE(last.value(QLatin1String("type")).toString(), QStringLiteral("kb.indexed"));
    QCOMPARE(oldest, 1);
}

void tst_EventLog::recreatedLogHasNewEpoch()
{
    QString first;
    {
        EventLog log(settings());
        QVERIFY(log.open(false, nullptr));
        first = log.epoch();
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), 1));
        QTRY_COMPARE(log.lastSequence(), 1);
    }
    QVERIFY(QFile::remove(settings().path));
    QFile::remove(settings().path + QStringLiteral("-wal"));
    QFile::remove(settings().path + QStringLiteral("-shm"));
    EventLog log(settings());
    QVERIFY(log.open(false, nullptr));
    QVERIFY(log.epoch() != first);
    QCOMPARE(log.lastSequence(), 0);
}

void tst_EventLog::replayFilters_data()
{
    QTest::addColumn<LogQuery>("query");
    QTest::addColumn<QList<qint64>>("expected");

    // The log holds 12 events: i = 0..11, sequence i + 1, time 1000 * (i + 1);
    // types cycle entry.created, entry.updated, task.claimed, qa.validation_failed;
    // KB "research" for even i, "tasks" for odd; entry type "note" unless i % 3 == 0 ("paper").
    LogQuery all;
    all.limit = 100;
    QTest::addRow("everything") << all << range(1, 12);
    LogQuery after = all;
    after.afterSequence = 9;
    QTest::addRow("after 9") << after << QList<qint64>{10, 11, 12};
    LogQuery exact = all;
    exact.types = {QStringLiteral("task.claimed")};
    QTest::addRow("exact type") << exact << QList<qint64>{3, 7, 11};
    LogQuery prefix = all;
    prefix.types = {QStringLiteral("entry.*")};
    QTest::addRow("prefix") << prefix << QList<qint64>{1, 2, 5, 6, 9, 10};
    LogQuery underscore = all;
    underscore.types = {QStringLiteral("qa.validation_*")};
    QTest::addRow("underscore is literal") << underscore << QList<qint64>{4, 8, 12};
    LogQuery two = all;
    two.types = {QStringLiteral("task.*"), QStringLiteral("entry.updated")};
    QTest::addRow("two patterns") << two << QList<qint64>{2, 3, 6, 7, 10, 11};
    LogQuery star = all;
    star.types = {QStringLiteral("entry.created"), QStringLiteral("*")};
    QTest::addRow("star wins") << star << range(1, 12);
    LogQuery kb = all;
    kb.kb = QStringLiteral("tasks");
    QTest::addRow("kb") << kb << QList<qint64>{2, 4, 6, 8, 10, 12};
    LogQuery entryType = all;
    entryType.entryType = QStringLiteral("paper");
    QTest::addRow("entry type") << entryType << QList<qint64>{1, 4, 7, 10};
    LogQuery combined = all;
    combined.kb = QStringLiteral("research");
    combined.types = {QStringLiteral("entry.*")};
    combined.entryType = QStringLiteral("note");
    QTest::addRow("kb, type and entry type") << combined << QList<qint64>{5, 9};
    LogQuery time = all;
    time.fromMsecs = 3000;
    time.untilMsecs = 6000;
    QTest::addRow("time range") << time << QList<qint64>{3, 4, 5};
    LogQuery page = all;
    page.limit = 5;
    page.afterSequence = 2;
    QTest::addRow("page") << page << QList<qint64>{3, 4, 5, 6, 7};
    LogQuery none = all;
    none.kb = QStringLiteral("nowhere");
    QTest::addRow("nothing") << none << QList<qint64>{};
}

void tst_EventLog::replayFilters()
{
    QFETCH(LogQuery, query);
    QFETCH(QList<qint64>, expected);
    EventLog log(settings());
    QVERIFY(log.open(false, nullptr));
    const QStringList types{QStringLiteral("entry.created"), QStringLiteral("entry.updated"),
                            QStringLiteral("task.claimed"), QStringLiteral("qa.validation_failed")};
    for (int i = 0; i < 12; ++i) {
        log.append(makeEvent(
                types.at(i % 4), i % 2 ? QStringLiteral("tasks") : QStringLiteral("research"),
                i % 3 ? QStringLiteral("note") : QStringLiteral("paper"), i, 1000 * (i + 1)));
    }
    QTRY_COMPARE(log.lastSequence(), 12);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    QString error;
    QVERIFY2(log.read(query, &events, &oldest, &error), qPrintable(error));
    QCOMPARE(sequencesOf(events), expected);
    for (const LoggedEvent &event : std::as_const(events)) {
        const QJsonObject json = QJsonDocument::fromJson(event.json).object();
        QCOMPARE(json.value(QLatin1String("sequence")).toInteger(), event.sequence);
        QCOMPARE(json.value(QLatin1String("type")).toString(), event.type);
    }
}

// Pages read while the writer keeps appending: together they hold every event once, in order.
void tst_EventLog::pagingWhileWriting()
{
    EventLog log(settings());
    QVERIFY(log.open(false, nullptr));
    const int total = 5000;
    int appended = 0;
    QList<qint64> seen;
    qint64 after = 0;
    QString error;
    while (seen.size() < total) {
        for (int i = 0; i < 97 && appended < total; ++i, ++appended)
            log.append(makeEvent(QStringLiteral("entry.updated"), QStringLiteral("research"),
                                 QStringLiteral("note"), appended));
        LogQuery query;
        query.afterSequence = after;
        query.limit = 300;
        QList<LoggedEvent> page;
        qint64 oldest = 0;
        QVERIFY2(log.read(query, &page, &oldest, &error), qPrintable(error));
        for (const LoggedEvent &event : std::as_const(page))
            seen.append(event.sequence);
        if (!page.isEmpty())
            after = page.constLast().sequence;
        if (page.isEmpty())
            QTest::qWait(1); // let the writer turn; the loop is bounded by `total`
    }
    QCOMPARE(seen, range(1, total));
}

void tst_EventLog::retentionByCount()
{
    EventLogSettings s = settings();
    s.retentionMaxEvents = 100;
    s.retentionIntervalSeconds = 1;
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    for (int i = 0; i < 500; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i));
    QTRY_COMPARE(log.lastSequence(), 500);
    QTRY_COMPARE_WITH_TIMEOUT(log.oldestSequence(), 401, 5000);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    query.limit = 1000;
    QVERIFY(log.read(query, &events, &oldest, nullptr));
    QCOMPARE(sequencesOf(events), range(401, 500));
    QCOMPARE(oldest, 401);
}

void tst_EventLog::retentionByAge()
{
    EventLogSettings s = settings();
    s.retentionMaxAgeSeconds = 3600;
    s.retentionIntervalSeconds = 1;
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 10; ++i) // two hours old
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i,
                             now - 7200 * 1000));
    for (int i = 10; i < 15; ++i)
        log.append(
                makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i, now));
    QTRY_COMPARE(log.lastSequence(), 15);
    QTRY_COMPARE_WITH_TIMEOUT(log.oldestSequence(), 11, 5000);
}

void tst_EventLog::durabilitySync()
{
    EventLogSettings s = settings();
    s.durability = EventLogSettings::Durability::Sync;
    s.batchMaxDelayMs = 1000; // sync must not wait for the batch timer
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    // A second connection sees each event as soon as append() returned.
    QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                   QStringLiteral("durability-check"));
    other.setDatabaseName(s.path);
    QVERIFY(other.open());
    for (int i = 1; i <= 20; ++i) {
        QVERIFY(log.append(
                makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i)));
        QSqlQuery count(other);
        QVERIFY(count.exec(QStringLiteral("SELECT COUNT(*) FROM events")) && count.next());
        QCOMPARE(count.value(0).toInt(), i);
    }
    other.close();
    other = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("durability-check"));
}

void tst_EventLog::badPath()
{
    QFile blocker(m_dir->filePath(QStringLiteral("afile")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    EventLogSettings s = settings();
    s.path = m_dir->filePath(QStringLiteral("afile/sub/events.sqlite"));
    EventLog log(s);
    QString error;
    QVERIFY(!log.open(false, &error));
    QVERIFY2(error.contains(QStringLiteral("cannot create the folder")) &&
                     error.contains(QStringLiteral("afile/sub")),
             qPrintable(error));

    s.path = m_dir->path(); // a folder, not a file
    EventLog folder(s);
    QVERIFY(!folder.open(false, &error));
    QVERIFY2(error.contains(QStringLiteral("is not a file")), qPrintable(error));
}

// Two writers on one file (two processes, as far as SQLite can tell): one chain, in sequence
// order, that every event carries and a reader sees continue from event to event.
void tst_EventLog::hashChainAcrossWriters()
{
    EventLog a(settings());
    EventLog b(settings());
    QVERIFY(a.open(false, nullptr));
    QVERIFY(b.open(false, nullptr));
    QSignalSpy storedA(&a, &EventLog::eventsStored);
    for (int i = 0; i < 300; ++i) {
        a.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("a"),
                           QStringLiteral("note"), i));
        b.append(makeEvent(QStringLiteral("entry.updated"), QStringLiteral("b"),
                           QStringLiteral("note"), i));
    }
    QTRY_COMPARE(a.stats().stored + b.stats().stored, 600u);
    // The live events carry their hashes.
    const Event first = storedA.at(0).at(0).value<QList<Event>>().constFirst();
    QCOMPARE(first.hash().size(), 64);
    QCOMPARE(QJsonDocument::fromJson(first.toJson()).object().value("hash").toString(),
             first.hash());
    // Replay: each event names the one before it.
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    query.limit = 1000;
    QVERIFY(a.read(query, &events, &oldest, nullptr));
    QCOMPARE(events.size(), 600);
    QString previous;
    for (const LoggedEvent &event : std::as_const(events)) {
        const QJsonObject json = QJsonDocument::fromJson(event.json).object();
        QCOMPARE(json.value("prevhash").toString(), previous);
        previous = json.value("hash").toString();
    }
    const EventLogService::ChainReport report = verify();
    QVERIFY2(report.intact, qPrintable(report.problem));
    QCOMPARE(report.checked, 600);
    QCOMPARE(report.firstSequence, 1);
    QCOMPARE(report.lastSequence, 600);
}

void tst_EventLog::tamperingIsFound_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<qint64>("brokenAt");
    QTest::addColumn<QString>("problem");
    QTest::newRow("envelope edited")
            << "UPDATE events SET envelope = replace(envelope, 'Entry 6', 'Entry 66') WHERE seq = 7"
            << qint64(7) << "its content does not match its hash";
    QTest::newRow("envelope and hash edited")
            << "UPDATE events SET envelope = replace(envelope, 'Entry 6', 'Entry 66'), hash = "
               "'0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 7"
            << qint64(7) << "its content does not match its hash";
    QTest::newRow("row deleted") << "DELETE FROM events WHERE seq = 4" << qint64(4)
                                 << "events 4 to 4 are missing";
    QTest::newRow("newest deleted") << "DELETE FROM events WHERE seq = 10" << qint64(10)
                                    << "the log's newest event is 10 but the newest row is 9";
    QTest::newRow("oldest deleted") << "DELETE FROM events WHERE seq <= 2" << qint64(1)
                                    << "events were removed other than by retention";
    QTest::newRow("two rows swapped")
            << "UPDATE events SET seq = -5 WHERE seq = 5; UPDATE events SET seq = 5 WHERE seq = 6; "
               "UPDATE events SET seq = 6 WHERE seq = -5"
            << qint64(5) << "it does not follow the event before it";
    QTest::newRow("row inserted")
            << "UPDATE events SET seq = -(seq + 1) WHERE seq > 8; UPDATE events SET seq = -seq "
               "WHERE seq < 0; "
               "INSERT INTO events (seq, id, type, kb, time_ms, origin, envelope, hash, prev_hash) "
               "SELECT 9, 'x', type, kb, time_ms, origin, envelope, hash, prev_hash FROM events "
               "WHERE seq = 8"
            << qint64(9) << "it does not follow the event before it";
    QTest::newRow("head rewound") << "UPDATE log_meta SET value = '9' WHERE key = 'last_seq'"
                                  << qint64(10)
                                  << "the log's newest event is 9 but rows go on to 10";
}

void tst_EventLog::tamperingIsFound()
{
    QFETCH(QString, sql);
    QFETCH(qint64, brokenAt);
    QFETCH(QString, problem);
    {
        EventLog log(settings());
        QVERIFY(log.open(false, nullptr));
        for (int i = 0; i < 10; ++i)
            log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"),
                                 QStringLiteral("note"), i));
        QTRY_COMPARE(log.lastSequence(), 10);
    }
    QVERIFY(verify().intact);
    tamper(sql);
    const EventLogService::ChainReport report = verify();
    QVERIFY(!report.intact);
    QCOMPARE(report.brokenAt, brokenAt);
    QVERIFY2(report.problem.contains(problem), qPrintable(report.problem));
}

// Retention removes the oldest events; the chain is checked from the oldest kept one, whose
// predecessor's hash the log keeps.
void tst_EventLog::retentionKeepsTheChainCheckable()
{
    EventLogSettings s = settings();
    s.retentionMaxEvents = 50;
    s.retentionIntervalSeconds = 1;
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    for (int i = 0; i < 200; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"),
                             QStringLiteral("note"), i));
    QTRY_COMPARE(log.lastSequence(), 200);
    QTRY_COMPARE(log.oldestSequence(), 151);
    const EventLogService::ChainReport report = verify();
    QVERIFY2(report.intact, qPrintable(report.problem));
    QCOMPARE(report.firstSequence, 151);
    QCOMPARE(report.checked, 50);
    // Deleting one more by hand is not retention.
    tamper(QStringLiteral("DELETE FROM events WHERE seq = 151"));
    QCOMPARE(verify().brokenAt, 151);
}

// A log from before the chain (schema version 3) keeps its events; the chain starts after them.
void tst_EventLog::chainStartsAfterAnOlderLog()
{
    {
        EventLog log(settings());
        QVERIFY(log.open(false, nullptr));
        for (int i = 0; i < 10; ++i)
            log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"),
                                 QStringLiteral("note"), i));
        QTRY_COMPARE(log.lastSequence(), 10);
    }
    // Back to what version 3 wrote (no chain, no runtime webhook endpoints, no entry index).
    tamper(QStringLiteral("DROP INDEX events_entry; "
                          "DROP TABLE webhook_endpoints; DROP TABLE webhook_endpoint_revision; "
                          "ALTER TABLE events DROP COLUMN hash; ALTER TABLE events DROP COLUMN "
                          "prev_hash; DELETE FROM log_meta WHERE key IN ('last_hash', "
                          "'chain_from', 'chain_prev'); UPDATE log_meta SET value = '3' WHERE "
                          "key = 'schema_version'"));
    EventLog log(settings());
    QString error;
    QVERIFY2(log.open(false, &error), qPrintable(error));
    for (int i = 10; i < 15; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"),
                             QStringLiteral("note"), i));
    QTRY_COMPARE(log.lastSequence(), 15);
    const EventLogService::ChainReport report = verify();
    QVERIFY2(report.intact, qPrintable(report.problem));
    QCOMPARE(report.unchained, 10);
    QCOMPARE(report.checked, 5);
}

// The database refuses one event's data (here a trigger; in life a constraint): the batch is
// written one by one, that event is dropped and said, the others are stored and chained.
void tst_EventLog::refusedEventIsDroppedTheRestStored()
{
    {
        EventLog log(settings());
        QVERIFY(log.open(false, nullptr));
    }
    tamper(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.entry_id = "
                          "'e3' BEGIN SELECT RAISE(ABORT, 'refused for the test');END"));
    EventLog log(settings());
    QVERIFY(log.open(false, nullptr));
    QSignalSpy dropped(&log, &EventLog::eventsDropped);
    for (int i = 0; i < 6; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"),
                             QStringLiteral("note"), i));
    QTRY_COMPARE(log.lastSequence(), 5);
    QTRY_COMPARE(dropped.size(), 1);
    QCOMPARE(dropped.at(0).at(0).toULongLong(), 1u);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    QVERIFY(log.read(LogQuery(), &events, &oldest, nullptr));
    QStringList ids;
    for (const LoggedEvent &event : std::as_const(events))
        ids.append(event.entryId);
    QCOMPARE(ids, QStringList({"e0", "e1", "e2", "e4", "e5"}));
    const EventLogService::ChainReport report = verify();
    QVERIFY2(report.intact, qPrintable(report.problem));
    QCOMPARE(report.checked, 5);
}

// Events carry entries' text: the log's folder and files are its owner's alone. (Before, a new
// data folder was 0755 and events.sqlite 0644.)
void tst_EventLog::filesArePrivate()
{
    const auto mode = [](const QString &path) {
        return int(QFile::permissions(path)) & 0x7777;
    };
    const QFile::Permissions folder = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
            QFile::ReadUser | QFile::WriteUser | QFile::ExeUser;
    const QFile::Permissions file =
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
    EventLogSettings s = settings();
    s.path = m_dir->filePath(QStringLiteral("state/eventbus/events.sqlite"));
    {
        EventLog log(s);
        QString error;
        QVERIFY2(log.open(false, &error), qPrintable(error));
        QVERIFY(log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("research"),
                                     QStringLiteral("note"), 1)));
        QTRY_COMPARE(log.lastSequence(), 1);
        for (const char *path : {"state", "state/eventbus"})
            QCOMPARE(mode(m_dir->filePath(QString::fromLatin1(path))), int(folder));
        QCOMPARE(mode(s.path), int(file));
        // SQLite gives its journal files the database's mode.
        for (const char *suffix : {"-wal", "-shm"}) {
            if (QFile::exists(s.path + QString::fromLatin1(suffix)))
                QCOMPARE(mode(s.path + QString::fromLatin1(suffix)), int(file));
        }
    }
    // A log made readable for everyone by hand loses the other users' bits when it is opened.
    QFile::setPermissions(s.path, file | QFile::ReadGroup | QFile::ReadOther);
    EventLog log(s);
    QString error;
    QVERIFY2(log.open(false, &error), qPrintable(error));
    QCOMPARE(mode(s.path), int(file | QFile::ReadGroup));
}

void tst_EventLog::corruptFile()
{
    const EventLogSettings s = settings();
    QDir().mkpath(QFileInfo(s.path).absolutePath());
    QFile file(s.path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    EventLog log(s);
    QString error;
    QVERIFY(!log.open(false, &error));
    QVERIFY2(error.contains(s.path) && error.contains(QStringLiteral("not a database")),
             qPrintable(error));
}

void tst_EventLog::lockedDatabaseQueuesAndRecovers()
{
    const EventLogSettings s = settings();
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    QSignalSpy failed(&log, &EventLog::errorOccurred);
    QSignalSpy recovered(&log, &EventLog::recovered);
    log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), 0));
    QTRY_COMPARE(log.lastSequence(), 1);

    // Another process holds the write lock.
    QSqlDatabase holder =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lock-holder"));
    holder.setDatabaseName(s.path);
    QVERIFY(holder.open());
    QSqlQuery lock(holder);
    QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("database is locked")));
    for (int i = 1; i <= 50; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QVERIFY2(failed.at(0).at(0).toString().contains(s.path),
             qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(log.stats().failing);
    QVERIFY(log.stats().waiting + int(log.stats().stored) >= 51 - 1);

    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    holder.close();
    holder = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("lock-holder"));
    QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 20000);
    QTRY_COMPARE(log.lastSequence(), 51);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    query.limit = 100;
    QVERIFY(log.read(query, &events, &oldest, nullptr));
    QCOMPARE(sequencesOf(events), range(1, 51));
    QCOMPARE(log.stats().dropped, 0u);
}

void tst_EventLog::fullQueueDropsOldestAndSaysSo()
{
    EventLogSettings s = settings();
    s.queueLimit = 10;
    EventLog log(s);
    QVERIFY(log.open(false, nullptr));
    QSignalSpy dropped(&log, &EventLog::eventsDropped);
    QSqlDatabase holder =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lock-holder-2"));
    holder.setDatabaseName(s.path);
    QVERIFY(holder.open());
    QSqlQuery lock(holder);
    QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
    // Drops are reported by the first flush, whether or not the lock has timed out by then.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral(
                                 "queue was full: \\d+ oldest waiting events were dropped")));
    for (int i = 0; i < 25; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i));
    QTRY_VERIFY_WITH_TIMEOUT(!dropped.isEmpty(), 15000);
    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    holder.close();
    holder = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("lock-holder-2"));
    QTRY_COMPARE_WITH_TIMEOUT(log.stats().waiting, 0, 20000);
    quint64 droppedReported = 0;
    for (const QList<QVariant> &signal : std::as_const(dropped))
        droppedReported += signal.at(0).toULongLong();
    QCOMPARE(log.stats().dropped, droppedReported);
    // Every event was either written or reported dropped; the newest ones were kept.
    QTRY_COMPARE(log.stats().stored + droppedReported, 25u);
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    QVERIFY(log.read(query, &events, &oldest, nullptr));
    QCOMPARE(events.constLast().entryId, QStringLiteral("e24"));
}

void tst_EventLog::readOnlyDoesNotPrune()
{
    {
        EventLog writer(settings());
        QVERIFY(writer.open(false, nullptr));
        for (int i = 0; i < 20; ++i)
            writer.append(
                    makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i));
        QTRY_COMPARE(writer.lastSequence(), 20);
    }
    EventLogSettings s = settings();
    s.retentionMaxEvents = 5;
    s.retentionIntervalSeconds = 1;
    EventLog reader(s);
    QVERIFY(reader.open(true, nullptr));
    QTest::qWait(1500); // longer than the retention interval: a writer would have pruned by now
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    LogQuery query;
    QVERIFY(reader.read(query, &events, &oldest, nullptr));
    QCOMPARE(events.size(), 20);
}

void tst_EventLog::likePatterns()
{
    QCOMPARE(LogDatabase::likePattern(QStringLiteral("entry.*")), QStringLiteral("entry.%"));
    QCOMPARE(LogDatabase::likePattern(QStringLiteral("qa.validation_*")),
             QStringLiteral("qa.validation\\_%"));
    QCOMPARE(LogDatabase::likePattern(QStringLiteral("*_failed")), QStringLiteral("%\\_failed"));
}

void tst_EventLog::asynchronousReplay()
{
    EventLog log(settings());
    QVERIFY(log.open(false, nullptr));
    for (int i = 0; i < 30; ++i)
        log.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("r"), QString(), i));
    QTRY_COMPARE(log.lastSequence(), 30);

    QList<qint64> got;
    qint64 start = -1;
    bool answered = false;
    LogQuery query;
    query.afterSequence = 10;
    query.limit = 5;
    log.readAsync(query, this,
                  [&](const QList<LoggedEvent> &events, qint64 oldest, const QString &error) {
                      QVERIFY(error.isEmpty());
                      got = sequencesOf(events);
                      start = oldest;
                      answered = true;
                  });
    QVERIFY(!answered); // it answers later, on this thread's event loop
    QTRY_VERIFY(answered);
    QCOMPARE(got, range(11, 15));
    QCOMPARE(start, 1);

    // A receiver that is gone before the answer gets none (and nothing crashes).
    bool late = false;
    auto receiver = std::make_unique<QObject>();
    log.readAsync(query, receiver.get(),
                  [&late](const QList<LoggedEvent> &, qint64, const QString &) { late = true; });
    receiver.reset();
    bool marker = false;
    log.readAsync(query, this, [&marker](const QList<LoggedEvent> &, qint64, const QString &) {
        marker = true;
    });
    QTRY_VERIFY(marker); // answers come in order, so the first one had its turn
    QVERIFY(!late);
}

// Two connections to one SQLite file, as two processes have (each EventLog has its own origin):
// sequences stay gap-free across both, and the one that follows gets the other's events as remote,
// interleaved with its own stored ones in sequence order.
void tst_EventLog::sharedFileFollowedInSequenceOrder()
{
    EventLog server(settings());
    EventLog writer(settings());
    QVERIFY(server.open(false, nullptr));
    QVERIFY(writer.open(false, nullptr));
    QCOMPARE(server.epoch(), writer.epoch());
    QList<qint64> seen;
    QList<bool> remote;
    const auto note = [&](const QList<Event> &events) {
        for (const Event &event : events) {
            seen.append(event.sequence());
            remote.append(event.isRemote());
        }
    };
    connect(&server, &EventLog::eventsStored, this, note);
    connect(&server, &EventLog::remoteEventsReceived, this, note);
    server.follow();
    constexpr int Rounds = 200;
    for (int i = 0; i < Rounds; ++i) {
        writer.append(
                makeEvent(QStringLiteral("entry.created"), QStringLiteral("w"), QString(), i));
        server.append(
                makeEvent(QStringLiteral("entry.created"), QStringLiteral("s"), QString(), i));
        if (i % 20 == 0)
            QTest::qWait(3); // let both write batches of their own in between
    }
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2 * Rounds, 10000);
    QCOMPARE(seen, range(1, 2 * Rounds));
    QCOMPARE(remote.count(true), Rounds);
    QCOMPARE(server.stats().remote, quint64(Rounds));
}

void tst_EventLog::notFollowingSeesNoForeignEvents()
{
    EventLog quiet(settings());
    EventLog writer(settings());
    QVERIFY(quiet.open(false, nullptr));
    QVERIFY(writer.open(false, nullptr));
    QSignalSpy remote(&quiet, &EventLog::remoteEventsReceived);
    QSignalSpy written(&writer, &EventLog::eventsStored);
    writer.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("w"), QString(), 1));
    QTRY_COMPARE(written.size(), 1);
    QSignalSpy stored(&quiet, &EventLog::eventsStored);
    quiet.append(makeEvent(QStringLiteral("entry.created"), QStringLiteral("q"), QString(), 2));
    QTRY_COMPARE(stored.size(), 1);
    QCOMPARE(stored.at(0).at(0).value<QList<Event>>().constFirst().sequence(), 2);
    QCOMPARE(remote.size(), 0);
}

QTEST_GUILESS_MAIN(tst_EventLog)

#include "tst_eventlog.moc"
