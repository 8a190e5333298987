// Webhook endpoints made at run time, through the webhooks room as the plugin wires it: kept in
// the event log's database (SQLite in a QTemporaryDir), checked by the rules of configured ones
// and the address policy, used by the outbox of every process sharing the log and by the
// dispatcher, which POSTs to a real HTTP receiver on 127.0.0.1. Secrets are made by the server,
// shown once, and rotate with a grace period in which both sign.

#include "roomwiring.h"
#include "webhookreceiver.h"
#include "webhooks/outbox.h"
#include "webhooks/outboxparticipant.h"
#include "webhooks/webhookendpointstore.h"
#include "webhooks/webhooks.h"
#include "webhooks/webhooksigner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
using Failure = WebhookService::Failure;

// A configured endpoint, to tell apart from runtime ones.
WebhookSettings configuredSettings()
{
    WebhookSettings settings;
    WebhookEndpoint configured;
    configured.id = QStringLiteral("configured-one");
    // A literal address: a DNS lookup still pending when the dispatcher stops leaks in Qt 6.4.
    configured.url = QUrl(QStringLiteral("https://192.0.2.10/configured"));
    configured.location = QStringLiteral("pyrite.yaml:12: plugins[0].settings.webhooks[0]");
    configured.filter.setTypePatterns({QStringLiteral("kb.indexed")}, nullptr);
    settings.endpoints = {configured};
    settings.retryScheduleMs = {100};
    return settings;
}

// Whether the request was signed with this secret ("whsec_...").
bool signedWith(const WebhookReceiver::Request &request, const QString &secret)
{
    const QByteArray key = WebhookSigner::decodeSecret(secret).value_or(QByteArray());
    return WebhookSigner::verify(
                   key, request.header("webhook-id"), request.header("webhook-timestamp"),
                   request.header("webhook-signature"), request.body,
                   QDateTime::currentSecsSinceEpoch()) == WebhookSigner::Verdict::Valid;
}
} // namespace

class tst_WebhookEndpoints : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createdEndpointReceivesSignedEvents();
    void listingShowsBothKindsAndNoSecret();
    void badDefinitions_data();
    void badDefinitions();
    void configuredEndpointsAreReadOnly();
    void editDisableAndDelete();
    void concurrentEditsDoNotUndoEachOther();
    void restartKeepsThem();
    void anotherProcessQueuesForThem();
    void rotationSignsWithBothDuringTheGracePeriod();
    void signingSecretsFollowTheGracePeriod_data();
    void signingSecretsFollowTheGracePeriod();

private:
    // The webhooks room on a log at the temporary folder's events.sqlite, sending.
    void start();
    void stop();
    void publish(const QString &type, const QString &id);
    QJsonObject create(const QJsonObject &definition);
    QList<QJsonObject> list();
    QList<Outbox::Record> deliveries(EventLog *log);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<RoomWiring> m_rooms;
    std::unique_ptr<Webhooks> m_webhooks;
};

void tst_WebhookEndpoints::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_receiver = std::make_unique<WebhookReceiver>();
    QVERIFY(m_receiver->listen());
    start();
}

void tst_WebhookEndpoints::cleanup()
{
    stop();
    m_receiver.reset();
    m_dir.reset();
}

void tst_WebhookEndpoints::start()
{
    m_webhooks = std::make_unique<Webhooks>(configuredSettings(), QStringLiteral("test"),
                                            QStringLiteral("pyrite://test/kb/example"));
    m_rooms = std::make_unique<RoomWiring>(m_dir->filePath(QStringLiteral("events.sqlite")));
    QString error;
    QVERIFY2(m_rooms->openLog({m_webhooks->outbox()}, &error), qPrintable(error));
    m_webhooks->setLog(m_rooms->log.get());
    m_webhooks->start();
    QVERIFY(m_webhooks->isSending());
}

void tst_WebhookEndpoints::stop()
{
    if (m_webhooks)
        m_webhooks->stop();
    m_rooms.reset();
    m_webhooks.reset();
}

void tst_WebhookEndpoints::publish(const QString &type, const QString &id)
{
    Event event;
    event.setType(type);
    event.setKb(QStringLiteral("research"));
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(id);
    m_rooms->bus.publish(event);
}

QJsonObject tst_WebhookEndpoints::create(const QJsonObject &definition)
{
    const WebhookService::EndpointAnswer answer = m_webhooks->createWebhookEndpoint(definition);
    if (answer.failure != Failure::None)
        qWarning() << "create:" << answer.error;
    return answer.endpoint;
}

QList<QJsonObject> tst_WebhookEndpoints::list()
{
    QList<QJsonObject> endpoints;
    QString error;
    if (!m_webhooks->listWebhookEndpoints(&endpoints, &error))
        qWarning() << "list:" << error;
    return endpoints;
}

QList<Outbox::Record> tst_WebhookEndpoints::deliveries(EventLog *log)
{
    QList<Outbox::Record> records;
    log->postBlocking([&](LogDatabase *database) {
        QString error;
        Outbox::Filter filter;
        filter.limit = 1000;
        if (!database ||
            !Outbox(database->database(), database->isPostgres()).list(filter, &records, &error))
            qWarning() << "deliveries:" << error;
    });
    return records;
}

void tst_WebhookEndpoints::createdEndpointReceivesSignedEvents()
{
    const QJsonObject endpoint = create({{"url", m_receiver->url("made")},
                                         {"events", QJsonArray{"entry.*"}},
                                         {"allow_private", true},
                                         {"headers", QJsonObject{{"X-Team", "docs"}}}});
    const QString secret = endpoint.value("secret").toString();
    QVERIFY2(secret.startsWith("whsec_"), qPrintable(secret));
    QCOMPARE(WebhookSigner::decodeSecret(secret)->size(), 32);
    QVERIFY(endpoint.value("id").toString().startsWith("ep_"));
    QCOMPARE(endpoint.value("origin").toString(), "runtime");
    // Events stored after the creation reach it at once; not the kb.indexed-only configured one.
    publish("entry.created", "first");
    QTRY_COMPARE(m_receiver->requestsTo("made").size(), 1);
    const WebhookReceiver::Request request = m_receiver->requestsTo("made").constFirst();
    QVERIFY(signedWith(request, secret));
    QCOMPARE(request.header("X-Team"), "docs");
    QCOMPARE(QJsonDocument::fromJson(request.body).object().value("subject").toString(),
             "research/first");
    // Two endpoints made one after the other get different secrets.
    const QJsonObject other = create({{"url", m_receiver->url("other")}, {"allow_private", true}});
    QVERIFY(other.value("secret").toString() != secret);
}

void tst_WebhookEndpoints::listingShowsBothKindsAndNoSecret()
{
    const QJsonObject made = create({{"id", "docs-hook"},
                                     {"url", m_receiver->url("made?token=abc")},
                                     {"allow_private", true},
                                     {"timeout", "3s"},
                                     {"max_attempts", 3}});
    const QList<QJsonObject> endpoints = list();
    QCOMPARE(endpoints.size(), 2);
    QCOMPARE(endpoints.at(0).value("id").toString(), "configured-one");
    QCOMPARE(endpoints.at(0).value("origin").toString(), "config");
    QCOMPARE(endpoints.at(0).value("read_only").toBool(), true);
    const QJsonObject runtime = endpoints.at(1);
    QCOMPARE(runtime.value("id").toString(), "docs-hook");
    QCOMPARE(runtime.value("read_only").toBool(), false);
    QCOMPARE(runtime.value("timeout_ms").toInt(), 3000);
    QCOMPARE(runtime.value("max_attempts").toInt(), 3);
    QCOMPARE(runtime.value("signed").toBool(), true);
    QVERIFY(!runtime.value("url").toString().contains("token")); // the query stays out
    // The secret never again, in no field.
    const QByteArray all = QJsonDocument(QJsonArray{endpoints.at(0), runtime}).toJson();
    QVERIFY(!all.contains(made.value("secret").toString().toUtf8()));
    QVERIFY(!all.contains("whsec_"));
    QVERIFY(!runtime.contains("secret"));
}

void tst_WebhookEndpoints::badDefinitions_data()
{
    QTest::addColumn<QByteArray>("definition");
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("message");
    const int invalid = int(Failure::Invalid);
    QTest::newRow("no url") << QByteArray(R"({"events":["entry.*"]})") << invalid << "url:";
    QTest::newRow("not a URL") << QByteArray(R"({"url":"http//x"})") << invalid
                               << "is not a valid URL";
    QTest::newRow("ftp") << QByteArray(R"({"url":"ftp://files.example.com/x"})") << invalid
                         << "the scheme must be https or http";
    QTest::newRow("credentials in the URL")
            << QByteArray(R"({"url":"https://user:pw@hooks.example.com/"})") << invalid
            << "credentials in the URL";
    QTest::newRow("loopback target") << QByteArray(R"({"url":"http://127.0.0.1:9/x"})") << invalid
                                     << "new endpoint: url: refused: 127.0.0.1";
    QTest::newRow("private target")
            << QByteArray(R"({"url":"https://10.1.2.3/x"})") << invalid << "a loopback, private";
    QTest::newRow("IPv6 loopback")
            << QByteArray(R"({"url":"http://[::1]:9/x"})") << invalid << "refused";
    QTest::newRow("unknown key") << QByteArray(R"({"url":"https://a.example/","evnts":["*"]})")
                                 << invalid << "evnts: unknown key";
    QTest::newRow("secret given")
            << QByteArray(R"({"url":"https://a.example/","secret":"whsec_AAAA"})") << invalid
            << "secret: the server makes the secret";
    QTest::newRow("pattern matching nothing")
            << QByteArray(R"({"url":"https://a.example/","events":["entry.create"]})") << invalid
            << "\"entry.create\" matches none of the event types";
    QTest::newRow("bad pattern") << QByteArray(
                                            R"({"url":"https://a.example/","events":["Entry!"]})")
                                 << invalid << "events:";
    QTest::newRow("empty events") << QByteArray(R"({"url":"https://a.example/","events":[]})")
                                  << invalid << "an empty list matches nothing";
    QByteArray manyHeaders = R"({"url":"https://a.example/","headers":{)";
    for (int i = 0; i < 33; ++i)
        manyHeaders += (i ? "," : "") + QByteArray("\"X-H") + QByteArray::number(i) + "\":\"v\"";
    QTest::newRow("33 headers") << manyHeaders + "}}" << invalid << "33 headers; at most 32";
    QTest::newRow("header value too long")
            << QByteArray(R"({"url":"https://a.example/","headers":{"X-Big":")") +
                    QByteArray(5000, 'v') + "\"}}"
            << invalid << "X-Big: too long";
    QTest::newRow("reserved header")
            << QByteArray(R"({"url":"https://a.example/","headers":{"webhook-id":"x"}})") << invalid
            << "set by the dispatcher";
    QTest::newRow("header spanning lines")
            << QByteArray(R"({"url":"https://a.example/","headers":{"X-A":"a\r\nX-B: b"}})")
            << invalid << "cannot span lines";
    QTest::newRow("bad timeout") << QByteArray(
                                            R"({"url":"https://a.example/","timeout":"forever"})")
                                 << invalid << "timeout:";
    QTest::newRow("attempts out of range")
            << QByteArray(R"({"url":"https://a.example/","max_attempts":1000})") << invalid
            << "max_attempts: 1000 is out of range";
    QTest::newRow("enabled not a boolean")
            << QByteArray(R"({"url":"https://a.example/","enabled":"yes"})") << invalid
            << "enabled:";
    QTest::newRow("bad format") << QByteArray(R"({"url":"https://a.example/","format":"xml"})")
                                << invalid << "format:";
    QTest::newRow("id with a slash") << QByteArray(R"({"id":"../x","url":"https://a.example/"})")
                                     << invalid << "id: \"../x\" is not valid";
    QTest::newRow("id not a string") << QByteArray(R"({"id":5,"url":"https://a.example/"})")
                                     << invalid << "id: expected a string";
    QTest::newRow("id of a configured endpoint")
            << QByteArray(R"({"id":"configured-one","url":"https://a.example/"})")
            << int(Failure::Conflict) << "configured in pyrite.yaml:12";
}

void tst_WebhookEndpoints::badDefinitions()
{
    QFETCH(QByteArray, definition);
    QFETCH(int, failure);
    QFETCH(QString, message);
    const QJsonObject object = QJsonDocument::fromJson(definition).object();
    QVERIFY(!object.isEmpty());
    const WebhookService::EndpointAnswer answer = m_webhooks->createWebhookEndpoint(object);
    QCOMPARE(int(answer.failure), failure);
    QVERIFY2(answer.error.contains(message), qPrintable(answer.error));
    QVERIFY(!answer.endpoint.contains("secret"));
    // Nothing was stored; and the same definition with a change is taken afterwards.
    QCOMPARE(list().size(), 1);
    QVERIFY(!create({{"url", m_receiver->url("fine")}, {"allow_private", true}}).isEmpty());
    QCOMPARE(list().size(), 2);
}

void tst_WebhookEndpoints::configuredEndpointsAreReadOnly()
{
    for (const WebhookService::EndpointAnswer &answer :
         {m_webhooks->updateWebhookEndpoint("configured-one", {{"enabled", false}}),
          m_webhooks->deleteWebhookEndpoint("configured-one"),
          m_webhooks->rotateWebhookSecret("configured-one", 1000)}) {
        QCOMPARE(answer.failure, Failure::Conflict);
        QVERIFY2(answer.error.contains("configured in pyrite.yaml:12"), qPrintable(answer.error));
    }
    for (const WebhookService::EndpointAnswer &answer :
         {m_webhooks->updateWebhookEndpoint("nobody", {{"enabled", false}}),
          m_webhooks->deleteWebhookEndpoint("nobody"),
          m_webhooks->rotateWebhookSecret("nobody", 1000)}) {
        QCOMPARE(answer.failure, Failure::NotFound);
        QVERIFY2(answer.error.contains("no endpoint \"nobody\""), qPrintable(answer.error));
    }
}

void tst_WebhookEndpoints::editDisableAndDelete()
{
    const QString id = create({{"id", "edit-me"},
                               {"url", m_receiver->url("first")},
                               {"events", QJsonArray{"entry.created"}},
                               {"allow_private", true}})
                               .value("id")
                               .toString();
    QCOMPARE(id, "edit-me");
    publish("entry.updated", "ignored");
    publish("entry.created", "one");
    QTRY_COMPARE(m_receiver->requestsTo("first").size(), 1);

    // A new URL and filter take effect for what is stored next; the secret stays.
    WebhookService::EndpointAnswer answer = m_webhooks->updateWebhookEndpoint(
            id, {{"url", m_receiver->url("second")}, {"events", QJsonArray{"entry.updated"}}});
    QCOMPARE(answer.failure, Failure::None);
    QCOMPARE(answer.endpoint.value("url").toString(), m_receiver->url("second"));
    QVERIFY(!answer.endpoint.contains("secret"));
    publish("entry.created", "not-for-it");
    publish("entry.updated", "two");
    QTRY_COMPARE(m_receiver->requestsTo("second").size(), 1);
    QCOMPARE(m_receiver->requestsTo("first").size(), 1);

    // A change that breaks the rules is refused and changes nothing; null is the default again.
    answer = m_webhooks->updateWebhookEndpoint(id, {{"allow_private", QJsonValue::Null}});
    QCOMPARE(answer.failure, Failure::Invalid);
    QVERIFY2(answer.error.contains("refused"), qPrintable(answer.error));
    answer = m_webhooks->updateWebhookEndpoint(id, {{"id", "renamed"}});
    QCOMPARE(answer.failure, Failure::Invalid);
    QCOMPARE(list().at(1).value("allow_private").toBool(), true);

    // Disabled: nothing is queued for it meanwhile; enabled: new events go again.
    QCOMPARE(m_webhooks->updateWebhookEndpoint(id, {{"enabled", false}}).failure, Failure::None);
    publish("entry.updated", "while-disabled");
    publish("entry.updated", "while-disabled-2");
    QTRY_COMPARE(m_rooms->log->lastSequence(), 6);
    QCOMPARE(deliveries(m_rooms->log.get()).size(), 2);
    QCOMPARE(m_webhooks->updateWebhookEndpoint(id, {{"enabled", true}}).failure, Failure::None);
    publish("entry.updated", "three");
    QTRY_COMPARE(m_receiver->requestsTo("second").size(), 2);

    // Deleted: its deliveries go with it, and it is gone for every operation.
    answer = m_webhooks->deleteWebhookEndpoint(id);
    QCOMPARE(answer.failure, Failure::None);
    QCOMPARE(answer.endpoint.value("deliveries_removed").toInt(), 3);
    QVERIFY(deliveries(m_rooms->log.get()).isEmpty());
    QCOMPARE(list().size(), 1);
    QCOMPARE(m_webhooks->deleteWebhookEndpoint(id).failure, Failure::NotFound);
    publish("entry.updated", "after-delete");
    QTRY_COMPARE(m_rooms->log->lastSequence(), 8);
    QVERIFY(deliveries(m_rooms->log.get()).isEmpty());
    // The id can be used again.
    QVERIFY(!create({{"id", id}, {"url", m_receiver->url("again")}, {"allow_private", true}})
                     .isEmpty());
}

// Two edits read the same row; the second one written must not silently drop the first: it is
// refused as a conflict, and nothing of it is written.
void tst_WebhookEndpoints::concurrentEditsDoNotUndoEachOther()
{
    const QString id =
            create({{"url", m_receiver->url("a")}, {"allow_private", true}}).value("id").toString();
    const WebhookService::EndpointAnswer answer =
            m_webhooks->updateWebhookEndpoint(id, {{"max_attempts", 2}});
    QCOMPARE(answer.failure, Failure::None);
    // Another process's edit lands between this one's read and write: simulated by writing the
    // row with an outdated updated_ms expectation, exactly what a late writer does.
    QString error;
    WebhookEndpointStore::Status status = WebhookEndpointStore::Status::Failed;
    m_rooms->log->postBlocking([&](LogDatabase *database) {
        WebhookEndpointStore store(database->database());
        WebhookEndpointStore::Row row;
        store.find(id, &row, &error);
        status = store.update(id, {{"url", m_receiver->url("b")}}, row.updatedMs + 5,
                              row.updatedMs - 1, &error);
    });
    QCOMPARE(status, WebhookEndpointStore::Status::NotFound);
    QCOMPARE(list().at(1).value("max_attempts").toInt(), 2);
    QCOMPARE(list().at(1).value("url").toString(), m_receiver->url("a"));
}

void tst_WebhookEndpoints::restartKeepsThem()
{
    const QJsonObject made = create({{"id", "kept"},
                                     {"url", m_receiver->url("kept")},
                                     {"allow_private", true},
                                     {"events", QJsonArray{"task.*"}}});
    const QString secret = made.value("secret").toString();
    stop();
    start();
    const QList<QJsonObject> endpoints = list();
    QCOMPARE(endpoints.size(), 2);
    QCOMPARE(endpoints.at(1).value("id").toString(), "kept");
    QCOMPARE(endpoints.at(1).value("events").toArray(), QJsonArray{"task.*"});
    publish("task.claimed", "t1");
    QTRY_COMPARE(m_receiver->requestsTo("kept").size(), 1);
    QVERIFY(signedWith(m_receiver->requestsTo("kept").constFirst(), secret));
}

// A second process on the same log (its own EventLog and outbox, no dispatcher) queues deliveries
// for an endpoint the first one made after it started; this process's dispatcher sends them.
void tst_WebhookEndpoints::anotherProcessQueuesForThem()
{
    RoomWiring other(m_dir->filePath(QStringLiteral("events.sqlite")));
    QString error;
    QVERIFY2(other.openLog({std::make_shared<OutboxParticipant>(QList<WebhookEndpoint>(),
                                                                qint64(86400000))},
                           &error),
             qPrintable(error));
    // Its outbox has read the (empty) runtime endpoints once already.
    Event first;
    first.setType(QStringLiteral("entry.created"));
    first.setKb(QStringLiteral("research"));
    first.setEntryId(QStringLiteral("before"));
    other.bus.publish(first);
    QTRY_COMPARE(other.log->lastSequence(), 1);
    QVERIFY(deliveries(other.log.get()).isEmpty());

    create({{"id", "shared"}, {"url", m_receiver->url("shared")}, {"allow_private", true}});
    Event second = first;
    second.setEntryId(QStringLiteral("after"));
    other.bus.publish(second);
    QTRY_COMPARE(deliveries(other.log.get()).size(), 1);
    QCOMPARE(deliveries(other.log.get()).constFirst().endpoint, "shared");
    // This process follows the log written by the other, and its dispatcher is woken by polling.
    m_rooms->log->follow();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requestsTo("shared").size(), 1, 10000);
    QCOMPARE(QJsonDocument::fromJson(m_receiver->requestsTo("shared").constFirst().body)
                     .object()
                     .value("subject")
                     .toString(),
             "research/after");
}

void tst_WebhookEndpoints::rotationSignsWithBothDuringTheGracePeriod()
{
    const QString oldSecret =
            create({{"id", "rotating"}, {"url", m_receiver->url("rot")}, {"allow_private", true}})
                    .value("secret")
                    .toString();
    WebhookService::EndpointAnswer answer = m_webhooks->rotateWebhookSecret("rotating", 3600000);
    QCOMPARE(answer.failure, Failure::None);
    const QString newSecret = answer.endpoint.value("secret").toString();
    QVERIFY(newSecret.startsWith("whsec_") && newSecret != oldSecret);
    QVERIFY(answer.endpoint.contains("previous_secret_until"));
    QVERIFY(!list().at(1).contains("secret"));
    QVERIFY(list().at(1).contains("previous_secret_until"));
    // During the grace period a receiver with either secret accepts.
    publish("entry.created", "during");
    QTRY_COMPARE(m_receiver->requestsTo("rot").size(), 1);
    const WebhookReceiver::Request during = m_receiver->requestsTo("rot").constLast();
    QVERIFY(signedWith(during, oldSecret));
    QVERIFY(signedWith(during, newSecret));
    QCOMPARE(during.header("webhook-signature").count("v1,"), 2);

    // A rotation without grace: only the newest signs; the two before are refused.
    answer = m_webhooks->rotateWebhookSecret("rotating", 0);
    QCOMPARE(answer.failure, Failure::None);
    const QString newest = answer.endpoint.value("secret").toString();
    QVERIFY(!list().at(1).contains("previous_secret_until"));
    publish("entry.created", "after");
    QTRY_COMPARE(m_receiver->requestsTo("rot").size(), 2);
    const WebhookReceiver::Request after = m_receiver->requestsTo("rot").constLast();
    QVERIFY(signedWith(after, newest));
    QVERIFY(!signedWith(after, newSecret));
    QVERIFY(!signedWith(after, oldSecret));
    QCOMPARE(after.header("webhook-signature").count("v1,"), 1);

    QCOMPARE(m_webhooks->rotateWebhookSecret("rotating", 31LL * 86400000).failure,
             Failure::Invalid);
}

void tst_WebhookEndpoints::signingSecretsFollowTheGracePeriod_data()
{
    QTest::addColumn<qint64>("timeMs");
    QTest::addColumn<int>("secrets");
    QTest::newRow("before the end") << qint64(999) << 2;
    QTest::newRow("at the end") << qint64(1000) << 1;
    QTest::newRow("after it") << qint64(5000) << 1;
}

void tst_WebhookEndpoints::signingSecretsFollowTheGracePeriod()
{
    QFETCH(qint64, timeMs);
    QFETCH(int, secrets);
    WebhookEndpoint endpoint;
    endpoint.secrets = {QByteArray(32, 'n')};
    endpoint.previousSecret = QByteArray(32, 'o');
    endpoint.previousSecretUntilMs = 1000;
    const QList<QByteArray> keys = endpoint.signingSecrets(timeMs);
    QCOMPARE(keys.size(), secrets);
    QCOMPARE(keys.constFirst(), QByteArray(32, 'n'));
}

QTEST_GUILESS_MAIN(tst_WebhookEndpoints)
#include "tst_webhookendpoints.moc"
