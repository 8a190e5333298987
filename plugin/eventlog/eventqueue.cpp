#include "eventqueue.h"

#include <QDeadlineTimer>

namespace Pyrite::Internal {

EventQueue::EventQueue(int limit)
    : m_limit(std::max(1, limit))
{ }

void EventQueue::dropOldestLocked()
{
    const quint64 ticket = m_items.front().ticket;
    m_items.pop_front();
    ++m_dropped;
    if (ticket == m_waitTicket) {
        m_waitOutcome = Outcome::Dropped;
        m_committed.wakeAll();
    }
}

quint64 EventQueue::push(const Event &event, bool willWait, bool *wakeWriter)
{
    QMutexLocker locker(&m_mutex);
    while (int(m_items.size()) >= m_limit)
        dropOldestLocked();
    const quint64 ticket = m_nextTicket++;
    if (willWait) {
        m_waitTicket = ticket;
        m_waitOutcome = Outcome::Pending;
    }
    m_items.push_back(Item{ticket, event});
    *wakeWriter = !m_writerNotified;
    m_writerNotified = true;
    return ticket;
}

bool EventQueue::hasWaiter() const
{
    QMutexLocker locker(&m_mutex);
    return m_waitTicket != 0 && m_waitOutcome == Outcome::Pending;
}

EventQueue::Outcome EventQueue::waitFor(quint64 ticket, int timeoutMs)
{
    QMutexLocker locker(&m_mutex);
    QDeadlineTimer deadline(timeoutMs);
    while (m_waitTicket == ticket && m_waitOutcome == Outcome::Pending) {
        if (!m_committed.wait(&m_mutex, deadline))
            break;
    }
    const Outcome outcome = m_waitTicket == ticket && m_waitOutcome != Outcome::Pending
            ? m_waitOutcome
            : Outcome::TimedOut;
    m_waitTicket = 0;
    return outcome;
}

QList<EventQueue::Item> EventQueue::take(int max)
{
    QMutexLocker locker(&m_mutex);
    QList<Item> batch;
    const int count = std::min<int>(max, int(m_items.size()));
    batch.reserve(count);
    for (int i = 0; i < count; ++i) {
        batch.append(std::move(m_items.front()));
        m_items.pop_front();
    }
    return batch;
}

void EventQueue::requeue(const QList<Item> &items)
{
    QMutexLocker locker(&m_mutex);
    for (auto it = items.crbegin(); it != items.crend(); ++it)
        m_items.push_front(*it);
    while (int(m_items.size()) > m_limit)
        dropOldestLocked();
}

void EventQueue::markCommitted(const QList<Item> &items)
{
    QMutexLocker locker(&m_mutex);
    if (m_waitTicket == 0 || items.isEmpty())
        return;
    if (m_waitTicket >= items.constFirst().ticket && m_waitTicket <= items.constLast().ticket) {
        m_waitOutcome = Outcome::Committed;
        m_committed.wakeAll();
    }
}

void EventQueue::writerWoken()
{
    QMutexLocker locker(&m_mutex);
    m_writerNotified = false;
}

int EventQueue::size() const
{
    QMutexLocker locker(&m_mutex);
    return int(m_items.size());
}

quint64 EventQueue::droppedTotal() const
{
    QMutexLocker locker(&m_mutex);
    return m_dropped;
}

quint64 EventQueue::takeNewlyDropped()
{
    QMutexLocker locker(&m_mutex);
    const quint64 newly = m_dropped - m_droppedReported;
    m_droppedReported = m_dropped;
    return newly;
}

} // namespace Pyrite::Internal
