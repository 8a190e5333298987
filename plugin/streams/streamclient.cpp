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
    const QVarLengthArray<QByteArray, MaxPiecesPerWrite> frames = std::exchange(m_queued, {});
    // QWebSocket's own state: it leaves ConnectedState when either side starts the closing
    // handshake, after which no data frame may follow.
    if (m_closing || !m_transport || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (!m_held.isEmpty() || m_transport->bytesToWrite() > 0) {
        hold(frames.constData(), 0, frames.size()); // behind what waits
        return;
    }
    write(frames.constData(), frames.size());
}

void StreamClient::write(const QByteArray *frames, qsizetype count)
{
    qsizetype first = 0;  // the first frame not wholly sent
    qsizetype offset = 0; // bytes of it sent
    while (first < count && sendPieces(frames, count, &first, &offset)) { }
    if (first == count)
        return;
    // The kernel's buffer is full (or the connection broke). The first frame it did not take
    // whole goes to the socket's buffer: QWebSocket's own frames (pings, pongs, the close) then
    // land only between whole frames, and the socket's write notifier tells when it drained
    // (bytesWritten, then drainHeld()). The frames after it wait here, shared with the other
    // clients: copied into the socket's buffer, they would cost every slow client its own copy,
    // and the chunk that buffer keeps for good once used.
    m_mayHaveBacklog = true;
    const QByteArray &frame = frames[first];
    m_transport->write(frame.constData() + offset, frame.size() - offset);
    hold(frames, first + 1, count);
}

void StreamClient::hold(const QByteArray *frames, qsizetype from, qsizetype to)
{
    if (from >= to)
        return;
    m_mayHaveBacklog = true;
    for (qsizetype i = from; i < to; ++i) {
        m_held.append(frames[i]);
        m_heldBytes += frames[i].size();
    }
}

void StreamClient::drainHeld()
{
    if (m_held.isEmpty() || !m_transport || m_transport->bytesToWrite() > 0)
        return;
    const QList<QByteArray> held = std::exchange(m_held, {});
    m_heldBytes = 0;
    if (m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    write(held.constData(), held.size());
}

void StreamClient::handOverHeld()
{
    if (m_transport) {
        for (const QByteArray &frame : std::as_const(m_held))
            m_transport->write(frame);
    }
    m_held.clear();
    m_heldBytes = 0;
}

bool StreamClient::sendPieces(const QByteArray *frames, qsizetype count, qsizetype *first,
                              qsizetype *offset)
{
    iovec pieces[MaxPiecesPerWrite];
    const qsizetype pieceCount = std::min(count - *first, MaxPiecesPerWrite);
    qint64 asked = 0;
    for (qsizetype i = 0; i < pieceCount; ++i) {
        const QByteArray &frame = frames[*first + i];
        const qsizetype skip = i == 0 ? *offset : 0;
        pieces[i] = {const_cast<char *>(frame.constData() + skip), size_t(frame.size() - skip)};
        asked += frame.size() - skip;
    }
    msghdr message = {};
    message.msg_iov = pieces;
    message.msg_iovlen = size_t(pieceCount);
    ssize_t sent;
    do {
        sent = ::sendmsg(int(m_transport->socketDescriptor()), &message,
                         MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    // On an error (EAGAIN or a broken connection) nothing advances; the caller hands the rest to
    // the socket, whose own write then reports the error the usual way.
    for (qint64 left = std::max<ssize_t>(sent, 0); left > 0;) {
        const qint64 rest = frames[*first].size() - *offset;
        if (left < rest) {
            *offset += left;
            break;
        }
        left -= rest;
        *offset = 0;
        ++*first;
    }
    return sent == asked;
}

qint64 StreamClient::unsentBytes() const
{
    return m_heldBytes + (m_transport ? m_transport->bytesToWrite() : 0);
}

void StreamClient::flushUnsent()
{
    if (m_transport)
        m_transport->flush(); // its bytesWritten drains what is held here behind it
}

} // namespace Pyrite::Internal
