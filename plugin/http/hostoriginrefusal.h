#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Pyrite::Internal {

class AccessPolicy;

// Why a request is refused for the Host or Origin it carries (docs/http.md): 421 for another
// host, 403 for a foreign origin. One judgement for HTTP requests (WebServer) and WebSocket
// handshakes (HttpListener), so that both refuse alike and say the same.
struct HostOriginRefusal
{
    int status = 0;
    QByteArray reason; // the status line's
    QString message;   // for the client, translated
    QString subject;   // for the log: "for host …" or "from origin …"

    // Nothing when access admits both.
    static std::optional<HostOriginRefusal> of(const AccessPolicy &access, const QByteArray &host,
                                               const QByteArray &origin);
};

} // namespace Pyrite::Internal
