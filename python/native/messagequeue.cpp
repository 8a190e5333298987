#include "messagequeue.h"

#include <chrono>

namespace Pyrite::Python {

void MessageQueue::push(QByteArray message)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_closed)
            return;
        if (m_messages.size() >= m_limit) {
            m_messages.pop_front();
            ++m_dropped;
        }
        m_messages.push_back(std::move(message));
    }
    m_ready.notify_one();
}

QList<QByteArray> MessageQueue::take(size_t max, int timeoutMs)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_ready.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                     [this] { return !m_messages.empty() || m_closed; });
    QList<QByteArray> taken;
    while (!m_messages.empty() && size_t(taken.size()) < max) {
        taken.append(std::move(m_messages.front()));
        m_messages.pop_front();
    }
    return taken;
}

void MessageQueue::close()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closed = true;
    }
    m_ready.notify_all();
}

bool MessageQueue::isClosed() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_closed;
}

quint64 MessageQueue::takeDropped()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::exchange(m_dropped, 0);
}

} // namespace Pyrite::Python
