#include "eventidgenerator.h"

#include <QRandomGenerator>

#include <cstring>

namespace Pyrite::Internal {

namespace {
constexpr char Alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

EventIdGenerator::EventIdGenerator()
    // Seeded once from the system's entropy; a fast PRNG keeps next() off the syscall path.
    : m_random(QRandomGenerator::system()->generate64())
{ }

QString EventIdGenerator::next(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch <= m_lastMsecs) {
        // Same (or an earlier, if the clock stepped back) millisecond: stay monotonic.
        msecsSinceEpoch = m_lastMsecs;
        if (++m_randomLow == 0)
            ++m_randomHigh;
    } else {
        m_lastMsecs = msecsSinceEpoch;
        m_randomLow = m_random();
        // Leave headroom so increments within one millisecond never wrap the 80 bits.
        m_randomHigh = quint16(m_random() & 0x7fff);
    }

    QString id(26, Qt::Uninitialized);
    QChar *out = id.data();
    quint64 time = quint64(msecsSinceEpoch) & ((quint64(1) << 48) - 1);
    for (int i = 9; i >= 0; --i) {
        out[i] = QLatin1Char(Alphabet[time & 31]);
        time >>= 5;
    }
    // 80 random bits = 16 characters of 5 bits, taken from the low end upwards.
    quint64 low = m_randomLow;
    quint64 high = m_randomHigh;
    for (int i = 25; i >= 10; --i) {
        out[i] = QLatin1Char(Alphabet[low & 31]);
        low = (low >> 5) | ((high & 31) << 59);
        high >>= 5;
    }
    return id;
}

bool EventIdGenerator::isValid(QStringView id)
{
    if (id.size() != 26 || id.front() > u'7')
        return false;
    for (QChar c : id) {
        const char latin1 = c.toLatin1();
        if (latin1 == 0 || !std::strchr(Alphabet, latin1))
            return false;
    }
    return true;
}

} // namespace Pyrite::Internal
