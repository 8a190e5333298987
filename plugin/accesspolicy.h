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
    // Where the plugin listens, once it does: its own page's origin.
    void setListenAddress(const QHostAddress &address, quint16 port);

    // The token a request carries, valid or not (a Bearer Authorization header, else a "token"
    // query parameter); empty when it has none.
    static QString tokenFrom(const QByteArray &authorization, const QUrlQuery &query);
    // True when no token is required, or token is one of them (compared in constant time).
    bool admitsToken(const QString &token) const;

    // HTTP: a request that carries an Origin (a browser's fetch, form or script) is served only
    // from the page of the host it names or from an allowed origin, so that a page elsewhere
    // cannot make the API act (redeliver, send a test) on a host it can reach.
    bool admitsHttpOrigin(const QString &origin, const QString &host) const;
    // WebSocket handshakes: programs send no Origin (the token guards them); the plugin's own page
    // is at home; other sites' pages only when listed, or while none are listed.
    bool admitsWebSocketOrigin(const QString &origin) const;

    // Compares in time that does not depend on where a and b differ.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

private:
    bool isOwnOrigin(const QString &origin) const;

    QStringList m_tokens;
    QStringList m_allowedOrigins;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace Pyrite::Internal
