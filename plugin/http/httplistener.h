#pragma once

#include <QTcpServer>

namespace Pyrite::Internal {

class AccessPolicy;

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
    // A peer that has not sent its request head by then is dropped.
    static constexpr int HeadTimeoutMs = 10000;
    // A kept-alive HTTP connection that has been quiet this long is closed.
    static constexpr int IdleTimeoutMs = 60000;

    // HTTP connections at once; more are answered 503 and closed, so that idle connections
    // cannot take every descriptor. WebSocket connections are counted by the stream server
    // (max_connections).
    void setMaxConnections(int maximum) { m_maxConnections = maximum; }
    int connectionCount() const { return m_connections; }
    // Connections whose first request head has not arrived yet, at once: they may become either
    // kind, so the cap must take a reconnection storm of every WebSocket client at once (the
    // HTTP cap alone refused it). Past it: 503. Each waits HeadTimeoutMs at most.
    void setMaxUnreadConnections(int maximum) { m_maxUnread = maximum; }
    // Judges the Host and Origin of WebSocket handshakes before the stream server sees them
    // (HTTP requests are judged one by one by the HTTP server).
    void setAccessPolicy(const AccessPolicy *policy) { m_access = policy; }
    // Connections refused here: caps, sizes, Host or Origin.
    quint64 refusedCount() const { return m_refused; }

Q_SIGNALS:
    // The receiver owns socket from here on; the request is still unread in it.
    void webSocketRequest(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void classify(QTcpSocket *socket);
    // False (and the socket refused) when a handshake names another host or a foreign origin.
    bool admitHandshake(QTcpSocket *socket, const QByteArray &head);
    // The value of one header of a complete request head; empty when it has none.
    static QByteArray headerValue(const QByteArray &head, QByteArrayView name);
    void refuse(QTcpSocket *socket, int status, const QByteArray &reason, const QString &message);
    // Counts socket in counter until it is destroyed (or classify() takes it off).
    void count(QTcpSocket *socket, int *counter);

    int m_maxConnections = 512;
    int m_connections = 0;
    int m_maxUnread = 512;
    int m_unread = 0;
    const AccessPolicy *m_access = nullptr;
    quint64 m_refused = 0;
};

} // namespace Pyrite::Internal
