#include "webhooksigner.h"

#include "accesspolicy.h"

#include <QMessageAuthenticationCode>

namespace Pyrite::Internal {

QByteArray WebhookSigner::sign(const QByteArray &messageId, qint64 timestampSeconds,
                               const QByteArray &body, const QList<QByteArray> &keys)
{
    const QByteArray content = messageId + '.' + QByteArray::number(timestampSeconds) + '.' + body;
    QByteArray header;
    for (const QByteArray &key : keys) {
        if (!header.isEmpty())
            header += ' ';
        header += "v1," +
                QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256)
                        .toBase64();
    }
    return header;
}

WebhookSigner::Verdict WebhookSigner::verify(const QByteArray &key, const QByteArray &messageId,
                                             const QByteArray &timestampHeader,
                                             const QByteArray &signatureHeader,
                                             const QByteArray &body, qint64 nowSeconds,
                                             int toleranceSeconds)
{
    bool ok = false;
    const qint64 timestamp = timestampHeader.trimmed().toLongLong(&ok);
    if (!ok || messageId.isEmpty() || signatureHeader.isEmpty())
        return Verdict::Malformed;
    if (timestamp < nowSeconds - toleranceSeconds)
        return Verdict::TooOld;
    if (timestamp > nowSeconds + toleranceSeconds)
        return Verdict::TooNew;
    const QByteArray expected = sign(messageId, timestamp, body, {key}).mid(3);
    for (const QByteArray &entry : signatureHeader.split(' ')) {
        // Versions other than v1 (say, asymmetric "v1a") are skipped, not errors.
        if (entry.startsWith("v1,") && AccessPolicy::constantTimeEquals(entry.mid(3), expected))
            return Verdict::Valid;
    }
    return Verdict::NoMatch;
}

std::optional<QByteArray> WebhookSigner::decodeSecret(const QString &secret)
{
    const QString text = secret.startsWith(QStringLiteral("whsec_")) ? secret.mid(6) : secret;
    if (text.isEmpty())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace Pyrite::Internal
