#pragma once

#include <QtGlobal>

namespace Pyrite {

// Resident memory of this process in bytes, from /proc/self/statm; 0 when it cannot be read.
qint64 residentBytes();
inline double residentMegabytes()
{
    return double(residentBytes()) / 1048576.0;
}

// Heap bytes this process has allocated and not freed (glibc's mallinfo2); -1 without glibc.
// Unlike the resident size, it counts what was allocated but never touched.
qint64 heapInUseBytes();

} // namespace Pyrite
