#pragma once

#include <QCoreApplication>

namespace Pyrite {

// The translation context of the bus room (one per room, as Qt Creator's Tr structs).
struct BusTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Bus)
};

} // namespace Pyrite
