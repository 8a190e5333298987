#pragma once

#include <QHostAddress>

namespace Pyrite::Internal {

// Which addresses a webhook may be sent to without "allow_private: true": a URL whose host
// resolves to loopback, private, shared (CGNAT), link-local, multicast, reserved or unspecified
// addresses could reach services that trust the host's network (server-side request forgery).
class WebhookAddressPolicy
{
public:
    static bool isPublic(const QHostAddress &address);
};

} // namespace Pyrite::Internal
