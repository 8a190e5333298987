#include "processmemory.h"
#include "streams/socketbuffers.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace Pyrite::Internal;

// SocketBuffers reaches into Qt's private QIODevicePrivate: whatever goes through a socket it
// shrank must arrive whole and in order, however full its buffers were at that moment, and the
// chunks Qt keeps per socket must really be given back.
class tst_SocketBuffers : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void dataSurvives_data();
    void dataSurvives();
    void keptChunksAreGivenBack();

private:
    struct Pair
    {
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> server;
    };
    Pair connectPair();

    QTcpServer m_listener;
};

namespace {
// Bytes that differ with their position and the seed, so that a lost or repeated piece shows.
QByteArray pattern(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed * 7 + i / 251) % 251);
    return bytes;
}

// Reads until `size` bytes came (or 10 s passed), turning the event loop meanwhile; what came.
QByteArray readExactly(QTcpSocket *socket, qsizetype size)
{
    QByteArray received;
    const auto whole = [&] {
        received += socket->read(size - received.size());
        return received.size() >= size;
    };
    if (!QTest::qWaitFor(whole, 10000))
        qWarning("only %lld of %lld bytes arrived", qint64(received.size()), qint64(size));
    return received;
}

bool exchange(QTcpSocket *from, QTcpSocket *to, qsizetype size, int seed)
{
    if (size == 0)
        return true;
    const QByteArray sent = pattern(size, seed);
    from->write(sent);
    return readExactly(to, size) == sent;
}
} // namespace

void tst_SocketBuffers::initTestCase()
{
    QVERIFY(m_listener.listen(QHostAddress::LocalHost, 0));
    m_listener.setMaxPendingConnections(1000);
}

tst_SocketBuffers::Pair tst_SocketBuffers::connectPair()
{
    Pair pair;
    pair.client = std::make_unique<QTcpSocket>();
    pair.client->connectToHost(QHostAddress::LocalHost, m_listener.serverPort());
    const auto connected = [&] {
        return m_listener.hasPendingConnections() &&
                pair.client->state() == QAbstractSocket::ConnectedState;
    };
    if (!QTest::qWaitFor(connected, 10000))
        return pair; // without a server side: the caller's QVERIFY says so
    pair.server.reset(m_listener.nextPendingConnection());
    pair.server->setParent(nullptr);
    return pair;
}

void tst_SocketBuffers::dataSurvives_data()
{
    // Bytes each way before the shrink, arrived but unread at it, written but unsent at it,
    // and each way after it.
    QTest::addColumn<int>("before");
    QTest::addColumn<int>("unread");
    QTest::addColumn<int>("unsent");
    QTest::addColumn<int>("after");
    const int kept = SocketBuffers::KeptChunkBytes;
    QTest::newRow("fresh socket") << 0 << 0 << 0 << 100;
    QTest::newRow("after small messages") << 100 << 0 << 0 << 100;
    QTest::newRow("after a handshake-sized exchange") << 4000 << 0 << 0 << 4000;
    QTest::newRow("unread bytes waiting") << 100 << 5000 << 0 << 100;
    QTest::newRow("unsent bytes waiting") << 100 << 0 << 50000 << 100;
    QTest::newRow("both waiting, then large") << 100 << 70000 << 70000 << 300000;
    QTest::newRow("exactly a kept chunk") << 0 << kept << kept << kept;
    QTest::newRow("a byte over a kept chunk") << kept + 1 << kept + 1 << kept + 1 << kept + 1;
    QTest::newRow("single bytes") << 1 << 1 << 1 << 1;
}

void tst_SocketBuffers::dataSurvives()
{
    QFETCH(int, before);
    QFETCH(int, unread);
    QFETCH(int, unsent);
    QFETCH(int, after);
    Pair pair = connectPair();
    QVERIFY(pair.server);
    QTcpSocket *client = pair.client.get();
    QTcpSocket *server = pair.server.get();

    QVERIFY(exchange(client, server, before, 1));
    QVERIFY(exchange(server, client, before, 2));
    const QByteArray arriving = pattern(unread, 3);
    if (unread > 0) {
        client->write(arriving);
        QTRY_COMPARE(server->bytesAvailable(), qint64(unread));
    }
    const QByteArray leaving = pattern(unsent, 4);
    if (unsent > 0) {
        server->write(leaving); // no turn of the loop: it waits in the socket's write buffer
        QCOMPARE(server->bytesToWrite(), qint64(unsent));
    }

    SocketBuffers::shrink(server);

    QCOMPARE(server->bytesAvailable(), qint64(unread));
    QCOMPARE(server->bytesToWrite(), qint64(unsent));
    QCOMPARE(readExactly(server, unread), arriving);
    QCOMPARE(readExactly(client, unsent), leaving);
    QVERIFY(exchange(client, server, after, 5));
    QVERIFY(exchange(server, client, after, 6));
    // And again, now that every buffer has been through a drain with the small chunk size.
    QVERIFY(exchange(client, server, after, 7));
    QVERIFY(exchange(server, client, after, 8));
}

void tst_SocketBuffers::keptChunksAreGivenBack()
{
    if (!Pyrite::hasGlibcHeap())
        QSKIP("needs glibc's heap statistics (mallinfo2); a sanitizer's allocator keeps its own");
    // Each socket has read and written a small message: Qt keeps its 32 KiB write chunk from
    // then on (and its read chunk, unless a read happened to drain the chunk whole).
    constexpr int Sockets = 100;
    std::vector<Pair> pairs;
    for (int i = 0; i < Sockets; ++i) {
        pairs.push_back(connectPair());
        QVERIFY(pairs.back().server);
        QVERIFY(exchange(pairs.back().client.get(), pairs.back().server.get(), 100, i));
        QVERIFY(exchange(pairs.back().server.get(), pairs.back().client.get(), 100, i));
    }
    const qint64 kept = Pyrite::heapInUseBytes();
    for (const Pair &pair : pairs)
        SocketBuffers::shrink(pair.server.get());
    const qint64 shrunk = Pyrite::heapInUseBytes();
    QVERIFY2(kept - shrunk >= qint64(Sockets) * 28 * 1024,
             qPrintable(QStringLiteral("%1 bytes given back by %2 sockets")
                                .arg(kept - shrunk)
                                .arg(Sockets)));

    // Small messages keep at most a small chunk; a large one's chunks go once drained.
    for (int i = 0; i < Sockets; ++i) {
        QVERIFY(exchange(pairs[i].client.get(), pairs[i].server.get(), 100, i));
        QVERIFY(exchange(pairs[i].server.get(), pairs[i].client.get(), 100, i));
        QVERIFY(exchange(pairs[i].client.get(), pairs[i].server.get(), 20 * 1024, i));
        QVERIFY(exchange(pairs[i].server.get(), pairs[i].client.get(), 20 * 1024, i));
    }
    const qint64 used = Pyrite::heapInUseBytes();
    QVERIFY2(used - shrunk <= qint64(Sockets) * 4 * 1024,
             qPrintable(QStringLiteral("%1 bytes more in use after the exchanges of %2 sockets")
                                .arg(used - shrunk)
                                .arg(Sockets)));
}

QTEST_GUILESS_MAIN(tst_SocketBuffers)
#include "tst_socketbuffers.moc"
