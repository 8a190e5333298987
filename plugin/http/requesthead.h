#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Pyrite::Internal {

// The head of a connection's first request as HttpListener sniffs it, before the WebSocket
// server or the HTTP server parse the request themselves: only the few headers that decide where
// the connection goes and whether it may (Upgrade, Content-Length, Transfer-Encoding, Host,
// Origin). Bytes from the network: every lookup stays within them, whatever they hold.
class RequestHead
{
public:
    // Where the head ends in data that has arrived so far (the index of its blank line's
    // "\r\n\r\n"), or -1 while it has not.
    static qsizetype endIn(QByteArrayView data) { return data.indexOf("\r\n\r\n"); }

    // bytes: the request line and the header lines, each ending in "\r\n".
    explicit RequestHead(QByteArray bytes)
        : m_bytes(std::move(bytes))
    { }

    // The value of the first header called name (case-insensitive), trimmed; empty when absent.
    QByteArray value(QByteArrayView name) const;
    bool isWebSocketUpgrade() const;

private:
    QByteArray m_bytes;
};

} // namespace Pyrite::Internal
