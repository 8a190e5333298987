#pragma once

#include <QString>

#include <random>

namespace Pyrite::Internal {

// Event ids as ULIDs: 48 bits of milliseconds and 80 random bits in Crockford base32, 26 chars.
// They sort by time, and ids made within the same millisecond by one generator increase
// monotonically (the random part is incremented), so sorting by id keeps publish order.
class EventIdGenerator
{
public:
    EventIdGenerator();

    QString next(qint64 msecsSinceEpoch);

    static bool isValid(QStringView id);

private:
    std::mt19937_64 m_random;
    qint64 m_lastMsecs = -1;
    quint16 m_randomHigh = 0; // top 16 of the 80 random bits
    quint64 m_randomLow = 0;  // low 64
};

} // namespace Pyrite::Internal
