#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Pyrite::Internal {

// A complete server-to-client WebSocket frame (RFC 6455, section 5.2): built once per event and
// written as is to every client it goes to. QWebSocket::sendTextMessage converts, copies and
// frames the message again for each socket, which was most of the fan-out's cost per client.
class WebSocketFrame
{
public:
    // One final, unmasked text frame carrying utf8 (which must be valid UTF-8).
    static QByteArray text(QByteArrayView utf8);
};

} // namespace Pyrite::Internal
