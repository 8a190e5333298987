#include "webserver.h"

#include "httptr.h"

#include "hostoriginrefusal.h"
#include "httplistener.h"

#include "accesspolicy.h"
#include "logging.h"

#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QUrlQuery>

namespace Pyrite::Internal {

namespace {
constexpr int ListenBacklog = 4096; // the kernel caps it at net.core.somaxconn

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("HEAD");
    default:
        return QStringLiteral("?");
    }
}
} // namespace

WebServer::WebServer(QObject *parent)
    : QAbstractHttpServer(parent)
{ }

WebServer::~WebServer() = default;

bool WebServer::listen(const QHostAddress &address, quint16 port, QString *errorString,
                       bool *addressInUse)
{
    // Our own listening socket: it tells WebSocket upgrades from HTTP requests, and has a listen
    // backlog that takes a reconnection storm (with Qt's default of 50 the kernel drops SYNs, and
    // clients wait a second per retry).
    auto listener = std::make_unique<HttpListener>();
    listener->setListenBacklogSize(ListenBacklog);
    listener->setMaxConnections(m_maxConnections, m_maxConnectionsPerAddress);
    listener->setMaxUnreadConnections(m_maxUnread, m_maxUnreadPerAddress);
    listener->setAccessPolicy(m_access);
    if (!listener->listen(address, port)) {
        if (addressInUse)
            *addressInUse = listener->serverError() == QAbstractSocket::AddressInUseError;
        if (errorString)
            *errorString = HttpTr::tr("cannot listen on %1:%2: %3")
                                   .arg(address.toString())
                                   .arg(port)
                                   .arg(listener->errorString());
        return false;
    }
    m_listener = listener.release();
    connect(m_listener, &HttpListener::webSocketRequest, this, &WebServer::webSocketRequest);
    bind(m_listener); // takes it as a child
    return true;
}

void WebServer::close()
{
    if (m_listener)
        m_listener->close();
}

int WebServer::connectionCount() const
{
    return m_listener ? m_listener->connectionCount() : 0;
}

quint16 WebServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QHostAddress WebServer::address() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

QString WebServer::tokenOf(const QHttpServerRequest &request)
{
    return AccessPolicy::tokenFrom(request.value(QByteArrayLiteral("authorization")),
                                   request.query());
}

QList<MetricsService::Metric> WebServer::serviceMetrics() const
{
    using Metric = MetricsService::Metric;
    return {Metric::counter("pyrite_http_requests_total", "HTTP requests answered.",
                            double(m_requests)),
            Metric::counter("pyrite_http_requests_refused_total",
                            "HTTP requests and connections refused (unknown path, wrong method, "
                            "no token, Host, Origin, limits).",
                            double(m_refused + (m_listener ? m_listener->refusedCount() : 0))),
            Metric::counter("pyrite_http_connections_evicted_total",
                            "Idle or stalled HTTP connections closed to make room for another.",
                            double(m_listener ? m_listener->evictedCount() : 0)),
            Metric::counter("pyrite_http_connections_timed_out_total",
                            "HTTP connections closed because a request or its answer did not move "
                            "on in time.",
                            double(m_listener ? m_listener->timedOutCount() : 0)),
            Metric::gauge("pyrite_http_connections",
                          "Open HTTP connections (WebSocket ones are pyrite_stream_connections).",
                          connectionCount())};
}

void WebServer::route(QHttpServerRequest::Method method, const QString &path, Handler handler,
                      Access access)
{
    Route route{method, path, false, std::move(handler), access};
    if (path.endsWith(QLatin1String("/*"))) {
        route.prefix = true;
        route.path.chop(1);
    }
    m_routes.push_back(std::move(route));
}

bool WebServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const Route *match = nullptr;
    bool pathKnown = false;
    for (const Route &route : m_routes) {
        const bool samePath = route.prefix
                ? path.startsWith(route.path) && path.size() > route.path.size()
                : path == route.path;
        if (!samePath)
            continue;
        pathKnown = true;
        if (route.method == request.method()) {
            match = &route;
            break;
        }
    }
    ++m_requests;
    if (m_listener)
        m_listener->requestReceived(socket);
    const HttpReply reply(makeResponder(request, socket), socket);
    if (!match) {
        ++m_refused;
        if (pathKnown) {
            reply.sendError(
                    405, HttpTr::tr("%1 does not take %2").arg(path, methodName(request.method())));
        } else {
            reply.sendError(404, HttpTr::tr("no such path: %1").arg(path));
        }
        return true;
    }
    if (!admitsHostAndOrigin(request, reply))
        return true;
    if (match->access == Access::Token && m_access && !m_access->admitsToken(tokenOf(request))) {
        ++m_refused;
        qCInfo(lcHttp).noquote() << "refused HTTP" << path << "from"
                                 << request.remoteAddress().toString() << ": no valid token";
        reply.sendError(
                401,
                tokenOf(request).isEmpty()
                        ? HttpTr::tr("a token is required (Authorization: Bearer, or ?token=)")
                        : HttpTr::tr("the token is not valid"));
        return true;
    }
    match->handler(request, reply);
    return true;
}

bool WebServer::admitsHostAndOrigin(const QHttpServerRequest &request, const HttpReply &reply)
{
    if (!m_access)
        return true;
    const std::optional<HostOriginRefusal> refusal =
            HostOriginRefusal::of(*m_access, request.value(QByteArrayLiteral("host")),
                                  request.value(QByteArrayLiteral("origin")));
    if (!refusal)
        return true;
    ++m_refused;
    qCInfo(lcHttp).noquote() << "refused HTTP" << request.url().path() << refusal->subject;
    reply.sendError(refusal->status, refusal->message);
    return false;
}

void WebServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    HttpReply(makeResponder(request, socket), socket)
            .sendError(404, HttpTr::tr("no such path: %1").arg(request.url().path()));
}

} // namespace Pyrite::Internal
