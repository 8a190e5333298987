#pragma once

#include <QCoreApplication>

namespace Pyrite::Internal {

// The translation context of the streams room (one per room, as Qt Creator's Tr structs).
struct StreamsTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Streams)
};

} // namespace Pyrite::Internal
