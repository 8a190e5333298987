#include "streams/websocketframe.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace Pyrite::Internal;

// The frames the stream server writes past QWebSocket: their header bytes, and a real QWebSocket
// client (Qt's own frame parser, not one of ours) reading them after a handshake.
class tst_WebSocketFrame : public QObject
{
    Q_OBJECT

private slots:
    void header_data();
    void header();
    void readByQWebSocket_data();
    void readByQWebSocket();
};

void tst_WebSocketFrame::header_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty") << 0 << QByteArray::fromHex("8100");
    QTest::newRow("short") << 5 << QByteArray::fromHex("8105");
    QTest::newRow("longest 7-bit") << 125 << QByteArray::fromHex("817d");
    QTest::newRow("shortest 16-bit") << 126 << QByteArray::fromHex("817e007e");
    QTest::newRow("longest 16-bit") << 65535 << QByteArray::fromHex("817effff");
    QTest::newRow("shortest 64-bit") << 65536 << QByteArray::fromHex("817f0000000000010000");
    QTest::newRow("a megabyte") << (1 << 20) << QByteArray::fromHex("817f0000000000100000");
}

void tst_WebSocketFrame::header()
{
    QFETCH(int, length);
    QFETCH(QByteArray, header);
    const QByteArray payload(length, 'x');
    const QByteArray frame = WebSocketFrame::text(payload);
    QCOMPARE(frame.size(), header.size() + length);
    QCOMPARE(frame.left(header.size()).toHex(), header.toHex());
    QCOMPARE(frame.mid(header.size()), payload);
}

void tst_WebSocketFrame::readByQWebSocket_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("json") << QByteArray(R"({"type":"event","id":"main","event":{}})");
    QTest::newRow("non-ASCII") << QStringLiteral("Größe – 日本語 ✓").toUtf8();
    QTest::newRow("16-bit length") << QByteArray(300, 'a');
    QTest::newRow("64-bit length") << QByteArray(70000, 'b');
}

void tst_WebSocketFrame::readByQWebSocket()
{
    QFETCH(QByteArray, payload);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())));
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QByteArray request;
    QTRY_VERIFY((request += peer->readAll()).contains("\r\n\r\n"));
    const qsizetype keyAt = request.indexOf("Sec-WebSocket-Key: ") + 19;
    const QByteArray key = request.mid(keyAt, request.indexOf("\r\n", keyAt) - keyAt);
    const QByteArray accept =
            QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                     QCryptographicHash::Sha1)
                    .toBase64();
    peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                accept + "\r\n\r\n");
    // Two frames back to back, as a broadcast writes them.
    peer->write(QByteArray(WebSocketFrame::text(payload) + WebSocketFrame::text("next")));
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString().toUtf8(), payload);
    QCOMPARE(received.at(1).at(0).toString(), QStringLiteral("next"));
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
