#pragma once

// The plugin's rooms wired with the same calls EventBusPlugin makes (EventLog::addParticipant and
// record(), EventFeed, the listen address handing WebSocket upgrades to the stream server), for
// the tests and benchmarks that drive rooms directly. Shared by several tests: one place to follow
// the plugin when its wiring changes.

#include "accesspolicy.h"
#include "bus/eventbus.h"
#include "eventlog/eventfeed.h"
#include "eventlog/eventlog.h"
#include "eventlog/logparticipant.h"
#include "http/httpsettings.h"
#include "http/webserver.h"
#include "streams/streamserver.h"
#include "streams/streamsettings.h"

#include <QUrl>

#include <memory>

namespace Pyrite::Internal {

class RoomWiring
{
public:
    // An SQLite log at logPath (batches of at most 1 ms, as tests want them quick), or settings.
    explicit RoomWiring(const QString &logPath)
    {
        m_logSettings.path = logPath;
        m_logSettings.batchMaxDelayMs = 1;
    }
    explicit RoomWiring(const EventLogSettings &settings)
        : m_logSettings(settings)
    { }
    ~RoomWiring() { close(); }

    // Opens the log with these participants and has it record the bus.
    bool openLog(const QList<std::shared_ptr<LogParticipant>> &participants = {},
                 QString *errorString = nullptr)
    {
        log = std::make_unique<EventLog>(m_logSettings);
        for (const std::shared_ptr<LogParticipant> &participant : participants)
            log->addParticipant(participant);
        if (!log->open(false, errorString))
            return false;
        log->record(&bus);
        return true;
    }

    // Listens on 127.0.0.1 (port 0 unless http says otherwise) with a stream server behind it.
    bool listen(const StreamSettings &streams = {}, HttpSettings http = {},
                QString *errorString = nullptr)
    {
        if (http.port == 8765)
            http.port = 0;
        feed = std::make_unique<EventFeed>(&bus, log.get());
        access.setTokens(http.tokens);
        access.setAllowedOrigins(http.allowedOrigins);
        access.setAllowedHosts(http.allowedHosts);
        web = std::make_unique<WebServer>();
        web->setAccessPolicy(&access);
        web->setMaxConnections(http.maxHttpConnections, http.maxHttpConnectionsPerAddress);
        web->setMaxUnreadConnections(streams.maxConnections + http.maxHttpConnections,
                                     streams.maxConnectionsPerAddress +
                                             http.maxHttpConnectionsPerAddress);
        if (!web->listen(http.address, http.port, errorString))
            return false;
        access.setListenAddress(web->address(), web->port());
        stream = std::make_unique<StreamServer>(feed.get(), log.get());
        stream->setAccessPolicy(&access);
        stream->start(streams);
        QObject::connect(web.get(), &WebServer::webSocketRequest, stream.get(),
                         &StreamServer::handleConnection);
        return true;
    }

    quint16 port() const { return web ? web->port() : 0; }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port()).arg(path));
    }

    void close()
    {
        stream.reset();
        web.reset();
        feed.reset();
        log.reset();
    }

    EventBus bus;
    std::unique_ptr<EventLog> log;
    std::unique_ptr<EventFeed> feed;
    AccessPolicy access;
    std::unique_ptr<WebServer> web;
    std::unique_ptr<StreamServer> stream;

private:
    EventLogSettings m_logSettings;
};

} // namespace Pyrite::Internal
