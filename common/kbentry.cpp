#include "kbentry.h"

namespace Pyrite {

QVariantMap KbEntry::toVariantMap() const
{
    QVariantMap map = fields;
    map.insert(QStringLiteral("id"), id);
    map.insert(QStringLiteral("title"), title);
    map.insert(QStringLiteral("type"), type);
    map.insert(QStringLiteral("tags"), tags);
    map.insert(QStringLiteral("links"), links);
    map.insert(QStringLiteral("body"), body);
    return map;
}

} // namespace Pyrite
