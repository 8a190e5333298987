#pragma once

#include "streamclient.h"
#include "streamsettings.h"
#include "bus/event.h"
#include "bus/subscriptionindex.h"
#include "interface/pyriteplugin.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <unordered_map>

class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace Pyrite::Internal {

class AccessPolicy;
class EventFeed;
class EventLog;
struct StreamRequest;

// Live event streams over WebSocket (docs/protocol.md): filtered subscriptions on /stream,
// resume from the event log without gaps or duplicates, Pyrite's legacy frames on /ws; tokens,
// origins, size and connection limits, slow consumers closed, silent peers dropped.
class StreamServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(StreamServer)

public:
    struct Metrics
    {
        int connections = 0;
        int subscriptions = 0;
        qint64 unsentBytes = 0; // queued in the clients' sockets (each at most max_pending_bytes
                                // when a batch starts)
        quint64 framesSent = 0;
        quint64 bytesSent = 0;
        quint64 slowConsumerCloses = 0;
        quint64 rejectedHandshakes = 0;
        quint64 pingTimeouts = 0;
        quint64 badMessages = 0;
        quint64 replayBacklogOverflows = 0;
        quint64 eventsDispatched = 0;    // live events matched against the subscriptions
        quint64 dispatchNanoseconds = 0; // time spent matching them and queueing their frames
    };

    // Events come from feed (with their log positions when the log is on); log, for resume, may
    // be null (event_log.driver: none): then resume is not available.
    StreamServer(EventFeed *feed, EventLog *log, QObject *parent = nullptr);
    ~StreamServer() override;

    // Token and origin rules for the handshakes; shared with the HTTP side of the address.
    void setAccessPolicy(const AccessPolicy *policy) { m_access = policy; }
    // Takes the settings and starts the heartbeat; connections come through handleConnection().
    void start(const StreamSettings &settings);
    // Closes every connection.
    void close();
    // A WebSocket handshake waiting unread in socket, from whoever owns the listening socket (the
    // HTTP side). The server owns socket from here on.
    void handleConnection(QTcpSocket *socket);
    Metrics metrics() const;
    // The same figures for /metrics and the bridge's "metrics" op.
    QList<MetricsService::Metric> serviceMetrics() const;

Q_SIGNALS:
    void clientConnected(const QString &address);
    void clientDisconnected(const QString &address);

private:
    void acceptConnections();
    void admit(QWebSocket *socket);
    void receive(StreamClient *client, const QString &message);
    void subscribe(StreamClient *client, const StreamRequest &request);
    void replay(StreamClient *client, QString subscriptionId, qint64 after);
    void removeClient(StreamClient *client);
    void closeClient(StreamClient *client, int code, const QString &reason);
    // Removes the client of socket (if it is still there) and aborts the connection.
    void drop(QWebSocket *socket);
    void broadcast(const QList<Event> &events);
    // Dispatches events from `from` on until about one gathering write per client is queued;
    // returns the index of the first event it left for the next slice.
    qsizetype broadcastSlice(const QList<Event> &events, qsizetype from);
    // The client's queue is sent after the batches already posted to this thread: several that
    // arrived together go out in one write per client.
    void deferWrite(StreamClient *client);
    void writeDeferred();
    bool keepsUp(StreamClient *client);
    // Sends one message (a frame's UTF-8 payload) now: answers to the client.
    bool send(StreamClient *client, const QByteArray &message);
    // Queues a ready-made frame (WebSocketFrame), built once for all the clients it goes to;
    // sequence > 0 marks it as that event's delivery. The caller has the client send its queue.
    bool queueFrame(StreamClient *client, const QByteArray &frame, qsizetype payloadBytes,
                    qint64 sequence);
    // Frames one message for one client and queues it (answers, replayed events).
    bool queueMessage(StreamClient *client, const QByteArray &message, qint64 sequence);
    void sendError(StreamClient *client, const QString &code, const QString &message,
                   const QString &id);
    void checkPings();

    EventLog *m_log;
    const AccessPolicy *m_access = nullptr;
    StreamSettings m_settings;
    QWebSocketServer *m_server;
    QTimer *m_pingTimer;
    std::unordered_map<QWebSocket *, std::unique_ptr<StreamClient>> m_clients;
    QHash<QString, int> m_connectionsPerAddress;
    // TCP connections handed over for their handshake, by their four addresses and ports, until
    // QWebSocketServer makes a QWebSocket of them: QWebSocket does not tell which socket it wraps.
    QHash<QString, QTcpSocket *> m_upgrading;
    // Legacy clients get every legacy frame: kept apart so that an event does not walk all clients.
    QList<StreamClient *> m_legacyClients;
    // Each subscription's index entry carries it (StreamClient::Subscription *) as user data.
    SubscriptionIndex m_index;
    quint64 m_nextIndexId = 1;
    quint64 m_batchSerial = 0;
    // Sockets (the key of m_clients) whose client's queue waits for writeDeferred(), which is
    // scheduled while this is not empty.
    QList<QWebSocket *> m_deferredWrites;
    Metrics m_metrics;
};

} // namespace Pyrite::Internal
