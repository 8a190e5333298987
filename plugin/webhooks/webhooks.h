#pragma once

#include "outbox.h"
#include "webhookdispatcher.h"
#include "webhooksettings.h"

#include "interface/pyriteplugin.h"

#include <QObject>

#include <memory>

class QThread;

namespace Pyrite::Internal {

class EventLog;
class LogParticipant;
class Outbox;
class WebhookDispatcher;
class WebhookTester;

// The webhooks room as the plugin sees it (docs/webhooks.md): the outbox it adds to the event log,
// the dispatcher in a thread of its own, and the operations of the WebhookService interface
// (deliveries, redeliver, endpoints, test) for the host's commands and the HTTP API.
class Webhooks final : public QObject, public WebhookService
{
    Q_OBJECT
    Q_DISABLE_COPY(Webhooks)

public:
    // instance: this instance's name (claims in a shared outbox); exampleSource: the CloudEvents
    // source of the sample event a test sends.
    Webhooks(const WebhookSettings &settings, const QString &instance, const QString &exampleSource,
             QObject *parent = nullptr);
    ~Webhooks() override;

    // The outbox, for the event log to run in its transactions; add it before the log opens.
    std::shared_ptr<LogParticipant> outbox() const;
    // The log the operations read and write; null while it is off.
    void setLog(EventLog *log) { m_log = log; }
    // Starts sending what the outbox holds (there must be endpoints and a log).
    void start();
    // Stops sending; returns once the attempts made are recorded.
    void stop();
    bool isSending() const { return m_dispatcher != nullptr; }

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

    // For /metrics and the bridge's "metrics" op; empty while not sending.
    QList<MetricsService::Metric> serviceMetrics() const;

private:
    // An endpoint's "health" in listings: its deliveries and, where it sends, the dispatcher's
    // view.
    static QJsonObject healthJson(const QJsonObject &endpoint,
                                  const QHash<QString, Outbox::EndpointCounts> &counts,
                                  const QHash<QString, WebhookDispatcher::EndpointHealth> &health,
                                  bool sending);
    // After a change: the dispatcher reads the endpoints again.
    EndpointAnswer changed(const EndpointAnswer &answer);
    // Runs work with the outbox on the log's thread and waits for it.
    bool withOutbox(QString *errorString, const std::function<bool(Outbox &)> &work);
    // An endpoint id, or the URL of exactly one configured endpoint, to its id.
    bool resolveEndpoint(const QString &idOrUrl, QString *id, QString *errorString) const;

    WebhookSettings m_settings;
    QString m_instance;
    QString m_exampleSource;
    EventLog *m_log = nullptr;
    std::shared_ptr<LogParticipant> m_outbox;
    WebhookDispatcher *m_dispatcher = nullptr;
    std::unique_ptr<QThread> m_thread;
    WebhookTester *m_tester = nullptr;
};

} // namespace Pyrite::Internal
