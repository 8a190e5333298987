#include "webhookaddresspolicy.h"

#include <QHostInfo>
#include <QList>
#include <QPair>
#include <QtEndian>

#include <cstring>

namespace Pyrite::Internal {

namespace {

using Subnet = QPair<QHostAddress, int>;

Subnet subnet(const char *text)
{
    return QHostAddress::parseSubnet(QString::fromLatin1(text));
}

bool isIn(const QHostAddress &address, const QList<Subnet> &subnets)
{
    for (const Subnet &subnet : subnets) {
        if (address.isInSubnet(subnet))
            return true;
    }
    return false;
}

bool isPublicIPv4(quint32 v4)
{
    static const QList<Subnet> blocked{
            subnet("0.0.0.0/8"),      subnet("10.0.0.0/8"),     subnet("100.64.0.0/10"),
            subnet("127.0.0.0/8"),    subnet("169.254.0.0/16"), subnet("172.16.0.0/12"),
            subnet("192.0.0.0/24"),   subnet("192.0.2.0/24"),   subnet("192.88.99.0/24"),
            subnet("192.168.0.0/16"), subnet("198.18.0.0/15"),  subnet("198.51.100.0/24"),
            subnet("203.0.113.0/24"), subnet("224.0.0.0/4"),    subnet("240.0.0.0/4"),
    };
    return !isIn(QHostAddress(v4), blocked);
}

// The IPv4 address that an IPv6 one carries and that a router or the kernel would reach in
// its stead: NAT64's well-known prefix (64:ff9b::/96, the last 32 bits) and 6to4 (2002::/16,
// bits 16 to 47).
bool embeddedIPv4(const QHostAddress &address, quint32 *v4)
{
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    if (address.isInSubnet(subnet("64:ff9b::/96"))) {
        *v4 = qFromBigEndian<quint32>(bytes.c + 12);
        return true;
    }
    if (address.isInSubnet(subnet("2002::/16"))) {
        *v4 = qFromBigEndian<quint32>(bytes.c + 2);
        return true;
    }
    return false;
}

} // namespace

bool WebhookAddressPolicy::isPublic(const QHostAddress &address)
{
    if (address.isNull())
        return false;
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped); // also for ::ffff:a.b.c.d
    if (address.protocol() == QAbstractSocket::IPv4Protocol || mapped)
        return isPublicIPv4(v4);
    quint32 carried = 0;
    if (embeddedIPv4(address, &carried))
        return isPublicIPv4(carried);
    static const QList<Subnet> blocked6{
            // ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible
            // ones (::127.0.0.1); ::ffff:0:0:0/96 the IPv4-translated ones (SIIT).
            subnet("::/96"),          subnet("::ffff:0:0:0/96"),
            subnet("64:ff9b:1::/48"), // NAT64 for local use
            subnet("100::/64"),       // discard
            subnet("2001::/32"),      // Teredo: an IPv4 server and client inside
            subnet("2001:db8::/32"),  // documentation
            subnet("fc00::/7"),       subnet("fe80::/10"),
            subnet("fec0::/10"),      subnet("ff00::/8"),
    };
    return !isIn(address, blocked6);
}

bool WebhookAddressPolicy::admitsAtSave(const QUrl &url, QString *refusal, QString *warning)
{
    const QString host = url.host();
    QList<QHostAddress> addresses;
    QHostAddress literal;
    if (literal.setAddress(host)) {
        addresses = {literal};
    } else {
        const QHostInfo info = QHostInfo::fromName(host);
        if (info.error() != QHostInfo::NoError) {
            *warning = unresolvable(host, info.errorString()) +
                    WebhooksTr::tr("; it is checked again before each delivery");
            return true;
        }
        addresses = info.addresses();
    }
    for (const QHostAddress &address : std::as_const(addresses)) {
        if (!isPublic(address)) {
            *refusal = WebhookAddressPolicy::refusal(host, address);
            return false;
        }
    }
    return true;
}

} // namespace Pyrite::Internal
