#pragma once

#include "bus/event.h"
#include "bus/eventbus.h"

#include <QList>
#include <QObject>

namespace Pyrite::Internal {

class EventLog;

// The events that rooms delivering them (streams, the graph, in-process subscribers of stored
// events) see, from one place: with the event log on, each batch once it is stored (with its
// positions), and the events other processes or instances wrote to a shared log, in sequence
// order; with the log off (log null), each event as it is published on the bus.
class EventFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(EventFeed)

public:
    EventFeed(EventBus *bus, EventLog *log, QObject *parent = nullptr);

    // Null when the log is off: then events have no positions and cannot be replayed.
    EventLog *log() const { return m_log; }

    // Subscriptions to the feed's events, filtered as on the bus, delivered as CloudEvents JSON
    // (with sequence and epoch) on the feed's thread.
    quint64 subscribeJson(const EventFilter &filter, QObject *context,
                          EventBus::JsonHandler handler);
    bool unsubscribe(quint64 subscriptionId) { return m_subscribers.unsubscribe(subscriptionId); }
    int subscriptionCount() const { return m_subscribers.subscriptionCount(); }

Q_SIGNALS:
    void eventsArrived(const QList<Pyrite::Event> &events);

private:
    void deliver(const QList<Event> &events);

    EventLog *m_log;
    // Hands each event to the subscriptions (a bus keeps the ids and times it is given).
    EventBus m_subscribers;
};

} // namespace Pyrite::Internal
