#include "streamclient.h"

#include <QWebSocket>

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace Pyrite::Internal {

StreamClient::StreamClient(QWebSocket *socket, QTcpSocket *transport, bool legacy,
                           const QString &address)
    : m_socket(socket),
      m_transport(transport),
      m_legacy(legacy),
      m_address(address)
{
    m_sinceLastPong.start();
}

void StreamClient::sendQueued()
{
    if (m_queued.isEmpty())
        return;
    const QVarLengthArray<QByteArray, 8> frames = std::exchange(m_queued, {});
    // QWebSocket's own state: it leaves ConnectedState when either side starts the closing
    // handshake, after which no data frame may follow.
    if (m_closing || !m_transport || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    qsizetype first = 0;  // the first frame not wholly sent
    qsizetype offset = 0; // bytes of it sent
    if (m_transport->bytesToWrite() == 0) {
        constexpr qsizetype MaxPieces = 64;
        iovec pieces[MaxPieces];
        const qsizetype count = std::min(frames.size(), MaxPieces);
        for (qsizetype i = 0; i < count; ++i)
            pieces[i] = {const_cast<char *>(frames[i].constData()), size_t(frames[i].size())};
        msghdr message = {};
        message.msg_iov = pieces;
        message.msg_iovlen = size_t(count);
        ssize_t sent;
        do {
            sent = ::sendmsg(int(m_transport->socketDescriptor()), &message,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
        // On an error (EAGAIN or a broken connection) everything goes to Qt's buffer, whose own
        // write then reports the error the usual way.
        for (qint64 left = std::max<ssize_t>(sent, 0); left > 0 && first < count;) {
            const qint64 rest = frames[first].size() - offset;
            if (left < rest) {
                offset += left;
                break;
            }
            left -= rest;
            offset = 0;
            ++first;
        }
    }
    if (first == frames.size())
        return;
    m_mayHaveBacklog = true;
    for (qsizetype i = first; i < frames.size(); ++i) {
        const QByteArray &frame = frames[i];
        m_transport->write(frame.constData() + offset, frame.size() - offset);
        offset = 0;
    }
    m_transport->flush(); // what the kernel takes now; the rest on the socket's write notifier
}

qint64 StreamClient::unsentBytes() const
{
    return m_transport ? m_transport->bytesToWrite() : 0;
}

void StreamClient::flushUnsent()
{
    if (m_transport)
        m_transport->flush();
}

} // namespace Pyrite::Internal
