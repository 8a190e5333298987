#pragma once

#include "connectionslots.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>

class QTimer;

namespace Pyrite::Internal {

class AccessPolicy;
class RequestHead;

// The listening socket of the plugin's address. It reads the head of each connection's first
// request: WebSocket upgrades go out on webSocketRequest() (for
// QWebSocketServer::handleConnection), everything else to the HTTP server bound to it. (Qt HTTP
// Server 6.4 does not hand upgrades over itself: its request parser never flags them.)
class HttpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY(HttpListener)

public:
    explicit HttpListener(QObject *parent = nullptr);

    // Larger request heads are refused (431), larger bodies too (413): the API takes no bodies
    // worth more, and Qt HTTP Server 6.4 would buffer either without a limit.
    static constexpr qint64 MaxHeadBytes = 16 * 1024;
    static constexpr qint64 MaxBodyBytes = 64 * 1024;
    // A connection that has not sent its first request head by then is dropped, and so is one
    // whose later request (head and body) has not arrived in full this long after its first
    // byte: a deadline per request that more bytes do not extend.
    static constexpr int HeadTimeoutMs = 10000;
    static constexpr int RequestTimeoutMs = 10000;
    // A kept-alive HTTP connection that has been quiet this long is closed, and so is one whose
    // answer has not moved on (the client does not read it) for as long.
    static constexpr int IdleTimeoutMs = 60000;

    // HTTP connections at once, and from one address; past either cap a newcomer takes the slot
    // of an idle or stalled connection (ConnectionSlots), or gets 503 when there is none, so
    // that neither idle connections nor a trickling client can take every slot. WebSocket
    // connections are counted by the stream server (max_connections).
    void setMaxConnections(int maximum, int perAddress);
    int connectionCount() const { return m_http.count(); }
    // Connections whose first request head has not arrived yet, the same way: they may become
    // either kind, so the cap must take a reconnection storm of every WebSocket client at once
    // (the HTTP cap alone refused it). Each waits HeadTimeoutMs at most.
    void setMaxUnreadConnections(int maximum, int perAddress);
    // The HTTP server has parsed a whole request on socket and is answering it.
    void requestReceived(QTcpSocket *socket);
    // Judges the Host and Origin of WebSocket handshakes before the stream server sees them
    // (HTTP requests are judged one by one by the HTTP server).
    void setAccessPolicy(const AccessPolicy *policy) { m_access = policy; }
    // Connections refused here: caps, sizes, Host or Origin.
    quint64 refusedCount() const { return m_refused; }
    // Connections closed to make room for a newcomer.
    quint64 evictedCount() const { return m_evicted; }
    // Connections closed because a request or an answer did not move on in time.
    quint64 timedOutCount() const { return m_timedOut; }

Q_SIGNALS:
    // The receiver owns socket from here on; the request is still unread in it.
    void webSocketRequest(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void classify(QTcpSocket *socket);
    // False (and the socket refused) when a handshake names another host or a foreign origin.
    bool admitHandshake(QTcpSocket *socket, const RequestHead &head);
    void refuse(QTcpSocket *socket, int status, const QByteArray &reason, const QString &message);
    // False (and socket refused with 503) when table has no room for it, after closing a
    // connection that must make room.
    bool takeSlot(ConnectionSlots &table, QTcpSocket *socket);
    void evict(ConnectionSlots &table, QTcpSocket *victim);
    // Hands a classified HTTP connection to the HTTP server.
    void serveHttp(QTcpSocket *socket);
    // An HTTP connection's states (ConnectionSlots::State) and the deadline of each.
    void becomeIdle(QTcpSocket *socket);
    void beginRequest(QTcpSocket *socket);
    void answerProgressed(QTcpSocket *socket);
    void startDeadline(QTcpSocket *socket, int milliseconds);
    // A deadline has passed: an idle connection is closed, a stalled one aborted.
    void closeLate(QTcpSocket *socket);

    ConnectionSlots m_http{512, 128};
    ConnectionSlots m_unread{512, 512};
    QHash<QTcpSocket *, QTimer *> m_deadlines;
    QElapsedTimer m_clock;
    const AccessPolicy *m_access = nullptr;
    quint64 m_refused = 0;
    quint64 m_evicted = 0;
    quint64 m_timedOut = 0;
};

} // namespace Pyrite::Internal
