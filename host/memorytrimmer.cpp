#include "memorytrimmer.h"

#include "hostlogging.h"
#include "processmemory.h"

#include <QElapsedTimer>
#include <QTimer>

#if defined(__GLIBC__)
#    include <malloc.h>
#endif

namespace Pyrite::Host {

MemoryTrimmer::MemoryTrimmer(QObject *parent)
    : QObject(parent),
      m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, [this] { trimNow(); });
}

bool MemoryTrimmer::isAvailable()
{
    return hasGlibcHeap(); // a sanitizer's allocator keeps its own heap
}

void MemoryTrimmer::start(int intervalMs)
{
    if (!isAvailable() || intervalMs <= 0)
        return;
    // Coarse: the moment does not matter, and the loop should not wake up for it specially.
    m_timer->setTimerType(Qt::CoarseTimer);
    m_timer->start(intervalMs);
}

void MemoryTrimmer::stop()
{
    m_timer->stop();
}

bool MemoryTrimmer::trimNow(qint64 *releasedBytes)
{
    if (!isAvailable())
        return false;
#if defined(__GLIBC__)
    QElapsedTimer timer;
    timer.start();
    const qint64 before = residentBytes();
    malloc_trim(0);
    const qint64 after = residentBytes();
    const qint64 released = std::max<qint64>(0, before - after);
    const qint64 nanoseconds = timer.nsecsElapsed();
    if (releasedBytes)
        *releasedBytes = released;
    if (lcHostMemory().isDebugEnabled()) {
        // heapInUseBytes() walks the free lists: only when asked for.
        qCDebug(lcHostMemory).noquote()
                << QStringLiteral("gave %1 KiB of freed heap back to the system in %2 ms; "
                                  "resident %3 KiB, heap in use %4 KiB")
                           .arg(released / 1024)
                           .arg(double(nanoseconds) / 1e6, 0, 'f', 2)
                           .arg(after / 1024)
                           .arg(heapInUseBytes() / 1024);
    }
    Q_EMIT trimmed(released, nanoseconds);
#endif
    return true;
}

} // namespace Pyrite::Host
