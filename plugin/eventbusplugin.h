#pragma once

#include "accesspolicy.h"
#include "eventlog/eventlogreader.h"
#include "interface/pyriteplugin.h"
#include "pluginsettings.h"

#include <QObject>

#include <memory>

class QTimer;

namespace Pyrite {

class EventBus;
class EventFilter;
class TranslationLoader;
namespace Internal {
class CredentialLogFilter;
class EventFeed;
class EventLog;
class GraphModel;
class HookAdapter;
class HttpApi;
class StreamServer;
class WebServer;
class Webhooks;
} // namespace Internal

// The plugin's root object: Pyrite's plugin interface and the services on the outside; inside, it
// only owns the rooms (bus, event log, webhooks, streams, HTTP) and wires them together. The
// members are in wiring order: each may use those above it.
class EventBusPlugin final : public QObject,
                             public PyritePlugin,
                             public EventBusService,
                             public EventLogService,
                             public MetricsService,
                             public WebhookService,
                             public KnowledgeBaseProblems
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PyritePlugin_iid FILE "eventbus.json")
    Q_INTERFACES(
            Pyrite::PyritePlugin Pyrite::EventBusService Pyrite::EventLogService
                    Pyrite::MetricsService Pyrite::WebhookService Pyrite::KnowledgeBaseProblems)
    Q_DISABLE_COPY(EventBusPlugin)

public:
    explicit EventBusPlugin(QObject *parent = nullptr);
    ~EventBusPlugin() override;

    // PyritePlugin
    QString name() const override;
    QList<Hook> hooks() const override;
    bool initialize(const QVariantMap &settings, const HostContext &context,
                    QString *errorString) override;
    void shutdown() override;
    HookResult callHook(Hook hook, const QVariantMap &entry, const HookContext &context) override;
    bool notify(Notification notification, const QVariantMap &payload, const HookContext &context,
                QString *errorString) override;

    // EventBusService
    quint64 subscribeEvents(const QStringList &typePatterns, const QString &kb,
                            const QString &entryType, QObject *context, EventObserver observer,
                            QString *errorString) override;
    quint64 subscribeStoredEvents(const QStringList &typePatterns, const QString &kb,
                                  const QString &entryType, QObject *context,
                                  EventObserver observer, QString *errorString) override;
    void unsubscribeEvents(quint64 subscriptionId) override;
    void registerHook(Hook hook, const QString &owner, QObject *context,
                      HookCallback callback) override;

    // EventLogService
    bool readEvents(const Query &query, Page *page, QString *errorString) override;
    bool verifyChain(ChainReport *report, QString *errorString) override;

    // KnowledgeBaseProblems: listed on the graph page (GET /api/problems).
    void setKnowledgeBaseProblems(const QString &kb, const QStringList &problems) override;

    // MetricsService: every room's figures.
    QList<Metric> metrics() const override;

    // WebhookService
    bool listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                        QString *errorString) override;
    bool redeliver(qint64 deliveryId, int *count, QString *errorString) override;
    bool listWebhookEndpoints(QList<QJsonObject> *endpoints, QString *errorString) override;
    EndpointAnswer createWebhookEndpoint(const QJsonObject &definition) override;
    EndpointAnswer updateWebhookEndpoint(const QString &id, const QJsonObject &changes) override;
    EndpointAnswer deleteWebhookEndpoint(const QString &id) override;
    EndpointAnswer rotateWebhookSecret(const QString &id, qint64 graceMs) override;
    void sendTestToEndpoint(const QString &id, QObject *context,
                            std::function<void(const QJsonObject &answer)> done) override;
    bool redeliverDeadOf(const QString &endpoint, int *count, QString *errorString) override;
    void sendTestWebhook(const QUrl &url, QObject *context,
                         std::function<void(const QJsonObject &answer)> done) override;

private:
    bool openEventLog(bool readOnly, QString *errorString);
    // Serves now, later or never, as the serve setting says.
    bool startServing(QString *errorString);
    // Binds the address and starts streams, webhook dispatch and HTTP; false when the address is
    // taken (*addressInUse) or cannot be bound.
    bool serve(QString *errorString, bool *addressInUse);
    // Serve::Auto: tries now and again every few seconds until the address is free.
    void tryServing();
    bool listen(QString *errorString, bool *addressInUse);
    void startHttpApi();
    bool filterFrom(const QStringList &typePatterns, const QString &kb, const QString &entryType,
                    EventFilter *filter, QString *errorString) const;

    std::unique_ptr<TranslationLoader> m_translations;
    Internal::PluginSettings m_settings;
    std::unique_ptr<Internal::CredentialLogFilter> m_credentialFilter;
    EventBus *m_bus;
    Internal::HookAdapter *m_hooks;
    std::unique_ptr<Internal::Webhooks> m_webhooks;
    std::unique_ptr<Internal::EventLog> m_log;
    Internal::EventLogReader m_reader;
    std::unique_ptr<Internal::EventFeed> m_feed;
    Internal::AccessPolicy m_access;
    std::unique_ptr<Internal::WebServer> m_web;
    std::unique_ptr<Internal::StreamServer> m_stream;
    std::unique_ptr<Internal::GraphModel> m_graph;
    std::unique_ptr<Internal::HttpApi> m_http;
    QList<KnowledgeBase> m_knowledgeBases;
    QTimer *m_serveTimer = nullptr;
    bool m_writerOnlyReported = false;
    bool m_initialized = false;
};

} // namespace Pyrite
