#pragma once

#include <QCoreApplication>

namespace Pyrite::Internal {

// The translation context of the event log room (one per room, as Qt Creator's Tr structs).
struct EventLogTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::EventLog)
};

} // namespace Pyrite::Internal
