#include "eventfeed.h"

#include "eventlog.h"

#include "bus/eventbus.h"

namespace Pyrite::Internal {

EventFeed::EventFeed(EventBus *bus, EventLog *log, QObject *parent)
    : QObject(parent),
      m_log(log)
{
    if (m_log) {
        connect(m_log, &EventLog::eventsStored, this, &EventFeed::eventsArrived);
        connect(m_log, &EventLog::remoteEventsReceived, this, &EventFeed::eventsArrived);
    } else {
        connect(bus, &EventBus::eventPublished, this,
                [this](const Event &event) { Q_EMIT eventsArrived({event}); });
    }
}

} // namespace Pyrite::Internal
