#include "accesspolicy.h"

#include <QUrl>
#include <QUrlQuery>

namespace Pyrite::Internal {

void AccessPolicy::setListenAddress(const QHostAddress &address, quint16 port)
{
    m_address = address;
    m_port = port;
}

QString AccessPolicy::tokenFrom(const QByteArray &authorization, const QUrlQuery &query)
{
    if (authorization.startsWith("Bearer "))
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
}

bool AccessPolicy::admitsToken(const QString &token) const
{
    if (m_tokens.isEmpty())
        return true;
    if (token.isEmpty())
        return false;
    const QByteArray given = token.toUtf8();
    bool known = false;
    for (const QString &candidate : m_tokens)
        known |= constantTimeEquals(candidate.toUtf8(), given);
    return known;
}

bool AccessPolicy::admitsHttpOrigin(const QString &origin, const QString &host) const
{
    return origin.isEmpty() || origin == u"http://" + host || m_allowedOrigins.contains(origin);
}

bool AccessPolicy::admitsWebSocketOrigin(const QString &origin) const
{
    return origin.isEmpty() || m_allowedOrigins.isEmpty() || m_allowedOrigins.contains(origin) ||
            isOwnOrigin(origin);
}

bool AccessPolicy::isOwnOrigin(const QString &origin) const
{
    const QUrl url(origin);
    if (url.scheme() != u"http" || m_port == 0 || url.port(80) != m_port)
        return false;
    return url.host() == m_address.toString() ||
            (m_address.isLoopback() && url.host() == u"localhost");
}

bool AccessPolicy::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Every byte is looked at whatever differs, so timing says nothing about where.
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

} // namespace Pyrite::Internal
