#pragma once

#include "event.h"
#include "eventfilter.h"
#include "eventidgenerator.h"
#include "subscriptionindex.h"

#include "interface/pyriteplugin.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <unordered_map>

namespace Pyrite {

// The in-process event bus. publish() stamps an event (id, time, source), hands it to every
// matching subscriber in subscription order, then emits eventPublished() for the rooms that
// queue work of their own (log, streams, webhooks). It lives on one thread: publish, subscribe
// and unsubscribe are called there (a host may publish from another thread while its thread
// waits parked and cannot run: Pyrite's process does, docs/python.md). A subscriber that throws is logged and reported through
// subscriberFailed(); the others still get the event.
class EventBus : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(EventBus)

public:
    using Handler = std::function<void(const Event &event)>;

    explicit EventBus(QObject *parent = nullptr);
    ~EventBus() override;

    // The subscription ends with unsubscribe() or when context is destroyed. Returns its id.
    quint64 subscribe(const EventFilter &filter, QObject *context, Handler handler);
    // The same for observers of the CloudEvents JSON (EventBusService): the observers of one event
    // share one conversion.
    using JsonHandler = std::function<void(const QJsonObject &cloudEvent)>;
    quint64 subscribeJson(const EventFilter &filter, QObject *context, JsonHandler handler);
    bool unsubscribe(quint64 subscriptionId);
    int subscriptionCount() const { return m_index.size(); }

    // Sets id and time when the event has none; keeps those of a replayed or remote event.
    void publish(Event event);

    // Authority of the CloudEvents "source": pyrite://<instance>/kb/<kb>.
    QString instanceName() const { return m_instanceName; }
    void setInstanceName(const QString &name);
    QString sourceFor(const QString &kb) const;

    quint64 publishedCount() const { return m_publishedCount; }
    quint64 deliveredCount() const { return m_deliveredCount; }
    quint64 failedDeliveryCount() const { return m_failedDeliveryCount; }
    // Events published and subscriptions, for /metrics and the bridge's "metrics" op.
    QList<MetricsService::Metric> serviceMetrics() const;

Q_SIGNALS:
    void eventPublished(const Pyrite::Event &event);
    void subscriberFailed(quint64 subscriptionId, const QString &message);

private:
    struct Subscription
    {
        Handler handler;
        QMetaObject::Connection contextConnection;
        bool removed = false;
    };

    void deliver(quint64 id, const Subscription &subscription, const Event &event);

    Internal::SubscriptionIndex m_index;
    std::unordered_map<quint64, std::unique_ptr<Subscription>> m_subscriptions;
    // Unsubscribed while an event was being delivered: freed when the outermost publish() ends.
    std::vector<std::unique_ptr<Subscription>> m_removedDuringPublish;
    Internal::EventIdGenerator m_ids;
    Internal::SubscriptionIndex::MatchList m_matches;
    quint64 m_nextId = 1;
    int m_publishDepth = 0;
    QString m_instanceName;
    QString m_sourcePrefix;
    mutable QHash<QString, QString> m_sources;
    quint64 m_publishedCount = 0;
    quint64 m_deliveredCount = 0;
    quint64 m_failedDeliveryCount = 0;
    // The last event converted for subscribeJson() observers.
    QString m_jsonEventId;
    QJsonObject m_jsonEvent;
};

} // namespace Pyrite
