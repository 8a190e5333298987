#pragma once

#include "webhookstr.h"
#include <QCoreApplication>
#include <QHostAddress>

namespace Pyrite::Internal {

// Which addresses a webhook may be sent to without "allow_private: true": a URL whose host
// resolves to loopback, private, shared (CGNAT), link-local, multicast, reserved or unspecified
// addresses could reach services that trust the host's network (server-side request forgery).
class WebhookAddressPolicy
{

public:
    static bool isPublic(const QHostAddress &address);
    static QString refusal(const QString &host, const QHostAddress &address)
    {
        return WebhooksTr::tr(
                       "refused: %1 resolves to %2, a loopback, private, link-local or multicast "
                       "address (set allow_private: true to allow it)")
                .arg(host, address.toString());
    }
    static QString unresolvable(const QString &host, const QString &error)
    {
        return WebhooksTr::tr("cannot resolve %1: %2").arg(host, error);
    }
};

} // namespace Pyrite::Internal
