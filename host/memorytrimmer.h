#pragma once

#include <QObject>

class QTimer;

namespace Pyrite::Host {

// Gives the heap's free pages back to the system now and then (glibc's malloc_trim).
//
// Bursts leave memory behind: a thousand stream clients that fall a few hundred milliseconds
// behind hold tens of MiB of frames in their sockets' buffers for a moment. Freed again, glibc
// keeps those pages for reuse, and the next burst that does not fit the holes takes new ones,
// so the resident size creeps up to the largest bursts seen, far above what is in use. Trimming
// keeps it near what is in use. Elsewhere (other C libraries, sanitizer builds) it does nothing.
class MemoryTrimmer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(MemoryTrimmer)

public:
    static constexpr int DefaultIntervalMs = 10000;

    explicit MemoryTrimmer(QObject *parent = nullptr);

    static bool isAvailable();
    void start(int intervalMs = DefaultIntervalMs);
    void stop();
    // Trims now; false where it is not available. *releasedBytes: how much the resident size
    // went down.
    bool trimNow(qint64 *releasedBytes = nullptr);

Q_SIGNALS:
    void trimmed(qint64 releasedBytes, qint64 nanoseconds);

private:
    QTimer *m_timer;
};

} // namespace Pyrite::Host
