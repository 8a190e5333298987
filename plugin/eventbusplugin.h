#pragma once

#include "pyriteplugin.h"

#include <QObject>

#include <memory>

class QThread;

namespace Pyrite {

class EventBus;
class TranslationLoader;
namespace Internal {
class CredentialLogFilter;
class EventLog;
class GraphModel;
class HttpApi;
class HookAdapter;
class StreamServer;
class WebhookDispatcher;
class WebhookTester;
class PluginSettings;
} // namespace Internal

// The plugin's root object: Pyrite's plugin interface on the outside, the event bus inside.
class EventBusPlugin final : public QObject,
                             public PyritePlugin,
                             public EventBusService,
                             public EventLogService,
                             public MetricsService,
                             public WebhookService
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PyritePlugin_iid FILE "eventbus.json")
    Q_INTERFACES(Pyrite::PyritePlugin Pyrite::EventBusService Pyrite::EventLogService
                         Pyrite::MetricsService Pyrite::WebhookService)
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
    void unsubscribeEvents(quint64 subscriptionId) override;
    void registerHook(Hook hook, const QString &owner, QObject *context,
                      HookCallback callback) override;

    // EventLogService
    bool readEvents(const Query &query, Page *page, QString *errorString) override;

    // MetricsService
    QList<Metric> metrics() const override;

    // WebhookService
    bool listDeliveries(const DeliveryQuery &query, QList<QJsonObject> *deliveries,
                        QString *errorString) override;
    bool redeliver(qint64 deliveryId, int *count, QString *errorString) override;
    QList<QJsonObject> webhookEndpoints() const override;
    void sendTestWebhook(const QUrl &url, QObject *context,
                         std::function<void(const QJsonObject &answer)> done) override;

private:
    bool openEventLog(bool readOnly, QString *errorString);
    bool startStreamServer(QString *errorString);
    void startWebhooks();
    void stopWebhooks();
    void startHttpApi(const QList<KnowledgeBase> &knowledgeBases);

    EventBus *m_bus;
    Internal::HookAdapter *m_hooks;
    Internal::EventLog *m_log = nullptr;
    Internal::StreamServer *m_stream = nullptr;
    Internal::GraphModel *m_graph = nullptr;
    Internal::HttpApi *m_http = nullptr;
    Internal::WebhookDispatcher *m_webhooks = nullptr;
    Internal::WebhookTester *m_webhookTester = nullptr;
    std::unique_ptr<QThread> m_webhookThread;
    std::unique_ptr<Internal::CredentialLogFilter> m_credentialFilter;
    std::unique_ptr<Internal::PluginSettings> m_settings;
    std::unique_ptr<TranslationLoader> m_translations;
    bool m_initialized = false;
    QString m_jsonEventId;
    QJsonObject m_jsonEvent;
};

} // namespace Pyrite
