#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QTcpSocket>
#include <QVarLengthArray>

#include <unordered_map>

class QWebSocket;

namespace Pyrite::Internal {

// One WebSocket client of the stream server and its subscriptions. A subscription that resumes
// from the log is "replaying": live events for it wait in `pending` until the replay has caught
// up, then those newer than the replay follow, so nothing is missed or sent twice.
class StreamClient
{
public:
    struct Subscription
    {
        StreamClient *client = nullptr;
        QString id;
        quint64 indexId = 0;
        bool replaying = false;
        qint64 replayedUpTo = 0;
        QList<QPair<qint64, QByteArray>> pending; // (sequence, event JSON) while replaying
        // More arrived while replaying than `pending` may hold: it was emptied, and the replay
        // reads those events from the log instead (they are stored before they are broadcast).
        bool pendingOverflowed = false;
    };

    // transport is the TCP connection under socket, which the server writes ready-made frames to
    // (WebSocketFrame); QWebSocket keeps handling what the client sends, pings and the close.
    StreamClient(QWebSocket *socket, QTcpSocket *transport, bool legacy, const QString &address);

    QWebSocket *socket() const { return m_socket; }
    QTcpSocket *transport() const { return m_transport; }
    // Queues a complete frame (shared, not copied), unless the connection is closing or gone.
    bool queue(const QByteArray &frame)
    {
        if (m_closing)
            return false;
        m_queued.append(frame);
        return true;
    }
    // Hands the queued frames to the kernel in gathering writes while it takes them all,
    // without copying them (the fan-out's cost per client). When it stops taking them, the rest
    // waits: the frame it took part of (or the next) in the socket's buffer, the ones after it
    // held here, shared with the other clients, until the socket drained (drainHeld()). Frames
    // from QWebSocket (pings, pongs, the close) go to the socket's buffer, so they only ever
    // land between whole frames. Non-blocking.
    void sendQueued();
    qsizetype queuedCount() const { return m_queued.size(); }
    // The server will send the queue once the batches already on their way were broadcast.
    bool isWriteDeferred() const { return m_writeDeferred; }
    void setWriteDeferred(bool deferred) { m_writeDeferred = deferred; }
    // The socket wrote its buffer (bytesWritten): sends what is held here once that is empty.
    void drainHeld();
    // Before the close frame: what is held here goes to the socket's buffer ahead of it.
    void handOverHeld();
    // The frames one gathering write hands to the kernel at most.
    static constexpr qsizetype MaxPiecesPerWrite = 64;
    // Bytes not yet handed to the kernel: held here and in the socket's buffer. Frames still
    // queued (fewer than one write's worth, waiting for the server's deferred write) are not
    // counted: the budget check may see up to that much less.
    qint64 unsentBytes() const;
    // Hands the kernel what it takes now, without blocking.
    void flushUnsent();
    // False when none of the server's frames went to the socket's buffer or were held since it
    // was last seen empty: what else is there (QWebSocket's pings and pongs) leaves on the next
    // turn, unless the kernel refuses it, and then the next frame lands behind it and sets this.
    // Checked first because it costs no trip through the socket's objects, which for thousands of
    // clients are rarely in the CPU's caches.
    bool mayHaveBacklog() const { return m_mayHaveBacklog; }
    void setMayHaveBacklog(bool backlog) { m_mayHaveBacklog = backlog; }
    bool isLegacy() const { return m_legacy; }
    QString address() const { return m_address; }

    // Node-based: the server keeps pointers to subscriptions for its index.
    using Subscriptions = std::unordered_map<QString, Subscription>;
    Subscriptions &subscriptions() { return m_subscriptions; }
    qint64 lastDeliveredSequence() const { return m_lastDelivered; }
    void setLastDeliveredSequence(qint64 sequence)
    {
        m_lastDelivered = std::max(m_lastDelivered, sequence);
    }

    int countBadMessage() { return ++m_badMessages; }

    // The broadcast batch in which the server last checked this client's unsent data.
    quint64 judgedInBatch() const { return m_judgedInBatch; }
    void setJudgedInBatch(quint64 batch) { m_judgedInBatch = batch; }

    // Liveness: the time since the client last answered one of the server's pings. Only a pong
    // that carries the payload of this round's or the last round's ping counts; a client can
    // send pongs unasked without reading a thing.
    const QElapsedTimer &sinceLastPong() const { return m_sinceLastPong; }
    void pinged(const QByteArray &payload) { m_previousPing = std::exchange(m_lastPing, payload); }
    void ponged(const QByteArray &payload)
    {
        if (payload == m_lastPing || payload == m_previousPing)
            m_sinceLastPong.restart();
    }
    bool isClosing() const { return m_closing; }
    void setClosing() { m_closing = true; }

private:
    void write(const QByteArray *frames, qsizetype count);
    void hold(const QByteArray *frames, qsizetype from, qsizetype to);
    // One gathering write of up to 64 of frames[0, count) from *first (its first *offset bytes
    // sent already); advances both past what the kernel took. True when it took all it was given.
    bool sendPieces(const QByteArray *frames, qsizetype count, qsizetype *first, qsizetype *offset);

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_transport; // deleted by QWebSocketServer once disconnected
    // A full write's worth inline: a queue waiting for the server's deferred write, which may
    // join several batches, allocates nothing (an allocation per client and write fragments
    // the heap under churn).
    QVarLengthArray<QByteArray, MaxPiecesPerWrite> m_queued;
    QList<QByteArray> m_held; // behind the socket's buffer, waiting for it to drain
    qint64 m_heldBytes = 0;
    bool m_mayHaveBacklog = false;
    bool m_writeDeferred = false;
    bool m_legacy;
    QString m_address;
    Subscriptions m_subscriptions;
    qint64 m_lastDelivered = 0;
    int m_badMessages = 0;
    quint64 m_judgedInBatch = 0;
    QElapsedTimer m_sinceLastPong;
    QByteArray m_lastPing;
    QByteArray m_previousPing;
    bool m_closing = false;
};

} // namespace Pyrite::Internal
