#include "requesthead.h"

namespace Pyrite::Internal {

QByteArray RequestHead::value(QByteArrayView name) const
{
    qsizetype lineStart = m_bytes.indexOf("\r\n") + 2;
    while (lineStart > 1 && lineStart < m_bytes.size()) {
        const qsizetype lineEnd = m_bytes.indexOf("\r\n", lineStart);
        if (lineEnd <= lineStart)
            break;
        const QByteArrayView line(m_bytes.constData() + lineStart, lineEnd - lineStart);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed().toByteArray();
        lineStart = lineEnd + 2;
    }
    return QByteArray();
}

bool RequestHead::isWebSocketUpgrade() const
{
    return value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

} // namespace Pyrite::Internal
