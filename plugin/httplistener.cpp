#include "httplistener.h"

#include <QTcpSocket>
#include <QTimer>

namespace Pyrite::Internal {

HttpListener::HttpListener(QObject *parent)
    : QTcpServer(parent)
{ }

void HttpListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, &QTcpSocket::abort);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { classify(socket); });
    timeout->start(HeadTimeoutMs);
}

void HttpListener::classify(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(MaxHeadBytes);
    const bool complete = head.contains("\r\n\r\n");
    if (!complete && head.size() < MaxHeadBytes)
        return; // wait for the rest of the head
    // Whoever takes the socket now reads it from the start: nothing was consumed.
    disconnect(socket, nullptr, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    delete socket->findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    if (complete && isWebSocketUpgrade(head)) {
        socket->setParent(nullptr);
        Q_EMIT webSocketRequest(socket);
        return;
    }
    socket->setParent(nullptr);
    addPendingConnection(socket); // the bound HTTP server takes it
    // Its request has already arrived: tell the HTTP server once it listens to the socket.
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

bool HttpListener::isWebSocketUpgrade(const QByteArray &head)
{
    // Only the one header that decides where the connection goes; the WebSocket server and the
    // HTTP server parse the request themselves.
    qsizetype lineStart = head.indexOf("\r\n") + 2;
    while (lineStart > 1 && lineStart < head.size()) {
        const qsizetype lineEnd = head.indexOf("\r\n", lineStart);
        if (lineEnd <= lineStart)
            break;
        const QByteArray line = head.mid(lineStart, lineEnd - lineStart);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare("upgrade", Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
        lineStart = lineEnd + 2;
    }
    return false;
}

} // namespace Pyrite::Internal
