// Several processes on one event log (docs/python.md): two real pyrite-host processes with
// serve: auto on one address and one SQLite file. The first serves; the second only writes, says
// so once, and its events reach the first's stream clients in sequence order; when the first
// stops, the second takes the address over. And serve: never listens nowhere.

#include "bridgecaller.h"
#include "hostprocess.h"
#include "testfiles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

namespace {
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QProcessEnvironment environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYRITE_PLUGIN_PATH"), QStringLiteral(PYRITE_PLUGIN_DIR));
    // What the hosts say about serving is what the test looks for (ctest turns info off).
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("pyrite.*.info=true"));
    return env;
}
} // namespace

class tst_ServeModes : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void secondProcessWritesAndTakesOver();
    void neverListensNowhere();

private:
    QString config(const QString &name, const QString &serve);
    bool healthy();

    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;
};

void tst_ServeModes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_port = freePort();
}

QString tst_ServeModes::config(const QString &name, const QString &serve)
{
    return writeFile(m_dir->filePath(name + QStringLiteral(".yaml")),
                     QStringLiteral("data_dir: %1\nbridge: {socket: %1/%2.sock}\nplugins:\n"
                                    "  - name: eventbus\n    settings:\n      serve: %3\n"
                                    "      serve_after: 0s\n      stream: {port: %4}\n")
                             .arg(m_dir->path(), name, serve)
                             .arg(m_port)
                             .toUtf8());
}

bool tst_ServeModes::healthy()
{
    std::unique_ptr<QNetworkReply> reply(m_network.get(
            QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/healthz").arg(m_port)))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(2000))
        return false;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
}

void tst_ServeModes::secondProcessWritesAndTakesOver()
{
    HostProcess first(environment());
    QVERIFY(first.start(config(QStringLiteral("first"), QStringLiteral("auto"))));
    QTRY_VERIFY(healthy());
    HostProcess second(environment());
    QVERIFY(second.start(config(QStringLiteral("second"), QStringLiteral("auto"))));
    const QByteArray address = "127.0.0.1:" + QByteArray::number(m_port);
    QTRY_VERIFY(second.log().contains(QByteArray("another process serves " + address)));

    QWebSocket client;
    QList<QJsonObject> events;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &message) {
        const QJsonObject frame = QJsonDocument::fromJson(message.toUtf8()).object();
        if (frame.value(QLatin1String("op")).toString() == u"event")
            events.append(frame.value("event").toObject());
    });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/stream").arg(m_port)));
    QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState);
    client.sendTextMessage(QStringLiteral(R"({"op":"subscribe","id":"s","since":0})"));

    // Both write: the second through its bridge, as a process that does not serve.
    QSet<QString> answered;
    BridgeCaller toFirst(&answered), toSecond(&answered);
    QVERIFY(toFirst.connectTo(m_dir->filePath(QStringLiteral("first.sock"))));
    QVERIFY(toSecond.connectTo(m_dir->filePath(QStringLiteral("second.sock"))));
    for (int i = 0; i < 50; ++i) {
        toSecond.save(QStringLiteral("second-%1").arg(i));
        toFirst.save(QStringLiteral("first-%1").arg(i));
    }
    QTRY_COMPARE(answered.size(), 100);
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 100, 10000);
    QSet<QString> ids;
    for (int i = 0; i < events.size(); ++i) {
        QCOMPARE(events.at(i).value("sequence").toInteger(), i + 1); // gap-free, in order
        ids.insert(events.at(i).value("data").toObject().value("entry_id").toString());
    }
    QCOMPARE(ids, answered);

    // The server stops: the writer takes the address over (it retries every 5 s).
    client.abort();
    first.stop();
    QTRY_VERIFY_WITH_TIMEOUT(healthy(), 15000);
    QVERIFY(second.log().contains(QByteArray("live graph on http://" + address)));
    QCOMPARE(second.log().count("another process serves"), 1); // said once
}

void tst_ServeModes::neverListensNowhere()
{
    HostProcess host(environment());
    QVERIFY(host.start(config(QStringLiteral("never"), QStringLiteral("never"))));
    QVERIFY(host.log().contains("serve: never"));
    QVERIFY(!healthy());
    QTcpServer probe;
    QVERIFY2(probe.listen(QHostAddress::LocalHost, m_port), "the port must be free");
}

QTEST_GUILESS_MAIN(tst_ServeModes)

#include "tst_servemodes.moc"
