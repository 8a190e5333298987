#include "httpapi.h"

#include "httptr.h"

#include "bus/eventfilter.h"
#include "configreader.h"
#include "graphmodel.h"
#include "webserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUrlQuery>

#include <cmath>

namespace Pyrite::Internal {

namespace {

using Method = QHttpServerRequest::Method;

constexpr int MaxEventsPerPage = 1000;
constexpr int MaxDeliveriesPerPage = 1000;
constexpr qint64 DefaultGraceMs = 24LL * 3600000; // Svix's and Stripe's default

QByteArray mimeTypeOf(const QString &path)
{
    if (path.endsWith(QLatin1String(".js")))
        return QByteArrayLiteral("text/javascript; charset=utf-8");
    if (path.endsWith(QLatin1String(".css")))
        return QByteArrayLiteral("text/css; charset=utf-8");
    if (path.endsWith(QLatin1String(".html")))
        return QByteArrayLiteral("text/html; charset=utf-8");
    if (path.endsWith(QLatin1String(".svg")))
        return QByteArrayLiteral("image/svg+xml");
    return QByteArrayLiteral("application/octet-stream");
}

// Query parameters, read with a clear message for every bad one.
class Parameters
{
public:
    explicit Parameters(const QHttpServerRequest &request)
        : m_query(request.query())
    { }

    // Names not in known are refused: a typo must not widen a query silently.
    bool checkKnown(const QStringList &known, QString *error) const
    {
        for (const auto &item : m_query.queryItems(QUrl::FullyDecoded)) {
            if (item.first != u"token" && !known.contains(item.first)) {
                *error = HttpTr::tr("unknown parameter \"%1\" (known: %2)")
                                 .arg(item.first, known.join(QStringLiteral(", ")));
                return false;
            }
        }
        return true;
    }
    QString text(const QString &name) const
    {
        return m_query.queryItemValue(name, QUrl::FullyDecoded);
    }
    QStringList all(const QString &name) const
    {
        return m_query.allQueryItemValues(name, QUrl::FullyDecoded);
    }
    bool has(const QString &name) const { return m_query.hasQueryItem(name); }
    bool number(const QString &name, qint64 min, qint64 max, qint64 *value, QString *error) const
    {
        if (!has(name))
            return true;
        bool ok = false;
        const qint64 parsed = text(name).toLongLong(&ok);
        if (!ok || parsed < min || parsed > max) {
            *error = HttpTr::tr("parameter \"%1\" must be a number from %2 to %3, not \"%4\"")
                             .arg(name)
                             .arg(min)
                             .arg(max)
                             .arg(text(name));
            return false;
        }
        *value = parsed;
        return true;
    }
    bool time(const QString &name, qint64 *msecs, QString *error) const
    {
        if (!has(name))
            return true;
        const QDateTime time = QDateTime::fromString(text(name), Qt::ISODateWithMs);
        if (!time.isValid()) {
            *error = HttpTr::tr("parameter \"%1\" must be an RFC 3339 time such as "
                                "2026-11-24T10:00:00Z, not \"%2\"")
                             .arg(name, text(name));
            return false;
        }
        *msecs = time.toMSecsSinceEpoch();
        return true;
    }

private:
    QUrlQuery m_query;
};

// A write request's JSON object. Only application/json is taken: a browser sends that to another
// origin only after a preflight this server never answers, so a page elsewhere cannot forge it.
bool jsonBody(const QHttpServerRequest &request, bool required, QJsonObject *object, int *status,
              QString *error)
{
    const QByteArray type = request.value(QByteArrayLiteral("content-type")).toLower();
    if (request.body().isEmpty() && !required)
        return true;
    if (!type.startsWith("application/json")) {
        *status = 415;
        *error = HttpTr::tr("the request body must be JSON (Content-Type: application/json)");
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *status = 400;
        *error = parseError.error != QJsonParseError::NoError
                ? HttpTr::tr("the request body is not valid JSON: %1 at byte %2")
                          .arg(parseError.errorString())
                          .arg(parseError.offset)
                : HttpTr::tr("the request body must be a JSON object");
        return false;
    }
    *object = document.object();
    return true;
}

int statusOf(WebhookService::Failure failure)
{
    switch (failure) {
    case WebhookService::Failure::None:
        return 200;
    case WebhookService::Failure::Invalid:
        return 400;
    case WebhookService::Failure::NotFound:
        return 404;
    case WebhookService::Failure::Conflict:
        return 409;
    case WebhookService::Failure::Unavailable:
        break;
    }
    return 503;
}

QString prometheusEscape(QString text)
{
    return text.replace(u'\\', QLatin1String("\\\\")).replace(u'\n', QLatin1String("\\n"));
}

} // namespace

HttpApi::HttpApi(WebServer *server, const Services &services, QObject *parent)
    : QObject(parent),
      m_server(server),
      m_services(services)
{
    m_pool.setMaxThreadCount(2);
    addRoutes();
}

HttpApi::~HttpApi()
{
    m_pool.waitForDone();
}

QByteArray HttpApi::prometheusText(const QList<MetricsService::Metric> &metrics)
{
    QByteArray text;
    for (const MetricsService::Metric &metric : metrics) {
        const QByteArray name = metric.name.toUtf8();
        text += "# HELP " + name + ' ' + prometheusEscape(metric.help).toUtf8() + '\n';
        text += "# TYPE " + name +
                (metric.kind == MetricsService::Metric::Kind::Counter ? " counter\n" : " gauge\n");
        text += name + ' ';
        if (std::isfinite(metric.value) && metric.value == std::floor(metric.value) &&
            std::abs(metric.value) < 1e15)
            text += QByteArray::number(qint64(metric.value));
        else
            text += QByteArray::number(metric.value, 'g', 17);
        text += '\n';
    }
    return text;
}

void HttpApi::addRoutes()
{
    addPageRoutes();
    addStatusRoutes();
    addGraphRoutes();
    addEventRoutes();
    addWebhookRoutes();
}

void HttpApi::addPageRoutes()
{
    WebServer *server = m_server;
    // name is relative to the page's folder in the plugin's resources.
    const auto serveResource = [](const QString &name, const HttpReply &reply) {
        QFile file(QStringLiteral(":/pyrite/web/") + name);
        if (!file.open(QIODevice::ReadOnly))
            return reply.sendError(404, HttpTr::tr("no such file: %1").arg(name));
        reply.send(200, file.readAll(), mimeTypeOf(name));
    };
    server->route(Method::Get, QStringLiteral("/"),
                  [serveResource](const QHttpServerRequest &, const HttpReply &reply) {
                      serveResource(QStringLiteral("index.html"), reply);
                  });
    server->route(Method::Get, QStringLiteral("/webhooks"),
                  [serveResource](const QHttpServerRequest &, const HttpReply &reply) {
                      serveResource(QStringLiteral("webhooks.html"), reply);
                  });
    server->route(Method::Get, QStringLiteral("/assets/*"),
                  [serveResource](const QHttpServerRequest &request, const HttpReply &reply) {
                      const QString name = request.url().path().mid(8);
                      if (name.contains(QLatin1String("..")))
                          return reply.sendError(404, HttpTr::tr("no such file: %1").arg(name));
                      serveResource(QStringLiteral("assets/") + name, reply);
                  });
}

void HttpApi::addStatusRoutes()
{
    m_server->route(
            Method::Get, QStringLiteral("/healthz"),
            [this](const QHttpServerRequest &, const HttpReply &reply) {
                const bool graphLoaded = !m_services.graph || m_services.graph->isLoaded();
                reply.sendJson(QJsonDocument(
                        QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                    {QStringLiteral("graph_loaded"), graphLoaded},
                                    {QStringLiteral("event_log"), m_services.log != nullptr},
                                    {QStringLiteral("webhooks"), m_services.webhooks != nullptr}}));
            },
            WebServer::Access::Public);
    // Every room's figures, the HTTP side's included (the plugin's MetricsService gathers them).
    m_server->route(Method::Get, QStringLiteral("/metrics"),
                    [this](const QHttpServerRequest &, const HttpReply &reply) {
                        reply.send(200,
                                   prometheusText(m_services.metrics ? m_services.metrics->metrics()
                                                                     : m_server->serviceMetrics()),
                                   QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
                    });
}

void HttpApi::addGraphRoutes()
{
    m_server->route(Method::Get, QStringLiteral("/api/graph"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        const Parameters parameters(request);
                        QString error;
                        if (!parameters.checkKnown(
                                    {QStringLiteral("kb"), QStringLiteral("entry_type")}, &error))
                            return reply.sendError(400, error);
                        reply.sendJson(QJsonDocument(m_services.graph->toJson(
                                parameters.text(QStringLiteral("kb")),
                                parameters.text(QStringLiteral("entry_type")))));
                    });
    // The page asks for these every few seconds: a file that turns bad makes no event.
    m_server->route(
            Method::Get, QStringLiteral("/api/problems"),
            [this](const QHttpServerRequest &request, const HttpReply &reply) {
                QString error;
                if (!Parameters(request).checkKnown({}, &error))
                    return reply.sendError(400, error);
                const QStringList problems = m_services.graph->problems();
                reply.sendJson(QJsonDocument(QJsonObject{
                        {QStringLiteral("problems"), QJsonArray::fromStringList(problems)}}));
            });
}

void HttpApi::addEventRoutes()
{
    m_server->route(
            Method::Get, QStringLiteral("/api/events"),
            [this](const QHttpServerRequest &request, const HttpReply &reply) {
                if (!m_services.log)
                    return reply.sendError(
                            503, HttpTr::tr("the event log is off (event_log.driver: none)"));
                const Parameters parameters(request);
                QString error;
                EventLogService::Query query;
                query.limit = 100;
                qint64 limit = query.limit;
                if (!parameters.checkKnown({QStringLiteral("since"), QStringLiteral("epoch"),
                                            QStringLiteral("type"), QStringLiteral("kb"),
                                            QStringLiteral("entry_type"), QStringLiteral("from"),
                                            QStringLiteral("until"), QStringLiteral("limit"),
                                            QStringLiteral("order"), QStringLiteral("before"),
                                            QStringLiteral("entry_id")},
                                           &error) ||
                    !parameters.number(QStringLiteral("since"), 0,
                                       std::numeric_limits<qint64>::max(), &query.afterSequence,
                                       &error) ||
                    !parameters.number(QStringLiteral("before"), 1,
                                       std::numeric_limits<qint64>::max(), &query.beforeSequence,
                                       &error) ||
                    !parameters.number(QStringLiteral("limit"), 1, MaxEventsPerPage, &limit,
                                       &error) ||
                    !parameters.time(QStringLiteral("from"), &query.fromMsecs, &error) ||
                    !parameters.time(QStringLiteral("until"), &query.untilMsecs, &error))
                    return reply.sendError(400, error);
                query.limit = int(limit);
                const QString order = parameters.text(QStringLiteral("order"));
                if (!order.isEmpty() && order != u"oldest" && order != u"newest")
                    return reply.sendError(400,
                                           HttpTr::tr("parameter \"order\": \"%1\" is "
                                                      "neither oldest nor newest")
                                                   .arg(order));
                query.newestFirst = order == u"newest";
                if (query.beforeSequence > 0 && !query.newestFirst)
                    return reply.sendError(
                            400,
                            HttpTr::tr("parameter \"before\" pages newest first: add "
                                       "order=newest"));
                query.entryId = parameters.text(QStringLiteral("entry_id"));
                query.epoch = parameters.text(QStringLiteral("epoch"));
                query.kb = parameters.text(QStringLiteral("kb"));
                query.entryType = parameters.text(QStringLiteral("entry_type"));
                for (const QString &types : parameters.all(QStringLiteral("type")))
                    query.types += types.split(u',', Qt::SkipEmptyParts);
                if (query.types.size() > EventFilter::MaxPatterns)
                    return reply.sendError(400,
                                           HttpTr::tr("parameter \"type\": more than %1 patterns")
                                                   .arg(EventFilter::MaxPatterns));
                for (const QString &pattern : std::as_const(query.types)) {
                    if (!EventFilter::isValidPattern(pattern, &error))
                        return reply.sendError(400,
                                               HttpTr::tr("parameter \"type\": %1").arg(error));
                }
                EventLogService *log = m_services.log;
                offload(
                        [log, query] {
                            Outcome<EventLogService::Page> outcome;
                            outcome.ok = log->readEvents(query, &outcome.value, &outcome.error);
                            return outcome;
                        },
                        [reply](const Outcome<EventLogService::Page> &outcome) {
                            if (!outcome.ok)
                                return reply.sendError(400, outcome.error);
                            const EventLogService::Page &page = outcome.value;
                            // The stored JSON goes out as it is, without a parse.
                            QByteArray body = QByteArrayLiteral("{\"events\":[");
                            for (qsizetype i = 0; i < page.events.size(); ++i) {
                                if (i > 0)
                                    body += ',';
                                body += page.events.at(i);
                            }
                            const QJsonObject tail{
                                    {QStringLiteral("last_sequence"), page.lastSequence},
                                    {QStringLiteral("more"), page.more},
                                    {QStringLiteral("epoch"), page.epoch},
                                    {QStringLiteral("oldest_sequence"), page.oldestSequence}};
                            body += "]," +
                                    QJsonDocument(tail).toJson(QJsonDocument::Compact).mid(1);
                            reply.send(200, body, QByteArrayLiteral("application/json"));
                        });
            });
}

void HttpApi::addWebhookRoutes()
{
    m_server->route(Method::Get, QStringLiteral("/api/webhooks"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        serveWebhookEndpoints(request, reply);
                    });
    m_server->route(Method::Get, QStringLiteral("/api/webhooks/deliveries"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        serveDeliveries(request, reply);
                    });
    m_server->route(Method::Post, QStringLiteral("/api/webhooks/redeliver"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        serveRedeliver(request, reply);
                    });
    m_server->route(Method::Post, QStringLiteral("/api/webhooks/test"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        serveWebhookTest(request, reply);
                    });
    addWebhookEndpointRoutes();
}

void HttpApi::addWebhookEndpointRoutes()
{
    m_server->route(Method::Post, QStringLiteral("/api/webhooks/endpoints"),
                    [this](const QHttpServerRequest &request, const HttpReply &reply) {
                        serveEndpointChange(request, reply, EndpointChange::Create, QString());
                    });
    // /api/webhooks/endpoints/<id> and /api/webhooks/endpoints/<id>/rotate-secret
    const auto withId = [this](EndpointChange change) {
        return [this, change](const QHttpServerRequest &request, const HttpReply &reply) {
            const QString tail =
                    request.url().path().mid(QStringLiteral("/api/webhooks/endpoints/").size());
            const bool rotate = tail.endsWith(QLatin1String("/rotate-secret"));
            QString id = rotate ? tail.chopped(QStringLiteral("/rotate-secret").size()) : tail;
            if ((change == EndpointChange::Rotate) != rotate || id.isEmpty() || id.contains(u'/'))
                return reply.sendError(404,
                                       HttpTr::tr("no such path: %1").arg(request.url().path()));
            serveEndpointChange(request, reply, change, id);
        };
    };
    m_server->route(Method::Patch, QStringLiteral("/api/webhooks/endpoints/*"),
                    withId(EndpointChange::Update));
    m_server->route(Method::Delete, QStringLiteral("/api/webhooks/endpoints/*"),
                    withId(EndpointChange::Delete));
    m_server->route(Method::Post, QStringLiteral("/api/webhooks/endpoints/*"),
                    withId(EndpointChange::Rotate));
}

void HttpApi::serveEndpointChange(const QHttpServerRequest &request, const HttpReply &reply,
                                  EndpointChange change, const QString &id)
{
    if (!m_services.webhooks)
        return reply.sendError(503,
                               HttpTr::tr("webhooks need the event log (event_log.driver is "
                                          "\"none\")"));
    QJsonObject body;
    int status = 0;
    QString error;
    const bool bodyRequired = change == EndpointChange::Create || change == EndpointChange::Update;
    if (!jsonBody(request, bodyRequired, &body, &status, &error))
        return reply.sendError(status, error);
    qint64 graceMs = DefaultGraceMs;
    if (change == EndpointChange::Rotate) {
        for (auto it = body.begin(); it != body.end(); ++it) {
            if (it.key() != u"grace")
                return reply.sendError(
                        400, HttpTr::tr("unknown key \"%1\"; known is: grace").arg(it.key()));
        }
        if (body.contains(QLatin1String("grace"))) {
            graceMs = ConfigReader::parseDurationMs(body.value(QLatin1String("grace")).toString());
            if (graceMs < 0)
                return reply.sendError(400,
                                       HttpTr::tr("grace: expected a duration like 0s, "
                                                  "30m or 24h"));
        }
    }
    WebhookService *webhooks = m_services.webhooks;
    // QString's copy of the id, not a reference into the request: the pool outlives it.
    offload(
            [webhooks, change, id, body, graceMs] {
                switch (change) {
                case EndpointChange::Create:
                    return webhooks->createWebhookEndpoint(body);
                case EndpointChange::Update:
                    return webhooks->updateWebhookEndpoint(id, body);
                case EndpointChange::Delete:
                    return webhooks->deleteWebhookEndpoint(id);
                case EndpointChange::Rotate:
                    break;
                }
                return webhooks->rotateWebhookSecret(id, graceMs);
            },
            [reply, change](const WebhookService::EndpointAnswer &answer) {
                if (answer.failure != WebhookService::Failure::None)
                    return reply.sendError(statusOf(answer.failure), answer.error);
                QJsonObject json = answer.endpoint;
                if (!answer.warnings.isEmpty())
                    json.insert(QStringLiteral("warnings"),
                                QJsonArray::fromStringList(answer.warnings));
                reply.sendJson(QJsonDocument(json), change == EndpointChange::Create ? 201 : 200);
            });
}

void HttpApi::serveWebhookEndpoints(const QHttpServerRequest &, const HttpReply &reply)
{
    if (!m_services.webhooks)
        return reply.sendJson(
                QJsonDocument(QJsonObject{{QStringLiteral("endpoints"), QJsonArray()}}));
    WebhookService *webhooks = m_services.webhooks;
    offload(
            [webhooks] {
                Outcome<QList<QJsonObject>> outcome;
                outcome.ok = webhooks->listWebhookEndpoints(&outcome.value, &outcome.error);
                return outcome;
            },
            [reply](const Outcome<QList<QJsonObject>> &outcome) {
                if (!outcome.ok)
                    return reply.sendError(503, outcome.error);
                QJsonArray endpoints;
                for (const QJsonObject &endpoint : outcome.value)
                    endpoints.append(endpoint);
                reply.sendJson(
                        QJsonDocument(QJsonObject{{QStringLiteral("endpoints"), endpoints}}));
            });
}

void HttpApi::serveDeliveries(const QHttpServerRequest &request, const HttpReply &reply)
{
    if (!m_services.webhooks)
        return reply.sendError(404, HttpTr::tr("no webhooks are configured"));
    const Parameters parameters(request);
    QString error;
    WebhookService::DeliveryQuery query;
    qint64 limit = query.limit;
    if (!parameters.checkKnown({QStringLiteral("endpoint"), QStringLiteral("state"),
                                QStringLiteral("limit"), QStringLiteral("history")},
                               &error) ||
        !parameters.number(QStringLiteral("limit"), 1, MaxDeliveriesPerPage, &limit, &error))
        return reply.sendError(400, error);
    const QString history = parameters.text(QStringLiteral("history"));
    if (!history.isEmpty() && history != u"true" && history != u"false")
        return reply.sendError(
                400,
                HttpTr::tr("parameter \"history\" must be true or false, not \"%1\"").arg(history));
    query.limit = int(limit);
    query.endpoint = parameters.text(QStringLiteral("endpoint"));
    query.state = parameters.text(QStringLiteral("state"));
    query.withAttempts = history != u"false";
    WebhookService *webhooks = m_services.webhooks;
    offload(
            [webhooks, query] {
                Outcome<QList<QJsonObject>> outcome;
                outcome.ok = webhooks->listDeliveries(query, &outcome.value, &outcome.error);
                return outcome;
            },
            [reply](const Outcome<QList<QJsonObject>> &outcome) {
                if (!outcome.ok)
                    return reply.sendError(400, outcome.error);
                QJsonArray list;
                for (const QJsonObject &delivery : outcome.value)
                    list.append(delivery);
                reply.sendJson(QJsonDocument(QJsonObject{{QStringLiteral("deliveries"), list}}));
            });
}

void HttpApi::serveRedeliver(const QHttpServerRequest &request, const HttpReply &reply)
{
    if (!m_services.webhooks)
        return reply.sendError(404, HttpTr::tr("no webhooks are configured"));
    const Parameters parameters(request);
    QString error;
    qint64 id = 0;
    if (!parameters.checkKnown(
                {QStringLiteral("id"), QStringLiteral("dead"), QStringLiteral("endpoint")},
                &error) ||
        !parameters.number(QStringLiteral("id"), 1, std::numeric_limits<qint64>::max(), &id,
                           &error))
        return reply.sendError(400, error);
    const bool dead = parameters.text(QStringLiteral("dead")) == u"true";
    if ((id > 0) == dead)
        return reply.sendError(400, HttpTr::tr("give either id=<delivery id> or dead=true"));
    // dead=true&endpoint=<id>: only that endpoint's.
    const QString endpoint = parameters.text(QStringLiteral("endpoint"));
    if (!endpoint.isEmpty() && !dead)
        return reply.sendError(400, HttpTr::tr("endpoint=<id> goes with dead=true"));
    WebhookService *webhooks = m_services.webhooks;
    offload(
            [webhooks, id, endpoint] {
                Outcome<int> outcome;
                outcome.ok = endpoint.isEmpty()
                        ? webhooks->redeliver(id, &outcome.value, &outcome.error)
                        : webhooks->redeliverDeadOf(endpoint, &outcome.value, &outcome.error);
                return outcome;
            },
            [reply, id](const Outcome<int> &outcome) {
                if (!outcome.ok)
                    return reply.sendError(400, outcome.error);
                if (id > 0 && outcome.value == 0)
                    return reply.sendError(404, HttpTr::tr("no delivery %1").arg(id));
                reply.sendJson(
                        QJsonDocument(QJsonObject{{QStringLiteral("redelivered"), outcome.value}}));
            });
}

void HttpApi::serveWebhookTest(const QHttpServerRequest &request, const HttpReply &reply)
{
    if (!m_services.webhooks)
        return reply.sendError(404, HttpTr::tr("no webhooks are configured"));
    const Parameters parameters(request);
    QString error;
    if (!parameters.checkKnown({QStringLiteral("url"), QStringLiteral("endpoint")}, &error))
        return reply.sendError(400, error);
    const QString endpoint = parameters.text(QStringLiteral("endpoint"));
    if (!endpoint.isEmpty()) {
        if (!parameters.text(QStringLiteral("url")).isEmpty())
            return reply.sendError(400, HttpTr::tr("give either url=<url> or endpoint=<id>"));
        m_services.webhooks->sendTestToEndpoint(endpoint, this, [reply](const QJsonObject &answer) {
            reply.sendJson(QJsonDocument(answer));
        });
        return;
    }
    const QUrl url(parameters.text(QStringLiteral("url")), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty())
        return reply.sendError(400,
                               HttpTr::tr("parameter \"url\" must be an http(s) URL, not \"%1\"")
                                       .arg(parameters.text(QStringLiteral("url"))));
    m_services.webhooks->sendTestWebhook(url, this, [reply](const QJsonObject &answer) {
        reply.sendJson(QJsonDocument(answer));
    });
}

} // namespace Pyrite::Internal
