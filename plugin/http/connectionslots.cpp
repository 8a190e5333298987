#include "connectionslots.h"

namespace Pyrite::Internal {

int ConnectionSlots::countFor(const QHostAddress &address) const
{
    return m_perAddress.value(normalized(address));
}

ConnectionSlots::Decision ConnectionSlots::admit(const QHostAddress &address, qint64 nowMs) const
{
    const QHostAddress peer = normalized(address);
    // The address's own share first: past it, only its own connections make room.
    if (m_perAddress.value(peer) >= m_maximumPerAddress) {
        if (QTcpSocket *victim = evictable(nowMs, &peer))
            return {Admission::Evict, victim};
        return {Admission::RefusedForAddress, nullptr};
    }
    if (count() < m_maximum)
        return {};
    if (QTcpSocket *victim = evictable(nowMs, nullptr))
        return {Admission::Evict, victim};
    return {Admission::Refused, nullptr};
}

void ConnectionSlots::add(QTcpSocket *socket, const QHostAddress &address, State state,
                          qint64 nowMs)
{
    const QHostAddress peer = normalized(address);
    if (m_slots.contains(socket))
        return;
    m_slots.insert(socket, {peer, state, nowMs, ++m_changes});
    ++m_perAddress[peer];
}

void ConnectionSlots::setState(QTcpSocket *socket, State state, qint64 nowMs)
{
    const auto it = m_slots.find(socket);
    if (it == m_slots.end() || it->state == state)
        return;
    it->state = state;
    it->since = nowMs;
    it->order = ++m_changes;
}

ConnectionSlots::State ConnectionSlots::state(QTcpSocket *socket) const
{
    const auto it = m_slots.constFind(socket);
    return it == m_slots.constEnd() ? State::Busy : it->state;
}

void ConnectionSlots::remove(QTcpSocket *socket)
{
    const auto it = m_slots.constFind(socket);
    if (it == m_slots.constEnd())
        return;
    const auto count = m_perAddress.find(it->address);
    if (--*count == 0)
        m_perAddress.erase(count);
    m_slots.erase(it);
}

QTcpSocket *ConnectionSlots::evictable(qint64 nowMs, const QHostAddress *address) const
{
    // Linear, but only when full: a full table is the rare case, and a scan of a few thousand
    // entries costs microseconds.
    QTcpSocket *oldest = nullptr;
    quint64 oldestOrder = 0;
    bool oldestIdle = false;
    for (auto it = m_slots.cbegin(); it != m_slots.cend(); ++it) {
        const Slot &slot = it.value();
        if (address && slot.address != *address)
            continue;
        const bool idle = slot.state == State::Idle;
        const bool stalled = slot.state == State::Receiving && nowMs - slot.since >= GraceMs;
        if (!idle && !stalled)
            continue;
        // Idle ones go first: they lose nothing but a kept-alive connection.
        if (!oldest || (idle && !oldestIdle) || (idle == oldestIdle && slot.order < oldestOrder)) {
            oldest = it.key();
            oldestOrder = slot.order;
            oldestIdle = idle;
        }
    }
    return oldest;
}

QHostAddress ConnectionSlots::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

} // namespace Pyrite::Internal
