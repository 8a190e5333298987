#pragma once

#include <QHash>
#include <QHostAddress>

class QTcpSocket;

namespace Pyrite::Internal {

// One kind of connection slot on the plugin's address (connections that have not sent a request
// yet, or HTTP connections), capped in all and per peer address. When the cap is reached, a
// newcomer does not get 503 while a connection waits for nothing from the server: it takes the
// slot of the oldest one that is idle between requests, or that has been sending its request for
// longer than GraceMs (a well-behaved client sends a request at once; one that trickles bytes to
// hold the slot does not). Only when every slot is busy, or all of the address's are, the
// newcomer is refused. Bookkeeping only: HttpListener closes what it is told to.
class ConnectionSlots
{
public:
    enum class State {
        Idle,      // between requests: waits for the client
        Receiving, // a request has begun to arrive (or, not yet read: connected)
        Busy,      // the request is complete; its answer is being made or sent
    };
    enum class Admission { Admitted, Evict, Refused, RefusedForAddress };
    struct Decision
    {
        Admission admission = Admission::Admitted;
        QTcpSocket *victim = nullptr; // with Evict: close this one, then add the newcomer
    };

    static constexpr qint64 GraceMs = 1000;

    ConnectionSlots(int maximum, int maximumPerAddress)
        : m_maximum(maximum),
          m_maximumPerAddress(maximumPerAddress)
    { }

    void setLimits(int maximum, int perAddress)
    {
        m_maximum = maximum;
        m_maximumPerAddress = perAddress;
    }
    int maximum() const { return m_maximum; }
    int maximumPerAddress() const { return m_maximumPerAddress; }
    int count() const { return int(m_slots.size()); }
    int countFor(const QHostAddress &address) const;

    // Whether a connection from address fits, at nowMs (a monotonic clock in milliseconds).
    Decision admit(const QHostAddress &address, qint64 nowMs) const;
    void add(QTcpSocket *socket, const QHostAddress &address, State state, qint64 nowMs);
    // Does nothing for a socket that is not in (closed, or moved to the other kind).
    void setState(QTcpSocket *socket, State state, qint64 nowMs);
    State state(QTcpSocket *socket) const;
    void remove(QTcpSocket *socket);

private:
    struct Slot
    {
        QHostAddress address;
        State state;
        qint64 since;  // when it entered state
        quint64 order; // the same as a count: which of two entered it first, within a millisecond
    };
    // The oldest slot another may take (of one address when given), or nullptr.
    QTcpSocket *evictable(qint64 nowMs, const QHostAddress *address) const;
    static QHostAddress normalized(const QHostAddress &address);

    int m_maximum;
    int m_maximumPerAddress;
    QHash<QTcpSocket *, Slot> m_slots;
    QHash<QHostAddress, int> m_perAddress;
    quint64 m_changes = 0;
};

} // namespace Pyrite::Internal
