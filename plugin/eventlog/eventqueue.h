#pragma once

#include "bus/event.h"

#include <QList>
#include <QMutex>
#include <QWaitCondition>

#include <deque>

namespace Pyrite::Internal {

// Events on their way from the publish path (bus thread) to the log writer (log thread). Bounded:
// when full, the oldest waiting event is dropped and counted, never silently. Each event gets a
// ticket so that a publisher with durability "sync" can wait until its event is committed.
class EventQueue
{
public:
    struct Item
    {
        quint64 ticket;
        Event event;
    };
    enum class Outcome { Pending, Committed, Dropped, TimedOut };

    explicit EventQueue(int limit);

    // Returns the ticket. *wakeWriter is true when the writer has not been told of work yet.
    // willWait: the publisher (durability "sync") will waitFor() this ticket.
    quint64 push(const Event &event, bool willWait, bool *wakeWriter);
    Outcome waitFor(quint64 ticket, int timeoutMs);
    bool hasWaiter() const;

    QList<Item> take(int max);
    // A batch that could not be written goes back to the front, ahead of newer events.
    void requeue(const QList<Item> &items);
    void markCommitted(const QList<Item> &items);
    void writerWoken();

    int size() const;
    int limit() const { return m_limit; }
    quint64 droppedTotal() const;
    // Dropped since the last call: the writer reports these in one message.
    quint64 takeNewlyDropped();

private:
    void dropOldestLocked();

    mutable QMutex m_mutex;
    QWaitCondition m_committed;
    std::deque<Item> m_items;
    int m_limit;
    quint64 m_nextTicket = 1;
    bool m_writerNotified = false;
    quint64 m_dropped = 0;
    quint64 m_droppedReported = 0;
    quint64 m_waitTicket = 0;
    Outcome m_waitOutcome = Outcome::Pending;
};

} // namespace Pyrite::Internal
