#pragma once

#include <QtGlobal>

namespace Pyrite {

// Resident memory of this process in bytes, from /proc/self/statm; 0 when it cannot be read.
qint64 residentBytes();
inline double residentMegabytes()
{
    return double(residentBytes()) / 1048576.0;
}

} // namespace Pyrite
