#include "httplistener.h"

#include "httptr.h"

#include "accesspolicy.h"
#include "hostoriginrefusal.h"
#include "requesthead.h"
#include "logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Pyrite::Internal {

HttpListener::HttpListener(QObject *parent)
    : QTcpServer(parent)
{
    m_clock.start();
}

void HttpListener::setMaxConnections(int maximum, int perAddress)
{
    m_http.setLimits(maximum, perAddress);
}

void HttpListener::setMaxUnreadConnections(int maximum, int perAddress)
{
    m_unread.setLimits(maximum, perAddress);
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (!takeSlot(m_unread, socket))
        return;
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_unread.remove(socket);
        m_deadlines.remove(socket);
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { classify(socket); });
    startDeadline(socket, HeadTimeoutMs);
}

void HttpListener::classify(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(MaxHeadBytes);
    const qsizetype headEnd = RequestHead::endIn(head);
    if (headEnd < 0 && head.size() < MaxHeadBytes)
        return; // wait for the rest of the head (within HeadTimeoutMs in all)
    // Whoever takes the socket now reads it from the start: nothing was consumed.
    disconnect(socket, nullptr, this, nullptr);
    m_unread.remove(socket);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    delete m_deadlines.take(socket);
    if (headEnd < 0) {
        return refuse(socket, 431, "Request Header Fields Too Large",
                      HttpTr::tr("the request head is larger than %1 bytes").arg(MaxHeadBytes));
    }
    const RequestHead requestHead(head.left(headEnd + 2));
    if (requestHead.isWebSocketUpgrade()) {
        if (!admitHandshake(socket, requestHead))
            return;
        socket->setParent(nullptr);
        Q_EMIT webSocketRequest(socket);
        return;
    }
    bool ok = true;
    const QByteArray length = requestHead.value("content-length");
    if (!length.isEmpty() && (length.toLongLong(&ok) > MaxBodyBytes || !ok)) {
        return refuse(socket, 413, "Payload Too Large",
                      HttpTr::tr("the request body is larger than %1 bytes").arg(MaxBodyBytes));
    }
    if (!requestHead.value("transfer-encoding").isEmpty()) {
        return refuse(socket, 411, "Length Required",
                      HttpTr::tr("request bodies need a Content-Length of at most %1 bytes")
                              .arg(MaxBodyBytes));
    }
    if (!takeSlot(m_http, socket))
        return;
    serveHttp(socket);
}

void HttpListener::serveHttp(QTcpSocket *socket)
{
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_http.remove(socket);
        m_deadlines.remove(socket);
    });
    socket->setParent(nullptr);
    // Later requests on this connection are not sniffed: the buffer bounds what they can hold.
    socket->setReadBufferSize(MaxHeadBytes + MaxBodyBytes);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
        if (m_http.state(socket) == ConnectionSlots::State::Idle)
            beginRequest(socket);
    });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { answerProgressed(socket); });
    // The first request's body may still be on its way: it has a request's deadline too.
    startDeadline(socket, RequestTimeoutMs);
    addPendingConnection(socket); // the bound HTTP server takes it
    // Its request has already arrived: tell the HTTP server once it listens to the socket.
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

void HttpListener::requestReceived(QTcpSocket *socket)
{
    m_http.setState(socket, ConnectionSlots::State::Busy, m_clock.elapsed());
    startDeadline(socket, IdleTimeoutMs);
}

void HttpListener::beginRequest(QTcpSocket *socket)
{
    // Started by the first byte and not extended by later ones: a client that sends one byte
    // now and then holds the connection for RequestTimeoutMs, not for ever.
    m_http.setState(socket, ConnectionSlots::State::Receiving, m_clock.elapsed());
    startDeadline(socket, RequestTimeoutMs);
}

void HttpListener::answerProgressed(QTcpSocket *socket)
{
    if (m_http.state(socket) != ConnectionSlots::State::Busy)
        return;
    if (socket->bytesToWrite() > 0) {
        startDeadline(socket, IdleTimeoutMs); // the client reads: give it time for the rest
        return;
    }
    m_http.setState(socket, ConnectionSlots::State::Idle, m_clock.elapsed());
    startDeadline(socket, IdleTimeoutMs);
}

void HttpListener::startDeadline(QTcpSocket *socket, int milliseconds)
{
    QTimer *&timer = m_deadlines[socket];
    if (!timer) {
        timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, socket] { closeLate(socket); });
    }
    timer->start(milliseconds);
}

void HttpListener::closeLate(QTcpSocket *socket)
{
    if (m_http.state(socket) == ConnectionSlots::State::Idle) {
        socket->disconnectFromHost(); // a kept-alive connection nobody uses any more
        return;
    }
    qCDebug(lcHttp).noquote() << "closed a connection from" << socket->peerAddress().toString()
                              << "whose request or answer did not move on in time";
    ++m_timedOut;
    socket->abort();
}

bool HttpListener::takeSlot(ConnectionSlots &table, QTcpSocket *socket)
{
    const QHostAddress peer = socket->peerAddress();
    const bool unread = &table == &m_unread;
    const ConnectionSlots::Decision decision = table.admit(peer, m_clock.elapsed());
    switch (decision.admission) {
    case ConnectionSlots::Admission::Admitted:
        break;
    case ConnectionSlots::Admission::Evict:
        evict(table, decision.victim);
        break;
    case ConnectionSlots::Admission::Refused:
        refuse(socket, 503, "Service Unavailable",
               (unread ? HttpTr::tr("too many connections that have not sent a request yet "
                                    "(%1); try again later")
                       : HttpTr::tr("too many HTTP connections (%1); try again later"))
                       .arg(table.maximum()));
        return false;
    case ConnectionSlots::Admission::RefusedForAddress:
        refuse(socket, 503, "Service Unavailable",
               (unread ? HttpTr::tr("too many connections from %1 that have not sent a request "
                                    "yet (%2); try again later")
                       : HttpTr::tr("too many HTTP connections from %1 (%2); try again later"))
                       .arg(peer.toString())
                       .arg(table.maximumPerAddress()));
        return false;
    }
    // Receiving: a request is on its way (the first, whether read yet or not).
    table.add(socket, peer, ConnectionSlots::State::Receiving, m_clock.elapsed());
    return true;
}

void HttpListener::evict(ConnectionSlots &table, QTcpSocket *victim)
{
    const bool idle = table.state(victim) == ConnectionSlots::State::Idle;
    table.remove(victim); // now: closing reaches the table only when the socket is deleted
    ++m_evicted;
    qCDebug(lcHttp).noquote() << "closed" << (idle ? "an idle" : "a stalled") << "connection from"
                              << victim->peerAddress().toString() << "to make room for another";
    if (idle)
        victim->disconnectFromHost();
    else
        victim->abort();
}

bool HttpListener::admitHandshake(QTcpSocket *socket, const RequestHead &head)
{
    if (!m_access)
        return true;
    const std::optional<HostOriginRefusal> refusal =
            HostOriginRefusal::of(*m_access, head.value("host"), head.value("origin"));
    if (!refusal)
        return true;
    qCInfo(lcHttp).noquote() << "refused a WebSocket handshake" << refusal->subject;
    refuse(socket, refusal->status, refusal->reason, refusal->message);
    return false;
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

} // namespace Pyrite::Internal
