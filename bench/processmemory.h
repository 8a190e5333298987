#pragma once

#include <QFile>
#include <QList>

#include <unistd.h>

// Resident memory of this process in MB, from /proc/self/statm; 0 when it cannot be read.
inline double rssMegabytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1
            ? double(fields.at(1).toLongLong()) * double(sysconf(_SC_PAGESIZE)) / 1048576.0
            : 0;
}
