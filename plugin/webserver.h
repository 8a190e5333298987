#pragma once

#include "httpreply.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QStringList>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <memory>

namespace Pyrite::Internal {

class HttpListener;

// The plugin's one listen address: HTTP requests go to the routes registered here, WebSocket
// upgrades out on webSocketRequest() (to the stream server). Qt HTTP Server parses the requests;
// this class adds the listen backlog, the token check and JSON errors.
class WebServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY(WebServer)

public:
    using Handler = std::function<void(const QHttpServerRequest &request, const HttpReply &reply)>;
    enum class Access { Token, Public };

    explicit WebServer(QObject *parent = nullptr);
    ~WebServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *errorString);
    void close();
    // HTTP connections at once (before listen()); more are answered 503 (HttpListener).
    void setMaxConnections(int maximum) { m_maxConnections = maximum; }
    // Connections not read yet at once (before listen()); see HttpListener.
    void setMaxUnreadConnections(int maximum) { m_maxUnread = maximum; }
    int connectionCount() const;
    quint16 port() const;
    QHostAddress address() const;

    // Empty: no authentication. Otherwise every route but the Public ones wants one of them, as a
    // Bearer header or a "token" query parameter.
    void setTokens(const QStringList &tokens) { m_tokens = tokens; }
    // A request that carries an Origin (a browser's fetch, form or script from some page) is served
    // only from the page's own origin or one of these; others get 403, so that a page elsewhere
    // cannot make the API act (redeliver, send a test) on a host it can reach.
    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }
    // A token the request carries, whether valid or not; empty when it has none.
    static QString tokenOf(const QHttpServerRequest &request);
    // The same for any request head (the stream server's handshakes): a Bearer Authorization
    // header, else a "token" query parameter.
    static QString tokenFrom(const QByteArray &authorization, const QUrlQuery &query);
    bool isAuthorized(const QHttpServerRequest &request) const;
    // Whether token is one of tokens, in time that does not depend on where they differ (the
    // stream server checks its handshakes with it too).
    static bool isKnownToken(const QStringList &tokens, const QString &token);

    // path is exact ("/api/graph") or a prefix ending in "/*" ("/assets/*").
    void route(QHttpServerRequest::Method method, const QString &path, Handler handler,
               Access access = Access::Token);

    quint64 requestsServed() const { return m_requests; }
    quint64 requestsRefused() const { return m_refused; }

Q_SIGNALS:
    // A WebSocket handshake waits unread in socket; the receiver owns it.
    void webSocketRequest(QTcpSocket *socket);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
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
    int m_maxUnread = 512;
    QStringList m_tokens;
    QStringList m_allowedOrigins;
    std::vector<Route> m_routes;
    quint64 m_requests = 0;
    quint64 m_refused = 0;
};

} // namespace Pyrite::Internal
