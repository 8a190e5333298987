#pragma once

#include <QtGlobal>

namespace Pyrite {

// Resident memory of this process in bytes, from /proc/self/statm; 0 when it cannot be read.
qint64 residentBytes();
inline double residentMegabytes()
{
    return double(residentBytes()) / 1048576.0;
}

// Whether malloc() is glibc's own: not without glibc, nor under a sanitizer, whose allocator
// keeps a heap of its own (then malloc_trim() and mallinfo2() tell nothing).
bool hasGlibcHeap();

// Heap bytes this process has allocated and not freed (glibc's mallinfo2); -1 without
// hasGlibcHeap(). Unlike the resident size, it counts what was allocated but never touched.
qint64 heapInUseBytes();

} // namespace Pyrite
