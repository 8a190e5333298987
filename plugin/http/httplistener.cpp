#include "httplistener.h"

#include "httptr.h"

#include "accesspolicy.h"
#include "logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

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
    if (m_unread >= m_maxUnread) {
        return refuse(
                socket, 503, "Service Unavailable",
                HttpTr::tr("too many connections that have not sent a request yet (%1); try again "
                           "later")
                        .arg(m_maxUnread));
    }
    count(socket, &m_unread);
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
    const qsizetype headEnd = head.indexOf("\r\n\r\n");
    if (headEnd < 0 && head.size() < MaxHeadBytes)
        return; // wait for the rest of the head
    // Whoever takes the socket now reads it from the start: nothing was consumed.
    disconnect(socket, nullptr, this, nullptr);
    --m_unread;
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    delete socket->findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    if (headEnd < 0) {
        return refuse(socket, 431, "Request Header Fields Too Large",
                      HttpTr::tr("the request head is larger than %1 bytes").arg(MaxHeadBytes));
    }
    const QByteArray requestHead = head.left(headEnd + 2);
    if (headerValue(requestHead, "upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        if (!admitHandshake(socket, requestHead))
            return;
        socket->setParent(nullptr);
        Q_EMIT webSocketRequest(socket);
        return;
    }
    bool ok = true;
    const QByteArray length = headerValue(requestHead, "content-length");
    if (!length.isEmpty() && (length.toLongLong(&ok) > MaxBodyBytes || !ok)) {
        return refuse(socket, 413, "Payload Too Large",
                      HttpTr::tr("the request body is larger than %1 bytes").arg(MaxBodyBytes));
    }
    if (!headerValue(requestHead, "transfer-encoding").isEmpty()) {
        return refuse(socket, 411, "Length Required",
                      HttpTr::tr("request bodies need a Content-Length of at most %1 bytes")
                              .arg(MaxBodyBytes));
    }
    if (m_connections >= m_maxConnections) {
        return refuse(socket, 503, "Service Unavailable",
                      HttpTr::tr("too many HTTP connections (%1); try again later")
                              .arg(m_maxConnections));
    }
    socket->setParent(nullptr);
    count(socket, &m_connections);
    // Later requests on this connection are not sniffed: the buffer bounds what they can hold.
    socket->setReadBufferSize(MaxHeadBytes + MaxBodyBytes);
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->setInterval(IdleTimeoutMs);
    connect(idle, &QTimer::timeout, socket, &QTcpSocket::disconnectFromHost);
    connect(socket, &QTcpSocket::readyRead, idle, qOverload<>(&QTimer::start));
    connect(socket, &QTcpSocket::bytesWritten, idle, qOverload<>(&QTimer::start));
    idle->start();
    addPendingConnection(socket); // the bound HTTP server takes it
    // Its request has already arrived: tell the HTTP server once it listens to the socket.
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

bool HttpListener::admitHandshake(QTcpSocket *socket, const QByteArray &head)
{
    if (!m_access)
        return true;
    const QByteArray host = headerValue(head, "host");
    if (!m_access->admitsHost(host)) {
        qCInfo(lcHttp).noquote() << "refused a WebSocket handshake for host"
                                 << QString::fromLatin1(host);
        refuse(socket, 421, "Misdirected Request",
               HttpTr::tr("Host \"%1\" is not this server (stream.allowed_hosts)")
                       .arg(QString::fromLatin1(host)));
        return false;
    }
    const QByteArray origin = headerValue(head, "origin");
    if (!m_access->admitsOrigin(origin, host)) {
        qCInfo(lcHttp).noquote() << "refused a WebSocket handshake from origin"
                                 << QString::fromLatin1(origin);
        refuse(socket, 403, "Forbidden",
               HttpTr::tr("requests from origin %1 are not allowed (stream.allowed_origins)")
                       .arg(QString::fromLatin1(origin)));
        return false;
    }
    return true;
}

void HttpListener::count(QTcpSocket *socket, int *counter)
{
    ++*counter;
    connect(socket, &QObject::destroyed, this, [counter] { --*counter; });
}

void HttpListener::refuse(QTcpSocket *socket, int status, const QByteArray &reason,
                          const QString &message)
{
    ++m_refused;
    const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("error"), QStringLiteral("bad_request")},
                                      {QStringLiteral("message"), message}})
                    .toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                  "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // A lingering close, as web servers do: closing with unread request data makes the kernel
    // reset the connection and the client never sees the answer. So: send it, end our side,
    // read and drop what still comes until the peer closes (or 2 s pass).
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const auto endOurSide = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, endOurSide);
    socket->flush();
    endOurSide();
    QTimer::singleShot(2000, socket, &QTcpSocket::abort);
}

QByteArray HttpListener::headerValue(const QByteArray &head, QByteArrayView name)
{
    // Only the few headers that decide where the connection goes; the WebSocket server and the
    // HTTP server parse the request themselves.
    qsizetype lineStart = head.indexOf("\r\n") + 2;
    while (lineStart > 1 && lineStart < head.size()) {
        const qsizetype lineEnd = head.indexOf("\r\n", lineStart);
        if (lineEnd <= lineStart)
            break;
        const QByteArrayView line(head.constData() + lineStart, lineEnd - lineStart);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed().toByteArray();
        lineStart = lineEnd + 2;
    }
    return QByteArray();
}

} // namespace Pyrite::Internal
