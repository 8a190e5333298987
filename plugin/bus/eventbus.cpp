#include "eventbus.h"

#include "logging.h"

#include <QDateTime>
#include <QSysInfo>
#include <QThread>

#include <exception>

namespace Pyrite {

EventBus::EventBus(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Pyrite::Event>();
    setInstanceName(QSysInfo::machineHostName());
}

EventBus::~EventBus()
{
    for (auto &entry : m_subscriptions)
        disconnect(entry.second->contextConnection);
}

void EventBus::setInstanceName(const QString &name)
{
    m_instanceName = name.isEmpty() ? QStringLiteral("localhost") : name;
    m_sourcePrefix = QStringLiteral("pyrite://") + m_instanceName + QStringLiteral("/kb/");
    m_sources.clear();
}

QString EventBus::sourceFor(const QString &kb) const
{
    // Few KBs, many events: keep each source string once instead of building it per event.
    auto it = m_sources.constFind(kb);
    if (it == m_sources.cend())
        it = m_sources.insert(kb, m_sourcePrefix + kb);
    return *it;
}

quint64 EventBus::subscribe(const EventFilter &filter, QObject *context, Handler handler)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const quint64 id = m_nextId++;
    auto subscription = std::make_unique<Subscription>();
    subscription->handler = std::move(handler);
    if (context && context != this) {
        subscription->contextConnection =
                connect(context, &QObject::destroyed, this, [this, id] { unsubscribe(id); });
    }
    m_index.insert(id, filter, subscription.get());
    m_subscriptions.emplace(id, std::move(subscription));
    return id;
}

quint64 EventBus::subscribeJson(const EventFilter &filter, QObject *context, JsonHandler handler)
{
    return subscribe(filter, context, [this, handler = std::move(handler)](const Event &event) {
        // Delivery is synchronous on the bus thread, one event at a time.
        if (m_jsonEventId != event.id()) {
            m_jsonEvent = event.toJsonObject();
            m_jsonEventId = event.id();
        }
        handler(m_jsonEvent);
    });
}

bool EventBus::unsubscribe(quint64 subscriptionId)
{
    const auto it = m_subscriptions.find(subscriptionId);
    if (it == m_subscriptions.end())
        return false;
    disconnect(it->second->contextConnection);
    it->second->removed = true;
    if (m_publishDepth > 0)
        m_removedDuringPublish.push_back(std::move(it->second));
    m_subscriptions.erase(it);
    m_index.remove(subscriptionId);
    return true;
}

void EventBus::deliver(quint64 id, const Subscription &subscription, const Event &event)
{
    QString failure;
    try {
        subscription.handler(event);
        ++m_deliveredCount;
        return;
    } catch (const std::exception &e) {
        failure = QString::fromLocal8Bit(e.what());
    } catch (...) {
        failure = QStringLiteral("unknown exception");
    }
    ++m_failedDeliveryCount;
    qCWarning(lcBus).noquote() << "subscriber" << id << "failed on" << event.type() << event.id()
                               << ":" << failure;
    Q_EMIT subscriberFailed(id, failure);
}

void EventBus::publish(Event event)
{
    // (Not asserted to be on the bus's thread: a host may run a call in another thread while it
    // keeps the bus's thread parked, see EventBus's comment.)
    if (event.id().isEmpty()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        event.setTimeMsecs(now);
        event.setId(m_ids.next(now));
    }
    if (event.source().isEmpty())
        event.setSource(sourceFor(event.kb()));
    ++m_publishedCount;

    // A subscriber may publish in turn; the outer dispatch must not see its match list change.
    Internal::SubscriptionIndex::MatchList nested;
    Internal::SubscriptionIndex::MatchList &matches = m_publishDepth == 0 ? m_matches : nested;
    ++m_publishDepth;
    m_index.match(event, &matches);
    for (const Internal::SubscriptionIndex::Match &match : matches) {
        const auto *subscription = static_cast<const Subscription *>(match.userData);
        // An earlier subscriber may have removed this one; it stays allocated until we are done.
        if (!subscription->removed)
            deliver(match.id, *subscription, event);
    }
    if (--m_publishDepth == 0)
        m_removedDuringPublish.clear();
    Q_EMIT eventPublished(event);
}

QList<MetricsService::Metric> EventBus::serviceMetrics() const
{
    using Metric = MetricsService::Metric;
    return {Metric::counter("pyrite_bus_events_published_total", "Events published on the bus.",
                            double(m_publishedCount)),
            Metric::gauge("pyrite_bus_subscriptions", "Subscriptions on the bus.",
                          subscriptionCount())};
}

} // namespace Pyrite
