#include "webhooks.h"

#include "outbox.h"
#include "outboxparticipant.h"
#include "webhookdispatcher.h"
#include "webhookendpointeditor.h"
#include "webhookendpointstore.h"
#include "webhookstr.h"
#include "webhooktester.h"

#include "eventlog/eventlog.h"
#include "logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QThread>

namespace Pyrite::Internal {

namespace {
QJsonObject deliveryJson(const Outbox::Record &record)
{
    QJsonObject delivery{{QStringLiteral("id"), record.id},
                         {QStringLiteral("sequence"), record.sequence},
                         {QStringLiteral("event_id"), record.eventId},
                         {QStringLiteral("endpoint"), record.endpoint},
                         {QStringLiteral("state"), record.state},
                         {QStringLiteral("attempts"), record.attempts},
                         {QStringLiteral("created"), Event::formatTime(record.createdMs)},
                         {QStringLiteral("updated"), Event::formatTime(record.updatedMs)},
                         {QStringLiteral("last_status"), record.lastStatus},
                         {QStringLiteral("last_error"), record.lastError}};
    if (record.state == u"pending")
        delivery.insert(QStringLiteral("next_attempt"), Event::formatTime(record.nextAtMs));
    return delivery;
}

QJsonArray historyJson(const QList<Outbox::Attempt> &attempts)
{
    QJsonArray history;
    for (const Outbox::Attempt &attempt : attempts) {
        history.append(QJsonObject{{QStringLiteral("attempt"), attempt.attempt},
                                   {QStringLiteral("time"), Event::formatTime(attempt.timeMs)},
                                   {QStringLiteral("status"), attempt.status},
                                   {QStringLiteral("duration_ms"), attempt.durationMs},
                                   {QStringLiteral("error"), attempt.error},
                                   {QStringLiteral("response"), attempt.response}});
    }
    return history;
}
} // namespace

Webhooks::Webhooks(const WebhookSettings &settings, const QString &instance,
                   const QString &exampleSource, QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_instance(instance),
      m_exampleSource(exampleSource),
      m_outbox(std::make_shared<OutboxParticipant>(settings.endpoints, settings.historyMs))
{ }

Webhooks::~Webhooks()
{
    stop();
}

std::shared_ptr<LogParticipant> Webhooks::outbox() const
{
    return m_outbox;
}

void Webhooks::start()
{
    stop();
    // Also without configured endpoints: some may be made at run time.
    if (!m_log)
        return;
    // A thread of its own: every step of a delivery (claim, send, answer, record) waits for a turn
    // of its event loop, and under heavy stream traffic the main loop's turns get long.
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("pyrite-webhooks"));
    m_dispatcher = new WebhookDispatcher(m_settings, m_log, m_instance);
    m_dispatcher->moveToThread(m_thread.get());
    // New events may have queued deliveries (the events themselves are not needed there).
    WebhookDispatcher *dispatcher = m_dispatcher;
    connect(m_log, &EventLog::eventsStored, dispatcher, [dispatcher] { dispatcher->wake(); });
    // Other processes sharing the log queued deliveries in their own transactions.
    connect(m_log, &EventLog::remoteEventsReceived, dispatcher,
            [dispatcher] { dispatcher->wake(); });
    m_thread->start();
    QMetaObject::invokeMethod(dispatcher, &WebhookDispatcher::start, Qt::QueuedConnection);
    qCInfo(lcWebhooks).noquote() << "webhooks: sending to" << m_settings.endpoints.size()
                                 << "configured endpoints and those made at run time";
}

void Webhooks::stop()
{
    if (!m_dispatcher)
        return;
    WebhookDispatcher *dispatcher = std::exchange(m_dispatcher, nullptr);
    const WebhookDispatcher::Metrics metrics = dispatcher->metrics();
    // Stopped and destroyed in its own thread; stopping waits until its attempts are recorded.
    QMetaObject::invokeMethod(
            dispatcher, [dispatcher] { delete dispatcher; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    qCInfo(lcWebhooks).noquote() << "webhooks stopped:" << metrics.delivered << "delivered,"
                                 << metrics.failed << "failed attempts," << metrics.dead << "dead";
}

bool Webhooks::resolveEndpoint(const QString &idOrUrl, QString *id, QString *errorString) const
{
    *id = idOrUrl;
    QStringList sameUrl;
    for (const WebhookEndpoint &configured : m_settings.endpoints) {
        if (configured.id == idOrUrl)
            return true;
        if (configured.url == QUrl(idOrUrl) ||
            configured.url.toString(QUrl::RemoveQuery) == idOrUrl)
            sameUrl.append(configured.id);
    }
    if (sameUrl.size() > 1) {
        if (errorString)
            *errorString =
                    WebhooksTr::tr("several endpoints have the URL %1; name one by its id: %2")
                            .arg(idOrUrl, sameUrl.join(QStringLiteral(", ")));
        return false;
    }
    if (sameUrl.size() == 1)
        *id = sameUrl.constFirst();
    return true;
}

bool Webhooks::withOutbox(QString *errorString, const std::function<bool(Outbox &)> &work)
{
    if (!m_log) {
        if (errorString)
            *errorString =
                    WebhooksTr::tr("webhooks need the event log (event_log.driver is \"none\")");
        return false;
    }
    return m_log->withDatabase(
            [&](LogDatabase &database) {
                Outbox outbox(database.database(), database.isPostgres());
                return work(outbox);
            },
            errorString);
}

bool Webhooks::listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                              QString *errorString)
{
    static const QStringList states{QStringLiteral("pending"), QStringLiteral("delivered"),
                                    QStringLiteral("dead")};
    if (!query.state.isEmpty() && !states.contains(query.state)) {
        if (errorString)
            *errorString = WebhooksTr::tr("state \"%1\" is not one of pending, delivered, dead")
                                   .arg(query.state);
        return false;
    }
    Outbox::Filter filter;
    filter.state = query.state;
    filter.limit = std::clamp(query.limit, 1, 100000);
    // --endpoint takes an id or, for convenience, the URL of a configured endpoint.
    if (!query.endpoint.isEmpty() &&
        !resolveEndpoint(query.endpoint, &filter.endpoint, errorString))
        return false;
    return withOutbox(errorString, [&](Outbox &outbox) {
        QList<Outbox::Record> records;
        if (!outbox.list(filter, &records, errorString))
            return false;
        for (const Outbox::Record &record : std::as_const(records)) {
            QJsonObject delivery = deliveryJson(record);
            if (query.withAttempts) {
                QList<Outbox::Attempt> attempts;
                if (!outbox.attemptsOf(record.id, &attempts, errorString))
                    return false;
                delivery.insert(QStringLiteral("history"), historyJson(attempts));
            }
            deliveries->append(delivery);
        }
        return true;
    });
}

bool Webhooks::redeliver(qint64 deliveryId, int *count, QString *errorString)
{
    const bool ok = withOutbox(errorString, [&](Outbox &outbox) {
        return outbox.redeliver(deliveryId, QDateTime::currentMSecsSinceEpoch(), count,
                                errorString);
    });
    // Queued: the HTTP API calls this from its pool thread.
    if (ok && m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &WebhookDispatcher::wake, Qt::QueuedConnection);
    return ok;
}

bool Webhooks::listWebhookEndpoints(QList<QJsonObject> *endpoints, QString *errorString)
{
    if (!WebhookEndpointEditor(m_settings.endpoints, m_log).list(endpoints, errorString))
        return false;
    QHash<QString, Outbox::EndpointCounts> counts;
    if (m_log && !withOutbox(errorString, [&](Outbox &outbox) {
            return outbox.countByEndpoint(&counts, errorString);
        }))
        return false;
    // The dispatcher's view only where it runs (not in a command that lists).
    const QHash<QString, WebhookDispatcher::EndpointHealth> health = m_dispatcher
            ? m_dispatcher->health()
            : QHash<QString, WebhookDispatcher::EndpointHealth>();
    for (QJsonObject &endpoint : *endpoints)
        endpoint.insert(QStringLiteral("health"),
                        healthJson(endpoint, counts, health, m_dispatcher != nullptr));
    return true;
}

QJsonObject Webhooks::healthJson(const QJsonObject &endpoint,
                                 const QHash<QString, Outbox::EndpointCounts> &counts,
                                 const QHash<QString, WebhookDispatcher::EndpointHealth> &health,
                                 bool sending)
{
    const QString id = endpoint.value(QLatin1String("id")).toString();
    const Outbox::EndpointCounts count = counts.value(id);
    QJsonObject json{{QStringLiteral("pending"), count.pending},
                     {QStringLiteral("dead"), count.dead}};
    if (count.nextAtMs > 0)
        json.insert(QStringLiteral("next_attempt"), Event::formatTime(count.nextAtMs));
    if (!sending)
        return json;
    const auto it = health.constFind(id);
    if (it == health.cend()) {
        json.insert(QStringLiteral("state"), QStringLiteral("off"));
        return json;
    }
    json.insert(QStringLiteral("state"), it->state);
    json.insert(QStringLiteral("consecutive_failures"), it->consecutiveFailures);
    if (it->pausedUntilMs > 0)
        json.insert(QStringLiteral("paused_until"), Event::formatTime(it->pausedUntilMs));
    if (it->lastSuccessMs > 0)
        json.insert(QStringLiteral("last_success"), Event::formatTime(it->lastSuccessMs));
    if (it->lastFailureMs > 0)
        json.insert(QStringLiteral("last_failure"), Event::formatTime(it->lastFailureMs));
    return json;
}

WebhookService::EndpointAnswer Webhooks::createWebhookEndpoint(const QJsonObject &definition)
{
    return changed(WebhookEndpointEditor(m_settings.endpoints, m_log).create(definition));
}

WebhookService::EndpointAnswer Webhooks::updateWebhookEndpoint(const QString &id,
                                                               const QJsonObject &changes)
{
    return changed(WebhookEndpointEditor(m_settings.endpoints, m_log).update(id, changes));
}

WebhookService::EndpointAnswer Webhooks::deleteWebhookEndpoint(const QString &id)
{
    return changed(WebhookEndpointEditor(m_settings.endpoints, m_log).remove(id));
}

WebhookService::EndpointAnswer Webhooks::rotateWebhookSecret(const QString &id, qint64 graceMs)
{
    return changed(WebhookEndpointEditor(m_settings.endpoints, m_log).rotateSecret(id, graceMs));
}

void Webhooks::sendTestToEndpoint(const QString &id, QObject *context,
                                  std::function<void(const QJsonObject &answer)> done)
{
    if (!m_tester)
        m_tester = new WebhookTester(m_settings, m_exampleSource, this);
    for (const WebhookEndpoint &configured : std::as_const(m_settings.endpoints)) {
        if (configured.id == id)
            return m_tester->sendTo(configured, context, std::move(done));
    }
    const QPointer<QObject> guard(context);
    const auto unknown = [guard, done, id](const QString &error) {
        if (guard)
            done(QJsonObject{{QStringLiteral("status"), 0}, {QStringLiteral("error"), error}});
    };
    if (!m_log)
        return unknown(WebhooksTr::tr("no endpoint \"%1\"").arg(id));
    // A runtime endpoint is read on the log's thread; the test is sent from here.
    struct Found
    {
        std::optional<WebhookEndpoint> endpoint;
        QString error;
    };
    m_log->runAsync<Found>(
            this,
            [id](LogDatabase *database) {
                Found found;
                WebhookEndpointStore::Row row;
                if (!database) {
                    found.error = WebhooksTr::tr("the event log is not available");
                } else if (WebhookEndpointStore(database->database())
                                   .find(id, &row, &found.error) ==
                           WebhookEndpointStore::Status::Ok) {
                    found.endpoint = WebhookEndpointStore::endpoint(row, &found.error);
                } else if (found.error.isEmpty()) {
                    found.error = WebhooksTr::tr("no endpoint \"%1\"").arg(id);
                }
                return found;
            },
            [this, guard, done, unknown](const Found &found) {
                if (!found.endpoint)
                    return unknown(found.error);
                if (guard)
                    m_tester->sendTo(*found.endpoint, guard, done);
            });
}

bool Webhooks::redeliverDeadOf(const QString &endpoint, int *count, QString *errorString)
{
    const bool ok = withOutbox(errorString, [&](Outbox &outbox) {
        return outbox.redeliverDeadOf(endpoint, QDateTime::currentMSecsSinceEpoch(), count,
                                      errorString);
    });
    if (ok && m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &WebhookDispatcher::wake, Qt::QueuedConnection);
    return ok;
}

WebhookService::EndpointAnswer Webhooks::changed(const EndpointAnswer &answer)
{
    if (answer.failure != Failure::None)
        return answer;
    qCInfo(lcWebhooks).noquote() << "webhook endpoint"
                                 << answer.endpoint.value(QLatin1String("id")).toString()
                                 << (answer.endpoint.contains(QLatin1String("deleted")) ? "deleted"
                                                                                        : "saved");
    // Queued: this runs on a worker thread or in a command. Other processes see the change at
    // their next poll.
    if (m_dispatcher)
        QMetaObject::invokeMethod(m_dispatcher, &WebhookDispatcher::refreshEndpoints,
                                  Qt::QueuedConnection);
    return answer;
}

void Webhooks::sendTestWebhook(const QUrl &url, QObject *context,
                               std::function<void(const QJsonObject &answer)> done)
{
    if (!m_tester)
        m_tester = new WebhookTester(m_settings, m_exampleSource, this);
    m_tester->send(url, context, std::move(done));
}

QList<MetricsService::Metric> Webhooks::serviceMetrics() const
{
    if (!m_dispatcher)
        return {};
    const WebhookDispatcher::Metrics m = m_dispatcher->metrics();
    using Metric = MetricsService::Metric;
    return {Metric::counter("pyrite_webhook_attempts_total",
                            "Webhook requests made (or refused before sending).",
                            double(m.attempts)),
            Metric::counter("pyrite_webhook_delivered_total",
                            "Webhook deliveries answered with 2xx.", double(m.delivered)),
            Metric::counter("pyrite_webhook_failed_attempts_total",
                            "Webhook attempts that did not deliver.", double(m.failed)),
            Metric::counter("pyrite_webhook_dead_total",
                            "Webhook deliveries given up after the last attempt.", double(m.dead)),
            Metric::gauge("pyrite_webhook_in_flight", "Webhook requests waiting for an answer.",
                          m.inFlight),
            Metric::gauge("pyrite_webhook_paused_endpoints",
                          "Endpoints paused by the circuit breaker.", m.pausedEndpoints),
            Metric::gauge("pyrite_webhook_disabled_endpoints", "Endpoints that answered 410 Gone.",
                          m.disabledEndpoints)};
}

} // namespace Pyrite::Internal
