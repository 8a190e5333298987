#pragma once

#include <QByteArray>
#include <QList>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace Pyrite::Python {

// Messages (event JSON, log lines) handed from the Qt thread to a Python thread that waits for
// them with the GIL released. Bounded: past `limit` the oldest message is dropped and counted, so
// that a subscriber that stopped reading cannot grow memory without bound; the Qt thread never
// waits here.
class MessageQueue
{
public:
    explicit MessageQueue(size_t limit)
        : m_limit(limit)
    { }

    void push(QByteArray message);
    // Up to `max` messages; waits up to timeoutMs for the first. Empty after a timeout or once the
    // queue is closed and drained.
    QList<QByteArray> take(size_t max, int timeoutMs);
    // Wakes every waiter; take() returns what is left, then nothing.
    void close();
    bool isClosed() const;
    // Dropped since the last call.
    quint64 takeDropped();

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<QByteArray> m_messages;
    size_t m_limit;
    quint64 m_dropped = 0;
    bool m_closed = false;
};

} // namespace Pyrite::Python
