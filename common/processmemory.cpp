#include "processmemory.h"

#include <QFile>
#include <QList>

#include <unistd.h>

#if defined(__GLIBC__)
#    include <malloc.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#    define PYRITE_SANITIZED_HEAP 1
#elif defined(__has_feature)
#    if __has_feature(address_sanitizer)
#        define PYRITE_SANITIZED_HEAP 1
#    endif
#endif

namespace Pyrite {

qint64 residentBytes()
{
    // statm: size resident shared text lib data dt, in pages.
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

bool hasGlibcHeap()
{
#if defined(__GLIBC__) && !defined(PYRITE_SANITIZED_HEAP)
    return true;
#else
    return false;
#endif
}

qint64 heapInUseBytes()
{
#if defined(__GLIBC__) && !defined(PYRITE_SANITIZED_HEAP)
    const struct mallinfo2 heap = mallinfo2(); // walks the free lists: not for hot paths
    return qint64(heap.uordblks + heap.hblkhd);
#else
    return -1;
#endif
}

} // namespace Pyrite
