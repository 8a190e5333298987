#include "streamserver.h"

#include "streamstr.h"

#include "socketbuffers.h"
#include "streamprotocol.h"
#include "websocketframe.h"

#include "accesspolicy.h"
#include "eventlog/eventfeed.h"
#include "eventlog/eventlog.h"
#include "logging.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QVarLengthArray>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

namespace Pyrite::Internal {

namespace {
constexpr int ReplayPage = 1000;
const QString StreamPath = QStringLiteral("/stream");
const QString LegacyPath = QStringLiteral("/ws");

template<typename Socket> QString connectionKey(const Socket *socket)
{
    return QStringLiteral("%1 %2 %3 %4")
            .arg(socket->localAddress().toString())
            .arg(socket->localPort())
            .arg(socket->peerAddress().toString())
            .arg(socket->peerPort());
}
} // namespace

StreamServer::StreamServer(EventFeed *feed, EventLog *log, QObject *parent)
    : QObject(parent),
      m_log(log),
      m_server(new QWebSocketServer(QStringLiteral("pyrite-eventbus"),
                                    QWebSocketServer::NonSecureMode, this)),
      m_pingTimer(new QTimer(this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &StreamServer::acceptConnections);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *request) {
                if (!m_access || m_access->admitsWebSocketOrigin(request->origin()))
                    return;
                request->setAllowed(false); // refused in the handshake (HTTP 403)
                ++m_metrics.rejectedHandshakes;
                qCInfo(lcStream).noquote()
                        << "refused a WebSocket handshake from origin" << request->origin();
            });
    connect(m_pingTimer, &QTimer::timeout, this, &StreamServer::checkPings);
    connect(feed, &EventFeed::eventsArrived, this, &StreamServer::broadcast);
}

StreamServer::~StreamServer()
{
    close();
}

void StreamServer::start(const StreamSettings &settings)
{
    m_settings = settings;
    m_server->setMaxPendingConnections(std::max(30, settings.maxConnections));
    m_pingTimer->start(settings.pingIntervalMs);
}

void StreamServer::handleConnection(QTcpSocket *socket)
{
    // Frames go out as they are written: with Nagle's algorithm a frame waits for the ACK of the
    // one before, which the peer delays by up to 40 ms. (Writes made in one turn of the event loop
    // still leave in one send.)
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QString key = connectionKey(socket);
    m_upgrading.insert(key, socket);
    // A handshake that fails is closed and deleted by QWebSocketServer.
    connect(socket, &QObject::destroyed, this, [this, key, socket] {
        if (m_upgrading.value(key) == socket)
            m_upgrading.remove(key);
    });
    m_server->handleConnection(socket);
    // The handshake has arrived already; the server reads it on readyRead.
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

void StreamServer::close()
{
    m_pingTimer->stop();
    while (!m_clients.empty()) {
        StreamClient *client = m_clients.begin()->second.get();
        QWebSocket *socket = client->socket();
        removeClient(client); // first: abort() may report the disconnection right away
        socket->abort();
    }
}

StreamServer::Metrics StreamServer::metrics() const
{
    Metrics metrics = m_metrics;
    metrics.connections = int(m_clients.size());
    metrics.subscriptions = m_index.size();
    for (const auto &entry : m_clients)
        metrics.unsentBytes += entry.second->unsentBytes();
    return metrics;
}

QList<MetricsService::Metric> StreamServer::serviceMetrics() const
{
    const Metrics m = metrics();
    using Metric = MetricsService::Metric;
    return {Metric::gauge("pyrite_stream_connections", "Open WebSocket connections.",
                          m.connections),
            Metric::gauge("pyrite_stream_subscriptions", "Subscriptions of all stream connections.",
                          m.subscriptions),
            Metric::gauge("pyrite_stream_unsent_bytes",
                          "Bytes queued for stream clients that their sockets have not taken yet.",
                          double(m.unsentBytes)),
            Metric::counter("pyrite_stream_frames_sent_total", "Frames sent to stream clients.",
                            double(m.framesSent)),
            Metric::counter("pyrite_stream_bytes_sent_total",
                            "Payload bytes sent to stream clients.", double(m.bytesSent)),
            Metric::counter("pyrite_stream_slow_consumer_closes_total",
                            "Clients closed because unsent data exceeded their budget.",
                            double(m.slowConsumerCloses)),
            Metric::counter("pyrite_stream_rejected_handshakes_total",
                            "Connections refused: token, origin, path or connection limits.",
                            double(m.rejectedHandshakes)),
            Metric::counter("pyrite_stream_ping_timeouts_total",
                            "Clients dropped for not answering pings.", double(m.pingTimeouts)),
            Metric::counter("pyrite_stream_bad_messages_total",
                            "Client messages answered with an error.", double(m.badMessages)),
            Metric::counter(
                    "pyrite_stream_replay_backlog_overflows_total",
                    "Replays that held too many live events and read them from the log instead.",
                    double(m.replayBacklogOverflows)),
            Metric::counter("pyrite_stream_events_dispatched_total",
                            "Live events matched against the stream subscriptions.",
                            double(m.eventsDispatched)),
            Metric::counter("pyrite_stream_dispatch_seconds_total",
                            "Time spent matching live events and queueing their frames.",
                            double(m.dispatchNanoseconds) / 1e9)};
}

void StreamServer::acceptConnections()
{
    while (QWebSocket *socket = m_server->nextPendingConnection())
        admit(socket);
}

void StreamServer::admit(QWebSocket *socket)
{
    socket->setParent(this);
    QTcpSocket *const transport = m_upgrading.take(connectionKey(socket));
    const QString address = socket->peerAddress().toString();
    const QUrl url = socket->requestUrl();
    const bool legacy = url.path() == LegacyPath;
    const auto refuse = [this, socket](int code, const QString &reason) {
        ++m_metrics.rejectedHandshakes;
        qCInfo(lcStream).noquote()
                << "refused" << socket->peerAddress().toString() << ":" << reason;
        socket->close(QWebSocketProtocol::CloseCode(code), reason);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    };
    if (!legacy && url.path() != StreamPath && url.path() != u"/")
        return refuse(
                CloseCode::UnknownPath,
                StreamsTr::tr("unknown path %1 (streams are on %2, Pyrite's legacy frames on %3)")
                        .arg(url.path(), StreamPath, LegacyPath));
    const QString token =
            AccessPolicy::tokenFrom(socket->request().rawHeader("Authorization"), QUrlQuery(url));
    if (m_access && !m_access->admitsToken(token))
        return refuse(CloseCode::Unauthorized,
                      token.isEmpty() ? StreamsTr::tr("a token is required")
                                      : StreamsTr::tr("the token is not valid"));
    if (int(m_clients.size()) >= m_settings.maxConnections)
        return refuse(
                CloseCode::TooManyConnections,
                StreamsTr::tr("the server has %1 connections, its maximum").arg(m_clients.size()));
    if (m_connectionsPerAddress.value(address) >= m_settings.maxConnectionsPerAddress)
        return refuse(CloseCode::TooManyConnections,
                      StreamsTr::tr("%1 already has %2 connections, the maximum per address")
                              .arg(address)
                              .arg(m_settings.maxConnectionsPerAddress));

    if (!transport) // only if a connection came in other than through handleConnection()
        return refuse(QWebSocketProtocol::CloseCodeBadOperation,
                      StreamsTr::tr("the server lost track of this connection"));

    // Qt has handed the handshake through the transport's buffers; from here on they carry only
    // pings and small requests (frames go to the kernel directly), so they need not stay large.
    SocketBuffers::shrink(transport);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_settings.maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(m_settings.maxMessageBytes));
    auto owned = std::make_unique<StreamClient>(socket, transport, legacy, address);
    StreamClient *client = owned.get();
    m_clients.emplace(socket, std::move(owned));
    if (legacy)
        m_legacyClients.append(client);
    ++m_connectionsPerAddress[address];
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, client](const QString &message) { receive(client, message); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, client](const QByteArray &message) {
                receive(client, QString::fromUtf8(message));
            });
    connect(socket, &QWebSocket::pong, this,
            [client](quint64, const QByteArray &payload) { client->ponged(payload); });
    connect(transport, &QIODevice::bytesWritten, this, [client] { client->drainHeld(); });
    // Removed on the next turn, not here: a disconnection can be reported from inside a write or
    // flush while a broadcast still holds this client.
    connect(socket, &QWebSocket::disconnected, this, [this, client, socket] {
        client->setClosing();
        QMetaObject::invokeMethod(
                this,
                [this, socket] {
                    const auto it = m_clients.find(socket);
                    if (it != m_clients.end())
                        removeClient(it->second.get());
                },
                Qt::QueuedConnection);
    });
    Q_EMIT clientConnected(address);
}

void StreamServer::removeClient(StreamClient *client)
{
    QWebSocket *socket = client->socket();
    const auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    for (const auto &[id, subscription] : std::as_const(client->subscriptions())) {
        m_index.remove(subscription.indexId);
    }
    if (client->isLegacy())
        m_legacyClients.removeOne(client);
    const QString address = client->address();
    if (--m_connectionsPerAddress[address] <= 0)
        m_connectionsPerAddress.remove(address);
    socket->disconnect(this);
    if (QTcpSocket *transport = client->transport())
        transport->disconnect(this);
    socket->deleteLater();
    m_clients.erase(it); // deletes the client
    Q_EMIT clientDisconnected(address);
}

void StreamServer::closeClient(StreamClient *client, int code, const QString &reason)
{
    if (client->isClosing())
        return;
    // Whatever is still queued was counted as delivered (a slow consumer's close reason names
    // the last one): it goes out before the close frame, including frames that waited for the
    // batches behind theirs (deferWrite()).
    client->sendQueued();
    client->handOverHeld();
    client->setClosing();
    qCInfo(lcStream).noquote() << "closing" << client->address() << "with" << code << ":" << reason;
    QWebSocket *socket = client->socket();
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    // A peer that does not finish the closing handshake (a slow consumer has not even read what
    // came before the close frame) is dropped after the ping timeout, and its queued frames with
    // it, rather than at the next ping round.
    QTimer::singleShot(m_settings.pingTimeoutMs, socket, [this, socket] {
        const auto it = m_clients.find(socket);
        if (it == m_clients.end())
            return;
        qCInfo(lcStream).noquote()
                << "dropping" << it->second->address() << ": it did not complete the close";
        drop(socket);
    });
}

void StreamServer::drop(QWebSocket *socket)
{
    // The socket itself is deleted later, so it is still valid here even if the client is gone.
    const auto it = m_clients.find(socket);
    if (it != m_clients.end())
        removeClient(it->second.get());
    socket->abort();
}

void StreamServer::sendError(StreamClient *client, const QString &code, const QString &message,
                             const QString &id)
{
    ++m_metrics.badMessages;
    send(client, StreamProtocol::error({code, message, id}));
    if (client->countBadMessage() > m_settings.maxBadMessages)
        closeClient(client, CloseCode::TooManyBadMessages,
                    StreamsTr::tr("more than %1 bad messages").arg(m_settings.maxBadMessages));
}

void StreamServer::receive(StreamClient *client, const QString &message)
{
    if (client->isLegacy())
        return; // Pyrite's client never sends anything that needs an answer
    // Answers are unsent data like events: a client that asks and never reads is slow.
    if (!keepsUp(client))
        return;
    StreamError error;
    const std::optional<StreamRequest> request = StreamProtocol::parse(message.toUtf8(), &error);
    if (!request)
        return sendError(client, error.code, error.message, error.id);
    switch (request->op) {
    case StreamRequest::Op::Ping:
        send(client, StreamProtocol::pong(request->id));
        return;
    case StreamRequest::Op::Unsubscribe: {
        const auto it = client->subscriptions().find(request->id);
        if (it == client->subscriptions().end())
            return sendError(client, QStringLiteral("unknown_subscription"),
                             StreamsTr::tr("no subscription \"%1\"").arg(request->id), request->id);
        m_index.remove(it->second.indexId);
        client->subscriptions().erase(it);
        send(client, StreamProtocol::unsubscribed(request->id));
        return;
    }
    case StreamRequest::Op::Subscribe:
        subscribe(client, *request);
        return;
    }
}

void StreamServer::subscribe(StreamClient *client, const StreamRequest &request)
{
    if (client->subscriptions().count(request.id))
        return sendError(client, QStringLiteral("duplicate_id"),
                         StreamsTr::tr("subscription \"%1\" exists already").arg(request.id),
                         request.id);
    if (qsizetype(client->subscriptions().size()) >= m_settings.maxSubscriptionsPerConnection) {
        return sendError(client, QStringLiteral("too_many_subscriptions"),
                         StreamsTr::tr("at most %1 subscriptions per connection")
                                 .arg(m_settings.maxSubscriptionsPerConnection),
                         request.id);
    }
    StreamClient::Subscription subscription;
    subscription.id = request.id;
    subscription.indexId = m_nextIndexId++;

    // Resume only from a position of this log that retention has not removed.
    const QString epoch = m_log ? m_log->epoch() : QString();
    const qint64 position = m_log ? m_log->lastSequence() : 0;
    const qint64 logStart = m_log ? m_log->oldestSequence() : 0;
    bool recovered = false;
    if (request.since >= 0 && m_log && (request.epoch.isEmpty() || request.epoch == epoch) &&
        request.since + 1 >= logStart) {
        recovered = true;
        subscription.replaying = request.since < position;
        subscription.replayedUpTo = request.since;
    }
    subscription.client = client;
    const bool replaying = subscription.replaying;
    const quint64 indexId = subscription.indexId;
    auto &stored =
            client->subscriptions().emplace(request.id, std::move(subscription)).first->second;
    m_index.insert(indexId, request.filter, &stored);
    send(client, StreamProtocol::subscribed(request.id, recovered, epoch, logStart, position));
    if (replaying)
        replay(client, request.id, request.since);
}

void StreamServer::replay(StreamClient *client, QString subscriptionId, qint64 after)
{
    const auto found = client->subscriptions().find(subscriptionId);
    if (found == client->subscriptions().end())
        return;
    LogQuery query;
    query.afterSequence = after;
    query.limit = ReplayPage;
    // The filter lives in the index; replay reads pages and filters with the same filter.
    QWebSocket *socket = client->socket();
    const quint64 indexId = found->second.indexId;
    m_log->readAsync(
            query, this,
            [this, socket, subscriptionId, indexId](const QList<LoggedEvent> &events, qint64,
                                                    const QString &error) {
                const auto clientIt = m_clients.find(socket);
                if (clientIt == m_clients.end())
                    return; // gone meanwhile
                StreamClient *client = clientIt->second.get();
                const auto found = client->subscriptions().find(subscriptionId);
                if (found == client->subscriptions().end() || found->second.indexId != indexId)
                    return; // unsubscribed meanwhile
                StreamClient::Subscription *const it = &found->second;
                // A page's frames leave together, however this callback ends.
                const auto sendPage = qScopeGuard([client] { client->sendQueued(); });
                const auto queueEvent = [this](StreamClient *client, const QString &id,
                                               const QByteArray &json, qint64 sequence) {
                    return queueMessage(client, StreamProtocol::eventFrame(id, json), sequence);
                };
                if (!error.isEmpty()) {
                    sendError(client, QStringLiteral("replay_failed"), error, subscriptionId);
                    return;
                }
                if (!keepsUp(client))
                    return;
                for (const LoggedEvent &logged : events) {
                    Event probe;
                    probe.setType(logged.type);
                    probe.setKb(logged.kb);
                    probe.setEntryType(logged.entryType);
                    probe.setEntryId(logged.entryId);
                    if (m_index.matches(indexId, probe) &&
                        !queueEvent(client, subscriptionId, logged.json, logged.sequence))
                        return;
                    it->replayedUpTo = logged.sequence;
                }
                if (events.size() == ReplayPage)
                    return replay(client, subscriptionId, it->replayedUpTo);
                // Too much arrived meanwhile to hold: read it from the log, holding anew.
                if (it->pendingOverflowed) {
                    it->pendingOverflowed = false;
                    return replay(client, subscriptionId, it->replayedUpTo);
                }
                // Caught up: what arrived live meanwhile and is newer than the replay follows, then
                // live.
                const QList<QPair<qint64, QByteArray>> pending = std::exchange(it->pending, {});
                it->replaying = false;
                for (const auto &[sequence, json] : pending) {
                    if (sequence > it->replayedUpTo &&
                        !queueEvent(client, subscriptionId, json, sequence))
                        return;
                }
            });
}

bool StreamServer::keepsUp(StreamClient *client)
{
    if (client->isClosing())
        return false;
    // Checked when a batch starts, not per frame: the log hands over up to a batch of events in
    // one turn of the event loop, and a client is slow only if it has not drained the last one
    // by then. Memory per client stays below the budget plus one batch.
    if (!client->mayHaveBacklog())
        return true;
    const qint64 unsent = client->unsentBytes();
    if (unsent == 0)
        client->setMayHaveBacklog(false);
    if (unsent <= m_settings.maxPendingBytes)
        return true;
    // Over budget may only mean that batches came back to back and the socket has not had a turn
    // to write yet: hand the kernel what it takes now (non-blocking), then judge.
    client->flushUnsent();
    if (client->unsentBytes() <= m_settings.maxPendingBytes)
        return true;
    ++m_metrics.slowConsumerCloses;
    closeClient(client, CloseCode::SlowConsumer,
                // Not translated: clients read the position out of it.
                QStringLiteral("slow consumer; last delivered sequence %1")
                        .arg(client->lastDeliveredSequence()));
    return false;
}

bool StreamServer::send(StreamClient *client, const QByteArray &message)
{
    if (!queueMessage(client, message, -1))
        return false;
    client->sendQueued();
    return true;
}

bool StreamServer::queueMessage(StreamClient *client, const QByteArray &message, qint64 sequence)
{
    return queueFrame(client, WebSocketFrame::text(message), message.size(), sequence);
}

bool StreamServer::queueFrame(StreamClient *client, const QByteArray &frame, qsizetype payloadBytes,
                              qint64 sequence)
{
    if (!client->queue(frame))
        return false;
    ++m_metrics.framesSent;
    m_metrics.bytesSent += quint64(payloadBytes);
    if (sequence > 0)
        client->setLastDeliveredSequence(sequence);
    return true;
}

// One function on purpose, though long: it is the fan-out's hot loop (bench_streams), and its
// steps share the batch's state (which clients were judged and written to, the frames built once
// per subscription id); split up, they would pass all of it around for every event and client.
void StreamServer::broadcast(const QList<Event> &events)
{
    // In slices of about one gathering write per client: the clients with a full write leave
    // before the next slice is built, so a large batch (the log catching up after a pause) never
    // holds all of its frames at once. Those would be megabytes taken from the heap in one go, and
    // the heap would keep them after the long-lived allocations made meanwhile landed above them. A
    // client that gets few of the events still has all of its frames of the batch in one write.
    for (qsizetype next = 0; next < events.size();)
        next = broadcastSlice(events, next);
    m_metrics.eventsDispatched += quint64(events.size());
}

qsizetype StreamServer::broadcastSlice(const QList<Event> &events, qsizetype from)
{
    // The fan-out's cost (matching, frames, queues), without the writes at the end.
    QElapsedTimer timer;
    timer.start();
    // Each client is judged once per slice, before its first frame of the slice: clients this
    // slice has nothing for cost nothing, however many are connected.
    const quint64 batch = ++m_batchSerial;
    // The clients this slice queues frames for: written when it ends, or deferred (below).
    QVarLengthArray<StreamClient *, 256> written;
    const auto judged = [this, batch, &written](StreamClient *client) {
        if (client->judgedInBatch() == batch)
            return !client->isClosing();
        client->setJudgedInBatch(batch);
        if (!keepsUp(client))
            return false;
        written.append(client);
        return true;
    };
    SubscriptionIndex::MatchList matches;
    // An event's frame differs only by subscription id, and clients often share ids ("main"):
    // built once per id.
    struct Frame
    {
        QByteArray frame;
        qsizetype bytes = 0;
    };
    QHash<QString, Frame> frames;
    qsizetype queued = 0; // frames queued in this slice, over all clients
    qsizetype next = from;
    while (next < events.size() &&
           (queued == 0 || queued < StreamClient::MaxPiecesPerWrite * written.size())) {
        const Event &event = events.at(next++);
        frames.clear();
        // Serialized once per format, whatever the number of clients.
        const QByteArray json = event.toJson();
        const QByteArray legacy = m_legacyClients.isEmpty()
                ? QByteArray()
                : StreamProtocol::legacyFrame(event.type(), event.entryId(), event.kb());
        if (!legacy.isEmpty()) {
            const QByteArray frame = WebSocketFrame::text(legacy);
            for (StreamClient *client : std::as_const(m_legacyClients)) {
                if (judged(client) && queueFrame(client, frame, legacy.size(), event.sequence()))
                    ++queued;
            }
        }
        m_index.match(event, &matches);
        for (const SubscriptionIndex::Match &match : matches) {
            auto *subscription = static_cast<StreamClient::Subscription *>(match.userData);
            StreamClient *client = subscription->client;
            if (subscription->replaying) {
                if (subscription->pendingOverflowed)
                    continue;
                if (subscription->pending.size() >= m_settings.maxReplayBacklog) {
                    subscription->pending = {}; // frees the memory, unlike clear()
                    subscription->pendingOverflowed = true;
                    ++m_metrics.replayBacklogOverflows;
                    continue;
                }
                subscription->pending.append({event.sequence(), json});
                continue;
            }
            if (!judged(client))
                continue;
            auto frame = frames.find(subscription->id);
            if (frame == frames.end()) {
                const QByteArray utf8 = StreamProtocol::eventFrame(subscription->id, json);
                frame = frames.insert(subscription->id, {WebSocketFrame::text(utf8), utf8.size()});
            }
            if (queueFrame(client, frame->frame, frame->bytes, event.sequence()))
                ++queued;
        }
    }
    m_metrics.dispatchNanoseconds += quint64(timer.nsecsElapsed());
    // Written without waiting for the socket's write notification: the frames leave the heap
    // soon and the loop does not have to watch a thousand sockets for writability (under load,
    // one more batch would pile up for every client while waiting for that turn). A client with
    // a full gathering write queued is written now; the others once the batches that are
    // already posted to this thread were broadcast too (deferWrite()), which under load joins
    // several batches into one write per client, and costs no wait when the loop is idle.
    // Non-blocking; what the kernel does not take waits for the socket to drain
    // (StreamClient::sendQueued()). A peer found gone here is removed on the next turn.
    // (Holding batches for a few milliseconds to write several at once was tried twice, and
    // measured no better in the soak: docs/performance.md.)
    // Without the log, events come one at a time from publish(), not as posted batches: there
    // is nothing to join them with, and a long task publishing many would hold them back.
    for (StreamClient *client : std::as_const(written)) {
        if (!m_log || client->queuedCount() >= StreamClient::MaxPiecesPerWrite)
            client->sendQueued();
        else
            deferWrite(client);
    }
    return next;
}

void StreamServer::deferWrite(StreamClient *client)
{
    if (!client->isWriteDeferred()) {
        client->setWriteDeferred(true);
        // The first one schedules the write (the list is empty again once it ran): queued,
        // behind the batches the log has posted to this thread by now.
        if (m_deferredWrites.isEmpty())
            QMetaObject::invokeMethod(this, &StreamServer::writeDeferred, Qt::QueuedConnection);
        m_deferredWrites.append(client->socket());
    }
}

void StreamServer::writeDeferred()
{
    const QList<QWebSocket *> sockets = std::exchange(m_deferredWrites, {});
    for (QWebSocket *socket : sockets) {
        const auto it = m_clients.find(socket);
        if (it == m_clients.end())
            continue; // removed meanwhile, and its queue with it
        it->second->setWriteDeferred(false);
        it->second->sendQueued();
    }
}

void StreamServer::checkPings()
{
    // A new payload each round, that a client learns only by reading the ping.
    const quint64 nonce = QRandomGenerator::global()->generate64();
    const QByteArray payload(reinterpret_cast<const char *>(&nonce), sizeof nonce);
    QList<QWebSocket *> silent;
    for (auto &entry : m_clients) {
        StreamClient *client = entry.second.get();
        if (client->sinceLastPong().elapsed() >
            m_settings.pingIntervalMs + m_settings.pingTimeoutMs)
            silent.append(client->socket());
        else {
            client->pinged(payload);
            client->socket()->ping(payload);
        }
    }
    for (QWebSocket *socket : std::as_const(silent)) {
        const auto it = m_clients.find(socket);
        if (it == m_clients.end())
            continue;
        ++m_metrics.pingTimeouts;
        closeClient(it->second.get(), CloseCode::PingTimeout, StreamsTr::tr("no answer to pings"));
        drop(socket); // a silent peer will not finish the closing handshake either
    }
}

} // namespace Pyrite::Internal
