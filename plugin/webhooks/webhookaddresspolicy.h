#pragma once

#include "webhookstr.h"
#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>

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
    // The check when an endpoint is saved (it is made again before sending, as addresses
    // change): *refusal when the URL's host is or resolves to an address that is not public;
    // a host that does not resolve now is only a *warning. Blocks for the DNS lookup: call it
    // from a worker thread or a command, never from the loop that serves.
    static bool admitsAtSave(const QUrl &url, QString *refusal, QString *warning);
};

} // namespace Pyrite::Internal
