#pragma once

#include "httpreply.h"

#include "interface/pyriteplugin.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QStringList>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <memory>

namespace Pyrite::Internal {

class AccessPolicy;
class HttpListener;

// The plugin's one listen address: HTTP requests go to the routes registered here, WebSocket
// upgrades out on webSocketRequest() (the plugin hands them to the stream server). Qt HTTP Server
// parses the requests; this class adds the listen backlog, the token and origin checks and JSON
// errors.
class WebServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY(WebServer)

public:
    using Handler = std::function<void(const QHttpServerRequest &request, const HttpReply &reply)>;
    enum class Access { Token, Public };

    explicit WebServer(QObject *parent = nullptr);
    ~WebServer() override;

    // *addressInUse tells a port that another process holds from other failures.
    bool listen(const QHostAddress &address, quint16 port, QString *errorString,
                bool *addressInUse = nullptr);
    void close();
    // HTTP connections at once and per address (before listen()); HttpListener says what
    // happens past them.
    void setMaxConnections(int maximum, int perAddress)
    {
        m_maxConnections = maximum;
        m_maxConnectionsPerAddress = perAddress;
    }
    // Connections not read yet at once and per address (before listen()); see HttpListener.
    void setMaxUnreadConnections(int maximum, int perAddress)
    {
        m_maxUnread = maximum;
        m_maxUnreadPerAddress = perAddress;
    }
    int connectionCount() const;
    quint16 port() const;
    QHostAddress address() const;

    // Tokens and origins; the plugin shares one policy with the stream server.
    void setAccessPolicy(const AccessPolicy *policy) { m_access = policy; }
    // A token the request carries, whether valid or not; empty when it has none.
    static QString tokenOf(const QHttpServerRequest &request);

    // path is exact ("/api/graph") or a prefix ending in "/*" ("/assets/*").
    void route(QHttpServerRequest::Method method, const QString &path, Handler handler,
               Access access = Access::Token);

    quint64 requestsServed() const { return m_requests; }
    quint64 requestsRefused() const { return m_refused; }
    // Requests, refusals and open connections, for /metrics.
    QList<MetricsService::Metric> serviceMetrics() const;

Q_SIGNALS:
    // A WebSocket handshake waits unread in socket; the receiver owns it.
    void webSocketRequest(QTcpSocket *socket);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    // False after answering 421 (another Host) or 403 (a foreign Origin).
    bool admitsHostAndOrigin(const QHttpServerRequest &request, const HttpReply &reply);

    struct Route
    {
        QHttpServerRequest::Method method;
        QString path;
        bool prefix = false;
        Handler handler;
        Access access;
    };

    HttpListener *m_listener = nullptr;
    int m_maxConnections = 512;
    int m_maxConnectionsPerAddress = 128;
    int m_maxUnread = 512;
    int m_maxUnreadPerAddress = 512;
    const AccessPolicy *m_access = nullptr;
    std::vector<Route> m_routes;
    quint64 m_requests = 0;
    quint64 m_refused = 0;
};

} // namespace Pyrite::Internal
