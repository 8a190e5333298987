// Webhook building blocks without the network: Standard Webhooks signatures (against the
// specification's published test vector), the "webhooks:" configuration in pyrite.yaml and
// kb.yaml with every error naming the endpoint and key, and the request bodies per format.

#include "bus/event.h"
#include "hostconfig.h"
#include "pluginsettings.h"
#include "testfiles.h"
#include "webhooks/webhookaddresspolicy.h"
#include "webhooks/webhookpayload.h"
#include "webhooks/webhookresponse.h"
#include "webhooks/webhooksettings.h"
#include "webhooks/webhooksigner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Internal;

namespace {
// The Standard Webhooks specification's example.
const QString SpecSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr qint64 SpecTimestamp = 1614265330;
const QByteArray SpecBody = R"({"test": 2432232314})";
const QByteArray SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

} // namespace

class tst_Webhooks : public QObject
{
    Q_OBJECT

private slots:
    void retryAfter_data();
    void retryAfter();
    void responseVerdicts();
    void addressPolicy_data();
    void addressPolicy();
    void initTestCase();
    void signatureMatchesTheSpecification();
    void severalSecretsSignInOrder();
    void verify_data();
    void verify();
    void config_data();
    void config();
    void configOptions();
    void kbEndpointsSeeOnlyTheirKb();
    void cloudEventsBody();
    void slackMessage();

private:
    bool loadSettings(const QByteArray &yaml, PluginSettings *settings, QString *error,
                      const QList<KnowledgeBase> &kbs = {});
    QTemporaryDir m_dir;
};

void tst_Webhooks::addressPolicy_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("isPublic");
    const QList<QPair<const char *, bool>> rows{
            {"93.184.215.14", true},
            {"2606:2800:21f:cb07:6820:80da:af6b:8b2c", true},
            {"127.0.0.1", false},
            {"127.255.255.254", false},
            {"10.1.2.3", false},
            {"172.16.0.1", false},
            {"192.168.1.1", false},
            {"100.64.0.1", false},
            {"169.254.169.254", false},
            {"0.0.0.0", false},
            {"224.0.0.1", false},
            {"255.255.255.255", false},
            {"192.0.2.10", false},    // TEST-NET-1 (was let through)
            {"198.51.100.10", false}, // TEST-NET-2
            {"203.0.113.10", false},  // TEST-NET-3
            {"192.88.99.1", false},   // 6to4 relay anycast
            {"::", false},
            {"::1", false},
            {"::ffff:127.0.0.1", false},
            {"::ffff:10.0.0.1", false},
            {"::ffff:93.184.215.14", true},
            {"::127.0.0.1", false},                          // IPv4-compatible (was let through)
            {"::ffff:0:7f00:1", false},                      // IPv4-translated (was let through)
            {"64:ff9b::7f00:1", false},                      // NAT64 of 127.0.0.1 (was let through)
            {"64:ff9b::a9fe:a9fe", false},                   // NAT64 of 169.254.169.254
            {"64:ff9b::5db8:d70e", true},                    // NAT64 of a public address
            {"64:ff9b:1::1", false},                         // NAT64 for local use
            {"2002:7f00:1::1", false},                       // 6to4 of 127.0.0.1 (was let through)
            {"2002:c0a8:101::1", false},                     // 6to4 of 192.168.1.1
            {"2002:5db8:d70e::1", true},                     // 6to4 of a public address
            {"2001:0:4136:e378:8000:63bf:3fff:fdd2", false}, // Teredo
            {"2001:db8::1", false},
            {"100::1", false},
            {"fc00::1", false},
            {"fd12:3456::1", false},
            {"fe80::1", false},
            {"ff02::1", false},
    };
    for (const auto &[address, isPublic] : rows)
        QTest::newRow(address) << QString::fromLatin1(address) << isPublic;
}

void tst_Webhooks::addressPolicy()
{
    QFETCH(QString, address);
    QFETCH(bool, isPublic);
    const QHostAddress parsed(address);
    QVERIFY(!parsed.isNull());
    QCOMPARE(WebhookAddressPolicy::isPublic(parsed), isPublic);
}

void tst_Webhooks::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("PYRITE_TEST_WEBHOOK_SECRET", SpecSecret.toLatin1());
}

void tst_Webhooks::signatureMatchesTheSpecification()
{
    const std::optional<QByteArray> key = WebhookSigner::decodeSecret(SpecSecret);
    QVERIFY(key);
    QCOMPARE(WebhookSigner::sign(SpecId, SpecTimestamp, SpecBody, {*key}), SpecSignature);
    // The prefix is optional.
    QCOMPARE(WebhookSigner::decodeSecret(SpecSecret.mid(6)), key);
}

// While a secret rotates, both sign; receivers with either accept.
void tst_Webhooks::severalSecretsSignInOrder()
{
    const QByteArray first = *WebhookSigner::decodeSecret(SpecSecret);
    const QByteArray second(32, 'k');
    const QByteArray header = WebhookSigner::sign(SpecId, SpecTimestamp, SpecBody, {first, second});
    const QList<QByteArray> parts = header.split(' ');
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts.at(0), SpecSignature);
    for (const QByteArray &key : {first, second}) {
        QCOMPARE(WebhookSigner::verify(key, SpecId, QByteArray::number(SpecTimestamp), header,
                                       SpecBody, SpecTimestamp),
                 WebhookSigner::Verdict::Valid);
    }
}

void tst_Webhooks::verify_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("timestamp");
    QTest::addColumn<QByteArray>("signature");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("verdict");

    const QByteArray ts = QByteArray::number(SpecTimestamp);
    using V = WebhookSigner::Verdict;
    QTest::addRow("valid") << SpecId << ts << SpecSignature << SpecBody << SpecTimestamp
                           << int(V::Valid);
    QTest::addRow("within tolerance")
            << SpecId << ts << SpecSignature << SpecBody << SpecTimestamp + 299 << int(V::Valid);
    QTest::addRow("among other versions")
            << SpecId << ts << QByteArray("v1a,abc " + SpecSignature + " v2,xyz") << SpecBody
            << SpecTimestamp << int(V::Valid);
    QTest::addRow("body changed") << SpecId << ts << SpecSignature
                                  << QByteArray(R"({"test": 2432232315})") << SpecTimestamp
                                  << int(V::NoMatch);
    QTest::addRow("id changed") << QByteArray("msg_other") << ts << SpecSignature << SpecBody
                                << SpecTimestamp << int(V::NoMatch);
    QTest::addRow("timestamp changed")
            << SpecId << QByteArray::number(SpecTimestamp + 1) << SpecSignature << SpecBody
            << SpecTimestamp << int(V::NoMatch);
    QTest::addRow("too old") << SpecId << ts << SpecSignature << SpecBody << SpecTimestamp + 301
                             << int(V::TooOld);
    QTest::addRow("too new") << SpecId << ts << SpecSignature << SpecBody << SpecTimestamp - 301
                             << int(V::TooNew);
    QTest::addRow("timestamp not a number") << SpecId << QByteArray("soon") << SpecSignature
                                            << SpecBody << SpecTimestamp << int(V::Malformed);
    QTest::addRow("no signature") << SpecId << ts << QByteArray() << SpecBody << SpecTimestamp
                                  << int(V::Malformed);
    QTest::addRow("truncated signature")
            << SpecId << ts << SpecSignature.left(SpecSignature.size() - 2) << SpecBody
            << SpecTimestamp << int(V::NoMatch);
}

void tst_Webhooks::verify()
{
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, timestamp);
    QFETCH(QByteArray, signature);
    QFETCH(QByteArray, body);
    QFETCH(qint64, now);
    QFETCH(int, verdict);
    const QByteArray key = *WebhookSigner::decodeSecret(SpecSecret);
    QCOMPARE(int(WebhookSigner::verify(key, id, timestamp, signature, body, now)), verdict);
}

bool tst_Webhooks::loadSettings(const QByteArray &yaml, PluginSettings *settings, QString *error,
                                const QList<KnowledgeBase> &kbs)
{
    const QString file = writeFile(
            m_dir.filePath(QStringLiteral("%1/pyrite.yaml").arg(QTest::currentTestFunction())),
            yaml);
    Host::HostConfig config;
    if (!config.load(file, error))
        return false;
    HostContext context;
    context.configFile = file;
    context.configLines = config.lines();
    context.settingsPath = config.plugins().at(0).settingsPath;
    context.knowledgeBases = kbs;
    return settings->load(config.plugins().at(0).settings, context, error);
}

void tst_Webhooks::config_data()
{
    QTest::addColumn<QByteArray>("endpoints"); // the YAML list under settings.webhooks
    QTest::addColumn<QString>("error");        // empty: accepted
    QTest::addColumn<QString>("warning");

    // The list starts on line 5 of the file: plugins / - name / settings / webhooks / - url
    QTest::addRow("minimal https")
            << QByteArray("        - url: https://hooks.example.com/in\n") << ""
            << "";
    QTest::addRow("plain http warns")
            << QByteArray("        - url: http://hooks.example.com/in\n") << ""
            << "pyrite.yaml:5: plugins[0].settings.webhooks[0].url: plain http";
    QTest::addRow("no url") << QByteArray("        - events: [\"*\"]\n")
                            << "pyrite.yaml:5: plugins[0].settings.webhooks[0].url: "
                            << "";
    QTest::addRow("invalid url") << QByteArray("        - url: \"https://exa mple.com/\"\n")
                                 << "pyrite.yaml:5: plugins[0].settings.webhooks[0].url: "
                                    "\"https://exa mple.com/\" is not a valid URL"
                                 << "";
    QTest::addRow("ftp url") << QByteArray("        - url: ftp://example.com/x\n")
                             << "webhooks[0].url: the scheme must be https or http, not \"ftp\""
                             << "";
    QTest::addRow("credentials in url")
            << QByteArray("        - url: https://user:pw@example.com/x\n")
            << "webhooks[0].url: credentials in the URL are not allowed"
            << "";
    QTest::addRow("unknown format")
            << QByteArray("        - url: https://example.com/x\n          format: teams\n")
            << "pyrite.yaml:6: plugins[0].settings.webhooks[0].format: "
            << "";
    QTest::addRow("empty event list")
            << QByteArray("        - url: https://example.com/x\n          events: []\n")
            << "pyrite.yaml:6: plugins[0].settings.webhooks[0].events: an empty list matches "
               "nothing"
            << "";
    QTest::addRow("bad pattern") << QByteArray("        - url: https://example.com/x\n          "
                                               "events: [\"Entry Created\"]\n")
                                 << "webhooks[0].events: "
                                 << "";
    QTest::addRow("secret not base64")
            << QByteArray("        - url: https://example.com/x\n          secret: "
                          "env:PYRITE_TEST_BAD_SECRET\n")
            << "webhooks[0].secret: environment variable PYRITE_TEST_BAD_SECRET is not set"
            << "";
    QTest::addRow("literal secret not base64")
            << QByteArray("        - url: https://example.com/x\n          secret: "
                          "whsec_%%%notbase64\n")
            << "pyrite.yaml:6: plugins[0].settings.webhooks[0].secret: not a valid secret"
            << "";
    QTest::addRow("secret too short")
            << QByteArray(
                       "        - url: https://example.com/x\n          secret: whsec_c2hvcnQ=\n")
            << "webhooks[0].secret: a secret must decode to 24 to 64 bytes, not 5"
            << "";
    QTest::addRow("secret from environment")
            << QByteArray("        - url: https://example.com/x\n          secret: "
                          "env:PYRITE_TEST_WEBHOOK_SECRET\n")
            << ""
            << "";
    QTest::addRow("literal secret warns")
            << QByteArray("        - url: https://example.com/x\n          secret: "
                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
            << ""
            << "webhooks[0].secret: a literal secret; prefer \"env:NAME\"";
    QTest::addRow("reserved header")
            << QByteArray(
                       "        - url: https://example.com/x\n          headers: {webhook-id: x}\n")
            << "webhooks[0].headers.webhook-id: set by the dispatcher"
            << "";
    QTest::addRow("bad header name")
            << QByteArray("        - url: https://example.com/x\n          headers: {\"a b\": x}\n")
            << "webhooks[0].headers.a b: not a valid header name"
            << "";
    QTest::addRow("headers a list")
            << QByteArray("        - url: https://example.com/x\n          headers: [a]\n")
            << "webhooks[0].headers: expected a map of header names to values"
            << "";
    QTest::addRow("timeout")
            << QByteArray("        - url: https://example.com/x\n          timeout: forever\n")
            << "webhooks[0].timeout: \"forever\" is not a duration"
            << "";
    QTest::addRow("max attempts")
            << QByteArray("        - url: https://example.com/x\n          max_attempts: 0\n")
            << "webhooks[0].max_attempts: 0 is out of range (1 to 100)"
            << "";
    QTest::addRow("same url twice")
            << QByteArray("        - url: https://example.com/x\n        - url: "
                          "https://example.com/x\n")
            << "pyrite.yaml:6: plugins[0].settings.webhooks[1].url: another endpoint has the id "
               "\"https://example.com/x\""
            << "";
    QTest::addRow("same url with ids")
            << QByteArray("        - url: https://example.com/x\n          id: a\n"
                          "        - url: https://example.com/x\n          id: b\n")
            << ""
            << "";
    QTest::addRow("endpoint not a map") << QByteArray("        - https://example.com/x\n")
                                        << "webhooks[0]: expected an endpoint"
                                        << "";
    QTest::addRow("unknown key")
            << QByteArray("        - url: https://example.com/x\n          retries: 3\n") << ""
            << "webhooks[0].retries: unknown key";
}

void tst_Webhooks::config()
{
    QFETCH(QByteArray, endpoints);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    PluginSettings settings;
    QString actual;
    const bool loaded = loadSettings(
            "plugins:\n  - name: eventbus\n    settings:\n      webhooks:\n" + endpoints, &settings,
            &actual);
    QVERIFY2(loaded == error.isEmpty(), qPrintable(actual));
    if (!error.isEmpty()) {
        QVERIFY2(actual.contains(error), qPrintable(actual));
        QVERIFY2(!actual.contains(u"MfKQ9r8G"), "a secret appears in a message");
    }
    if (!warning.isEmpty())
        QVERIFY2(settings.warnings().join(u'\n').contains(warning),
                 qPrintable(settings.warnings().join(u'\n')));
}

// The map form: endpoints next to the delivery options.
void tst_Webhooks::configOptions()
{
    PluginSettings settings;
    QString error;
    QVERIFY2(loadSettings("plugins:\n  - name: eventbus\n    settings:\n      webhooks:\n"
                          "        retry_schedule: [100ms, 1s, 2m]\n"
                          "        concurrency_per_endpoint: 2\n"
                          "        history: 7d\n"
                          "        base_url: https://kb.example.com/\n"
                          "        endpoints:\n"
                          "          - url: https://example.com/a\n"
                          "            events: [\"entry.*\"]\n"
                          "            filter: {kb: research, type: note}\n"
                          "            format: slack\n"
                          "            timeout: 2s\n"
                          "            secrets: [env:PYRITE_TEST_WEBHOOK_SECRET, "
                          "env:PYRITE_TEST_WEBHOOK_SECRET]\n"
                          "            headers: {X-Team: blue}\n",
                          &settings, &error),
             qPrintable(error));
    const WebhookSettings &webhooks = settings.webhooks();
    QCOMPARE(webhooks.retryScheduleMs, (QList<qint64>{100, 1000, 120000}));
    QCOMPARE(webhooks.concurrencyPerEndpoint, 2);
    QCOMPARE(settings.webhooks().historyMs, 7 * 86400 * 1000LL);
    QCOMPARE(webhooks.baseUrl, QStringLiteral("https://kb.example.com"));
    QCOMPARE(webhooks.endpoints.size(), 1);
    const WebhookEndpoint &endpoint = webhooks.endpoints.constFirst();
    QCOMPARE(endpoint.id, QStringLiteral("https://example.com/a"));
    QCOMPARE(endpoint.format, WebhookEndpoint::Format::Slack);
    QCOMPARE(endpoint.timeoutMs, 2000);
    QCOMPARE(endpoint.secrets.size(), 2);
    QCOMPARE(endpoint.headers.size(), 1);
    QCOMPARE(endpoint.filter.kb(), QStringLiteral("research"));
    QCOMPARE(endpoint.filter.entryType(), QStringLiteral("note"));

    Event note;
    note.setType(QStringLiteral("entry.created"));
    note.setKb(QStringLiteral("research"));
    note.setEntryType(QStringLiteral("note"));
    QVERIFY(endpoint.matches(note));
    Event task = note;
    task.setEntryType(QStringLiteral("task"));
    QVERIFY(!endpoint.matches(task));
    Event indexed = note;
    indexed.setType(QStringLiteral("kb.indexed"));
    QVERIFY(!endpoint.matches(indexed));

    QVERIFY(!loadSettings("plugins:\n  - name: eventbus\n    settings:\n      webhooks:\n"
                          "        retry_schedule: [soon]\n"
                          "        history: 10s\n",
                          &settings, &error));
    QVERIFY2(error.contains(u"pyrite.yaml:5: plugins[0].settings.webhooks.retry_schedule: "
                            u"\"soon\" is not a duration"),
             qPrintable(error));
    QVERIFY2(error.contains(u"pyrite.yaml:6: plugins[0].settings.webhooks.history: \"10s\" is "
                            u"not a duration of a minute or more"),
             qPrintable(error));
    // The outbox lives in the event log.
    QVERIFY(!loadSettings("plugins:\n  - name: eventbus\n    settings:\n      event_log: {driver: "
                          "none}\n      webhooks:\n        - url: https://example.com/x\n",
                          &settings, &error));
    QVERIFY2(error.contains(u"pyrite.yaml:5: plugins[0].settings.webhooks: webhooks need the event "
                            u"log for their outbox"),
             qPrintable(error));
}

void tst_Webhooks::kbEndpointsSeeOnlyTheirKb()
{
    const QString research = m_dir.filePath(QStringLiteral("kbs/research"));
    writeFile(research + QStringLiteral("/kb.yaml"),
              "name: research\neventbus:\n  webhooks:\n"
              "    - url: https://example.com/research\n"
              "      filter: {kb: tasks}\n");
    const QString tasks = m_dir.filePath(QStringLiteral("kbs/tasks"));
    writeFile(tasks + QStringLiteral("/kb.yaml"),
              "name: tasks\neventbus:\n  webhooks:\n    - url: https://example.com/research\n");
    PluginSettings settings;
    QString error;
    QVERIFY2(loadSettings(
                     "plugins:\n  - name: eventbus\n    settings:\n      webhooks:\n"
                     "        - url: https://example.com/research\n",
                     &settings, &error,
                     {{QStringLiteral("research"), research}, {QStringLiteral("tasks"), tasks}}),
             qPrintable(error));
    const QList<WebhookEndpoint> endpoints = settings.webhooks().endpoints;
    QCOMPARE(endpoints.size(), 3);
    QCOMPARE(endpoints.at(0).id, QStringLiteral("https://example.com/research"));
    QCOMPARE(endpoints.at(1).id, QStringLiteral("kb:research:https://example.com/research"));
    QCOMPARE(endpoints.at(2).id, QStringLiteral("kb:tasks:https://example.com/research"));
    QVERIFY2(settings.warnings().join(u'\n').contains(
                     u"kb.yaml:5: eventbus.webhooks[0].filter.kb: this endpoint belongs to KB "
                     u"\"research\""),
             qPrintable(settings.warnings().join(u'\n')));

    Event event;
    event.setType(QStringLiteral("entry.created"));
    event.setKb(QStringLiteral("tasks"));
    QVERIFY(endpoints.at(0).matches(event));  // pyrite.yaml's sees every KB
    QVERIFY(!endpoints.at(1).matches(event)); // research's never sees tasks
    QVERIFY(endpoints.at(2).matches(event));
}

void tst_Webhooks::cloudEventsBody()
{
    Event event;
    event.setType(QStringLiteral("entry.created"));
    const QByteArray json = R"({"specversion":"1.0","sequence":7})";
    const WebhookPayload payload =
            WebhookPayload::build(WebhookEndpoint::Format::CloudEvents, event, json, QString());
    QCOMPARE(payload.contentType, QByteArray("application/cloudevents+json"));
    QCOMPARE(payload.body, json);
}

void tst_Webhooks::slackMessage()
{
    Event event;
    event.setType(QStringLiteral("entry.updated"));
    event.setKb(QStringLiteral("research"));
    event.setEntryType(QStringLiteral("note"));
    event.setEntryId(QStringLiteral("note 1"));
    event.setTitle(QStringLiteral("Cats <3 & dogs"));
    event.setActor(QStringLiteral("alice"));
    const WebhookPayload payload = WebhookPayload::build(WebhookEndpoint::Format::Slack, event, {},
                                                         QStringLiteral("https://kb.example.com"));
    QCOMPARE(payload.contentType, QByteArray("application/json"));
    const QJsonObject message = QJsonDocument::fromJson(payload.body).object();
    QCOMPARE(message.value("text").toString(),
             QStringLiteral("Cats <3 & dogs updated in research by alice"));
    const QJsonArray blocks = message.value("blocks").toArray();
    QCOMPARE(blocks.size(), 2);
    QCOMPARE(blocks.at(0)["text"]["text"].toString(),
             QStringLiteral("*<https://kb.example.com/research/note%201|Cats &lt;3 &amp; dogs>* "
                            "updated"));
    const QString context = blocks.at(1)["elements"][0]["text"].toString();
    QCOMPARE(context, QStringLiteral("KB *research* · type *note* · by *alice* · `entry.updated`"));

    // No base URL, no link; a deleted entry has nothing to link to either.
    event.setType(QStringLiteral("entry.deleted"));
    const QJsonObject deleted =
            QJsonDocument::fromJson(
                    WebhookPayload::slackMessage(event, QStringLiteral("https://kb.example.com")))
                    .object();
    QCOMPARE(deleted["blocks"][0]["text"]["text"].toString(),
             QStringLiteral("*Cats &lt;3 &amp; dogs* deleted"));
}

void tst_Webhooks::retryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expected");
    constexpr qint64 Max = Internal::WebhookResponse::MaxRetryAfterMs;
    // "now" is Tue, 24 Nov 2026 10:00:00 GMT in every row.
    QTest::newRow("seconds") << QByteArray("120") << qint64(120000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray("  30 ") << qint64(30000);
    QTest::newRow("absent") << QByteArray() << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("more than a day") << QByteArray("999999") << Max;
    // Multiplied by 1000 this would overflow a 64-bit integer.
    QTest::newRow("huge") << QByteArray("9223372036854775807") << Max;
    QTest::newRow("too big for a number") << QByteArray("99999999999999999999999") << qint64(-1);
    QTest::newRow("HTTP date in 90 s")
            << QByteArray("Tue, 24 Nov 2026 10:01:30 GMT") << qint64(90000);
    QTest::newRow("HTTP date in the past")
            << QByteArray("Tue, 24 Nov 2026 09:00:00 GMT") << qint64(0);
    QTest::newRow("HTTP date next year") << QByteArray("Wed, 24 Nov 2027 10:00:00 GMT") << Max;
}

void tst_Webhooks::retryAfter()
{
    QFETCH(QByteArray, value);
    const qint64 now = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();
    QTEST(Internal::WebhookResponse::retryAfterMs(value, now), "expected");
}

void tst_Webhooks::responseVerdicts()
{
    using Internal::WebhookResponse;
    QVERIFY(WebhookResponse::isDelivered(200) && WebhookResponse::isDelivered(204));
    QVERIFY(!WebhookResponse::isDelivered(301) && !WebhookResponse::isDelivered(0));
    QVERIFY(WebhookResponse::disablesEndpoint(410) && !WebhookResponse::disablesEndpoint(404));
    QVERIFY(WebhookResponse::honoursRetryAfter(429) && WebhookResponse::honoursRetryAfter(503));
    QVERIFY(!WebhookResponse::honoursRetryAfter(500));
}

QTEST_GUILESS_MAIN(tst_Webhooks)
#include "tst_webhooks.moc"
