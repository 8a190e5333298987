#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Pyrite::Internal {

// Signatures as the Standard Webhooks specification defines them: the "webhook-signature" header
// is space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per active secret, so a
// receiver keeps working while secrets rotate. verify() is what a receiver does (tests and
// tools/verify-webhook.py use the same rules).
class WebhookSigner
{
public:
    enum class Verdict { Valid, NoMatch, Malformed, TooOld, TooNew };

    static QByteArray sign(const QByteArray &messageId, qint64 timestampSeconds,
                           const QByteArray &body, const QList<QByteArray> &keys);

    // Accepts when one "v1," entry matches a signature made with `key` (constant-time compare)
    // and the timestamp is within `toleranceSeconds` of nowSeconds.
    static Verdict verify(const QByteArray &key, const QByteArray &messageId,
                          const QByteArray &timestampHeader, const QByteArray &signatureHeader,
                          const QByteArray &body, qint64 nowSeconds, int toleranceSeconds = 300);

    // "whsec_<base64>" (or bare base64) to the key bytes; nullopt when it is not valid base64.
    static std::optional<QByteArray> decodeSecret(const QString &secret);
};

} // namespace Pyrite::Internal
