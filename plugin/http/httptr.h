#pragma once

#include <QCoreApplication>

namespace Pyrite::Internal {

// The translation context of the HTTP room (one per room, as Qt Creator's Tr structs).
struct HttpTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Http)
};

} // namespace Pyrite::Internal
