#pragma once

#include "interface/pyriteplugin.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

class QHttpServerRequest;

namespace Pyrite::Internal {

class GraphModel;
class HttpReply;
class WebServer;

// The HTTP side of the plugin (docs/http.md): the live graph page, /api/graph, /api/events,
// /healthz, /metrics and the webhook operations. Calls that wait on the event log run on a small
// pool of their own, never on the event loop.
class HttpApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(HttpApi)

public:
    struct Services
    {
        GraphModel *graph = nullptr;
        EventLogService *log = nullptr; // null: the log is off
        MetricsService *metrics = nullptr;
        WebhookService *webhooks = nullptr; // null: no event log, so no webhooks
    };

    HttpApi(WebServer *server, const Services &services, QObject *parent = nullptr);
    ~HttpApi() override; // waits for the log reads in flight

    // Prometheus text exposition format of these metrics.
    static QByteArray prometheusText(const QList<MetricsService::Metric> &metrics);

private:
    template<typename Value> struct Outcome
    {
        bool ok = false;
        Value value{};
        QString error;
    };

    // One function per group of routes (docs/http.md).
    void addRoutes();
    void addPageRoutes();
    void addStatusRoutes();
    void addGraphRoutes();
    void addEventRoutes();
    void addWebhookRoutes();
    void serveWebhookEndpoints(const QHttpServerRequest &request, const HttpReply &reply);
    void serveDeliveries(const QHttpServerRequest &request, const HttpReply &reply);
    void serveRedeliver(const QHttpServerRequest &request, const HttpReply &reply);
    void serveWebhookTest(const QHttpServerRequest &request, const HttpReply &reply);
    // Endpoints made at run time: POST .../endpoints, PATCH and DELETE .../endpoints/<id>, POST
    // .../endpoints/<id>/rotate-secret.
    enum class EndpointChange { Create, Update, Delete, Rotate };
    void addWebhookEndpointRoutes();
    void serveEndpointChange(const QHttpServerRequest &request, const HttpReply &reply,
                             EndpointChange change, const QString &id);
    // Runs work on the pool (it may wait for the event log's thread, or for PostgreSQL), then done
    // with its result on this object's thread. Nothing is done once this object is gone.
    template<typename Work, typename Done> void offload(Work work, Done done)
    {
        QPointer<HttpApi> self(this);
        m_pool.start([self, work, done] {
            const auto result = work();
            QMetaObject::invokeMethod(self, [done, result] { done(result); });
        });
    }

    WebServer *m_server;
    Services m_services;
    QThreadPool m_pool;
};

} // namespace Pyrite::Internal
