#pragma once

#include "bus/event.h"

#include <QList>
#include <QObject>

namespace Pyrite {
class EventBus;
}

namespace Pyrite::Internal {

class EventLog;

// The events that rooms delivering them (streams, the graph) see, from one place: with the event
// log on, each batch once it is stored (with its positions), and the events other instances wrote
// to a shared log; with the log off (log null), each event as it is published on the bus.
class EventFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(EventFeed)

public:
    EventFeed(EventBus *bus, EventLog *log, QObject *parent = nullptr);

    // Null when the log is off: then events have no positions and cannot be replayed.
    EventLog *log() const { return m_log; }

Q_SIGNALS:
    void eventsArrived(const QList<Pyrite::Event> &events);

private:
    EventLog *m_log;
};

} // namespace Pyrite::Internal
