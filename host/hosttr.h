#pragma once

#include <QCoreApplication>

namespace Pyrite::Host {

// The translation context of pyrite-host (as Qt Creator's Tr structs).
struct HostTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Host)
};

} // namespace Pyrite::Host
