#include "hostoriginrefusal.h"

#include "httptr.h"

#include "accesspolicy.h"

namespace Pyrite::Internal {

std::optional<HostOriginRefusal>
HostOriginRefusal::of(const AccessPolicy &access, const QByteArray &host, const QByteArray &origin)
{
    if (!access.admitsHost(host)) {
        const QString name = QString::fromLatin1(host);
        return HostOriginRefusal{
                421, "Misdirected Request",
                HttpTr::tr("Host \"%1\" is not this server (stream.allowed_hosts)").arg(name),
                QStringLiteral("for host ") + name};
    }
    if (!access.admitsOrigin(origin, host)) {
        const QString name = QString::fromLatin1(origin);
        return HostOriginRefusal{
                403, "Forbidden",
                HttpTr::tr("requests from origin %1 are not allowed (stream.allowed_origins)")
                        .arg(name),
                QStringLiteral("from origin ") + name};
    }
    return std::nullopt;
}

} // namespace Pyrite::Internal
