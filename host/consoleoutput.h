#pragma once

// What pyrite-host's commands print: answers on stdout (flushed at once, a reader may be waiting
// line by line), messages on stderr. Shared by HostApplication and the command classes.

#include <QString>

#include <cstdio>

namespace Pyrite::Host {

inline void printOut(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

inline void printErr(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stderr);
}

} // namespace Pyrite::Host
