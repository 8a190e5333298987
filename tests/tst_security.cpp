// The security review as tests, against the real pyrite-host locked down the way docs/http.md and
// docs/webhooks.md tell an operator to: one test per item.
//  - a token on every HTTP route (the list is read from the source, so a new route without a row
//    fails) and on both WebSocket paths;
//  - origin checks on HTTP and on the WebSocket handshake;
//  - SSRF: private and loopback receivers, by address and by name, and the test-webhook call;
//  - size caps: request heads and bodies, WebSocket messages, bridge lines;
//  - connection caps: WebSocket connections per address, HTTP connections, bridge connections;
//  - last, with everything above done (failed logins, failed deliveries, refusals): no token,
//    webhook secret or query-string key in the host's log at debug level, /metrics, the API or
//    the deliveries command.

#include "httpclient.h"
#include "hostprocess.h"
#include "webhookreceiver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

namespace {

const QByteArray Token = "stream-token-7f3a9c2e51d84b06";
const QByteArray WrongToken = "a-wrong-token-that-is-long-enough";
const QByteArray WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const QByteArray QueryKey = "query-key-5d1e7b9a";
const QByteArray TrustedOrigin = "https://trusted.example";

using Answer = HttpAnswer;

QProcessEnvironment environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYRITE_PLUGIN_PATH"), QStringLiteral(PYRITE_PLUGIN_DIR));
    // Everything the host and the plugin can say: none of it may carry a secret.
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    env.insert(QStringLiteral("SEC_STREAM_TOKEN"), QString::fromLatin1(Token));
    env.insert(QStringLiteral("SEC_WEBHOOK_SECRET"), QString::fromLatin1(WebhookSecret));
    return env;
}

} // namespace

class tst_Security : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void tokenOnEveryHttpRoute_data();
    void tokenOnEveryHttpRoute();
    void tokenOnEveryStreamPath_data();
    void tokenOnEveryStreamPath();
    void origins();
    void hostChecked_data();
    void hostChecked();
    void ssrfRefused();
    void sizeCaps();
    void connectionCaps();
    void slotAttack();
    void secretsNeverShown(); // last: after everything above has been logged

private:
    Answer request(const QByteArray &method, const QString &path, const QByteArray &token = Token,
                   const QByteArray &origin = {});
    // Opens a stream; returns the close code (0 while open after the handshake, -1 refused).
    int openStream(QWebSocket *socket, const QString &path, const QByteArray &token,
                   const QByteArray &origin = {});
    // A request written by hand, with the Host and Origin given; the answer's first line.
    QByteArray rawRequest(const QByteArray &head);
    QJsonObject bridgeCall(QLocalSocket *socket, const QByteArray &line);
    // A connection from a loopback address of its own (127.0.0.2 …), that writes head and waits
    // up to 5 s for the first bytes of an answer (none when head is incomplete).
    std::unique_ptr<QTcpSocket> connectFrom(const char *from, const QByteArray &head);
    QByteArray requestLine(const char *path) const;
    // The value of one metric in /metrics; -1 when it is not there.
    double metric(const QByteArray &name);
    void publish(const QString &id);

    QTemporaryDir m_dir;
    WebhookReceiver m_receiver;
    std::unique_ptr<HostProcess> m_host;
    QNetworkAccessManager m_network;
};

void tst_Security::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_receiver.listen());
    // The allowed endpoint fails once, so that a failed delivery is logged with its URL.
    m_receiver.scripts[QStringLiteral("allowed")] = {{500, {}, "not yet"}, {200, {}, {}}};
    QDir().mkpath(m_dir.filePath(QStringLiteral("kb/research")));
    const QString by = m_receiver.url(QStringLiteral("by-name")).replace("127.0.0.1", "localhost");
    QFile config(m_dir.filePath(QStringLiteral("pyrite.yaml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(
            QStringLiteral(
                    "data_dir: %1/state\n"
                    "knowledge_bases:\n  - {name: research, path: %1/kb/research}\n"
                    "bridge: {socket: %1/bridge.sock, max_connections: 2, max_line_bytes: 4096}\n"
                    "plugins:\n  - name: eventbus\n    settings:\n      instance: security\n"
                    "      stream:\n        port: 0\n        tokens: [env:SEC_STREAM_TOKEN]\n"
                    "        allowed_origins: [%2]\n        max_connections_per_address: 2\n"
                    "        max_http_connections: 4\n        max_http_connections_per_address: "
                    "3\n        max_message_bytes: 1024\n"
                    "      webhooks:\n        retry_schedule: [100ms]\n        endpoints:\n"
                    "          - {url: '%3?key=%4', secret: env:SEC_WEBHOOK_SECRET, allow_private: "
                    "true}\n"
                    "          - {url: '%5', max_attempts: 1}\n"
                    "          - {url: '%6', max_attempts: 1}\n")
                    .arg(m_dir.path(), QString::fromLatin1(TrustedOrigin),
                         m_receiver.url(QStringLiteral("allowed")), QString::fromLatin1(QueryKey),
                         m_receiver.url(QStringLiteral("private")), by)
                    .toUtf8());
    config.close();
    m_host = std::make_unique<HostProcess>(environment());
    QVERIFY2(m_host->start(config.fileName()), m_host->log().constData());
    QVERIFY(m_host->port() > 0);
}

void tst_Security::cleanupTestCase()
{
    m_host.reset();
}

Answer tst_Security::request(const QByteArray &method, const QString &path, const QByteArray &token,
                             const QByteArray &origin)
{
    return httpRequest(m_network, m_host->port(), method, path, token, origin);
}

int tst_Security::openStream(QWebSocket *socket, const QString &path, const QByteArray &token,
                             const QByteArray &origin)
{
    QNetworkRequest request(
            QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_host->port()).arg(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!origin.isEmpty())
        request.setRawHeader("Origin", origin);
    QSignalSpy connected(socket, &QWebSocket::connected);
    QSignalSpy disconnected(socket, &QWebSocket::disconnected);
    socket->open(request);
    if (!QTest::qWaitFor([&] { return !connected.isEmpty() || !disconnected.isEmpty(); }, 10000))
        return -2;
    if (connected.isEmpty())
        return -1; // refused in the handshake
    // Refusals after the handshake come as a close right away; give it a moment to arrive.
    if (disconnected.isEmpty() && !disconnected.wait(300))
        return 0;
    return int(socket->closeCode());
}

QJsonObject tst_Security::bridgeCall(QLocalSocket *socket, const QByteArray &line)
{
    socket->write(line + '\n');
    if (!QTest::qWaitFor([&] { return socket->canReadLine(); }, 10000))
        return {};
    return QJsonDocument::fromJson(socket->readLine()).object();
}

void tst_Security::publish(const QString &id)
{
    QLocalSocket bridge;
    bridge.connectToServer(m_dir.filePath(QStringLiteral("bridge.sock")));
    QVERIFY(bridge.waitForConnected(5000));
    const QJsonObject reply =
            bridgeCall(&bridge,
                       QStringLiteral(R"({"hook":"after_save","entry":{"id":"%1","title":"T"},)"
                                      R"("context":{"kb_name":"research","operation":"create"}})")
                               .arg(id)
                               .toUtf8());
    QVERIFY2(reply.value("ok").toBool(), QJsonDocument(reply).toJson().constData());
}

namespace {
struct Route
{
    const char *tag;
    QByteArray method;
    QString path;
    bool isPublic;
    int withToken = 200; // the answer once the token is accepted (a body-less write is refused)
};
// One row per route of HttpApi; a call that needs parameters gets harmless ones.
const QList<Route> &routes()
{
    static const QList<Route> rows{
            {"page", "GET", "/", false},
            {"assets", "GET", "/assets/app.js", false},
            {"healthz", "GET", "/healthz", true},
            {"metrics", "GET", "/metrics", false},
            {"graph", "GET", "/api/graph", false},
            {"problems", "GET", "/api/problems", false},
            {"events", "GET", "/api/events", false},
            {"webhooks", "GET", "/api/webhooks", false},
            {"deliveries", "GET", "/api/webhooks/deliveries", false},
            {"redeliver", "POST", "/api/webhooks/redeliver?dead=true", false},
            {"test webhook", "POST", "/api/webhooks/test?url=http://127.0.0.1:1/x", false},
            {"webhooks page", "GET", "/webhooks", false},
            {"create endpoint", "POST", "/api/webhooks/endpoints", false, 415},
            {"change endpoint", "PATCH", "/api/webhooks/endpoints/x", false, 415},
            {"delete endpoint", "DELETE", "/api/webhooks/endpoints/x", false, 404},
            {"rotate secret", "POST", "/api/webhooks/endpoints/x/rotate-secret", false, 404},
    };
    return rows;
}
} // namespace

void tst_Security::tokenOnEveryHttpRoute_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isPublic");
    QTest::addColumn<int>("withToken");
    for (const Route &route : routes())
        QTest::newRow(route.tag) << route.method << route.path << route.isPublic << route.withToken;

    // Every route the API declares has a row above.
    QFile source(QStringLiteral(PYRITE_SOURCE_DIR "/plugin/http/httpapi.cpp"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QRegularExpression declaration(
            QStringLiteral(R"re(route\(\s*Method::\w+,\s*QStringLiteral\("([^"]+)"\))re"));
    int declared = 0;
    for (const QRegularExpressionMatch &match :
         declaration.globalMatch(QString::fromUtf8(source.readAll()))) {
        const QString path = match.captured(1);
        ++declared;
        const bool covered = std::any_of(routes().cbegin(), routes().cend(), [&](const Route &row) {
            const QString tested = row.path.section(u'?', 0, 0);
            return path.endsWith(u'*') ? tested.startsWith(path.chopped(1)) : tested == path;
        });
        QVERIFY2(covered, qPrintable(path + QStringLiteral(" has no row")));
    }
    QCOMPARE(declared, routes().size());
}

void tst_Security::tokenOnEveryHttpRoute()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(bool, isPublic);
    QFETCH(int, withToken);
    const Answer without = request(method, path, {});
    const Answer wrong = request(method, path, WrongToken);
    const Answer with = request(method, path, Token);
    if (isPublic) {
        // Health only: yes/no answers, nothing an outsider could use (no URL, count or name).
        QCOMPARE(without.status, 200);
        const QJsonObject health = without.json();
        QCOMPARE(health.keys(), QStringList({"event_log", "graph_loaded", "status", "webhooks"}));
        for (const QJsonValue &value : health)
            QVERIFY(value.isBool() || value == QJsonValue("ok"));
        return;
    }
    QCOMPARE(without.status, 401);
    QVERIFY(without.json().value("message").toString().contains("token is required"));
    QCOMPARE(wrong.status, 401);
    QVERIFY(wrong.json().value("message").toString().contains("not valid"));
    QVERIFY2(with.status == withToken, with.body.constData());
}

void tst_Security::tokenOnEveryStreamPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("streams") << "/stream";
    QTest::newRow("legacy frames") << "/ws";
}

void tst_Security::tokenOnEveryStreamPath()
{
    QFETCH(QString, path);
    QWebSocket without;
    QCOMPARE(openStream(&without, path, {}), 4001);
    QCOMPARE(without.closeReason(), "a token is required");
    QWebSocket wrong;
    QCOMPARE(openStream(&wrong, path, WrongToken), 4001);
    QCOMPARE(wrong.closeReason(), "the token is not valid");
    QWebSocket with;
    QCOMPARE(openStream(&with, path, Token), 0);
    // The token in the query string works the same.
    QWebSocket query;
    QSignalSpy connected(&query, &QWebSocket::connected);
    query.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2?token=%3")
                            .arg(m_host->port())
                            .arg(path, QString::fromLatin1(Token))));
    QVERIFY(connected.wait(5000));
    QVERIFY(!QSignalSpy(&query, &QWebSocket::disconnected).wait(300));
}

void tst_Security::origins()
{
    // HTTP: a foreign page is refused even with the token (a browser would send it along).
    const Answer foreign = request("GET", "/api/graph", Token, "https://evil.example");
    QCOMPARE(foreign.status, 403);
    QVERIFY(foreign.json().value("message").toString().contains("https://evil.example"));
    QCOMPARE(request("GET", "/api/graph", Token, TrustedOrigin).status, 200);
    // WebSocket: refused in the handshake.
    QWebSocket evil;
    QCOMPARE(openStream(&evil, "/stream", Token, "https://evil.example"), -1);
    QWebSocket trusted;
    QCOMPARE(openStream(&trusted, "/stream", Token, TrustedOrigin), 0);
}

QByteArray tst_Security::rawRequest(const QByteArray &head)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_host->port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(head);
    if (!QTest::qWaitFor([&] { return socket.canReadLine(); }, 10000))
        return {};
    return socket.readLine().trimmed();
}

std::unique_ptr<QTcpSocket> tst_Security::connectFrom(const char *from, const QByteArray &head)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->bind(QHostAddress(QString::fromLatin1(from)));
    socket->connectToHost(QHostAddress::LocalHost, m_host->port());
    if (!socket->waitForConnected(5000))
        qWarning("could not connect from %s", from);
    socket->write(head);
    if (head.endsWith("\r\n\r\n") &&
        !QTest::qWaitFor([&] { return socket->bytesAvailable() > 0; }, 5000))
        qWarning("no answer on an HTTP connection from %s", from);
    return socket;
}

QByteArray tst_Security::requestLine(const char *path) const
{
    return "GET " + QByteArray(path) +
            " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_host->port()) + "\r\n\r\n";
}

double tst_Security::metric(const QByteArray &name)
{
    const QByteArray metrics = request("GET", "/metrics").body;
    const qsizetype at = metrics.indexOf(QByteArray('\n' + name + ' '));
    if (at < 0)
        return -1;
    const qsizetype from = at + name.size() + 2;
    return metrics.mid(from, metrics.indexOf('\n', from) - from).toDouble();
}

void tst_Security::hostChecked_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("status");
    const QByteArray own = "127.0.0.1:" + QByteArray::number(m_host->port());
    const QByteArray rebound = "evil.example:" + QByteArray::number(m_host->port());
    const QByteArray test = "POST /api/webhooks/test?url=http://127.0.0.1:1/x HTTP/1.1";
    const QByteArray upgrade =
            "GET /stream HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13";
    // DNS rebinding: a page of evil.example, whose name now points at 127.0.0.1, calls its own
    // origin; the browser sends Host and Origin of evil.example, which match each other.
    QTest::newRow("rebinding, test webhook")
            << test << rebound << "http://" + rebound << QByteArray("421");
    QTest::newRow("rebinding, events") << QByteArray("GET /api/events HTTP/1.1") << rebound
                                       << "http://" + rebound << QByteArray("421");
    QTest::newRow("rebinding, stream")
            << upgrade << rebound << "http://" + rebound << QByteArray("421");
    QTest::newRow("rebinding, /ws") << QByteArray(upgrade).replace("/stream", "/ws") << rebound
                                    << QByteArray() << QByteArray("421");
    QTest::newRow("no Host") << QByteArray("GET /api/graph HTTP/1.1") << QByteArray()
                             << QByteArray() << QByteArray("421");
    QTest::newRow("other port") << QByteArray("GET /api/graph HTTP/1.1")
                                << QByteArray("127.0.0.1:1") << QByteArray() << QByteArray("421");
    QTest::newRow("own host, foreign page")
            << test << own << QByteArray("http://evil.example") << QByteArray("403");
    QTest::newRow("own host, foreign stream")
            << upgrade << own << QByteArray("http://localhost:8782") << QByteArray("403");
    QTest::newRow("own host, /ws foreign")
            << QByteArray(upgrade).replace("/stream", "/ws") << own
            << QByteArray("http://127.0.0.1:8782") << QByteArray("403");
    QTest::newRow("own host, own page") << test << own << "http://" + own << QByteArray("200");
    QTest::newRow("localhost, own page")
            << QByteArray("GET /api/graph HTTP/1.1")
            << "localhost:" + QByteArray::number(m_host->port())
            << "http://localhost:" + QByteArray::number(m_host->port()) << QByteArray("200");
    QTest::newRow("own host, stream") << upgrade << own << QByteArray() << QByteArray("101");
}

void tst_Security::hostChecked()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, status);
    QByteArray head = request + "\r\nAuthorization: Bearer " + Token + "\r\n";
    if (!host.isEmpty())
        head += "Host: " + host + "\r\n";
    if (!origin.isEmpty())
        head += "Origin: " + origin + "\r\n";
    const QByteArray line = rawRequest(head + "Content-Length: 0\r\n\r\n");
    QVERIFY2(line.startsWith(QByteArray("HTTP/1.1 " + status + " ")), line.constData());
}

void tst_Security::ssrfRefused()
{
    publish(QStringLiteral("ssrf-1"));
    // The loopback receiver configured without allow_private, by address and by name: never sent,
    // recorded as failed attempts that say why (max_attempts 1: dead at once).
    QJsonArray dead;
    QTRY_VERIFY_WITH_TIMEOUT(
            (dead = QJsonDocument::fromJson(
                            request("GET", "/api/webhooks/deliveries?state=dead").body)
                            .object()
                            .value("deliveries")
                            .toArray())
                            .size() == 2,
            10000);
    for (const QJsonValue &delivery : dead) {
        const QString error = delivery["last_error"].toString();
        QVERIFY2(error.contains("allow_private"), qPrintable(error));
    }
    QCOMPARE(m_receiver.requestsTo("private").size(), 0);
    QCOMPARE(m_receiver.requestsTo("by-name").size(), 0);
    // The allowed one got it (after one failure).
    QTRY_COMPARE(m_receiver.requestsTo("allowed").size(), 2);
    // The test call refuses cloud metadata and loopback addresses before sending anything.
    for (const QString &url :
         {QStringLiteral("http://169.254.169.254/latest/meta-data/"),
          m_receiver.url(QStringLiteral("probe")), QStringLiteral("http://[::1]:9/x"),
          QStringLiteral("http://[::ffff:127.0.0.1]:9/x")}) {
        const Answer answer = request("POST", "/api/webhooks/test?url=" + url);
        QCOMPARE(answer.status, 200);
        QVERIFY2(answer.json().value("error").toString().contains("allow_private"),
                 answer.body.constData());
    }
    QCOMPARE(m_receiver.requestsTo("probe").size(), 0);
}

void tst_Security::sizeCaps()
{
    // An HTTP request head over 16 KiB: 431, then closed.
    QTcpSocket head;
    head.connectToHost(QHostAddress::LocalHost, m_host->port());
    QVERIFY(head.waitForConnected(5000));
    head.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20000, 'x') + "\r\n\r\n");
    QSignalSpy headClosed(&head, &QTcpSocket::disconnected);
    QVERIFY(headClosed.wait(10000));
    QVERIFY(head.readAll().startsWith("HTTP/1.1 431 "));
    // A body over 64 KiB: 413.
    QTcpSocket body;
    body.connectToHost(QHostAddress::LocalHost, m_host->port());
    QVERIFY(body.waitForConnected(5000));
    body.write("POST /api/webhooks/test HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n");
    QSignalSpy bodyClosed(&body, &QTcpSocket::disconnected);
    QVERIFY(bodyClosed.wait(10000));
    QVERIFY(body.readAll().startsWith("HTTP/1.1 413 "));
    // A WebSocket message over max_message_bytes (1024 here): closed with 1009.
    QWebSocket stream;
    QCOMPARE(openStream(&stream, "/stream", Token), 0);
    QSignalSpy streamClosed(&stream, &QWebSocket::disconnected);
    stream.sendTextMessage(QString(2000, u'x'));
    QVERIFY(streamClosed.wait(5000));
    QCOMPARE(int(stream.closeCode()), 1009);
    // A bridge line over max_line_bytes (4096 here): an error, and the connection goes on.
    QLocalSocket bridge;
    bridge.connectToServer(m_dir.filePath(QStringLiteral("bridge.sock")));
    QVERIFY(bridge.waitForConnected(5000));
    const QJsonObject tooLong = bridgeCall(&bridge, QByteArray(5000, 'x'));
    QCOMPARE(tooLong["error"]["code"].toString(), "line_too_long");
    QCOMPARE(bridgeCall(&bridge, R"({"op":"ping"})").value("pong").toBool(), true);
}

void tst_Security::connectionCaps()
{
    // WebSocket: max_connections_per_address is 2 here; the third is closed with 4013.
    {
        QWebSocket first, second, third;
        QCOMPARE(openStream(&first, "/stream", Token), 0);
        QCOMPARE(openStream(&second, "/stream", Token), 0);
        QCOMPARE(openStream(&third, "/stream", Token), 4013);
    }
    // Closed ones make room again.
    QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QWebSocket again;
                return openStream(&again, "/stream", Token) == 0;
            }(),
            5000);

    // HTTP: max_http_connections is 4, max_http_connections_per_address 3.
    m_network.clearConnectionCache();
    QTRY_VERIFY(request("GET", "/healthz", {}).status == 200);
    m_network.clearConnectionCache();
    QTRY_VERIFY([&] {
        // The connections of the requests above are gone once the host has seen them close.
        return QByteArray(request("GET", "/metrics").body).contains("pyrite_http_connections 1\n");
    }());
    m_network.clearConnectionCache();
    std::vector<std::unique_ptr<QTcpSocket>> open;
    for (const char *from : {"127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2"}) {
        open.push_back(connectFrom(from, requestLine("/healthz")));
        QVERIFY(open.back()->readAll().startsWith("HTTP/1.1 200 "));
    }
    // Full of kept-alive idle connections: a newcomer takes the oldest one's slot.
    QSignalSpy firstClosed(open.front().get(), &QTcpSocket::disconnected);
    auto fifth = connectFrom("127.0.0.3", requestLine("/healthz"));
    QVERIFY(fifth->readAll().startsWith("HTTP/1.1 200 "));
    QTRY_VERIFY(!firstClosed.isEmpty());
    open.erase(open.begin());
    open.push_back(std::move(fifth));
    // Full of connections that are sending a request right now: 503 for a newcomer.
    for (const auto &socket : open) {
        socket->write("GET /healthz HTTP/1.1\r\nHo");
        QVERIFY(socket->waitForBytesWritten(5000));
    }
    const auto refused = connectFrom("127.0.0.4", requestLine("/healthz"));
    QSignalSpy refusedClosed(refused.get(), &QTcpSocket::disconnected);
    QVERIFY(refusedClosed.wait(5000) || refused->state() != QAbstractSocket::ConnectedState);
    const QByteArray answer = refused->readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.constData());
    QVERIFY(answer.contains("too many HTTP connections (4)"));
    // Once they have been at it for a second, they are stalled: a newcomer gets in again.
    QTRY_VERIFY_WITH_TIMEOUT(connectFrom("127.0.0.4", requestLine("/healthz"))
                                     ->readAll()
                                     .startsWith("HTTP/1.1 200 "),
                             10000);
    open.clear();
    QTRY_COMPARE(metric("pyrite_http_connections"), 1.0);
    QVERIFY(metric("pyrite_http_connections_evicted_total") >= 2);
    // One address's share: a fourth from 127.0.0.2, with three of its own mid-request, gets 503.
    for (int i = 0; i < 3; ++i) {
        open.push_back(connectFrom("127.0.0.2", requestLine("/healthz")));
        open.back()->readAll();
        open.back()->write("GET /healthz HTTP/1.1\r\nHo");
        QVERIFY(open.back()->waitForBytesWritten(5000));
    }
    const auto fourth = connectFrom("127.0.0.2", requestLine("/healthz"));
    QSignalSpy fourthClosed(fourth.get(), &QTcpSocket::disconnected);
    QVERIFY(fourthClosed.wait(5000) || fourth->state() != QAbstractSocket::ConnectedState);
    QVERIFY2(fourth->readAll().contains("too many HTTP connections from 127.0.0.2 (3)"), "");
    QVERIFY(connectFrom("127.0.0.1", requestLine("/healthz"))
                    ->readAll()
                    .startsWith("HTTP/1.1 200 "));
    open.clear();

    // Bridge: max_connections is 2; the third gets too_many_connections and is closed.
    QLocalSocket a, b, c;
    for (QLocalSocket *socket : {&a, &b})
        socket->connectToServer(m_dir.filePath(QStringLiteral("bridge.sock")));
    QCOMPARE(bridgeCall(&a, R"({"op":"ping"})").value("pong").toBool(), true);
    QCOMPARE(bridgeCall(&b, R"({"op":"ping"})").value("pong").toBool(), true);
    c.connectToServer(m_dir.filePath(QStringLiteral("bridge.sock")));
    QVERIFY(QTest::qWaitFor([&] { return c.canReadLine(); }, 5000));
    const QJsonObject refusal = QJsonDocument::fromJson(c.readLine()).object();
    QCOMPARE(refusal["error"]["code"].toString(), QStringLiteral("too_many_connections"));
    QTRY_COMPARE(c.state(), QLocalSocket::UnconnectedState);
}

void tst_Security::slotAttack()
{
    QTRY_COMPARE(metric("pyrite_http_connections"), 1.0);
    m_network.clearConnectionCache();
    // Each attacker is cut off by its request's deadline, or sooner to make room for a newcomer.
    const auto cutOff = [this] {
        return metric("pyrite_http_connections_timed_out_total") +
                metric("pyrite_http_connections_evicted_total");
    };
    const double cutOffBefore = cutOff();
    m_network.clearConnectionCache();
    // Unread slots: five request heads from 127.0.0.2 that never end take its share (the
    // stream's 2 per address + HTTP's 3); a sixth from there is refused, others are served.
    std::vector<std::unique_ptr<QTcpSocket>> heads;
    for (int i = 0; i < 5; ++i)
        heads.push_back(connectFrom("127.0.0.2", "GET /healthz HTTP/1.1\r\nX-Slow: "));
    for (const auto &socket : heads)
        QVERIFY(socket->waitForBytesWritten(5000));
    const auto sixth = connectFrom("127.0.0.2", requestLine("/healthz"));
    QVERIFY2(sixth->readAll().contains(
                     "too many connections from 127.0.0.2 that have not sent a request yet (5)"),
             "");
    QVERIFY(connectFrom("127.0.0.1", requestLine("/healthz"))
                    ->readAll()
                    .startsWith("HTTP/1.1 200"));
    heads.clear();

    // HTTP slots: 127.0.0.2 keeps its three connections busy by sending one byte of a request
    // every 500 ms (before, one byte every 25 s held a slot for ever). A well-behaved client on
    // 127.0.0.1 asks every 250 ms alongside, on a new connection each time.
    std::vector<std::unique_ptr<QTcpSocket>> attackers;
    for (int i = 0; i < 3; ++i) {
        // Until the host has seen the heads above go, their slots are still 127.0.0.2's.
        std::unique_ptr<QTcpSocket> attacker;
        QTRY_VERIFY_WITH_TIMEOUT((attacker = connectFrom("127.0.0.2", requestLine("/healthz")))
                                         ->readAll()
                                         .startsWith("HTTP/1.1 200"),
                                 10000);
        attackers.push_back(std::move(attacker));
    }
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, this, [&] {
        for (const auto &socket : attackers) {
            if (socket->state() == QAbstractSocket::ConnectedState)
                socket->write("G");
        }
    });
    trickle.start(500);
    struct Visit
    {
        std::unique_ptr<QTcpSocket> socket;
        QElapsedTimer since;
        QByteArray answer;
        qint64 ms = -1;
    };
    std::vector<std::unique_ptr<Visit>> visits;
    QTimer client;
    connect(&client, &QTimer::timeout, this, [&] {
        auto visit = std::make_unique<Visit>();
        visit->socket = std::make_unique<QTcpSocket>();
        Visit *v = visit.get();
        connect(v->socket.get(), &QTcpSocket::readyRead, this, [v] {
            v->answer += v->socket->readAll();
            if (v->ms < 0)
                v->ms = v->since.elapsed();
        });
        v->since.start();
        v->socket->connectToHost(QHostAddress::LocalHost, m_host->port());
        v->socket->write(QByteArray(requestLine("/healthz"))
                                 .replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
        visits.push_back(std::move(visit));
    });
    client.start(250);
    const auto allClosed = [&] {
        return std::all_of(attackers.begin(), attackers.end(), [](const auto &socket) {
            return socket->state() == QAbstractSocket::UnconnectedState;
        });
    };
    // The request deadline (10 s from a request's first byte) ends each of them.
    QTRY_VERIFY_WITH_TIMEOUT(allClosed(), 20000);
    client.stop();
    trickle.stop();
    QTRY_VERIFY(
            std::all_of(visits.begin(), visits.end(), [](const auto &v) { return v->ms >= 0; }));
    qint64 slowest = 0;
    for (const auto &visit : visits) {
        QVERIFY2(visit->answer.startsWith("HTTP/1.1 200"), visit->answer.constData());
        slowest = std::max(slowest, visit->ms);
    }
    QVERIFY(visits.size() >= 30);
    qInfo("well-behaved client during the attack: %d requests, all served, slowest %lld ms",
          int(visits.size()), slowest);
    QVERIFY(cutOff() >= cutOffBefore + 3);
}

void tst_Security::secretsNeverShown()
{
    const QByteArray secretKey = WebhookSecret.mid(6); // the base64 part, as it would leak
    const QList<QByteArray> secrets{Token, WrongToken, secretKey, QueryKey};
    const auto clean = [&](const QByteArray &text, const char *where) {
        for (const QByteArray &secret : secrets) {
            const qsizetype at = text.indexOf(secret);
            const qsizetype from = text.lastIndexOf('\n', at) + 1;
            QVERIFY2(at < 0,
                     qPrintable(QStringLiteral("%1 shows a secret: %2")
                                        .arg(where,
                                             QString::fromUtf8(text.mid(
                                                     from, text.indexOf('\n', at) - from)))));
        }
    };
    // The API: metrics, endpoints, the delivery history (with its failed attempt).
    for (const char *path :
         {"/metrics", "/api/webhooks", "/api/webhooks/deliveries", "/healthz", "/api/events"}) {
        const Answer answer = request("GET", QString::fromLatin1(path));
        QCOMPARE(answer.status, 200);
        clean(answer.body, path);
    }
    QVERIFY(request("GET", "/api/webhooks/deliveries").body.contains("500"));
    // The deliveries command, as an operator runs it.
    QProcess deliveries;
    deliveries.setProcessEnvironment(environment());
    deliveries.start(QStringLiteral(PYRITE_HOST_BINARY),
                     {"deliveries", "--config", m_dir.filePath(QStringLiteral("pyrite.yaml"))});
    QVERIFY(deliveries.waitForFinished(30000));
    const QByteArray history = deliveries.readAllStandardOutput();
    QVERIFY(history.contains("\"attempts\""));
    clean(history, "pyrite-host deliveries");
    clean(deliveries.readAllStandardError(), "pyrite-host deliveries (stderr)");
    // The host's whole log at debug level, after everything the tests above provoked.
    m_host->stop();
    const QByteArray log = m_host->log();
    clean(log, "the host's log");
}

QTEST_GUILESS_MAIN(tst_Security)
#include "tst_security.moc"
