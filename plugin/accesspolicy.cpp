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

bool AccessPolicy::admitsHost(QByteArrayView host) const
{
    // "name", "name:port", "[v6]" or "[v6]:port" (RFC 9110 7.2); a bracket must close.
    QByteArrayView name = host;
    QByteArrayView port;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        name = host.sliced(1, close - 1);
        if (close + 1 < host.size()) {
            if (host.at(close + 1) != ':')
                return false;
            port = host.sliced(close + 2);
        }
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.first(colon);
        port = host.sliced(colon + 1);
    }
    const QString hostName = QString::fromLatin1(name).toLower();
    if (hostName.isEmpty())
        return false;
    // A configured name is a proxy's: it may front the plugin on any port.
    if (m_allowedHosts.contains(hostName, Qt::CaseInsensitive))
        return true;
    bool ok = true;
    const int portNumber = port.isEmpty() ? 80 : port.toByteArray().toInt(&ok);
    if (!ok || m_port == 0 || portNumber != m_port)
        return false;
    if (hostName == u"localhost")
        return m_address.isLoopback() || isAnyAddress();
    QHostAddress address;
    if (!address.setAddress(hostName))
        return false;
    return isAnyAddress() || address.isEqual(m_address, QHostAddress::ConvertV4MappedToIPv4);
}

bool AccessPolicy::admitsOrigin(QByteArrayView origin, QByteArrayView host) const
{
    if (origin.isEmpty())
        return true;
    const QString text = QString::fromLatin1(origin);
    if (m_allowedOrigins.contains(text))
        return true;
    // The page of the host the request names: plain, or through a proxy that speaks TLS.
    const QString own = QString::fromLatin1(host);
    return text.compare(u"http://" + own, Qt::CaseInsensitive) == 0 ||
            text.compare(u"https://" + own, Qt::CaseInsensitive) == 0;
}

bool AccessPolicy::admitsWebSocketOrigin(const QString &origin) const
{
    return origin.isEmpty() || m_allowedOrigins.contains(origin) || isOwnOrigin(origin);
}

bool AccessPolicy::isAnyAddress() const
{
    return m_address == QHostAddress::Any || m_address == QHostAddress::AnyIPv4 ||
            m_address == QHostAddress::AnyIPv6;
}

bool AccessPolicy::isOwnOrigin(const QString &origin) const
{
    const QUrl url(origin);
    if (url.scheme() != u"http" || !url.path().isEmpty())
        return false;
    const QString host = url.host(QUrl::FullyEncoded);
    const QString authority = (host.contains(u':') ? u'[' + host + u']' : host) + u':' +
            QString::number(url.port(80));
    return admitsHost(authority.toLatin1());
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
