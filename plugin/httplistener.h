#pragma once

#include <QTcpServer>

namespace Pyrite::Internal {

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

    // A request head larger than this is not sniffed further; the HTTP server answers it.
    static constexpr qint64 MaxHeadBytes = 16 * 1024;
    // A peer that has not sent its request head by then is dropped.
    static constexpr int HeadTimeoutMs = 10000;

Q_SIGNALS:
    // The receiver owns socket from here on; the request is still unread in it.
    void webSocketRequest(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void classify(QTcpSocket *socket);
    static bool isWebSocketUpgrade(const QByteArray &head);
};

} // namespace Pyrite::Internal
