#include "bridgeserver.h"
#include "hookregistry.h"
#include "loadedplugin.h"
#include "interface/pyriteplugin.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pyrite;
using namespace Pyrite::Host;

namespace {
// A bridge client that collects reply lines.
class Client : public QObject
{
public:
    explicit Client(const QString &path)
    {
        connect(&socket, &QLocalSocket::readyRead, this, [this] {
            buffer.append(socket.readAll());
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                replies.append(QJsonDocument::fromJson(buffer.left(newline)).object());
                buffer.remove(0, newline + 1);
            }
        });
        socket.connectToServer(path);
    }
    void send(const QByteArray &data) { socket.write(data); }
    QLocalSocket socket;
    QByteArray buffer;
    QList<QJsonObject> replies;
};
// The real plugin behind a bridge, as pyrite-host wires them.
struct PluginBridge
{
    bool start(const QString &path, const QVariantMap &settings = {},
               const HostContext &context = {})
    {
        if (!loaded.load(settings, context, &error))
            return false;
        registry.registerPlugin(loaded.plugin);
        server = std::make_unique<BridgeServer>(&registry);
        server->setEventBusServices({loaded.service});
        server->setMetricsServices({qobject_cast<MetricsService *>(loaded.loader.instance())});
        if (server->listen(path))
            return true;
        error = server->errorString();
        return false;
    }

    LoadedPlugin loaded;
    HookRegistry registry;
    std::unique_ptr<BridgeServer> server; // declared last: goes before the registry and the plugin
    QString error;
};
} // namespace

class tst_Bridge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void requests_data();
    void requests();
    void connectionSurvivesBadLines();
    void overlongLines();
    void notificationsReachPlugins();
    void watchStreamsEvents();
    void metricsOfThePlugin();
    void connectionCap();
    void staleAndLiveSockets();

private:
    QTemporaryDir m_dir;
    HookRegistry m_registry;
    std::unique_ptr<BridgeServer> m_server;
    QString m_path;
};

void tst_Bridge::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_registry.registerHook(Hook::BeforeSave, "titlecase",
                            [](const QVariantMap &entry, const HookContext &) {
                                if (entry.value("title").toString() == u"draft")
                                    return HookResult::veto("drafts are not saved");
                                if (entry.value("title").toString() == u"lower") {
                                    QVariantMap replaced = entry;
                                    replaced.insert("title", "Lower");
                                    return HookResult::replace(replaced);
                                }
                                return HookResult::proceed();
                            });
    m_registry.registerHook(
            Hook::AfterSave, "mailer", [](const QVariantMap &entry, const HookContext &) {
                return entry.value("title").toString() == u"fail" ? HookResult::fail("smtp down")
                                                                  : HookResult::proceed();
            });
}

void tst_Bridge::init()
{
    m_path = m_dir.filePath(QStringLiteral("bridge-%1.sock").arg(QTest::currentTestFunction()));
    m_server = std::make_unique<BridgeServer>(&m_registry);
    m_server->setMaxLineBytes(1024);
    QVERIFY2(m_server->listen(m_path), qPrintable(m_server->errorString()));
}

void tst_Bridge::cleanup()
{
    m_server.reset();
    QVERIFY(!QFile::exists(m_path)); // closing removes the socket file
}

void tst_Bridge::requests_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected"); // "ok:<action>" or "error:<code>:<message part>"

    QTest::addRow("ping") << QByteArray(R"({"id":1,"op":"ping"})") << "ok:";
    QTest::addRow("before_save continue")
            << QByteArray(R"({"id":2,"hook":"before_save","entry":{"id":"n1","title":"x"}})")
            << "ok:continue";
    QTest::addRow("before_save replace")
            << QByteArray(R"({"id":3,"hook":"before_save","entry":{"id":"n1","title":"lower"}})")
            << "ok:replace";
    QTest::addRow("before_save veto")
            << QByteArray(R"({"id":4,"hook":"before_save","entry":{"id":"n1","title":"draft"}})")
            << "ok:veto";
    QTest::addRow("after_save failure")
            << QByteArray(R"({"id":5,"hook":"after_save","entry":{"id":"n1","title":"fail"}})")
            << "ok:continue";
    QTest::addRow("not json") << QByteArray("{id: 1}") << "error:bad_json:not valid JSON";
    QTest::addRow("truncated json")
            << QByteArray(R"({"id":1,"op":"pi)") << "error:bad_json:not valid JSON";
    QTest::addRow("array") << QByteArray("[1,2]") << "error:bad_request:must be a JSON object";
    QTest::addRow("nothing to do")
            << QByteArray(R"({"id":1})") << "error:bad_request:exactly one of";
    QTest::addRow("two things") << QByteArray(R"({"id":1,"op":"ping","hook":"after_save"})")
                                << "error:bad_request:exactly one of";
    QTest::addRow("unknown hook")
            << QByteArray(R"({"id":1,"hook":"on_save","entry":{"id":"a"}})")
            << "error:unknown_hook:unknown hook \"on_save\" (known: before_save";
    QTest::addRow("entry missing") << QByteArray(R"({"id":1,"hook":"after_save"})")
                                   << "error:bad_request:\"entry\" must be an object";
    QTest::addRow("entry without id")
            << QByteArray(R"({"id":1,"hook":"after_save","entry":{"title":"x"}})")
            << "error:bad_entry:no \"id\"";
    QTest::addRow("entry id a number")
            << QByteArray(R"({"id":1,"hook":"after_save","entry":{"id":5}})")
            << "error:bad_entry:no \"id\"";
    QTest::addRow("context a string")
            << QByteArray(R"({"id":1,"hook":"after_save","entry":{"id":"a"},"context":"x"})")
            << "error:bad_request:\"context\" must be an object";
    QTest::addRow("kb_name a number")
            << QByteArray(
                       R"({"id":1,"hook":"after_save","entry":{"id":"a"},"context":{"kb_name":3}})")
            << "error:bad_request:\"context.kb_name\" must be a string";
    QTest::addRow("bad operation")
            << QByteArray(
                       R"({"id":1,"hook":"after_save","entry":{"id":"a"},"context":{"operation":"upsert"}})")
            << "error:bad_request:\"context.operation\" is \"upsert\"";
    QTest::addRow("kb_schema a list")
            << QByteArray(
                       R"({"id":1,"hook":"after_save","entry":{"id":"a"},"context":{"kb_schema":[]}})")
            << "error:bad_request:\"context.kb_schema\" must be an object";
    QTest::addRow("unknown notification")
            << QByteArray(R"({"id":1,"notify":"kb.synced"})")
            << "error:unknown_notification:unknown notification \"kb.synced\"";
    QTest::addRow("payload a list") << QByteArray(R"({"id":1,"notify":"kb.indexed","payload":[]})")
                                    << "error:bad_request:\"payload\" must be an object";
    QTest::addRow("unknown op") << QByteArray(R"({"id":1,"op":"shutdown"})")
                                << "error:unknown_op:unknown op \"shutdown\"";
    QTest::addRow("watch without bus") << QByteArray(R"({"id":1,"op":"watch"})")
                                       << "error:unavailable:no loaded plugin offers an event bus";
    QTest::addRow("watch types not a list")
            << QByteArray(R"({"id":1,"op":"watch","types":"entry.*"})")
            << "error:bad_request:\"types\" must be a list";
}

void tst_Bridge::requests()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    Client client(m_path);
    client.send(line + '\n');
    QTRY_COMPARE(client.replies.size(), 1);
    const QJsonObject reply = client.replies.at(0);
    const QStringList parts = expected.split(u':');
    if (parts.at(0) == u"ok") {
        QVERIFY2(reply.value("ok").toBool(), QJsonDocument(reply).toJson().constData());
        QCOMPARE(reply.value("action").toString(), parts.at(1));
        QCOMPARE(reply.value("id"), QJsonDocument::fromJson(line).object().value("id"));
        if (parts.at(1) == u"replace")
            QCOMPARE(reply.value("entry").toObject().value("title").toString(),
                     QStringLiteral("Lower"));
        if (parts.at(1) == u"veto") {
            QCOMPARE(reply.value("message").toString(), QStringLiteral("drafts are not saved"));
            QCOMPARE(reply.value("by").toString(), QStringLiteral("titlecase"));
        }
        if (line.contains("\"fail\""))
            QCOMPARE(reply.value("failures").toArray().at(0).toString(),
                     QStringLiteral("mailer: smtp down"));
        return;
    }
    QVERIFY(!reply.value("ok").toBool(true));
    const QJsonObject error = reply.value("error").toObject();
    QCOMPARE(error.value("code").toString(), parts.at(1));
    const QString message = error.value("message").toString();
    QVERIFY2(message.startsWith(QStringLiteral("line 1: ")), qPrintable(message));
    QVERIFY2(message.contains(parts.mid(2).join(u':')), qPrintable(message));
}

void tst_Bridge::connectionSurvivesBadLines()
{
    Client client(m_path);
    client.send("garbage\n\n{\"id\":7,\"op\":\"ping\"}\r\n[]\n{\"id\":8,\"op\":\"ping\"}\n");
    QTRY_COMPARE(client.replies.size(), 4);
    QCOMPARE(client.replies.at(0).value("error").toObject().value("code").toString(),
             QStringLiteral("bad_json"));
    QCOMPARE(client.replies.at(1).value("id").toInt(), 7);
    QVERIFY(client.replies.at(1).value("pong").toBool());
    // The empty line is skipped but still counted: "[]" is line 4.
    QVERIFY(client.replies.at(2).value("error").toObject().value("message").toString().startsWith(
            QStringLiteral("line 4:")));
    QCOMPARE(client.replies.at(3).value("id").toInt(), 8);
}

void tst_Bridge::overlongLines()
{
    Client client(m_path);
    // One long line that ends, one that arrives in pieces without a newline for a while.
    client.send(QByteArray(5000, 'x') + "\n{\"id\":1,\"op\":\"ping\"}\n");
    QTRY_COMPARE(client.replies.size(), 2);
    QCOMPARE(client.replies.at(0).value("error").toObject().value("code").toString(),
             QStringLiteral("line_too_long"));
    QVERIFY(client.replies.at(0).value("error").toObject().value("message").toString().contains(
            QStringLiteral("longer than 1024 bytes")));
    QCOMPARE(client.replies.at(1).value("id").toInt(), 1);

    client.send(QByteArray(800, 'y'));
    QTRY_COMPARE(client.socket.bytesToWrite(), 0);
    client.send(QByteArray(800, 'y'));
    QTRY_COMPARE(client.replies.size(), 3); // answered before the newline arrives
    QCOMPARE(client.replies.at(2).value("error").toObject().value("code").toString(),
             QStringLiteral("line_too_long"));
    client.send(QByteArray(3000, 'y') + "\n{\"id\":2,\"op\":\"ping\"}\n");
    QTRY_COMPARE(client.replies.size(), 4);
    QCOMPARE(client.replies.at(3).value("id").toInt(), 2);
    QVERIFY(client.replies.at(3).value("ok").toBool());
}

void tst_Bridge::notificationsReachPlugins()
{
    PluginBridge bridge;
    QVERIFY2(bridge.start(m_dir.filePath(QStringLiteral("plugin.sock"))), qPrintable(bridge.error));
    BridgeServer &server = *bridge.server;
    const QString path = server.socketPath();

    Client watcher(path);
    watcher.send(R"({"id":"w","op":"watch","types":["kb.*","task.*"]})"
                 "\n");
    QTRY_COMPARE(watcher.replies.size(), 1);
    QVERIFY(watcher.replies.at(0).value("watching").toBool());

    Client client(path);
    client.send(
            R"({"id":1,"notify":"kb.indexed","payload":{"entries":30},"context":{"kb_name":"research"}})"
            "\n"
            R"({"id":2,"notify":"task.claimed","payload":{},"context":{"kb_name":"tasks"}})"
            "\n"
            R"({"id":3,"notify":"task.claimed","payload":{"entry_id":"t1"},"context":{"kb_name":"tasks","user":"bob"}})"
            "\n");
    QTRY_COMPARE(client.replies.size(), 3);
    QVERIFY(client.replies.at(0).value("ok").toBool());
    QCOMPARE(client.replies.at(1).value("error").toObject().value("code").toString(),
             QStringLiteral("bad_payload"));
    QVERIFY(client.replies.at(1).value("error").toObject().value("message").toString().contains(
            QStringLiteral("eventbus: task.claimed: payload has no \"entry_id\"")));
    QVERIFY(client.replies.at(2).value("ok").toBool());

    QTRY_COMPARE(watcher.replies.size(), 3);
    QCOMPARE(watcher.replies.at(1).value("watch").toString(), QStringLiteral("w"));
    QCOMPARE(watcher.replies.at(1).value("event").toObject().value("type").toString(),
             QStringLiteral("kb.indexed"));
    const QJsonObject claimed = watcher.replies.at(2).value("event").toObject();
    QCOMPARE(claimed.value("type").toString(), QStringLiteral("task.claimed"));
    QCOMPARE(claimed.value("data").toObject().value("actor").toString(), QStringLiteral("bob"));
    server.close();
}

void tst_Bridge::watchStreamsEvents()
{
    PluginBridge bridge;
    QVERIFY2(bridge.start(m_dir.filePath(QStringLiteral("watch.sock"))), qPrintable(bridge.error));
    BridgeServer &server = *bridge.server;
    const QString path = server.socketPath();

    auto watcher = std::make_unique<Client>(path);
    watcher->send(R"({"id":1,"op":"watch","types":["entry.*"],"kb":"research"})"
                  "\n"
                  R"({"id":2,"op":"watch","types":["Entry"]})"
                  "\n");
    QTRY_COMPARE(watcher->replies.size(), 2);
    QCOMPARE(watcher->replies.at(1).value("error").toObject().value("code").toString(),
             QStringLiteral("bad_request"));

    Client writer(path);
    writer.send(
            R"({"id":1,"hook":"after_save","entry":{"id":"n1","title":"A"},"context":{"kb_name":"research","operation":"create"}})"
            "\n"
            R"({"id":2,"hook":"after_save","entry":{"id":"t1"},"context":{"kb_name":"tasks","operation":"create"}})"
            "\n"
            R"({"id":3,"hook":"after_delete","entry":{"id":"n1"},"context":{"kb_name":"research","operation":"delete"}})"
            "\n");
    QTRY_COMPARE(writer.replies.size(), 3);
    QTRY_COMPARE(watcher->replies.size(), 4);
    QCOMPARE(watcher->replies.at(2).value("event").toObject().value("type").toString(),
             QStringLiteral("entry.created"));
    QCOMPARE(watcher->replies.at(3).value("event").toObject().value("type").toString(),
             QStringLiteral("entry.deleted"));

    // A watcher that goes away takes its subscription with it.
    QSignalSpy gone(&server, &BridgeServer::clientDisconnected);
    watcher.reset();
    QTRY_COMPARE(gone.size(), 1);
    writer.send(
            R"({"id":4,"hook":"after_save","entry":{"id":"n2"},"context":{"kb_name":"research"}})"
            "\n");
    QTRY_COMPARE(writer.replies.size(), 4);
    server.close();
}

// The plugin's counters through the bridge, with the log and the stream server on.
void tst_Bridge::metricsOfThePlugin()
{
    PluginBridge bridge;
    HostContext context;
    context.dataDir = m_dir.filePath(QStringLiteral("metrics-data"));
    const QVariantMap settings{{"stream", QVariantMap{{"port", 0}}},
                               {"event_log", QVariantMap{{"driver", "sqlite"}}}};
    QVERIFY2(bridge.start(m_dir.filePath(QStringLiteral("metrics.sock")), settings, context),
             qPrintable(bridge.error));
    Client client(bridge.server->socketPath());
    const auto metrics = [&client] {
        const qsizetype id = client.replies.size() + 1;
        client.send(QStringLiteral("{\"id\":%1,\"op\":\"metrics\"}\n").arg(id).toUtf8());
        if (!QTest::qWaitFor([&] { return client.replies.size() == id; }, 5000))
            return QJsonObject();
        return client.replies.at(id - 1).value("metrics").toObject();
    };
    const QJsonObject before = metrics();
    for (const char *name : {"pyrite_bus_events_published_total", "pyrite_log_events_stored_total",
                             "pyrite_stream_connections", "pyrite_stream_frames_sent_total",
                             "pyrite_stream_rejected_handshakes_total"}) {
        QVERIFY2(before.contains(QLatin1String(name)), name);
    }
    QCOMPARE(before.value("pyrite_bus_events_published_total").toDouble(), 0.0);

    client.send(
            R"({"id":2,"hook":"after_save","entry":{"id":"n1"},"context":{"kb_name":"research","operation":"create"}})"
            "\n");
    QTRY_COMPARE(client.replies.size(), 2);
    QJsonObject after;
    QTRY_VERIFY([&] {
        after = metrics();
        return after.value("pyrite_log_events_stored_total").toDouble() == 1.0;
    }());
    QCOMPARE(after.value("pyrite_bus_events_published_total").toDouble(), 1.0);
    QCOMPARE(after.value("pyrite_log_last_sequence").toDouble(), 1.0);
    bridge.server->close();
}

void tst_Bridge::connectionCap()
{
    m_server->setMaxConnections(1);
    Client first(m_path);
    first.send(R"({"op":"ping"})"
               "\n");
    QTRY_COMPARE(first.replies.size(), 1);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("bridge refused a client")));
    Client second(m_path);
    QTRY_COMPARE(second.replies.size(), 1);
    QCOMPARE(second.replies.at(0).value("error").toObject().value("code").toString(),
             QStringLiteral("too_many_connections"));
    QTRY_COMPARE(second.socket.state(), QLocalSocket::UnconnectedState);
    first.send(R"({"op":"ping"})"
               "\n");
    QTRY_COMPARE(first.replies.size(), 2);
}

void tst_Bridge::staleAndLiveSockets()
{
    // A live server on the path: refused with a clear message.
    BridgeServer other(&m_registry);
    QVERIFY(!other.listen(m_path));
    QVERIFY2(other.errorString().contains(QStringLiteral("already serving the bridge at")),
             qPrintable(other.errorString()));

    // A stale file (a crashed host): replaced.
    const QString stale = m_dir.filePath(QStringLiteral("stale.sock"));
    QFile file(stale);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    BridgeServer third(&m_registry);
    QVERIFY2(third.listen(stale), qPrintable(third.errorString()));
    Client client(stale);
    client.send(R"({"op":"ping"})"
                "\n");
    QTRY_COMPARE(client.replies.size(), 1);
}

QTEST_GUILESS_MAIN(tst_Bridge)
#include "tst_bridge.moc"
