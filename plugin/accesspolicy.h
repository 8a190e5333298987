#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

class QUrlQuery;

namespace Pyrite::Internal {

// Who may use the plugin's listen address (docs/http.md): the tokens, and the origins of browser
// pages allowed besides the plugin's own page. The HTTP side and the stream handshakes share one,
// so that both judge a request by the same rules.
class AccessPolicy
{
public:
    // Empty: no authentication. Otherwise every request but the public ones wants one of them.
    void setTokens(const QStringList &tokens) { m_tokens = tokens; }
    bool requiresToken() const { return !m_tokens.isEmpty(); }
    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }
    // Host names besides the listen address that requests may name (a reverse proxy's, say).
    void setAllowedHosts(const QStringList &hosts) { m_allowedHosts = hosts; }
    // Where the plugin listens, once it does: its own page's origin.
    void setListenAddress(const QHostAddress &address, quint16 port);

    // The token a request carries, valid or not (a Bearer Authorization header, else a "token"
    // query parameter); empty when it has none.
    static QString tokenFrom(const QByteArray &authorization, const QUrlQuery &query);
    // True when no token is required, or token is one of them (compared in constant time).
    bool admitsToken(const QString &token) const;

    // Every request, HTTP or WebSocket handshake, must name this server in its Host header: the
    // listen address (any of this machine's addresses when it listens on all of them, and
    // "localhost" when it listens on loopback) with its port, or an allowed host name. A page
    // of a name that an attacker's DNS answers with 127.0.0.1 (DNS rebinding) names another.
    bool admitsHost(QByteArrayView host) const;
    // A request that carries an Origin (a browser's fetch, form, script or WebSocket) is served
    // only from the plugin's own page (the origin of the Host it names) or an allowed origin, so
    // that a page elsewhere can neither read the stream nor make the API act. Programs send no
    // Origin; the token guards them. host must have passed admitsHost().
    bool admitsOrigin(QByteArrayView origin, QByteArrayView host) const;
    // The same rule when only the origin is known (QWebSocketServer's check, after the listener
    // has checked the Host): the listen address's own origins.
    bool admitsWebSocketOrigin(const QString &origin) const;

    // Compares in time that does not depend on where a and b differ.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    bool isOwnOrigin(const QString &origin) const;
    bool isAnyAddress() const;

    QStringList m_tokens;
    QStringList m_allowedOrigins;
    QStringList m_allowedHosts;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace Pyrite::Internal
