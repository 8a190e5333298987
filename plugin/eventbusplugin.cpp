#include "eventbusplugin.h"

#include "plugintr.h"

#include "bus/eventbus.h"
#include "bus/hookadapter.h"
#include "eventlog/eventfeed.h"
#include "eventlog/eventlog.h"
#include "http/credentiallogfilter.h"
#include "http/graphmodel.h"
#include "http/httpapi.h"
#include "http/webserver.h"
#include "logging.h"
#include "streams/streamserver.h"
#include "translationloader.h"
#include "webhooks/webhooks.h"

#include <QTimer>

namespace Pyrite {

using namespace Internal;

namespace {
// Subscriptions to stored events have ids of their own: this bit tells them from the bus's.
constexpr quint64 StoredSubscription = quint64(1) << 63;
// Serve::Auto: how often a process that only writes tries to take over the address.
constexpr int ServeRetryMs = 5000;
} // namespace

EventBusPlugin::EventBusPlugin(QObject *parent)
    : QObject(parent),
      m_translations(std::make_unique<TranslationLoader>()),
      m_bus(new EventBus(this)),
      m_hooks(new HookAdapter(m_bus, this))
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
    if (!m_settings.load(settings, context, errorString))
        return false;
    // Before any server starts: their requests carry tokens.
    m_credentialFilter = std::make_unique<CredentialLogFilter>();
    for (const QString &warning : m_settings.warnings())
        qCWarning(lcConfig).noquote() << warning;
    if (!m_settings.locale().isEmpty() && m_translations->loadedFile().isEmpty() &&
        !m_settings.locale().startsWith(u"en")) {
        qCInfo(lcConfig).noquote() << "no translation for locale" << m_settings.locale()
                                   << "; messages stay in English";
    }
    m_bus->setInstanceName(m_settings.instanceName());
    m_hooks->setRedactedFields(m_settings.redactedFields());
    m_webhooks = std::make_unique<Webhooks>(m_settings.webhooks(), m_settings.instanceName(),
                                            m_bus->sourceFor(QStringLiteral("example")));
    m_knowledgeBases = context.knowledgeBases;
    if (!openEventLog(context.readOnly, errorString))
        return false;
    if (!context.readOnly) {
        m_feed = std::make_unique<EventFeed>(m_bus, m_log.get());
        if (!startServing(errorString))
            return false;
    }
    m_initialized = true;
    qCInfo(lcPlugin).noquote() << "event bus ready; source"
                               << m_bus->sourceFor(QStringLiteral("<kb>")) << "for"
                               << context.knowledgeBases.size() << "knowledge bases";
    return true;
}

bool EventBusPlugin::openEventLog(bool readOnly, QString *errorString)
{
    if (m_settings.eventLog().driver == EventLogSettings::Driver::None)
        return true;
    auto log = std::make_unique<EventLog>(m_settings.eventLog());
    // Always: endpoints can be made at run time, by this process or another sharing the log.
    log->addParticipant(m_webhooks->outbox());
    QString error;
    if (!log->open(readOnly, &error)) {
        if (errorString)
            *errorString = PluginTr::tr("%1: %2").arg(m_settings.eventLog().location, error);
        return false;
    }
    m_log = std::move(log);
    m_log->record(m_bus);
    m_reader.setLog(m_log.get());
    m_webhooks->setLog(m_log.get());
    return true;
}

bool EventBusPlugin::startServing(QString *errorString)
{
    switch (m_settings.serve()) {
    case PluginSettings::Serve::Never:
        qCInfo(lcPlugin).noquote() << "serve: never; this process writes to the event log only";
        return true;
    case PluginSettings::Serve::Always:
        return serve(errorString, nullptr);
    case PluginSettings::Serve::Auto:
        break;
    }
    m_serveTimer = new QTimer(this);
    m_serveTimer->setSingleShot(true);
    connect(m_serveTimer, &QTimer::timeout, this, &EventBusPlugin::tryServing);
    m_serveTimer->start(m_settings.serveAfterMs());
    return true;
}

void EventBusPlugin::tryServing()
{
    QString error;
    bool addressInUse = false;
    if (serve(&error, &addressInUse))
        return;
    if (!addressInUse) {
        qCWarning(lcPlugin).noquote() << error << "; this process writes to the event log only";
        return;
    }
    if (!m_writerOnlyReported) {
        m_writerOnlyReported = true;
        qCInfo(lcPlugin).noquote()
                << "another process serves"
                << m_settings.http().address.toString() + u':' +
                        QString::number(m_settings.http().port)
                << "; this one writes to the event log and takes over when that address is free";
    }
    m_serveTimer->start(ServeRetryMs);
}

bool EventBusPlugin::serve(QString *errorString, bool *addressInUse)
{
    if (!listen(errorString, addressInUse))
        return false;
    // Streams and webhooks deliver what other processes sharing the log append too.
    if (m_log)
        m_log->follow();
    m_webhooks->start();
    startHttpApi();
    return true;
}

bool EventBusPlugin::listen(QString *errorString, bool *addressInUse)
{
    const HttpSettings &http = m_settings.http();
    const StreamSettings &streams = m_settings.stream();
    m_access.setTokens(http.tokens);
    m_access.setAllowedOrigins(http.allowedOrigins);
    m_access.setAllowedHosts(http.allowedHosts);
    auto web = std::make_unique<WebServer>();
    web->setAccessPolicy(&m_access);
    web->setMaxConnections(http.maxHttpConnections, http.maxHttpConnectionsPerAddress);
    // Any stream client may be reconnecting at once (after a restart of the host, say).
    web->setMaxUnreadConnections(streams.maxConnections + http.maxHttpConnections,
                                 streams.maxConnectionsPerAddress +
                                         http.maxHttpConnectionsPerAddress);
    QString error;
    if (!web->listen(http.address, http.port, &error, addressInUse)) {
        if (errorString)
            *errorString = PluginTr::tr("%1: %2").arg(m_settings.streamLocation(), error);
        return false;
    }
    m_web = std::move(web);
    m_access.setListenAddress(m_web->address(), m_web->port());
    const QString authority =
            QStringLiteral("%1:%2").arg(m_web->address().toString()).arg(m_web->port());
    if (streams.enabled) {
        m_stream = std::make_unique<StreamServer>(m_feed.get(), m_log.get());
        m_stream->setAccessPolicy(&m_access);
        m_stream->start(streams);
        connect(m_web.get(), &WebServer::webSocketRequest, m_stream.get(),
                &StreamServer::handleConnection);
        qCInfo(lcPlugin).noquote() << "live event streams on" << u"ws://" + authority + u"/stream"
                                   << "(Pyrite's legacy frames on /ws)";
    }
    qCInfo(lcPlugin).noquote() << "live graph on" << u"http://" + authority + u'/';
    return true;
}

void EventBusPlugin::startHttpApi()
{
    m_graph = std::make_unique<GraphModel>();
    connect(m_feed.get(), &EventFeed::eventsArrived, m_graph.get(), &GraphModel::apply);
    m_graph->setEntryUrl(m_settings.http().entryUrl);
    m_graph->load(m_knowledgeBases, m_log ? m_log->lastSequence() : 0);
    HttpApi::Services services;
    services.graph = m_graph.get();
    services.log = m_log ? &m_reader : nullptr;
    services.metrics = this;
    services.webhooks = m_webhooks->isSending() ? m_webhooks.get() : nullptr;
    m_http = std::make_unique<HttpApi>(m_web.get(), services);
}

void EventBusPlugin::setKnowledgeBaseProblems(const QString &kb, const QStringList &problems)
{
    if (m_graph) // no HTTP: nobody to show them to (the host prints them anyway)
        m_graph->setHostProblems(kb, problems);
}

void EventBusPlugin::shutdown()
{
    if (!m_initialized)
        return;
    m_initialized = false;
    delete std::exchange(m_serveTimer, nullptr);
    // First: it waits for its log reads in flight, which need the log and the webhooks.
    m_http.reset();
    m_webhooks->stop();
    if (m_stream) {
        const StreamServer::Metrics metrics = m_stream->metrics();
        m_stream->close();
        qCInfo(lcPlugin).noquote() << "streams closed:" << metrics.framesSent << "frames sent,"
                                   << metrics.slowConsumerCloses << "slow consumers closed,"
                                   << metrics.rejectedHandshakes << "connections refused";
    }
    if (m_web)
        m_web->close();
    if (m_log) {
        const EventLog::Stats stats = m_log->stats();
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

bool EventBusPlugin::filterFrom(const QStringList &typePatterns, const QString &kb,
                                const QString &entryType, EventFilter *filter,
                                QString *errorString) const
{
    if (!filter->setTypePatterns(typePatterns, errorString))
        return false;
    filter->setKb(kb);
    filter->setEntryType(entryType);
    return true;
}

quint64 EventBusPlugin::subscribeEvents(const QStringList &typePatterns, const QString &kb,
                                        const QString &entryType, QObject *context,
                                        EventObserver observer, QString *errorString)
{
    EventFilter filter;
    if (!filterFrom(typePatterns, kb, entryType, &filter, errorString))
        return 0;
    return m_bus->subscribeJson(filter, context, std::move(observer));
}

quint64 EventBusPlugin::subscribeStoredEvents(const QStringList &typePatterns, const QString &kb,
                                              const QString &entryType, QObject *context,
                                              EventObserver observer, QString *errorString)
{
    if (!m_feed) // a command that only reads: there is nothing stored to wait for
        return subscribeEvents(typePatterns, kb, entryType, context, std::move(observer),
                               errorString);
    EventFilter filter;
    if (!filterFrom(typePatterns, kb, entryType, &filter, errorString))
        return 0;
    // Stored events include those of other processes sharing the log.
    if (m_log)
        m_log->follow();
    return m_feed->subscribeJson(filter, context, std::move(observer)) | StoredSubscription;
}

void EventBusPlugin::unsubscribeEvents(quint64 subscriptionId)
{
    if (subscriptionId & StoredSubscription) {
        if (m_feed)
            m_feed->unsubscribe(subscriptionId & ~StoredSubscription);
        return;
    }
    m_bus->unsubscribe(subscriptionId);
}

void EventBusPlugin::registerHook(Hook hook, const QString &owner, QObject *context,
                                  HookCallback callback)
{
    m_hooks->registerHook(hook, owner, context, std::move(callback));
}

bool EventBusPlugin::readEvents(const Query &query, Page *page, QString *errorString)
{
    return m_reader.readEvents(query, page, errorString);
}

bool EventBusPlugin::verifyChain(ChainReport *report, QString *errorString)
{
    return m_reader.verifyChain(report, errorString);
}

QList<MetricsService::Metric> EventBusPlugin::metrics() const
{
    QList<Metric> metrics = m_bus->serviceMetrics();
    if (m_log)
        metrics += m_log->serviceMetrics();
    if (m_stream)
        metrics += m_stream->serviceMetrics();
    if (m_webhooks)
        metrics += m_webhooks->serviceMetrics();
    if (m_web)
        metrics += m_web->serviceMetrics();
    return metrics;
}

bool EventBusPlugin::listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                                    QString *errorString)
{
    return m_webhooks->listDeliveries(query, deliveries, errorString);
}

bool EventBusPlugin::redeliver(qint64 deliveryId, int *count, QString *errorString)
{
    return m_webhooks->redeliver(deliveryId, count, errorString);
}

bool EventBusPlugin::listWebhookEndpoints(QList<QJsonObject> *endpoints, QString *errorString)
{
    return m_webhooks->listWebhookEndpoints(endpoints, errorString);
}

WebhookService::EndpointAnswer EventBusPlugin::createWebhookEndpoint(const QJsonObject &definition)
{
    return m_webhooks->createWebhookEndpoint(definition);
}

WebhookService::EndpointAnswer EventBusPlugin::updateWebhookEndpoint(const QString &id,
                                                                     const QJsonObject &changes)
{
    return m_webhooks->updateWebhookEndpoint(id, changes);
}

WebhookService::EndpointAnswer EventBusPlugin::deleteWebhookEndpoint(const QString &id)
{
    return m_webhooks->deleteWebhookEndpoint(id);
}

WebhookService::EndpointAnswer EventBusPlugin::rotateWebhookSecret(const QString &id,
                                                                   qint64 graceMs)
{
    return m_webhooks->rotateWebhookSecret(id, graceMs);
}

void EventBusPlugin::sendTestWebhook(const QUrl &url, QObject *context,
                                     std::function<void(const QJsonObject &answer)> done)
{
    m_webhooks->sendTestWebhook(url, context, std::move(done));
}

void EventBusPlugin::sendTestToEndpoint(const QString &id, QObject *context,
                                        std::function<void(const QJsonObject &answer)> done)
{
    m_webhooks->sendTestToEndpoint(id, context, std::move(done));
}

bool EventBusPlugin::redeliverDeadOf(const QString &endpoint, int *count, QString *errorString)
{
    return m_webhooks->redeliverDeadOf(endpoint, count, errorString);
}

} // namespace Pyrite
