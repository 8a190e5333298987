// Webhook delivery end to end: events go through the bus into the event log (SQLite in a
// QTemporaryDir), which queues deliveries in the same transaction; the dispatcher POSTs them to a
// real HTTP receiver on 127.0.0.1 that answers as each test scripts it.

#include "roomwiring.h"
#include "webhooks/outbox.h"
#include "webhooks/outboxparticipant.h"
#include "webhooks/webhookdispatcher.h"
#include "webhookreceiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
const QByteArray Key = QByteArray::fromBase64("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

WebhookEndpoint endpoint(const QString &url, const QString &id = {})
{
    WebhookEndpoint endpoint;
    endpoint.url = QUrl(url);
    endpoint.id = id.isEmpty() ? url : id;
    endpoint.allowPrivate = true; // the receiver is on loopback
    endpoint.timeoutMs = 2000;
    endpoint.maxAttempts = 5;
    endpoint.secrets = {Key};
    return endpoint;
}

WebhookReceiver::Answer answer(int status, QList<QPair<QByteArray, QByteArray>> headers = {},
                               QByteArray body = {})
{
    return {status, std::move(headers), std::move(body)};
}
} // namespace

class tst_WebhookDelivery : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void deliversSignedCloudEvents();
    void filtersAndWildcards();
    void retriesOnTheSchedule();
    void deadLetterAfterTheLastAttempt();
    void retryAfterIsHonoured();
    void goneDisablesTheEndpoint();
    void noAnswerOrHangUpCostsOneAttempt_data();
    void noAnswerOrHangUpCostsOneAttempt();
    void hugeResponseIsCapped();
    void redirectsAreFailedAttempts_data();
    void redirectsAreFailedAttempts();
    void circuitBreakerPausesOnlyTheFailingEndpoint();
    void redeliverTheDead();
    void privateAddressesAreRefused();
    void restartTakesBackClaimedDeliveries();
    void finishedHistoryIsPruned();

private:
    bool start(WebhookSettings settings, qint64 historySeconds = 86400);
    void stopDispatcher();
    void publish(const QString &type, const QString &kb = QStringLiteral("research"),
                 const QString &entryType = QStringLiteral("note"), const QString &id = {});
    QList<Outbox::Record> history(const QString &state = {});
    QList<Outbox::Attempt> attempts(qint64 deliveryId);
    // The newest delivery's row; an empty one while there is none.
    Outbox::Record latest() { return history().value(0); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<RoomWiring> m_rooms;
    EventLog *m_log = nullptr;
    std::unique_ptr<WebhookDispatcher> m_dispatcher;
    WebhookSettings m_settings;
    int m_published = 0;
};

void tst_WebhookDelivery::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_receiver = std::make_unique<WebhookReceiver>();
    QVERIFY(m_receiver->listen());
    m_published = 0;
}

void tst_WebhookDelivery::cleanup()
{
    m_dispatcher.reset();
    m_log = nullptr;
    m_rooms.reset();
    m_receiver.reset();
    m_dir.reset();
}

bool tst_WebhookDelivery::start(WebhookSettings settings, qint64 historySeconds)
{
    m_settings = settings;
    EventLogSettings logSettings;
    logSettings.path = m_dir->filePath(QStringLiteral("events.sqlite"));
    logSettings.retentionIntervalSeconds = 1;
    m_rooms = std::make_unique<RoomWiring>(logSettings);
    QString error;
    if (!m_rooms->openLog(
                {std::make_shared<OutboxParticipant>(settings.endpoints, historySeconds * 1000)},
                &error)) {
        qWarning() << error;
        return false;
    }
    m_log = m_rooms->log.get();
    m_dispatcher =
            std::make_unique<WebhookDispatcher>(settings, m_log, QStringLiteral("test-host"));
    connect(m_log, &EventLog::eventsStored, m_dispatcher.get(), &WebhookDispatcher::wake);
    m_dispatcher->start();
    return true;
}

void tst_WebhookDelivery::stopDispatcher()
{
    m_dispatcher->stop();
    m_dispatcher.reset();
}

void tst_WebhookDelivery::publish(const QString &type, const QString &kb, const QString &entryType,
                                  const QString &id)
{
    Event event;
    event.setType(type);
    event.setKb(kb);
    event.setEntryType(entryType);
    event.setEntryId(id.isEmpty() ? QStringLiteral("n%1").arg(++m_published) : id);
    event.setTitle(QStringLiteral("Entry %1").arg(m_published));
    m_rooms->bus.publish(event);
}

QList<Outbox::Record> tst_WebhookDelivery::history(const QString &state)
{
    QList<Outbox::Record> records;
    m_log->postBlocking([&](LogDatabase *database) {
        QString error;
        Outbox::Filter filter;
        filter.state = state;
        filter.limit = 1000;
        if (!database ||
            !Outbox(database->database(), database->isPostgres()).list(filter, &records, &error))
            qWarning() << "history:" << error;
    });
    return records;
}

QList<Outbox::Attempt> tst_WebhookDelivery::attempts(qint64 deliveryId)
{
    QList<Outbox::Attempt> result;
    m_log->postBlocking([&](LogDatabase *database) {
        QString error;
        if (!database ||
            !Outbox(database->database(), database->isPostgres())
                     .attemptsOf(deliveryId, &result, &error))
            qWarning() << "attempts:" << error;
    });
    return result;
}

void tst_WebhookDelivery::deliversSignedCloudEvents()
{
    WebhookSettings settings;
    WebhookEndpoint hook = endpoint(m_receiver->url(QStringLiteral("hook")));
    hook.headers = {{"X-Team", "blue"}};
    settings.endpoints = {hook};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    publish(QStringLiteral("entry.updated"));
    QTRY_COMPARE(m_receiver->requests.size(), 2);
    QTRY_COMPARE(history(QStringLiteral("delivered")).size(), 2);

    for (const WebhookReceiver::Request &request : std::as_const(m_receiver->requests)) {
        QCOMPARE(request.header("Content-Type"), QByteArray("application/cloudevents+json"));
        QCOMPARE(request.header("X-Team"), QByteArray("blue"));
        const QJsonObject event = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(request.header("webhook-id"), event.value("id").toString().toLatin1());
        QVERIFY(event.value("sequence").toInteger() > 0);
        QCOMPARE(event.value("specversion").toString(), QStringLiteral("1.0"));
        // The signature, checked here from the specification's definition, not with the signer.
        const QByteArray timestamp = request.header("webhook-timestamp");
        QVERIFY(qAbs(timestamp.toLongLong() - QDateTime::currentSecsSinceEpoch()) < 60);
        const QByteArray expected = "v1," +
                QMessageAuthenticationCode::hash(request.header("webhook-id") + '.' + timestamp +
                                                         '.' + request.body,
                                                 Key, QCryptographicHash::Sha256)
                        .toBase64();
        QCOMPARE(request.header("webhook-signature"), expected);
    }
    // The receiver-side helper we document accepts what was sent, and nothing altered.
    const WebhookReceiver::Request &sent = m_receiver->requests.constFirst();
    for (const QByteArray &body : {sent.body, QByteArray(sent.body).replace("entry", "entrx")}) {
        QProcess verify;
        verify.start(QStringLiteral("python3"),
                     {QStringLiteral(PYRITE_SOURCE_DIR "/tools/verify-webhook.py"),
                      QStringLiteral("--secret"),
                      QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                      QStringLiteral("--id"), QString::fromLatin1(sent.header("webhook-id")),
                      QStringLiteral("--timestamp"),
                      QString::fromLatin1(sent.header("webhook-timestamp")),
                      QStringLiteral("--signature"),
                      QString::fromLatin1(sent.header("webhook-signature"))});
        verify.write(body);
        verify.closeWriteChannel();
        QVERIFY(verify.waitForFinished(10000));
        QCOMPARE(verify.exitCode(), body == sent.body ? 0 : 1);
    }

    const QList<Outbox::Record> delivered = history(QStringLiteral("delivered"));
    for (const Outbox::Record &record : delivered) {
        QCOMPARE(record.attempts, 1);
        QCOMPARE(record.lastStatus, 200);
    }
    QCOMPARE(m_dispatcher->metrics().delivered, 2u);
}

void tst_WebhookDelivery::filtersAndWildcards()
{
    WebhookSettings settings;
    WebhookEndpoint entries = endpoint(m_receiver->url(QStringLiteral("entries")));
    QString error;
    QVERIFY(entries.filter.setTypePatterns({QStringLiteral("entry.*")}, &error));
    WebhookEndpoint tasks = endpoint(m_receiver->url(QStringLiteral("tasks")));
    tasks.filter.setKb(QStringLiteral("tasks"));
    WebhookEndpoint notes = endpoint(m_receiver->url(QStringLiteral("notes")));
    notes.filter.setEntryType(QStringLiteral("note"));
    QVERIFY(notes.filter.setTypePatterns({QStringLiteral("*.created")}, &error));
    WebhookEndpoint scoped = endpoint(m_receiver->url(QStringLiteral("scoped")));
    scoped.scopeKb = QStringLiteral("research"); // from research's kb.yaml
    WebhookEndpoint off = endpoint(m_receiver->url(QStringLiteral("off")));
    off.enabled = false;
    settings.endpoints = {entries, tasks, notes, scoped, off};
    QVERIFY(start(settings));

    publish(QStringLiteral("entry.created"), QStringLiteral("research"), QStringLiteral("note"));
    publish(QStringLiteral("task.claimed"), QStringLiteral("tasks"), QStringLiteral("task"));
    publish(QStringLiteral("entry.updated"), QStringLiteral("tasks"), QStringLiteral("task"));
    publish(QStringLiteral("kb.indexed"), QStringLiteral("research"), QString());
    // entries: 1, 3; tasks: 2, 3; notes: 1; scoped: 1, 4; off: none.
    QTRY_COMPARE(m_receiver->requests.size(), 7);
    QTest::qWait(100);
    QCOMPARE(m_receiver->requests.size(), 7);
    const auto types = [this](const QString &path) {
        QStringList result;
        for (const WebhookReceiver::Request &request : m_receiver->requestsTo(path))
            result.append(QJsonDocument::fromJson(request.body)["type"].toString());
        result.sort();
        return result;
    };
    QCOMPARE(types(QStringLiteral("entries")), (QStringList{"entry.created", "entry.updated"}));
    QCOMPARE(types(QStringLiteral("tasks")), (QStringList{"entry.updated", "task.claimed"}));
    QCOMPARE(types(QStringLiteral("notes")), QStringList{"entry.created"});
    QCOMPARE(types(QStringLiteral("scoped")), (QStringList{"entry.created", "kb.indexed"}));
    QCOMPARE(types(QStringLiteral("off")), QStringList());
}

void tst_WebhookDelivery::retriesOnTheSchedule()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {150, 300};
    settings.jitter = 0;
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("flaky")))};
    m_receiver->scripts[QStringLiteral("flaky")] = {answer(500), answer(503), answer(200)};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(history(QStringLiteral("delivered")).size(), 1, 5000);
    const QList<WebhookReceiver::Request> requests =
            m_receiver->requestsTo(QStringLiteral("flaky"));
    QCOMPARE(requests.size(), 3);
    // Each retry waits its scheduled delay (and not much more: timers, not polling).
    const qint64 first = requests.at(1).atMs - requests.at(0).atMs;
    const qint64 second = requests.at(2).atMs - requests.at(1).atMs;
    QVERIFY2(first >= 150 && first < 1000, qPrintable(QString::number(first)));
    QVERIFY2(second >= 300 && second < 1200, qPrintable(QString::number(second)));
    // webhook-id is stable across retries: receivers dedupe on it.
    QCOMPARE(requests.at(0).header("webhook-id"), requests.at(2).header("webhook-id"));

    const Outbox::Record record = latest();
    QCOMPARE(record.attempts, 3);
    const QList<Outbox::Attempt> tries = attempts(record.id);
    QCOMPARE(tries.size(), 3);
    QCOMPARE(tries.at(0).status, 500);
    QCOMPARE(tries.at(0).error, QStringLiteral("HTTP 500"));
    QCOMPARE(tries.at(1).status, 503);
    QCOMPARE(tries.at(2).status, 200);
}

void tst_WebhookDelivery::deadLetterAfterTheLastAttempt()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {20};
    WebhookEndpoint failing = endpoint(m_receiver->url(QStringLiteral("down")));
    failing.maxAttempts = 3;
    settings.endpoints = {failing};
    settings.breakerFailures = 100;
    m_receiver->scripts[QStringLiteral("down")] = {answer(500, {}, "database is on fire")};
    QVERIFY(start(settings));
    QSignalSpy dead(m_dispatcher.get(), &WebhookDispatcher::attemptRecorded);
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(history(QStringLiteral("dead")).size(), 1, 5000);
    QCOMPARE(m_receiver->requests.size(), 3);
    const Outbox::Record record = history(QStringLiteral("dead")).constFirst();
    QCOMPARE(record.attempts, 3);
    QCOMPARE(record.lastStatus, 500);
    const QList<Outbox::Attempt> tries = attempts(record.id);
    QCOMPARE(tries.size(), 3);
    QCOMPARE(tries.constLast().response, QStringLiteral("database is on fire"));
    QCOMPARE(m_dispatcher->metrics().dead, 1u);
    QTest::qWait(100);
    QCOMPARE(m_receiver->requests.size(), 3); // nothing after the last attempt
}

void tst_WebhookDelivery::retryAfterIsHonoured()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {10};
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("busy")))};
    m_receiver->scripts[QStringLiteral("busy")] = {answer(429, {{"Retry-After", "1"}}),
                                                   answer(200)};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(history(QStringLiteral("delivered")).size(), 1, 5000);
    const QList<WebhookReceiver::Request> requests = m_receiver->requestsTo(QStringLiteral("busy"));
    QCOMPARE(requests.size(), 2);
    const qint64 waited = requests.at(1).atMs - requests.at(0).atMs;
    QVERIFY2(waited >= 1000, qPrintable(QString::number(waited)));
}

void tst_WebhookDelivery::goneDisablesTheEndpoint()
{
    WebhookSettings settings;
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("gone"))),
                          endpoint(m_receiver->url(QStringLiteral("fine")))};
    m_receiver->scripts[QStringLiteral("gone")] = {answer(410)};
    QVERIFY(start(settings));
    QSignalSpy disabled(m_dispatcher.get(), &WebhookDispatcher::endpointDisabled);
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE(disabled.size(), 1);
    QCOMPARE(disabled.at(0).at(0).toString(), m_receiver->url(QStringLiteral("gone")));
    publish(QStringLiteral("entry.updated"));
    QTRY_COMPARE(m_receiver->requestsTo(QStringLiteral("fine")).size(), 2);
    QTest::qWait(100);
    QCOMPARE(m_receiver->requestsTo(QStringLiteral("gone")).size(), 1);
    QCOMPARE(m_dispatcher->metrics().disabledEndpoints, 1);
    const QList<Outbox::Record> dead = history(QStringLiteral("dead"));
    QCOMPARE(dead.size(), 1);
    QCOMPARE(dead.constFirst().lastStatus, 410);
}

void tst_WebhookDelivery::noAnswerOrHangUpCostsOneAttempt_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("error");
    QTest::addRow("never answers")
            << int(WebhookReceiver::RawMode::Silent) << "no answer within 300 ms";
    QTest::addRow("closes the connection") << int(WebhookReceiver::RawMode::HangUp) << "";
    QTest::addRow("answers garbage") << int(WebhookReceiver::RawMode::Garbage) << "";
}

void tst_WebhookDelivery::noAnswerOrHangUpCostsOneAttempt()
{
    QFETCH(int, mode);
    QFETCH(QString, error);
    m_receiver->rawMode = WebhookReceiver::RawMode(mode);
    WebhookSettings settings;
    settings.retryScheduleMs = {60000}; // one attempt within the test
    WebhookEndpoint raw = endpoint(m_receiver->rawUrl());
    raw.timeoutMs = 300;
    settings.endpoints = {raw};
    QVERIFY(start(settings));
    QSignalSpy recorded(m_dispatcher.get(), &WebhookDispatcher::attemptRecorded);
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 1, 5000);
    QTRY_COMPARE(latest().attempts, 1);
    const Outbox::Record record = latest();
    QCOMPARE(record.state, QStringLiteral("pending")); // retried later, per the schedule
    QCOMPARE(record.lastStatus, 0);
    QVERIFY(!record.lastError.isEmpty());
    if (!error.isEmpty())
        QCOMPARE(record.lastError, error);
    QVERIFY(m_receiver->rawRequests >= 1);
}

void tst_WebhookDelivery::hugeResponseIsCapped()
{
    WebhookSettings settings;
    settings.maxResponseBytes = 100;
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("chatty")))};
    m_receiver->scripts[QStringLiteral("chatty")] = {answer(200, {}, QByteArray(3 << 20, 'x'))};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(history(QStringLiteral("delivered")).size(), 1, 5000);
    const QList<Outbox::Attempt> tries = attempts(latest().id);
    QCOMPARE(tries.size(), 1);
    QCOMPARE(tries.constFirst().response.size(), 100);
    QVERIFY2(tries.constFirst().error.contains(u"the rest was not read"),
             qPrintable(tries.constFirst().error));
}

void tst_WebhookDelivery::redirectsAreFailedAttempts_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("target"); // where it points; {fine} is the receiver's "fine" path
    QTest::addColumn<QString>("shown");  // what the attempt's error names
    const QString fine = QStringLiteral("{fine}");
    // Before: a 302 on the same host turned the POST into a GET without the event, and the
    // delivery counted as delivered; a 307 to another port on the same host was followed with
    // the headers and the signature.
    QTest::newRow("302 same host") << 302 << fine << fine;
    QTest::newRow("303 same host") << 303 << fine << fine;
    // "localhost" is another host name than 127.0.0.1, even if it is the same machine.
    QTest::newRow("307 other host")
            << 307 << QStringLiteral("{localhost}") << QStringLiteral("{localhost}");
    QTest::newRow("308 other port") << 308 << QStringLiteral("http://127.0.0.1:1/fine")
                                    << QStringLiteral("http://127.0.0.1:1/fine");
    QTest::newRow("301 with a key in the query")
            << 301 << fine + QStringLiteral("?key=s3cr3t") << fine;
}

void tst_WebhookDelivery::redirectsAreFailedAttempts()
{
    QFETCH(int, status);
    QFETCH(QString, target);
    QFETCH(QString, shown);
    const QString fine = m_receiver->url(QStringLiteral("fine"));
    QString localhost = fine;
    localhost.replace(QStringLiteral("127.0.0.1"), QStringLiteral("localhost"));
    for (QString *text : {&target, &shown}) {
        text->replace(QStringLiteral("{fine}"), fine);
        text->replace(QStringLiteral("{localhost}"), localhost);
    }
    WebhookSettings settings;
    settings.retryScheduleMs = {60000};
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("moved")))};
    m_receiver->scripts[QStringLiteral("moved")] = {
            answer(status, {{"Location", target.toLatin1()}})};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE_WITH_TIMEOUT(latest().attempts, 1, 5000);
    const Outbox::Record delivery = latest();
    QCOMPARE(delivery.state, QStringLiteral("pending")); // to be retried, not delivered
    const QString expected =
            QStringLiteral("HTTP %1, a redirect to %2: webhooks follow no redirects")
                    .arg(status)
                    .arg(shown);
    QVERIFY2(delivery.lastError.startsWith(expected), qPrintable(delivery.lastError));
    QVERIFY(!delivery.lastError.contains(u"s3cr3t"));
    QCOMPARE(m_receiver->requestsTo(QStringLiteral("fine")).size(), 0);
}

void tst_WebhookDelivery::circuitBreakerPausesOnlyTheFailingEndpoint()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {10};
    settings.breakerFailures = 2;
    settings.breakerPauseMs = 400;
    settings.concurrencyPerEndpoint = 1; // nothing else in flight when it pauses
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("sick"))),
                          endpoint(m_receiver->url(QStringLiteral("healthy")))};
    settings.endpoints[0].maxAttempts = 100;
    m_receiver->scripts[QStringLiteral("sick")] = {answer(500)};
    QVERIFY(start(settings));
    QSignalSpy paused(m_dispatcher.get(), &WebhookDispatcher::endpointPaused);
    for (int i = 0; i < 5; ++i)
        publish(QStringLiteral("entry.created"));
    QTRY_COMPARE(paused.size(), 1);
    const qint64 pausedAt = QDateTime::currentMSecsSinceEpoch();
    const int sickBefore = int(m_receiver->requestsTo(QStringLiteral("sick")).size());
    // The healthy endpoint gets everything while the sick one is paused.
    QTRY_COMPARE(m_receiver->requestsTo(QStringLiteral("healthy")).size(), 5);
    QVERIFY(QDateTime::currentMSecsSinceEpoch() - pausedAt < 400);
    QCOMPARE(m_dispatcher->metrics().pausedEndpoints, 1);
    // After the pause, one probe; it fails, so the next pause is longer.
    QTRY_COMPARE_WITH_TIMEOUT(paused.size(), 2, 3000);
    const QList<WebhookReceiver::Request> sick = m_receiver->requestsTo(QStringLiteral("sick"));
    QCOMPARE(sick.size(), sickBefore + 1);
    QVERIFY(sick.constLast().atMs - pausedAt >= 350);
    QCOMPARE(paused.at(1).at(1).toLongLong(), 800);
    // It recovers: the probe succeeds and everything pending follows.
    m_receiver->scripts[QStringLiteral("sick")] = {answer(200)};
    QTRY_COMPARE_WITH_TIMEOUT(history(QStringLiteral("delivered")).size(), 10, 5000);
}

void tst_WebhookDelivery::redeliverTheDead()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {10};
    WebhookEndpoint once = endpoint(m_receiver->url(QStringLiteral("once")));
    once.maxAttempts = 1;
    settings.endpoints = {once};
    m_receiver->scripts[QStringLiteral("once")] = {answer(500)};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE(history(QStringLiteral("dead")).size(), 2);
    m_receiver->scripts[QStringLiteral("once")] = {answer(200)};
    int count = 0;
    m_log->postBlocking([&](LogDatabase *database) {
        QString error;
        QVERIFY(Outbox(database->database(), false)
                        .redeliver(0, QDateTime::currentMSecsSinceEpoch(), &count, &error));
    });
    QCOMPARE(count, 2);
    m_dispatcher->wake();
    QTRY_COMPARE(history(QStringLiteral("delivered")).size(), 2);
    QCOMPARE(m_receiver->requests.size(), 4);
}

void tst_WebhookDelivery::privateAddressesAreRefused()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {60000};
    WebhookEndpoint local = endpoint(m_receiver->url(QStringLiteral("internal")));
    local.allowPrivate = false;
    settings.endpoints = {local};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE(latest().attempts, 1);
    QVERIFY2(latest().lastError.contains(
                     u"refused: 127.0.0.1 resolves to 127.0.0.1, a loopback, private"),
             qPrintable(latest().lastError));
    QCOMPARE(m_receiver->requests.size(), 0);
}

// A dispatcher that stops with deliveries claimed (the receiver was slow) takes them back when it
// starts again, instead of waiting out their leases.
void tst_WebhookDelivery::restartTakesBackClaimedDeliveries()
{
    WebhookSettings settings;
    WebhookEndpoint raw = endpoint(m_receiver->rawUrl());
    raw.timeoutMs = 60000; // the raw peer never answers: the claims stay open
    settings.endpoints = {raw};
    QVERIFY(start(settings));
    publish(QStringLiteral("entry.created"));
    publish(QStringLiteral("entry.created"));
    QTRY_COMPARE(m_dispatcher->metrics().inFlight, 2);
    stopDispatcher();
    QCOMPARE(history(QStringLiteral("pending")).size(), 2);

    // Started again, now towards a receiver that answers.
    settings.endpoints[0].url = QUrl(m_receiver->url(QStringLiteral("back")));
    settings.endpoints[0].timeoutMs = 2000;
    m_dispatcher =
            std::make_unique<WebhookDispatcher>(settings, m_log, QStringLiteral("test-host"));
    m_dispatcher->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requestsTo(QStringLiteral("back")).size(), 2, 5000);
}

// Finished deliveries leave the history after webhooks.history; pending ones stay, however old.
void tst_WebhookDelivery::finishedHistoryIsPruned()
{
    WebhookSettings settings;
    settings.retryScheduleMs = {3600000};
    WebhookEndpoint down = endpoint(m_receiver->url(QStringLiteral("down")));
    QString error;
    QVERIFY(down.filter.setTypePatterns({QStringLiteral("entry.created")}, &error));
    settings.endpoints = {endpoint(m_receiver->url(QStringLiteral("ok"))), down};
    m_receiver->scripts[QStringLiteral("down")] = {answer(500)};
    QVERIFY(start(settings, 0));
    publish(QStringLiteral("entry.created"));
    publish(QStringLiteral("entry.created"));
    publish(QStringLiteral("entry.updated")); // only to "ok"
    QTRY_COMPARE(m_receiver->requests.size(), 5);
    QTRY_COMPARE_WITH_TIMEOUT(history().size(), 2, 5000); // the three delivered ones are gone
    for (const Outbox::Record &record : history()) {
        QCOMPARE(record.state, QStringLiteral("pending"));
        QCOMPARE(record.attempts, 1);
        QCOMPARE(attempts(record.id).size(), 1);
    }
    // One payload per event, kept while a delivery needs it: the updated one's is gone.
    QList<qint64> kept;
    m_log->postBlocking([&](LogDatabase *database) {
        QSqlQuery query(database->database());
        query.exec(QStringLiteral("SELECT seq FROM webhook_payloads ORDER BY seq"));
        while (query.next())
            kept.append(query.value(0).toLongLong());
    });
    QCOMPARE(kept, (QList<qint64>{1, 2}));
}

QTEST_GUILESS_MAIN(tst_WebhookDelivery)
#include "tst_webhookdelivery.moc"
