#include "eventfeed.h"

#include "eventlog.h"

#include "bus/eventbus.h"

namespace Pyrite::Internal {

EventFeed::EventFeed(EventBus *bus, EventLog *log, QObject *parent)
    : QObject(parent),
      m_log(log)
{
    connect(this, &EventFeed::eventsArrived, this, &EventFeed::deliver);
    if (m_log) {
        connect(m_log, &EventLog::eventsStored, this, &EventFeed::eventsArrived);
        connect(m_log, &EventLog::remoteEventsReceived, this, &EventFeed::eventsArrived);
    } else {
        connect(bus, &EventBus::eventPublished, this,
                [this](const Event &event) { Q_EMIT eventsArrived({event}); });
    }
}

quint64 EventFeed::subscribeJson(const EventFilter &filter, QObject *context,
                                 EventBus::JsonHandler handler)
{
    return m_subscribers.subscribeJson(filter, context, std::move(handler));
}

void EventFeed::deliver(const QList<Event> &events)
{
    if (m_subscribers.subscriptionCount() == 0)
        return;
    for (const Event &event : events)
        m_subscribers.publish(event);
}

} // namespace Pyrite::Internal
