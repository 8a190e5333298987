// The event log on a real, throw-away PostgreSQL: several instances sharing one log through
// LISTEN/NOTIFY, concurrent writers, a server restart in the middle of a stream, and an
// unreachable server at start-up.

#include "bus/eventidgenerator.h"
#include "chainverify.h"
#include "eventlog/eventlog.h"
#include "loadedplugin.h"
#include "webhooks/outbox.h"
#include "postgresserver.h"
#include "webhooks/outboxparticipant.h"
#include "webhooks/webhookdispatcher.h"
#include "webhooks/webhooks.h"
#include "webhookreceiver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSignalSpy>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
Event makeEvent(Internal::EventIdGenerator *ids, const QString &kb, int n)
{
    Event event;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    event.setId(ids->next(now));
    event.setTimeMsecs(now);
    event.setType(QStringLiteral("entry.created"));
    event.setKb(kb);
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(QStringLiteral("e%1").arg(n));
    event.setSource(QStringLiteral("pyrite://test/kb/") + kb);
    return event;
}

QList<qint64> readSequences(EventLog *log)
{
    QList<qint64> sequences;
    LogQuery query;
    query.limit = 100000;
    QList<LoggedEvent> events;
    qint64 oldest = 0;
    if (log->read(query, &events, &oldest, nullptr)) {
        for (const LoggedEvent &event : std::as_const(events))
            sequences.append(event.sequence);
    }
    return sequences;
}

int countEvents(const QSignalSpy &spy)
{
    int count = 0;
    for (const QList<QVariant> &signal : spy)
        count += int(signal.at(0).value<QList<Event>>().size());
    return count;
}
} // namespace

class tst_EventLogPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void twoInstancesShareOneStream();
    void concurrentWriters();
    void restartInTheMiddleOfAStream();
    void unreachableServer();
    void pluginRefusesUnreachableServer();
    void webhooksFromTwoInstances();
    void runtimeEndpointsOfTwoInstances();
    void hashChainOfTwoInstances_data();
    void hashChainOfTwoInstances();

private:
    EventLogSettings settings() const;
    PostgresServer m_server;
    QString m_database;
    int m_databases = 0;
};

void tst_EventLogPostgres::initTestCase()
{
    if (PostgresServer::binDir().isEmpty())
        QSKIP("PostgreSQL server binaries not found; scripts/install-deps.sh installs Debian's "
              "postgresql");
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
             "the QPSQL driver (libqt6sql6-psql) is missing");
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
}

void tst_EventLogPostgres::init()
{
    m_database = QStringLiteral("log%1").arg(++m_databases);
    QString error;
    QVERIFY2(m_server.createDatabase(m_database, &error), qPrintable(error));
}

EventLogSettings tst_EventLogPostgres::settings() const
{
    EventLogSettings s;
    s.driver = EventLogSettings::Driver::Postgresql;
    s.host = m_server.socketDir();
    s.port = m_server.port();
    s.database = m_database;
    s.user = QStringLiteral("postgres");
    s.batchMaxDelayMs = 2;
    return s;
}

void tst_EventLogPostgres::twoInstancesShareOneStream()
{
    EventLog a(settings());
    EventLog b(settings());
    QString error;
    QVERIFY2(a.open(false, &error), qPrintable(error));
    QVERIFY2(b.open(false, &error), qPrintable(error));
    QCOMPARE(a.epoch(), b.epoch());
    QSignalSpy storedA(&a, &EventLog::eventsStored);
    QSignalSpy remoteA(&a, &EventLog::remoteEventsReceived);
    QSignalSpy remoteB(&b, &EventLog::remoteEventsReceived);
    Internal::EventIdGenerator ids;

    // One event: from A's commit to B's bus within 200 ms.
    a.append(makeEvent(&ids, QStringLiteral("research"), 0));
    QTRY_COMPARE(storedA.size(), 1);
    QElapsedTimer sinceCommit;
    sinceCommit.start();
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(remoteB), 1, 200);
    qInfo("commit on A to remote event on B: %lld ms", sinceCommit.elapsed());
    const Event first = remoteB.at(0).at(0).value<QList<Event>>().constFirst();
    QVERIFY(first.isRemote());
    QCOMPARE(first.sequence(), 1);
    QCOMPARE(first.epoch(), a.epoch());
    QCOMPARE(first.entryId(), QStringLiteral("e0"));

    for (int i = 1; i < 50; ++i)
        a.append(makeEvent(&ids, QStringLiteral("research"), i));
    for (int i = 0; i < 30; ++i)
        b.append(makeEvent(&ids, QStringLiteral("tasks"), 100 + i));
    QTRY_COMPARE(countEvents(remoteB), 50);
    QTRY_COMPARE(countEvents(remoteA), 30);
    QCOMPARE(countEvents(storedA), 50); // A never takes its own events for remote ones
    QList<qint64> expected;
    for (qint64 i = 1; i <= 80; ++i)
        expected.append(i);
    QCOMPARE(readSequences(&a), expected);
    QCOMPARE(readSequences(&b), expected);
}

// Two writers at once: every event exactly once, sequences without gaps, each instance sees the
// other's events in sequence order.
void tst_EventLogPostgres::concurrentWriters()
{
    EventLog a(settings());
    EventLog b(settings());
    QVERIFY(a.open(false, nullptr));
    QVERIFY(b.open(false, nullptr));
    QSignalSpy remoteA(&a, &EventLog::remoteEventsReceived);
    QSignalSpy remoteB(&b, &EventLog::remoteEventsReceived);
    Internal::EventIdGenerator idsA;
    Internal::EventIdGenerator idsB;
    for (int i = 0; i < 1000; ++i) {
        a.append(makeEvent(&idsA, QStringLiteral("a"), i));
        b.append(makeEvent(&idsB, QStringLiteral("b"), i));
    }
    QTRY_COMPARE_WITH_TIMEOUT(int(a.stats().stored + b.stats().stored), 2000, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(remoteA), 1000, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(remoteB), 1000, 10000);
    QList<qint64> expected;
    for (qint64 i = 1; i <= 2000; ++i)
        expected.append(i);
    QCOMPARE(readSequences(&a), expected);
    qint64 previous = 0;
    for (const QList<QVariant> &signal : std::as_const(remoteA)) {
        for (const Event &event : signal.at(0).value<QList<Event>>()) {
            QVERIFY(event.sequence() > previous);
            QCOMPARE(event.kb(), QStringLiteral("b"));
            previous = event.sequence();
        }
    }
}

// An endpoint made at run time on one instance (its Webhooks room, as the plugin wires it) is
// used by the other's outbox for the events that instance stores, and changes and deletions reach
// it too; the store's statements run on PostgreSQL.
void tst_EventLogPostgres::runtimeEndpointsOfTwoInstances()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    Webhooks webhooks(WebhookSettings(), QStringLiteral("a"), QStringLiteral("pyrite://a/kb/x"));
    EventLog a(settings());
    EventLog b(settings());
    a.addParticipant(webhooks.outbox());
    b.addParticipant(
            std::make_shared<OutboxParticipant>(QList<WebhookEndpoint>(), qint64(86400000)));
    QString error;
    QVERIFY2(a.open(false, &error), qPrintable(error));
    QVERIFY2(b.open(false, &error), qPrintable(error));
    webhooks.setLog(&a);
    webhooks.start();
    a.follow();

    WebhookService::EndpointAnswer answer =
            webhooks.createWebhookEndpoint({{"id", "shared"},
                                            {"url", receiver.url(QStringLiteral("pg"))},
                                            {"allow_private", true},
                                            {"events", QJsonArray{"entry.*"}}});
    QVERIFY2(answer.failure == WebhookService::Failure::None, qPrintable(answer.error));
    Internal::EventIdGenerator ids;
    const Event fromB = makeEvent(&ids, QStringLiteral("b"), 1);
    b.append(fromB);
    // Queued by b, sent by a's dispatcher (woken by the notification or its poll).
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requestsTo(QStringLiteral("pg")).size(), 1, 10000);
    QCOMPARE(receiver.requestsTo(QStringLiteral("pg")).constFirst().header("webhook-id"),
             fromB.id().toLatin1());

    // Disabled on a: b queues nothing more for it.
    answer = webhooks.updateWebhookEndpoint(QStringLiteral("shared"), {{"enabled", false}});
    QVERIFY2(answer.failure == WebhookService::Failure::None, qPrintable(answer.error));
    b.append(makeEvent(&ids, QStringLiteral("b"), 2));
    QTRY_COMPARE(b.lastSequence(), 2);
    answer = webhooks.rotateWebhookSecret(QStringLiteral("shared"), 60000);
    QVERIFY2(answer.endpoint.value("secret").toString().startsWith("whsec_"),
             qPrintable(answer.error));
    answer = webhooks.deleteWebhookEndpoint(QStringLiteral("shared"));
    QVERIFY2(answer.failure == WebhookService::Failure::None, qPrintable(answer.error));
    QCOMPARE(answer.endpoint.value("deliveries_removed").toInt(), 1);
    QList<QJsonObject> endpoints;
    QVERIFY(webhooks.listWebhookEndpoints(&endpoints, &error));
    QVERIFY(endpoints.isEmpty());
    webhooks.stop();
}

void tst_EventLogPostgres::hashChainOfTwoInstances_data()
{
    QTest::addColumn<QString>("sql"); // run with psql after the chain was found intact
    QTest::addColumn<qint64>("brokenAt");
    QTest::addColumn<QString>("problem");
    QTest::newRow("envelope edited")
            << "UPDATE events SET envelope = envelope || ' ' WHERE seq = 120" << qint64(120)
            << "its content does not match its hash";
    QTest::newRow("row deleted") << "DELETE FROM events WHERE seq = 33" << qint64(33)
                                 << "are missing";
    QTest::newRow("rows swapped")
            << "UPDATE events SET seq = -50 WHERE seq = 50; UPDATE events SET seq = 50 WHERE seq = "
               "51; UPDATE events SET seq = 51 WHERE seq = -50"
            << qint64(50) << "it does not follow the event before it";
}

// Two instances append at once; one chain in sequence order across both, that psql can break.
void tst_EventLogPostgres::hashChainOfTwoInstances()
{
    QFETCH(QString, sql);
    QFETCH(qint64, brokenAt);
    QFETCH(QString, problem);
    {
        EventLog a(settings());
        EventLog b(settings());
        QVERIFY(a.open(false, nullptr));
        QVERIFY(b.open(false, nullptr));
        Internal::EventIdGenerator idsA;
        Internal::EventIdGenerator idsB;
        for (int i = 0; i < 100; ++i) {
            a.append(makeEvent(&idsA, QStringLiteral("a"), i));
            b.append(makeEvent(&idsB, QStringLiteral("b"), i));
        }
        QTRY_COMPARE_WITH_TIMEOUT(int(a.stats().stored + b.stats().stored), 200, 20000);
    }
    const auto verify = [this] {
        return verifyChainOf(QStringLiteral("QPSQL"), [this](QSqlDatabase &db) {
            const EventLogSettings s = settings();
            db.setHostName(s.host);
            db.setPort(s.port);
            db.setDatabaseName(s.database);
            db.setUserName(s.user);
        });
    };
    EventLogService::ChainReport report = verify();
    QVERIFY2(report.intact, qPrintable(report.problem));
    QCOMPARE(report.checked, 200);
    QString error;
    QVERIFY2(m_server.psql(m_database, sql, &error), qPrintable(error));
    report = verify();
    QVERIFY(!report.intact);
    QCOMPARE(report.brokenAt, brokenAt);
    QVERIFY2(report.problem.contains(problem), qPrintable(report.problem));
}

void tst_EventLogPostgres::restartInTheMiddleOfAStream()
{
    EventLog a(settings());
    EventLog b(settings());
    QVERIFY(a.open(false, nullptr));
    QVERIFY(b.open(false, nullptr));
    QSignalSpy failed(&a, &EventLog::errorOccurred);
    QSignalSpy recovered(&a, &EventLog::recovered);
    QSignalSpy remoteB(&b, &EventLog::remoteEventsReceived);
    Internal::EventIdGenerator ids;
    for (int i = 0; i < 10; ++i)
        a.append(makeEvent(&ids, QStringLiteral("r"), i));
    QTRY_COMPARE(a.lastSequence(), 10);
    QTRY_COMPARE(countEvents(remoteB), 10);

    QVERIFY(m_server.stop());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("events wait in memory")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("events wait in memory")));
    for (int i = 10; i < 30; ++i)
        a.append(makeEvent(&ids, QStringLiteral("r"), i));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("postgresql://postgres@")),
             qPrintable(failed.at(0).at(0).toString()));
    QString error;
    QVERIFY2(m_server.startServer(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(a.lastSequence(), 30, 10000);
    // B lost its connection too; after reconnecting it catches up on what it missed.
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(remoteB), 30, 30000);
    QList<qint64> expected;
    for (qint64 i = 1; i <= 30; ++i)
        expected.append(i);
    QCOMPARE(readSequences(&a), expected);
}

void tst_EventLogPostgres::unreachableServer()
{
    EventLogSettings s = settings();
    s.host = m_server.socketDir() + QStringLiteral("/nowhere");
    EventLog log(s);
    QString error;
    QVERIFY(!log.open(false, &error));
    QVERIFY2(error.contains(QStringLiteral("cannot connect")) &&
                     error.contains(QStringLiteral("nowhere")),
             qPrintable(error));
}

void tst_EventLogPostgres::pluginRefusesUnreachableServer()
{
    QVariantMap postgres;
    postgres.insert(QStringLiteral("host"),
                    QString(m_server.socketDir() + QStringLiteral("/nowhere")));
    postgres.insert(QStringLiteral("port"), m_server.port());
    postgres.insert(QStringLiteral("password"), QStringLiteral("env:PYRITE_TEST_UNSET_VARIABLE"));
    QVariantMap log;
    log.insert(QStringLiteral("driver"), QStringLiteral("postgresql"));
    log.insert(QStringLiteral("postgresql"), postgres);
    QVariantMap settings;
    settings.insert(QStringLiteral("event_log"), log);
    HostContext context;
    context.configFile = QStringLiteral("pyrite.yaml");
    context.settingsPath = QStringLiteral("plugins[0].settings");
    LoadedPlugin loaded;
    QString error;
    QVERIFY(!loaded.load(settings, context, &error));
    QVERIFY2(error.contains(QStringLiteral(
                     "plugins[0].settings.event_log.postgresql.password: environment variable "
                     "PYRITE_TEST_UNSET_VARIABLE is not set")),
             qPrintable(error));

    qputenv("PYRITE_TEST_PASSWORD", "not-shown");
    postgres.insert(QStringLiteral("password"), QStringLiteral("env:PYRITE_TEST_PASSWORD"));
    log.insert(QStringLiteral("postgresql"), postgres);
    QVariantMap withPassword;
    withPassword.insert(QStringLiteral("event_log"), log);
    LoadedPlugin second;
    QVERIFY(!second.load(withPassword, context, &error));
    QVERIFY2(error.startsWith(QStringLiteral(
                     "pyrite.yaml: plugins[0].settings.event_log: event log postgresql://")),
             qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("cannot connect")), qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("not-shown")),
             "the password must never appear in messages");
}

// Two instances share the log and its outbox: each queues deliveries for its own events, both
// dispatchers claim from the same table (SKIP LOCKED), every event reaches the receiver, and
// failed attempts, retries and the history work on PostgreSQL as on SQLite.
void tst_EventLogPostgres::webhooksFromTwoInstances()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.listen());
    // Every third request fails once: retries go through the PostgreSQL outbox too.
    QList<WebhookReceiver::Answer> script;
    for (int i = 0; i < 300; ++i)
        script.append({i % 3 == 0 ? 500 : 200, {}, {}});
    script.append({200, {}, {}});
    receiver.scripts[QStringLiteral("hook")] = script;
    WebhookSettings webhooks;
    webhooks.retryScheduleMs = {20};
    webhooks.breakerFailures = 1000;
    WebhookEndpoint endpoint;
    endpoint.url = QUrl(receiver.url(QStringLiteral("hook")));
    endpoint.id = endpoint.url.toString();
    endpoint.allowPrivate = true;
    webhooks.endpoints = {endpoint};
    const EventLogSettings logSettings = settings();
    EventLog a(logSettings);
    EventLog b(logSettings);
    a.addParticipant(std::make_shared<OutboxParticipant>(webhooks.endpoints, webhooks.historyMs));
    b.addParticipant(std::make_shared<OutboxParticipant>(webhooks.endpoints, webhooks.historyMs));
    QString error;
    QVERIFY2(a.open(false, &error), qPrintable(error));
    QVERIFY2(b.open(false, &error), qPrintable(error));
    WebhookDispatcher dispatcherA(webhooks, &a, QStringLiteral("a"));
    WebhookDispatcher dispatcherB(webhooks, &b, QStringLiteral("b"));
    connect(&a, &EventLog::eventsStored, &dispatcherA, &WebhookDispatcher::wake);
    connect(&b, &EventLog::eventsStored, &dispatcherB, &WebhookDispatcher::wake);
    // Each also sees the other's events arrive: its dispatcher may take those deliveries too.
    connect(&a, &EventLog::remoteEventsReceived, &dispatcherA, &WebhookDispatcher::wake);
    connect(&b, &EventLog::remoteEventsReceived, &dispatcherB, &WebhookDispatcher::wake);
    dispatcherA.start();
    dispatcherB.start();

    Internal::EventIdGenerator idsA;
    Internal::EventIdGenerator idsB;
    QSet<QString> published;
    for (int i = 0; i < 100; ++i) {
        const Event fromA = makeEvent(&idsA, QStringLiteral("a"), i);
        const Event fromB = makeEvent(&idsB, QStringLiteral("b"), i);
        published << fromA.id() << fromB.id();
        a.append(fromA);
        b.append(fromB);
    }
    const auto delivered = [&] {
        QSet<QString> ids;
        for (const WebhookReceiver::Request &request : std::as_const(receiver.requests)) {
            if (request.status == 200)
                ids.insert(QString::fromLatin1(request.header("webhook-id")));
        }
        return ids;
    };
    QTRY_VERIFY_WITH_TIMEOUT(delivered() == published, 20000);
    // Both dispatchers took part, and no delivery was accepted twice.
    // The receiver has answered; the dispatchers count once the answers reach them.
    QTRY_COMPARE(dispatcherA.metrics().delivered + dispatcherB.metrics().delivered, quint64(200));
    const quint64 fromA = dispatcherA.metrics().delivered;
    const quint64 fromB = dispatcherB.metrics().delivered;
    QVERIFY(fromA > 0 && fromB > 0);
    QVERIFY(dispatcherA.metrics().failed + dispatcherB.metrics().failed > 0);
    int accepted = 0;
    for (const WebhookReceiver::Request &request : std::as_const(receiver.requests))
        accepted += request.status == 200 ? 1 : 0;
    QCOMPARE(accepted, 200);

    // The history, read back from PostgreSQL.
    QList<Outbox::Record> records;
    QList<Outbox::Attempt> retried;
    QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                records.clear();
                a.postBlocking([&](LogDatabase *database) {
                    QString readError;
                    Outbox outbox(database->database(), database->isPostgres());
                    Outbox::Filter filter;
                    filter.state = QStringLiteral("delivered");
                    filter.limit = 1000;
                    outbox.list(filter, &records, &readError);
                    retried.clear();
                    for (const Outbox::Record &record : std::as_const(records)) {
                        if (record.attempts > 1)
                            outbox.attemptsOf(record.id, &retried, &readError);
                    }
                });
                return records.size() == 200;
            }(),
            5000);
    QVERIFY(!retried.isEmpty());
    QCOMPARE(retried.constFirst().status, 500);
    dispatcherA.stop();
    dispatcherB.stop();
}

QTEST_GUILESS_MAIN(tst_EventLogPostgres)
#include "tst_eventlogpostgres.moc"
