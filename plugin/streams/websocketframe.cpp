#include "websocketframe.h"

#include <QtEndian>

namespace Pyrite::Internal {

QByteArray WebSocketFrame::text(QByteArrayView utf8)
{
    constexpr char FinalText = char(0x81); // FIN, opcode 1
    const quint64 length = quint64(utf8.size());
    QByteArray frame;
    frame.reserve(utf8.size() + 10);
    frame.append(FinalText);
    if (length <= 125) {
        frame.append(char(length));
    } else if (length <= 0xFFFF) {
        frame.append(char(126));
        const quint16 big = qToBigEndian(quint16(length));
        frame.append(reinterpret_cast<const char *>(&big), sizeof big);
    } else {
        frame.append(char(127));
        const quint64 big = qToBigEndian(length);
        frame.append(reinterpret_cast<const char *>(&big), sizeof big);
    }
    frame.append(utf8);
    return frame;
}

} // namespace Pyrite::Internal
