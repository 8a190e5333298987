#include "webhookendpoint.h"

#include "bus/event.h"

namespace Pyrite::Internal {

bool WebhookEndpoint::matches(const Event &event) const
{
    if (!scopeKb.isEmpty() && event.kb() != scopeKb)
        return false;
    return filter.matches(event);
}

QList<QByteArray> WebhookEndpoint::signingSecrets(qint64 timeMs) const
{
    if (previousSecret.isEmpty() || timeMs >= previousSecretUntilMs)
        return secrets;
    return secrets + QList<QByteArray>{previousSecret};
}

} // namespace Pyrite::Internal
