#include "eventbusplugin.h"

#include "credentiallogfilter.h"
#include "eventbus.h"
#include "eventlog.h"
#include "hookadapter.h"
#include "logging.h"
#include "pluginsettings.h"
#include "streamserver.h"
#include "graphmodel.h"
#include "httpapi.h"
#include "translationloader.h"
#include "outbox.h"
#include "webhookdispatcher.h"
#include "webhooktester.h"

#include <QDateTime>
#include <QJsonArray>
#include <QThread>

namespace Pyrite {

EventBusPlugin::EventBusPlugin(QObject *parent)
    : QObject(parent),
      m_bus(new EventBus(this)),
      m_hooks(new Internal::HookAdapter(m_bus, this)),
      m_settings(std::make_unique<Internal::PluginSettings>()),
      m_translations(std::make_unique<TranslationLoader>())
{ }

EventBusPlugin::~EventBusPlugin()
{
    if (m_initialized)
        shutdown();
    // The adapter subscribes to the bus: it goes before the bus does.
    delete m_hooks;
}

QString EventBusPlugin::name() const
{
    return QStringLiteral("eventbus");
}

QList<Hook> EventBusPlugin::hooks() const
{
    return {AllHooks.begin(), AllHooks.end()};
}

bool EventBusPlugin::initialize(const QVariantMap &settings, const HostContext &context,
                                QString *errorString)
{
    // The language comes first so that settings errors are already translated.
    m_translations->install(settings.value(QStringLiteral("locale")).toString());
    if (!m_settings->load(settings, context, errorString))
        return false;
    // Before any server starts: their requests carry tokens.
    m_credentialFilter = std::make_unique<Internal::CredentialLogFilter>();
    for (const QString &warning : m_settings->warnings())
        qCWarning(lcConfig).noquote() << warning;
    if (!m_settings->locale().isEmpty() && m_translations->loadedFile().isEmpty() &&
        !m_settings->locale().startsWith(u"en")) {
        qCInfo(lcConfig).noquote() << "no translation for locale" << m_settings->locale()
                                   << "; messages stay in English";
    }

    m_bus->setInstanceName(m_settings->instanceName());
    m_hooks->setRedactedFields(m_settings->redactedFields());
    if (!openEventLog(context.readOnly, errorString))
        return false;
    if (!context.readOnly && !startStreamServer(errorString))
        return false;
    if (!context.readOnly) {
        startWebhooks();
        startHttpApi(context.knowledgeBases);
    }
    m_initialized = true;
    qCInfo(lcPlugin).noquote() << "event bus ready; source"
                               << m_bus->sourceFor(QStringLiteral("<kb>")) << "for"
                               << context.knowledgeBases.size() << "knowledge bases";
    return true;
}

bool EventBusPlugin::openEventLog(bool readOnly, QString *errorString)
{
    delete m_log;
    m_log = nullptr;
    const Internal::EventLogSettings &settings = m_settings->eventLog();
    if (settings.driver == Internal::EventLogSettings::Driver::None)
        return true;
    auto log = std::make_unique<Internal::EventLog>(settings);
    QString error;
    if (!log->open(readOnly, &error)) {
        if (errorString)
            *errorString = tr("%1: %2").arg(m_settings->eventLogLocation(), error);
        return false;
    }
    m_log = log.release();
    m_log->setParent(this);
    // Every local event goes to the log; remote ones were logged by the instance that made them.
    connect(m_bus, &EventBus::eventPublished, m_log, [this](const Event &event) {
        if (!event.isRemote())
            m_log->append(event);
    });
    connect(m_log, &Internal::EventLog::remoteEventsReceived, m_bus,
            [this](const QList<Event> &events) {
                for (const Event &event : events)
                    m_bus->publish(event);
            });
    return true;
}

bool EventBusPlugin::startStreamServer(QString *errorString)
{
    delete m_stream;
    m_stream = nullptr;
    const Internal::StreamSettings &settings = m_settings->stream();
    if (!settings.enabled)
        return true;
    auto stream = std::make_unique<Internal::StreamServer>(m_bus, m_log);
    QString error;
    if (!stream->listen(settings, &error)) {
        if (errorString)
            *errorString = tr("%1: %2").arg(m_settings->streamLocation(), error);
        return false;
    }
    m_stream = stream.release();
    m_stream->setParent(this);
    qCInfo(lcPlugin).noquote() << "live event streams on" << m_stream->url()
                               << "(Pyrite's legacy frames on /ws)";
    return true;
}

void EventBusPlugin::startHttpApi(const QList<KnowledgeBase> &knowledgeBases)
{
    delete m_http;
    m_http = nullptr;
    delete m_graph;
    m_graph = nullptr;
    if (!m_stream)
        return;
    m_graph = new Internal::GraphModel(this);
    if (m_log) {
        connect(m_log, &Internal::EventLog::eventsStored, m_graph, &Internal::GraphModel::apply);
        connect(m_log, &Internal::EventLog::remoteEventsReceived, m_graph,
                &Internal::GraphModel::apply);
    } else {
        connect(m_bus, &EventBus::eventPublished, m_graph,
                [this](const Event &event) { m_graph->apply({event}); });
    }
    m_graph->load(knowledgeBases, m_log ? m_log->lastSequence() : 0);
    Internal::HttpApi::Services services;
    services.graph = m_graph;
    services.log = m_log ? this : nullptr;
    services.metrics = this;
    services.webhooks = m_webhooks ? this : nullptr;
    m_http = new Internal::HttpApi(m_stream->webServer(), services, this);
    qCInfo(lcPlugin).noquote() << "live graph on" << m_stream->pageUrl();
}

void EventBusPlugin::startWebhooks()
{
    stopWebhooks();
    const Internal::WebhookSettings &settings = m_settings->webhooks();
    if (settings.isEmpty() || !m_log)
        return;
    // A thread of its own: every step of a delivery (claim, send, answer, record) waits for a turn
    // of its event loop, and under heavy stream traffic the main loop's turns get long.
    m_webhookThread = std::make_unique<QThread>();
    m_webhookThread->setObjectName(QStringLiteral("pyrite-webhooks"));
    m_webhooks = new Internal::WebhookDispatcher(settings, m_log, m_settings->instanceName());
    m_webhooks->moveToThread(m_webhookThread.get());
    // New events may have queued deliveries (the events themselves are not needed there).
    Internal::WebhookDispatcher *dispatcher = m_webhooks;
    connect(m_log, &Internal::EventLog::eventsStored, dispatcher,
            [dispatcher] { dispatcher->wake(); });
    m_webhookThread->start();
    QMetaObject::invokeMethod(dispatcher, &Internal::WebhookDispatcher::start,
                              Qt::QueuedConnection);
    qCInfo(lcPlugin).noquote() << "webhooks: sending to" << settings.endpoints.size()
                               << "endpoints";
}

void EventBusPlugin::stopWebhooks()
{
    if (!m_webhooks)
        return;
    Internal::WebhookDispatcher *dispatcher = std::exchange(m_webhooks, nullptr);
    const Internal::WebhookDispatcher::Metrics metrics = dispatcher->metrics();
    // Stopped and destroyed in its own thread; stopping waits until its attempts are recorded.
    QMetaObject::invokeMethod(
            dispatcher, [dispatcher] { delete dispatcher; }, Qt::BlockingQueuedConnection);
    m_webhookThread->quit();
    m_webhookThread->wait();
    m_webhookThread.reset();
    qCInfo(lcPlugin).noquote() << "webhooks stopped:" << metrics.delivered << "delivered,"
                               << metrics.failed << "failed attempts," << metrics.dead << "dead";
}

bool EventBusPlugin::listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                                    QString *errorString)
{
    if (!m_log) {
        if (errorString)
            *errorString = tr("webhooks need the event log (event_log.driver is \"none\")");
        return false;
    }
    static const QStringList states{QStringLiteral("pending"), QStringLiteral("delivered"),
                                    QStringLiteral("dead")};
    if (!query.state.isEmpty() && !states.contains(query.state)) {
        if (errorString)
            *errorString =
                    tr("state \"%1\" is not one of pending, delivered, dead").arg(query.state);
        return false;
    }
    // --endpoint takes an id or, for convenience, the URL of a configured endpoint.
    QString endpoint = query.endpoint;
    QStringList sameUrl;
    bool isId = false;
    for (const Internal::WebhookEndpoint &configured : m_settings->webhooks().endpoints) {
        isId = isId || configured.id == endpoint;
        if (configured.url == QUrl(endpoint) ||
            configured.url.toString(QUrl::RemoveQuery) == endpoint)
            sameUrl.append(configured.id);
    }
    if (!endpoint.isEmpty() && !isId && sameUrl.size() > 1) {
        if (errorString)
            *errorString = tr("several endpoints have the URL %1; name one by its id: %2")
                                   .arg(endpoint, sameUrl.join(QStringLiteral(", ")));
        return false;
    }
    if (!endpoint.isEmpty() && !isId && sameUrl.size() == 1)
        endpoint = sameUrl.constFirst();
    bool ok = false;
    m_log->postBlocking([&](Internal::LogDatabase *database) {
        if (!database) {
            if (errorString)
                *errorString = tr("the event log is not available");
            return;
        }
        Internal::Outbox outbox(database->database(), database->isPostgres());
        Internal::Outbox::Filter filter;
        filter.endpoint = endpoint;
        filter.state = query.state;
        filter.limit = std::clamp(query.limit, 1, 100000);
        QList<Internal::Outbox::Record> records;
        if (!outbox.list(filter, &records, errorString))
            return;
        for (const Internal::Outbox::Record &record : std::as_const(records)) {
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
            if (query.withAttempts) {
                QList<Internal::Outbox::Attempt> attempts;
                if (!outbox.attemptsOf(record.id, &attempts, errorString))
                    return;
                QJsonArray history;
                for (const Internal::Outbox::Attempt &attempt : std::as_const(attempts)) {
                    history.append(
                            QJsonObject{{QStringLiteral("attempt"), attempt.attempt},
                                        {QStringLiteral("time"), Event::formatTime(attempt.timeMs)},
                                        {QStringLiteral("status"), attempt.status},
                                        {QStringLiteral("duration_ms"), attempt.durationMs},
                                        {QStringLiteral("error"), attempt.error},
                                        {QStringLiteral("response"), attempt.response}});
                }
                delivery.insert(QStringLiteral("history"), history);
            }
            deliveries->append(delivery);
        }
        ok = true;
    });
    return ok;
}

bool EventBusPlugin::redeliver(qint64 deliveryId, int *count, QString *errorString)
{
    if (!m_log) {
        if (errorString)
            *errorString = tr("webhooks need the event log (event_log.driver is \"none\")");
        return false;
    }
    bool ok = false;
    m_log->postBlocking([&](Internal::LogDatabase *database) {
        if (!database) {
            if (errorString)
                *errorString = tr("the event log is not available");
            return;
        }
        ok = Internal::Outbox(database->database(), database->isPostgres())
                     .redeliver(deliveryId, QDateTime::currentMSecsSinceEpoch(), count,
                                errorString);
    });
    if (ok && deliveryId > 0 && *count == 0) {
        if (errorString)
            *errorString = tr("no delivery %1").arg(deliveryId);
        return false;
    }
    // Queued: the HTTP API calls this from its pool thread.
    if (ok && m_webhooks)
        QMetaObject::invokeMethod(m_webhooks, &Internal::WebhookDispatcher::wake,
                                  Qt::QueuedConnection);
    return ok;
}

QList<QJsonObject> EventBusPlugin::webhookEndpoints() const
{
    QList<QJsonObject> endpoints;
    for (const Internal::WebhookEndpoint &endpoint : m_settings->webhooks().endpoints) {
        endpoints.append(
                QJsonObject{{QStringLiteral("id"), endpoint.id},
                            {QStringLiteral("url"), endpoint.url.toString(QUrl::RemoveQuery)},
                            {QStringLiteral("events"),
                             QJsonArray::fromStringList(endpoint.filter.typePatterns())},
                            {QStringLiteral("kb"), endpoint.filter.kb()},
                            {QStringLiteral("entry_type"), endpoint.filter.entryType()},
                            {QStringLiteral("scope_kb"), endpoint.scopeKb},
                            {QStringLiteral("format"),
                             endpoint.format == Internal::WebhookEndpoint::Format::Slack
                                     ? QStringLiteral("slack")
                                     : QStringLiteral("cloudevents")},
                            {QStringLiteral("enabled"), endpoint.enabled},
                            {QStringLiteral("signed"), !endpoint.secrets.isEmpty()}});
    }
    return endpoints;
}

void EventBusPlugin::sendTestWebhook(const QUrl &url, QObject *context,
                                     std::function<void(const QJsonObject &answer)> done)
{
    if (!m_webhookTester)
        m_webhookTester = new Internal::WebhookTester(
                m_settings->webhooks(), m_bus->sourceFor(QStringLiteral("example")), this);
    m_webhookTester->send(url, context, std::move(done));
}

bool EventBusPlugin::readEvents(const Query &query, Page *page, QString *errorString)
{
    const auto fail = [errorString](const QString &message) {
        if (errorString)
            *errorString = message;
        return false;
    };
    if (!m_log)
        return fail(tr("the event log is off (event_log.driver: none)"));
    if (!query.epoch.isEmpty() && query.epoch != m_log->epoch())
        return fail(tr("epoch \"%1\" is not this log's (\"%2\"): its positions are void; start "
                       "again from sequence 0")
                            .arg(query.epoch, m_log->epoch()));
    if (query.afterSequence < 0)
        return fail(tr("sequence %1 is negative").arg(query.afterSequence));
    if (query.limit < 1 || query.limit > 100000)
        return fail(tr("limit %1 is out of range (1 to 100000)").arg(query.limit));
    if (query.fromMsecs >= 0 && query.untilMsecs >= 0 && query.untilMsecs < query.fromMsecs)
        return fail(tr("the time range ends before it starts"));
    for (const QString &pattern : query.types) {
        QString error;
        if (!EventFilter::isValidPattern(pattern, &error))
            return fail(error);
    }
    QList<Internal::LoggedEvent> events;
    qint64 oldest = 0;
    if (!m_log->read(query, &events, &oldest, errorString))
        return false;
    page->events.clear();
    page->events.reserve(events.size());
    for (const Internal::LoggedEvent &event : std::as_const(events))
        page->events.append(event.json);
    page->lastSequence = events.isEmpty() ? query.afterSequence : events.constLast().sequence;
    page->more = events.size() == query.limit;
    page->epoch = m_log->epoch();
    page->oldestSequence = oldest;
    return true;
}

void EventBusPlugin::shutdown()
{
    if (!m_initialized)
        return;
    m_initialized = false;
    // First: it waits for its log reads in flight, which need the log and the webhooks.
    delete m_http;
    m_http = nullptr;
    stopWebhooks();
    if (m_stream) {
        const Internal::StreamServer::Metrics metrics = m_stream->metrics();
        m_stream->close();
        qCInfo(lcPlugin).noquote() << "streams closed:" << metrics.framesSent << "frames sent,"
                                   << metrics.slowConsumerCloses << "slow consumers closed,"
                                   << metrics.rejectedHandshakes << "connections refused";
    }
    if (m_log) {
        const Internal::EventLog::Stats stats = m_log->stats();
        m_log->close();
        qCInfo(lcPlugin).noquote()
                << "event log closed:" << stats.stored << "events written," << stats.dropped
                << "dropped," << stats.remote << "received from other instances";
    }
    qCInfo(lcPlugin).noquote() << "event bus stopping after" << m_bus->publishedCount() << "events,"
                               << m_bus->deliveredCount() << "deliveries,"
                               << m_bus->failedDeliveryCount() << "failed subscriber calls";
    m_translations->uninstall();
    m_credentialFilter.reset();
}

HookResult EventBusPlugin::callHook(Hook hook, const QVariantMap &entry, const HookContext &context)
{
    return m_hooks->handleHook(hook, entry, context);
}

bool EventBusPlugin::notify(Notification notification, const QVariantMap &payload,
                            const HookContext &context, QString *errorString)
{
    return m_hooks->handleNotification(notification, payload, context, errorString);
}

quint64 EventBusPlugin::subscribeEvents(const QStringList &typePatterns, const QString &kb,
                                        const QString &entryType, QObject *context,
                                        EventObserver observer, QString *errorString)
{
    EventFilter filter;
    if (!filter.setTypePatterns(typePatterns, errorString))
        return 0;
    filter.setKb(kb);
    filter.setEntryType(entryType);
    return m_bus->subscribe(filter, context,
                            [this, observer = std::move(observer)](const Event &event) {
                                // Delivery is synchronous on the bus thread: every observer of this
                                // event shares one conversion to JSON.
                                if (m_jsonEventId != event.id()) {
                                    m_jsonEvent = event.toJsonObject();
                                    m_jsonEventId = event.id();
                                }
                                observer(m_jsonEvent);
                            });
}

void EventBusPlugin::unsubscribeEvents(quint64 subscriptionId)
{
    m_bus->unsubscribe(subscriptionId);
}

void EventBusPlugin::registerHook(Hook hook, const QString &owner, QObject *context,
                                  HookCallback callback)
{
    m_hooks->registerHook(hook, owner, context, std::move(callback));
}

QList<MetricsService::Metric> EventBusPlugin::metrics() const
{
    using Kind = Metric::Kind;
    QList<Metric> metrics;
    const auto add = [&metrics](const char *name, const char *help, Kind kind, double value) {
        metrics.append({QLatin1String(name), QLatin1String(help), kind, value});
    };
    add("pyrite_bus_events_published_total", "Events published on the bus.", Kind::Counter,
        double(m_bus->publishedCount()));
    add("pyrite_bus_subscriptions", "Subscriptions on the bus.", Kind::Gauge,
        m_bus->subscriptionCount());
    if (m_log) {
        const Internal::EventLog::Stats log = m_log->stats();
        add("pyrite_log_events_appended_total", "Events handed to the event log.", Kind::Counter,
            double(log.appended));
        add("pyrite_log_events_stored_total", "Events committed to the event log.", Kind::Counter,
            double(log.stored));
        add("pyrite_log_events_dropped_total",
            "Events dropped because the log's queue was full during an outage.", Kind::Counter,
            double(log.dropped));
        add("pyrite_log_remote_events_total", "Events other instances wrote to a shared log.",
            Kind::Counter, double(log.remote));
        add("pyrite_log_queue_events", "Events waiting to be committed.", Kind::Gauge, log.waiting);
        add("pyrite_log_failing", "1 while the database cannot be written.", Kind::Gauge,
            log.failing ? 1 : 0);
        add("pyrite_log_last_sequence", "Sequence of the newest event in the log.", Kind::Gauge,
            double(m_log->lastSequence()));
    }
    if (m_stream) {
        const Internal::StreamServer::Metrics stream = m_stream->metrics();
        add("pyrite_stream_connections", "Open WebSocket connections.", Kind::Gauge,
            stream.connections);
        add("pyrite_stream_subscriptions", "Subscriptions of all stream connections.", Kind::Gauge,
            stream.subscriptions);
        add("pyrite_stream_unsent_bytes",
            "Bytes queued for stream clients that their sockets have not taken yet.", Kind::Gauge,
            double(stream.unsentBytes));
        add("pyrite_stream_frames_sent_total", "Frames sent to stream clients.", Kind::Counter,
            double(stream.framesSent));
        add("pyrite_stream_bytes_sent_total", "Payload bytes sent to stream clients.",
            Kind::Counter, double(stream.bytesSent));
        add("pyrite_stream_slow_consumer_closes_total",
            "Clients closed because unsent data exceeded their budget.", Kind::Counter,
            double(stream.slowConsumerCloses));
        add("pyrite_stream_rejected_handshakes_total",
            "Connections refused: token, origin, path or connection limits.", Kind::Counter,
            double(stream.rejectedHandshakes));
        add("pyrite_stream_ping_timeouts_total", "Clients dropped for not answering pings.",
            Kind::Counter, double(stream.pingTimeouts));
        add("pyrite_stream_bad_messages_total", "Client messages answered with an error.",
            Kind::Counter, double(stream.badMessages));
        add("pyrite_stream_replay_backlog_overflows_total",
            "Replays that held too many live events and read them from the log instead.",
            Kind::Counter, double(stream.replayBacklogOverflows));
        add("pyrite_stream_events_dispatched_total",
            "Live events matched against the stream subscriptions.", Kind::Counter,
            double(stream.eventsDispatched));
        add("pyrite_stream_dispatch_seconds_total",
            "Time spent matching live events and queueing their frames.", Kind::Counter,
            double(stream.dispatchNanoseconds) / 1e9);
    }
    if (m_webhooks) {
        const Internal::WebhookDispatcher::Metrics webhooks = m_webhooks->metrics();
        add("pyrite_webhook_attempts_total", "Webhook requests made (or refused before sending).",
            Kind::Counter, double(webhooks.attempts));
        add("pyrite_webhook_delivered_total", "Webhook deliveries answered with 2xx.",
            Kind::Counter, double(webhooks.delivered));
        add("pyrite_webhook_failed_attempts_total", "Webhook attempts that did not deliver.",
            Kind::Counter, double(webhooks.failed));
        add("pyrite_webhook_dead_total", "Webhook deliveries given up after the last attempt.",
            Kind::Counter, double(webhooks.dead));
        add("pyrite_webhook_in_flight", "Webhook requests waiting for an answer.", Kind::Gauge,
            webhooks.inFlight);
        add("pyrite_webhook_paused_endpoints", "Endpoints paused by the circuit breaker.",
            Kind::Gauge, webhooks.pausedEndpoints);
        add("pyrite_webhook_disabled_endpoints", "Endpoints that answered 410 Gone.", Kind::Gauge,
            webhooks.disabledEndpoints);
    }
    return metrics;
}

} // namespace Pyrite
