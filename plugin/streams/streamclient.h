#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>

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
        QString id;
        quint64 indexId = 0;
        bool replaying = false;
        qint64 replayedUpTo = 0;
        QList<QPair<qint64, QByteArray>> pending; // (sequence, event JSON) while replaying
        // More arrived while replaying than `pending` may hold: it was emptied, and the replay
        // reads those events from the log instead (they are stored before they are broadcast).
        bool pendingOverflowed = false;
    };

    StreamClient(QWebSocket *socket, bool legacy, const QString &address);

    QWebSocket *socket() const { return m_socket; }
    bool isLegacy() const { return m_legacy; }
    QString address() const { return m_address; }

    QHash<QString, Subscription> &subscriptions() { return m_subscriptions; }
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
    QWebSocket *m_socket;
    bool m_legacy;
    QString m_address;
    QHash<QString, Subscription> m_subscriptions;
    qint64 m_lastDelivered = 0;
    int m_badMessages = 0;
    quint64 m_judgedInBatch = 0;
    QElapsedTimer m_sinceLastPong;
    QByteArray m_lastPing;
    QByteArray m_previousPing;
    bool m_closing = false;
};

} // namespace Pyrite::Internal
