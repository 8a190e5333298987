#include "webhookaddresspolicy.h"

#include <QList>
#include <QPair>

namespace Pyrite::Internal {

bool WebhookAddressPolicy::isPublic(const QHostAddress &address)
{
    if (address.isNull())
        return false;
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped); // also for ::ffff:a.b.c.d
    if (address.protocol() == QAbstractSocket::IPv4Protocol || mapped) {
        static const QList<QPair<QHostAddress, int>> blocked{
                QHostAddress::parseSubnet(QStringLiteral("0.0.0.0/8")),
                QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")),
                QHostAddress::parseSubnet(QStringLiteral("100.64.0.0/10")),
                QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8")),
                QHostAddress::parseSubnet(QStringLiteral("169.254.0.0/16")),
                QHostAddress::parseSubnet(QStringLiteral("172.16.0.0/12")),
                QHostAddress::parseSubnet(QStringLiteral("192.0.0.0/24")),
                QHostAddress::parseSubnet(QStringLiteral("192.168.0.0/16")),
                QHostAddress::parseSubnet(QStringLiteral("198.18.0.0/15")),
                QHostAddress::parseSubnet(QStringLiteral("224.0.0.0/4")),
                QHostAddress::parseSubnet(QStringLiteral("240.0.0.0/4")),
        };
        const QHostAddress ipv4(v4);
        for (const auto &subnet : blocked) {
            if (ipv4.isInSubnet(subnet))
                return false;
        }
        return true;
    }
    static const QList<QPair<QHostAddress, int>> blocked6{
            QHostAddress::parseSubnet(QStringLiteral("::/128")),
            QHostAddress::parseSubnet(QStringLiteral("::1/128")),
            QHostAddress::parseSubnet(QStringLiteral("64:ff9b:1::/48")),
            QHostAddress::parseSubnet(QStringLiteral("fc00::/7")),
            QHostAddress::parseSubnet(QStringLiteral("fe80::/10")),
            QHostAddress::parseSubnet(QStringLiteral("fec0::/10")),
            QHostAddress::parseSubnet(QStringLiteral("ff00::/8")),
    };
    for (const auto &subnet : blocked6) {
        if (address.isInSubnet(subnet))
            return false;
    }
    return true;
}

} // namespace Pyrite::Internal
