#pragma once

#include <QCoreApplication>

namespace Pyrite::Internal {

// The translation context of the webhooks room (one per room, as Qt Creator's Tr structs).
struct WebhooksTr
{
    Q_DECLARE_TR_FUNCTIONS(Pyrite::Webhooks)
};

} // namespace Pyrite::Internal
